/* macchk_result.c - turn verdicts into findings under the user's policy. */
#include "macchk_result.h"

#include <stddef.h>
#include <string.h>

void macchk_result_start(macchk_result *r)
{
    memset(r, 0, offsetof(macchk_result, arp));
}

void macchk_result_start_arp(macchk_result *r)
{
    memset((char *)r + offsetof(macchk_result, arp), 0, offsetof(macchk_result, nd) - offsetof(macchk_result, arp));
}

void macchk_result_start_nd(macchk_result *r)
{
    memset((char *)r + offsetof(macchk_result, nd), 0, sizeof *r - offsetof(macchk_result, nd));
}

unsigned macchk_track_findings(const macchk_arp_verdict *v, const macchk_class *sha_class, bool allowed)
{
    unsigned findings = 0;

    if (v->unanswered)
        findings |= MACCHK_T_UNANSWERED;
    if (v->capture_ended)
        findings |= MACCHK_T_CAPTURE_ENDED;
    if (v->unsolicited)
        findings |= MACCHK_T_UNSOLICITED;
    if (v->asked_again)
        findings |= MACCHK_T_NOT_ACCEPTED;
    if (v->probe_defended)
        findings |= MACCHK_T_PROBE_DEFENDED;
    if (v->table_full_here)
        findings |= MACCHK_T_TABLE_FULL;
    if (allowed)
        return findings;
    if (v->ip_state == MACCHK_BINDING_CONFLICT)
        findings |= MACCHK_T_IP_CONFLICT;
    else if (v->ip_state == MACCHK_BINDING_CHANGED)
        findings |= MACCHK_T_IP_MOVED;
    if (v->mac_state == MACCHK_BINDING_CONFLICT)
        findings |= macchk_is_virtual_router(sha_class) ? MACCHK_T_VIRTUAL_MULTI_IP : MACCHK_T_DUP_MAC;
    else if (v->mac_state == MACCHK_BINDING_CHANGED)
        findings |= MACCHK_T_RENUMBERED;
    return findings;
}

unsigned macchk_nd_track_findings(const macchk_nd_verdict *v)
{
    unsigned findings = 0;

    if (v->unanswered)
        findings |= MACCHK_N_UNANSWERED;
    if (v->capture_ended)
        findings |= MACCHK_N_CAPTURE_ENDED;
    if (v->dad_defended)
        findings |= MACCHK_N_DAD_DEFENDED;
    if (v->state == MACCHK_ND_BINDING_CONFLICT)
        findings |= MACCHK_N_IP_CONFLICT;
    else if (v->state == MACCHK_ND_BINDING_MOVED)
        findings |= MACCHK_N_IP_MOVED;
    if (v->table_full_here)
        findings |= MACCHK_N_TABLE_FULL;
    return findings;
}

void macchk_apply_policy(macchk_result *r, const macchk_policy *policy)
{
    if (!policy->note_qemu_default)
        r->addr_findings &= ~(unsigned)MACCHK_F_QEMU_DEFAULT;
    if (!policy->note_slap_reserved)
        r->addr_findings &= ~(unsigned)MACCHK_F_SRC_SLAP_RESERVED;
    if (!policy->note_unicast_request)
        r->arp_findings &= ~(unsigned)MACCHK_A_UNICAST_REQUEST;
    if (!policy->note_target_mismatch)
        r->arp_findings &= ~(unsigned)MACCHK_A_TARGET_MISMATCH;
    if (!policy->note_unsolicited)
        r->track_findings &= ~(unsigned)MACCHK_T_UNSOLICITED;
    if (!policy->note_changes) {
        r->track_findings &= ~(unsigned)(MACCHK_T_IP_MOVED | MACCHK_T_RENUMBERED);
        r->ndtrack_findings &= ~(unsigned)MACCHK_N_IP_MOVED;
    }
}

bool macchk_result_has_addresses(const macchk_result *r)
{
    return r->has_src || r->has_dst || r->has_arp || r->has_nd;
}

bool macchk_result_has_findings(const macchk_result *r)
{
    return (r->addr_findings | r->arp_findings | r->track_findings | r->nd_findings | r->ndtrack_findings) != 0;
}

/* Asked for every frame: the masks of all sets in one call. */
bool macchk_result_is_invalid(const macchk_result *r, const macchk_policy *policy)
{
    const unsigned *warning = macchk_warning_masks(!policy->dup_mac_is_warning);
    return (r->addr_findings & warning[MACCHK_SET_ADDR]) || (r->arp_findings & warning[MACCHK_SET_ARP]) ||
           (r->track_findings & warning[MACCHK_SET_TRACK]) || (r->nd_findings & warning[MACCHK_SET_ND]) ||
           (r->ndtrack_findings & warning[MACCHK_SET_NDTRACK]);
}

unsigned macchk_result_findings(const macchk_result *r, macchk_finding_set set)
{
    switch (set) {
    case MACCHK_SET_ADDR: return r->addr_findings;
    case MACCHK_SET_ARP: return r->arp_findings;
    case MACCHK_SET_TRACK: return r->track_findings;
    case MACCHK_SET_ND: return r->nd_findings;
    case MACCHK_SET_NDTRACK: return r->ndtrack_findings;
    default: return 0;
    }
}

const char *macchk_result_arp_kind(const macchk_result *r)
{
    const macchk_arp_verdict *v = &r->verdict;
    const char *name;

    if (r->tracked) {
        if (v->probe)
            return "probe";
        if (v->announcement)
            return "announcement";
        if (v->gratuitous)
            return "gratuitous reply";
    }
    name = macchk_arp_opcode_name(r->arp.opcode);
    return name ? name : "unknown";
}

void macchk_session_watch_add(const macchk_session *s, macchk_session_watch *w)
{
    if (w->listed || !s->watches)
        return;
    w->next = *s->watches;
    *s->watches = w;
    w->listed = true;
}

void macchk_session_watch_remove(const macchk_session *s, macchk_session_watch *w)
{
    if (!w->listed || !s || !s->watches)
        return;
    for (macchk_session_watch **p = s->watches; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            break;
        }
    w->listed = false;
}

void macchk_session_end(const macchk_session *s)
{
    macchk_session_watch *w = s->watches ? *s->watches : NULL;
    if (!w)
        return;
    *s->watches = NULL; /* a listener may watch the next file from its callback */
    while (w) {
        macchk_session_watch *next = w->next;
        w->listed = false;
        w->file_ends(w->data);
        w = next;
    }
}
