/* macchk_result.c - turn verdicts into findings under the user's policy. */
#include "macchk_result.h"

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
    if (!policy->note_changes)
        r->track_findings &= ~(unsigned)(MACCHK_T_IP_MOVED | MACCHK_T_RENUMBERED);
}

bool macchk_result_has_addresses(const macchk_result *r)
{
    return r->has_src || r->has_dst || r->has_arp;
}

bool macchk_result_is_invalid(const macchk_result *r, const macchk_policy *policy)
{
    unsigned track_warnings = MACCHK_T_UNANSWERED | MACCHK_T_IP_CONFLICT | MACCHK_T_PROBE_DEFENDED;

    if (policy->dup_mac_is_warning)
        track_warnings |= MACCHK_T_DUP_MAC;
    return (r->addr_findings & MACCHK_F_WARNINGS) || (r->arp_findings & MACCHK_A_WARNINGS) ||
           (r->track_findings & track_warnings);
}
