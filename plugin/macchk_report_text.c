/* macchk_report_text.c - the text report, and the wording of problems, verdict and hosts that JSON shares. */
#include <stdlib.h>
#include <string.h>

#include "macchk_report_int.h"

#define HOST_IPS_SHOWN 8
#define NAMED_IN_LINE 4
#define CAUSE_SCAN_LIMIT 16 /* bindings of an unanswered target looked at for a cause */

/* ---- wording ----------------------------------------------------------- */


static void hl_mac(host_list *h, const uint8_t *mac)
{
    if (h->b)
        sb_printf(h->b, "%s\"%s\"", h->n++ ? "," : "", fmt_mac(mac).s);
}

static void hl_ip(host_list *h, uint32_t ip)
{
    if (h->b)
        sb_printf(h->b, "%s\"%s\"", h->n++ ? "," : "", fmt_ip(ip).s);
}

static void hl_ip6(host_list *h, const macchk_report *rep, uint32_t id)
{
    if (h->b)
        sb_printf(h->b, "%s\"%s\"", h->n++ ? "," : "", fmt_ip6(rep, id).s);
}

/* "frame 5" or "frames 3-11" */
static void sb_frames(strbuf *b, uint32_t first, uint32_t last)
{
    if (first == last)
        sb_printf(b, "frame %u", first);
    else
        sb_printf(b, "frames %u-%u", first, last);
}

/* ": 1 frame (frame 5)" or ": 6 frames (frames 1-9)" */
static void sb_count_frames(strbuf *b, uint32_t count, uint32_t first, uint32_t last)
{
    sb_printf(b, ": %u frame%s (", count, count == 1 ? "" : "s");
    sb_frames(b, first, last);
    sb_puts(b, ")");
}

/* "once" or "3 times" */
static void sb_times(strbuf *b, uint32_t n)
{
    if (n == 1)
        sb_puts(b, "once");
    else
        sb_printf(b, "%u times", n);
}

void report_sb_net(strbuf *b, const macchk_report *rep, uint32_t net)
{
    char name[MACCHK_NET_NAME_LEN];
    if (!net) {
        sb_puts(b, "a network not kept");
        return;
    }
    macchk_net_format(&((const net_rec *)kt_rec(&rep->nets, net - 1))->net, name, sizeof name);
    sb_puts(b, name);
}

/* The first IPv4 address a MAC claimed in a network, 0 if none known. */
static uint32_t ip_of(const macchk_report *rep, uint32_t net, const uint8_t *mac)
{
    size_t n, i = rep->views_given ? report_bindings_of_mac(&rep->v4, net, mac, &n) : 0;
    return rep->views_given && n ? rep->v4.items[rep->v4.by_mac[i]].ip : 0;
}

/* "10.0.2.15's " or "" */
static void sb_owner(strbuf *b, const macchk_report *rep, uint32_t net, const uint8_t *mac)
{
    uint32_t ip = ip_of(rep, net, mac);
    if (ip)
        sb_printf(b, "%s's ", fmt_ip(ip).s);
}

/* "10.0.2.15 (52:54:00:12:34:56)" */
static void sb_ip_mac(strbuf *b, uint32_t ip, const uint8_t *mac)
{
    sb_printf(b, "%s (%s)", fmt_ip(ip).s, fmt_mac(mac).s);
}

static const group_rec *bad_source_of(const macchk_report *rep, uint32_t net, const uint8_t *mac)
{
    rkey k = report_make_key(net, K_BAD_SOURCE, 0, mac, NULL, 0, 0);
    return report_find_group(&rep->groups, &k);
}

/* "has the group bit set (did you mean X?)" and the like; advise: say what
 * to do when the corrected MAC is QEMU's default */
static void sb_bad_mac_problem(strbuf *b, const uint8_t *mac, uint32_t flags, bool advise)
{
    macchk_class c;
    macchk_classify(mac, &c);
    if (flags & BAD_CF) {
        sb_puts(b, "is in the CF-xx-xx block (RFC 2153), never a station address");
    } else if (flags & BAD_GROUP) {
        uint8_t guess[6];
        macchk_class gc;
        macchk_unicast_guess(mac, guess);
        macchk_classify(guess, &gc);
        if (c.cast == MACCHK_CAST_BROADCAST)
            sb_puts(b, "is the broadcast address");
        else if (advise && gc.vnic == MACCHK_VNIC_QEMU_DEFAULT)
            sb_printf(b, "has the group bit set (did you mean %s? That is QEMU's default MAC, shared by every "
                         "guest started without mac=: give this guest a unique address in 52:54:00)",
                      fmt_mac(guess).s);
        else
            sb_printf(b, "has the group bit set (did you mean %s?)", fmt_mac(guess).s);
    } else if (flags & BAD_ZERO) {
        sb_puts(b, "is all zeros");
    } else if (flags & BAD_RESERVED) {
        sb_printf(b, "is in the %s range", macchk_range_name(c.range));
    }
}

/* "10.0.2.15's source 53:54:00:12:34:56 has the group bit set (did you mean ...?)" */
static void sb_bad_source_phrase(strbuf *b, const macchk_report *rep, const group_rec *g, bool advise)
{
    sb_owner(b, rep, g->key.net, g->key.mac);
    sb_printf(b, "%s %s ", (g->flags & BAD_AS_SOURCE) ? "source" : "ARP sender MAC", fmt_mac(g->key.mac).s);
    sb_bad_mac_problem(b, g->key.mac, g->flags, advise);
}

/* A likely cause of an unanswered exchange: a bad MAC on either side; true if one is named. */
static bool sb_unanswered_cause(strbuf *b, const macchk_report *rep, const binding_view *v, uint32_t net,
                                const uint8_t *sha, uint32_t tpa)
{
    const group_rec *g = bad_source_of(rep, net, sha);
    for (size_t i = report_bindings_of_ip(v, net, tpa), seen = 0;
         !g && i < v->n && v->items[i].net == net && v->items[i].ip == tpa && seen < CAUSE_SCAN_LIMIT; i++, seen++)
        g = bad_source_of(rep, net, v->items[i].mac);
    if (g) {
        sb_puts(b, "; ");
        sb_bad_source_phrase(b, rep, g, false);
    }
    return g != NULL;
}

/* "A (frames 2-5) and B (frames 3-6)"; name_ips: name the IPs, else the MACs */
static void sb_binding_list(strbuf *b, const macchk_binding_info *const *items, size_t n, bool name_ips,
                            const char *sep_last)
{
    size_t shown = n < NAMED_IN_LINE ? n : NAMED_IN_LINE;
    for (size_t i = 0; i < shown; i++) {
        const macchk_binding_info *x = items[i];
        if (i)
            sb_puts(b, i + 1 == shown && shown == n ? sep_last : ", ");
        sb_puts(b, name_ips ? fmt_ip(x->ip).s : fmt_mac(x->mac).s);
        sb_puts(b, " (");
        sb_frames(b, x->first_frame, x->last_frame);
        sb_puts(b, ")");
    }
    if (n > shown)
        sb_printf(b, " and %zu more", n - shown);
}

static void write_set_problem(render_ctx *c, const problem *p, strbuf *b, host_list *h)
{
    const macchk_report *rep = c->rep;
    size_t n;
    if (p->src == SRC_IP_SET || p->src == SRC_IP6_SET) {
        bool v6 = p->src == SRC_IP6_SET;
        const binding_view *v = v6 ? &rep->v6 : &rep->v4;
        uint32_t ip = v->items[p->ref].ip;
        char addr[sizeof(macchk_ip6str)];
        snprintf(addr, sizeof addr, "%s", v6 ? fmt_ip6(rep, ip).s : fmt_ip(ip).s);
        n = p->n;
        for (size_t i = 0; i < n; i++)
            c->set[i] = &v->items[p->ref + i];
        if (v6)
            hl_ip6(h, rep, ip);
        else
            hl_ip(h, ip);
        for (size_t i = 0; i < n; i++)
            hl_mac(h, c->set[i]->mac);
        bool conflict = p->kind == K_IP_CONFLICT || p->kind == K_IP6_CONFLICT;
        sb_printf(b, "%s %s ", addr, conflict ? "is claimed by" : "moved from");
        if (conflict) {
            sb_binding_list(b, c->set, n, false, " and ");
            sb_printf(b, " at the same time: two hosts configured with one address, or %s spoofing", v6 ? "ND" : "ARP");
        } else {
            sb_binding_list(b, c->set, n, false, " to ");
            sb_puts(b, v6 ? " (a replaced NIC or failover)" : " (a replaced NIC, failover or DHCP reassignment)");
        }
        return;
    }
    n = report_mac_set(c, p->ref, p->n);
    const uint8_t *mac = c->set[0]->mac;
    hl_mac(h, mac);
    for (size_t i = 0; i < n; i++)
        hl_ip(h, c->set[i]->ip);
    if (p->kind == K_DUP_MAC) {
        sb_printf(b, "%s claims ", fmt_mac(mac).s);
        sb_binding_list(b, c->set, n, true, " and ");
        sb_puts(b, " at the same time: two hosts sharing one MAC (cloned guests, QEMU's default), proxy ARP, "
                   "or spoofing");
    } else if (p->kind == K_VIRTUAL_MULTI) {
        macchk_class cl;
        macchk_classify(mac, &cl);
        sb_printf(b, "%s MAC %s serves ", macchk_range_name(cl.range), fmt_mac(mac).s);
        sb_binding_list(b, c->set, n, true, " and ");
        sb_puts(b, ": normal for a virtual router");
    } else {
        sb_printf(b, "%s changed its IPv4 address from ", fmt_mac(mac).s);
        sb_binding_list(b, c->set, n, true, " to ");
    }
}

static void write_gate_problem(const macchk_report *rep, const problem *p, const group_rec *g, strbuf *b,
                               host_list *h)
{
    if (g->key.kind == K_GATE_IP6) {
        sb_printf(b, "%s %s", fmt_ip6(rep, g->key.ip).s,
                  p->kind == K_IP6_CONFLICT ? "is claimed by several MACs at once" : "moved to a new MAC");
        hl_ip6(h, rep, g->key.ip);
    } else if (g->key.kind == K_GATE_IP) {
        sb_printf(b, "%s %s", fmt_ip(g->key.ip).s,
                  p->kind == K_IP_CONFLICT ? "is claimed by several MACs at once" : "moved to a new MAC");
        hl_ip(h, g->key.ip);
    } else {
        sb_printf(b, "%s %s", fmt_mac(g->key.mac).s,
                  p->kind == K_DUP_MAC         ? "claims several IPv4 addresses at once"
                  : p->kind == K_VIRTUAL_MULTI ? "(a virtual router MAC) serves several IPv4 addresses"
                                               : "changed its IPv4 address");
        hl_mac(h, g->key.mac);
    }
    sb_count_frames(b, g->count, g->first, g->last);
}

/* After "asked for X ": "3 times in 2 rounds (frames 1-9), never answered",
 * or that the capture ended before an answer could come. */
static void sb_request_rounds(strbuf *b, const group_rec *g, bool views, bool capture_ended, const char *protocol,
                              const char *answer)
{
    sb_times(b, g->count);
    if (views && g->detail > 1)
        sb_printf(b, " in %u rounds", g->detail);
    sb_puts(b, " (");
    sb_frames(b, g->first, g->last);
    sb_puts(b, ")");
    if (capture_ended)
        sb_printf(b, ", %sless than the %s timeout before the capture ended: whether %s came is unknown",
                  g->count > 1 ? "the last " : "", protocol, answer);
    else if (!views || g->detail2 == g->count)
        sb_puts(b, ", never answered");
    else
        sb_printf(b, ", %u unanswered", g->detail2);
}

/* Where to look when nothing explains an unanswered request. */
static void sb_own_port_hint(strbuf *b, const char *target)
{
    sb_printf(b, "; capture on %s's own port (for a VM, its tap/vnet device) to see whether it answers from an "
                 "invalid source MAC",
              target);
}

/* Exchanges (from the views) or request frames (without them). */
static void write_request_problem(render_ctx *c, const problem *p, const group_rec *g, strbuf *b, host_list *h)
{
    const rkey *k = &g->key;
    bool views = p->src == SRC_VGROUP;

    if (k->kind == K_PROBE_DEFENDED) {
        sb_printf(b, "%s probed %s (", fmt_mac(k->mac).s, fmt_ip(k->ip2).s);
        sb_frames(b, g->first, g->last);
        sb_printf(b, ") and got an answer in frame %u: %s is already in use%s", g->detail, fmt_ip(k->ip2).s,
                  views ? ", the prober must not take it" : "");
        hl_mac(h, k->mac);
        hl_ip(h, k->ip2);
        return;
    }
    sb_ip_mac(b, k->ip, k->mac);
    sb_printf(b, " asked for %s ", fmt_ip(k->ip2).s);
    sb_request_rounds(b, g, views, k->kind == K_CAPTURE_ENDED, "ARP", "a reply");
    /* no cause in sight and the target never spoke: look where its answer would start */
    if (k->kind != K_CAPTURE_ENDED && views && !sb_unanswered_cause(b, c->rep, &c->rep->v4, k->net, k->mac, k->ip2) &&
        !(g->flags & TARGET_SEEN))
        sb_own_port_hint(b, fmt_ip(k->ip2).s);
    hl_ip(h, k->ip);
    hl_mac(h, k->mac);
    hl_ip(h, k->ip2);
}

/* The MAC that defended a DAD probe: one bound to the target, other than
 * the prober's, when the defence came; NULL if the NA bound nothing. */
static const uint8_t *defender_of(const macchk_report *rep, uint32_t net, uint32_t target, const uint8_t *prober,
                                  uint32_t frame)
{
    const binding_view *v = &rep->v6;
    for (size_t i = report_bindings_of_ip(v, net, target);
         i < v->n && v->items[i].net == net && v->items[i].ip == target; i++)
        if (v->items[i].first_frame <= frame && frame <= v->items[i].last_frame &&
            memcmp(v->items[i].mac, prober, 6) != 0)
            return v->items[i].mac;
    return NULL;
}

/* NS exchanges and DAD probes (from the ND views, or from frames without them). */
static void write_nd_request_problem(render_ctx *c, const problem *p, const group_rec *g, strbuf *b, host_list *h)
{
    const macchk_report *rep = c->rep;
    const rkey *k = &g->key;
    bool views = p->src == SRC_VGROUP;

    if (k->kind == K_DAD_DEFENDED) {
        const uint8_t *defender = views ? defender_of(rep, k->net, k->ip2, k->mac, g->detail)
                                        : macchk_is_zero(k->mac2) ? NULL : k->mac2;
        sb_printf(b, "%s probed %s (duplicate address detection, ", fmt_mac(k->mac).s, fmt_ip6(rep, k->ip2).s);
        sb_frames(b, g->first, g->last);
        sb_puts(b, ") and ");
        if (defender)
            sb_printf(b, "%s defended it", fmt_mac(defender).s);
        else
            sb_puts(b, "it was defended");
        sb_printf(b, " in frame %u: %s is already in use%s", g->detail, fmt_ip6(rep, k->ip2).s,
                  views ? ", the prober must not take it" : "");
        hl_mac(h, k->mac);
        if (defender)
            hl_mac(h, defender);
        hl_ip6(h, rep, k->ip2);
        return;
    }
    sb_printf(b, "%s (%s) asked for %s ", fmt_ip6(rep, k->ip).s, fmt_mac(k->mac).s, fmt_ip6(rep, k->ip2).s);
    sb_request_rounds(b, g, views, k->kind == K_NS_CAPTURE_ENDED, "ND", "an advertisement");
    /* no cause in sight and the target never claimed a MAC: look where its answer would start */
    if (k->kind != K_NS_CAPTURE_ENDED && views && !sb_unanswered_cause(b, rep, &rep->v6, k->net, k->mac, k->ip2) &&
        report_bindings_of_ip(&rep->v6, k->net, k->ip2) == rep->v6.n)
        sb_own_port_hint(b, fmt_ip6(rep, k->ip2).s);
    hl_ip6(h, rep, k->ip);
    hl_mac(h, k->mac);
    hl_ip6(h, rep, k->ip2);
}

/* What a malformed message or a bad option is, by the finding's bit. */
static void sb_nd_malformed(strbuf *b, unsigned bit, uint32_t detail)
{
    if (bit == MACCHK_ND_MALFORMED_HOP_LIMIT) {
        sb_printf(b, "hop limit %u, not 255: it was routed, and receivers drop it", detail >> 8 & 0xff);
        return;
    }
    if (bit == MACCHK_ND_LL_LENGTH) {
        sb_printf(b, "length %u (a MAC needs 1)", detail & 0xff);
        return;
    }
    if (macchk_nd_finding_what(bit))
        sb_puts(b, macchk_nd_finding_what(bit));
}

/* Findings of single ND messages. */
static void write_nd_problem(const macchk_report *rep, const group_rec *g, strbuf *b, host_list *h)
{
    const rkey *k = &g->key;
    macchk_nd_kind kind = (macchk_nd_kind)(g->detail >> 16);
    const char *msg = macchk_nd_kind_name(kind);
    const char *option = kind == MACCHK_ND_NS || kind == MACCHK_ND_NUD || kind == MACCHK_ND_DAD
                             ? "source link-layer option"
                             : "target link-layer option";

    switch (k->kind) {
    case K_ND_MALFORMED:
        sb_printf(b, "malformed %s from %s: ", msg, fmt_mac(k->mac).s);
        sb_nd_malformed(b, 1u << k->sub, g->detail);
        break;
    case K_ND_BAD_OPTION:
        sb_printf(b, "%s sends %s with a bad %s: ", fmt_mac(k->mac).s, msg, option);
        sb_nd_malformed(b, 1u << k->sub, g->detail);
        if (!macchk_is_zero(k->mac2) && (1u << k->sub) == MACCHK_ND_LL_GROUP)
            sb_printf(b, " (%s)", fmt_mac(k->mac2).s);
        break;
    case K_ND_LL_MISMATCH:
        sb_printf(b, "link-layer source %s sends %s with %s %s for %s: a proxy, a misbehaving bridge, or ND spoofing",
                  fmt_mac(k->mac).s, msg, option, fmt_mac(k->mac2).s, fmt_ip6(rep, k->ip).s);
        break;
    case K_ND_LL_VIRTUAL: {
        macchk_range range = (macchk_range)(k->variant[1] >> 1); /* and bit 0: the option holds it */
        const char *protocol = range == MACCHK_RANGE_VRRP_V6 ? "VRRP" : "HSRP";
        if (k->variant[1] & 1)
            sb_printf(b, "%s sends %s with the %s MAC %s as its %s (%s), normal for %s", fmt_mac(k->mac).s, msg,
                      macchk_range_name(range), fmt_mac(k->mac2).s, option, fmt_ip6(rep, k->ip).s, protocol);
        else
            sb_printf(b, "%s MAC %s sends %s with %s %s (%s), normal for %s", macchk_range_name(range),
                      fmt_mac(k->mac).s, msg, option, fmt_mac(k->mac2).s, fmt_ip6(rep, k->ip).s, protocol);
        break;
    }
    default: /* K_ND_SNAP_CUT */
        sb_printf(b, "ND from %s cut by the snap length, not judged", fmt_mac(k->mac).s);
        break;
    }
    sb_count_frames(b, g->count, g->first, g->last);
    hl_mac(h, k->mac);
    if (k->kind == K_ND_LL_MISMATCH || k->kind == K_ND_LL_VIRTUAL) {
        hl_mac(h, k->mac2);
        hl_ip6(h, rep, k->ip);
    }
}

static void write_group_problem(render_ctx *c, const problem *p, const group_rec *g, strbuf *b, host_list *h)
{
    const macchk_report *rep = c->rep;
    const rkey *k = &g->key;

    switch (k->kind) {
    case K_BAD_SOURCE: {
        uint32_t ip = ip_of(rep, k->net, k->mac);
        sb_bad_source_phrase(b, rep, g, true);
        if ((g->flags & BAD_AS_SOURCE) && (g->flags & BAD_AS_ARP_SENDER))
            sb_puts(b, ", also as ARP sender MAC");
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        if (ip)
            hl_ip(h, ip);
        break;
    }
    case K_DST_ZERO:
        sb_owner(b, rep, k->net, k->mac);
        sb_printf(b, "%s sends to 00:00:00:00:00:00, which reaches nobody (an unresolved neighbour?)",
                  fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_MALFORMED:
        sb_printf(b, "malformed ARP from %s: ", fmt_mac(k->mac).s);
        if (k->sub == MAL_SIZES)
            sb_printf(b, "hardware size %u and protocol size %u (IPv4 over Ethernet needs 6 and 4)",
                      g->detail >> 8, g->detail & 0xff);
        else if (k->sub == MAL_TRUNCATED)
            sb_puts(b, "the packet ends before the addresses its header announces");
        else
            sb_printf(b, "opcode %u is none of request, reply, RARP or InARP", g->detail);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_BAD_SENDER_IP:
        sb_printf(b, "%s sends ARP with sender IP %s, not a host address", fmt_mac(k->mac).s, fmt_ip(k->ip).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        hl_ip(h, k->ip);
        break;
    case K_SENDER_MISMATCH:
    case K_SENDER_VIRTUAL:
        if (k->kind == K_SENDER_MISMATCH)
            sb_printf(b, "link-layer source %s sends ARP as %s (%s): a proxy, a misbehaving bridge, or ARP spoofing",
                      fmt_mac(k->mac).s, fmt_mac(k->mac2).s, fmt_ip(k->ip).s);
        else
            sb_printf(b, "%s sends ARP for the virtual router MAC %s (%s), normal for VRRP/HSRP", fmt_mac(k->mac).s,
                      fmt_mac(k->mac2).s, fmt_ip(k->ip).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        hl_mac(h, k->mac2);
        hl_ip(h, k->ip);
        break;
    case K_TARGET_MISMATCH:
        sb_printf(b, "%s's ARP reply went to %s but names %s as its target", fmt_ip(k->ip).s, fmt_mac(k->mac).s,
                  fmt_mac(k->mac2).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        hl_mac(h, k->mac2);
        break;
    case K_UNICAST_REQUEST:
        sb_ip_mac(b, k->ip, k->mac);
        sb_printf(b, " sent %u unicast ARP request%s (cache refreshes, as Linux sends them), first for %s (",
                  g->count, g->count == 1 ? "" : "s", fmt_ip(g->detail).s);
        sb_frames(b, g->first, g->last);
        sb_puts(b, ")");
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        break;
    case K_UNSOLICITED:
        sb_ip_mac(b, k->ip, k->mac);
        if (k->sub == UNSOL_LATE)
            sb_printf(b, " answered %s too late: the request in frame %u is older than the ARP timeout",
                      fmt_ip(k->ip2).s, g->detail);
        else
            sb_printf(b, " sent %u unsolicited ARP repl%s to %s (cache poisoning looks like this; so does a "
                         "capture that started late)",
                      g->count, g->count == 1 ? "y" : "ies", fmt_ip(k->ip2).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        hl_ip(h, k->ip2);
        break;
    case K_NOT_ACCEPTED:
        sb_ip_mac(b, k->ip, k->mac);
        sb_printf(b, " answered %s (request in frame %u), yet %s asked again within the ARP timeout (frame %u): "
                     "the reply was not accepted (a wrong MAC in it, or it never reached the requester)",
                  fmt_ip(k->ip2).s, g->detail2, fmt_ip(k->ip2).s, g->detail);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_ip(h, k->ip);
        hl_mac(h, k->mac);
        hl_ip(h, k->ip2);
        break;
    case K_QEMU_DEFAULT:
        sb_owner(b, rep, k->net, k->mac);
        sb_printf(b, "source %s is QEMU's built-in default MAC: every guest started without a mac= option gets "
                     "it, so two such guests on one bridge collide",
                  fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_SLAP_RESERVED:
        sb_owner(b, rep, k->net, k->mac);
        sb_printf(b, "source %s is in the IEEE 802c SLAP reserved quadrant (x6)", fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_SNAP_CUT:
        sb_printf(b, "ARP from %s cut by the snap length, not judged", fmt_mac(k->mac).s);
        sb_count_frames(b, g->count, g->first, g->last);
        hl_mac(h, k->mac);
        break;
    case K_TABLE_FULL:
        sb_printf(b, "macchk's %stracking tables filled up at frame %u: %s first seen after it are not followed "
                     "(preference macchk.table_cap)",
                  k->sub == FULL_ND ? "ND " : "", g->first,
                  k->sub == FULL_ND ? "addresses and exchanges" : "hosts and exchanges");
        break;
    case K_NS_UNANSWERED:
    case K_NS_CAPTURE_ENDED:
    case K_DAD_DEFENDED:
        write_nd_request_problem(c, p, g, b, h);
        break;
    case K_ND_MALFORMED:
    case K_ND_BAD_OPTION:
    case K_ND_LL_MISMATCH:
    case K_ND_LL_VIRTUAL:
    case K_ND_SNAP_CUT:
        write_nd_problem(c->rep, g, b, h);
        break;
    default:
        write_request_problem(c, p, g, b, h);
        break;
    }
}

/* The problem's text (prefixed by its network when the capture has
 * several) into b; with h->b set, the hosts it names too. */
void report_write_problem(render_ctx *c, const problem *p, strbuf *b, host_list *h)
{
    if (c->multi_net && !h->b) {
        sb_puts(b, "on ");
        report_sb_net(b, c->rep, p->net);
        sb_puts(b, ": ");
    }
    if (p->src == SRC_IP_SET || p->src == SRC_IP6_SET || p->src == SRC_MAC_SET) {
        write_set_problem(c, p, b, h);
        return;
    }
    const group_rec *g = kt_rec(report_src_table(c->rep, p->src == SRC_GATE ? SRC_GROUP : p->src), p->ref);
    if (p->src == SRC_GATE)
        write_gate_problem(c->rep, p, g, b, h);
    else
        write_group_problem(c, p, g, b, h);
}

/* ---- verdict ----------------------------------------------------------- */

/* "No problems found in 15 frames (3 notes)" or "3 problems in 15 frames: 1 bad source MAC, 2 unanswered ARP" */
/* Said in the verdict itself: the Note saying it may have found no room. */
static void sb_tables_filled(strbuf *b, const macchk_report *rep)
{
    if (report_tables_filled(rep))
        sb_puts(b, "; incomplete: the tracking tables filled up, hosts first seen later were not followed "
                   "(preference macchk.table_cap)");
}

void report_sb_verdict(strbuf *b, const render_ctx *c, uint64_t notes)
{
    const macchk_report *rep = c->rep;
    if (!rep->frames) { /* only frames without MAC addresses, or none at all */
        sb_puts(b, "Nothing to check: no frame carries MAC addresses or ARP");
        return;
    }
    if (!c->warnings) {
        sb_printf(b, "No problems found in %llu frame%s", (unsigned long long)rep->frames, rep->frames == 1 ? "" : "s");
        if (notes)
            sb_printf(b, " (%llu note%s)", (unsigned long long)notes, notes == 1 ? "" : "s");
        sb_tables_filled(b, rep);
        return;
    }
    sb_printf(b, "%zu problem%s in %llu frame%s:", c->warnings, c->warnings == 1 ? "" : "s",
              (unsigned long long)rep->frames, rep->frames == 1 ? "" : "s");
    for (size_t i = 0, named = 0; i < c->n && c->items[i].severity == MACCHK_SEV_WARNING;) {
        size_t j = i;
        while (j < c->n && c->items[j].kind == c->items[i].kind && c->items[j].severity == MACCHK_SEV_WARNING)
            j++;
        sb_printf(b, "%s %zu %s", named++ ? "," : "", j - i,
                  j - i == 1 ? report_kinds[c->items[i].kind].one : report_kinds[c->items[i].kind].many);
        i = j;
    }
    if (notes)
        sb_printf(b, " (and %llu note%s)", (unsigned long long)notes, notes == 1 ? "" : "s");
    sb_tables_filled(b, rep);
}

/* ---- hosts ------------------------------------------------------------- */


void report_describe_host(const host_rec *h, macchk_vendor_cb vendor, void *ctx, host_desc *d)
{
    macchk_class c;
    macchk_classify(h->key.mac, &c);
    snprintf(d->cls, sizeof d->cls, "%s, %s%s%s%s%s", macchk_cast_name(c.cast), macchk_admin_key(c.admin),
             c.slap ? " " : "", c.slap ? macchk_slap_key(c.slap) : "", c.range ? ", " : "",
             c.range ? macchk_range_key(c.range) : "");
    const char *v = NULL;
    if (c.vnic)
        v = macchk_vnic_name(c.vnic);
    else if (vendor && !(h->key.mac[0] & 0x03))
        v = vendor(h->key.mac, ctx);
    snprintf(d->vendor, sizeof d->vendor, "%s", v ? v : "-");
}

/* The host's IPv4 (ARP) or IPv6 (ND) addresses, in order of first claim:
 * json as a list of strings; how many are not listed. */
uint32_t report_sb_host_ips(strbuf *b, const macchk_report *rep, const host_rec *h, const ip_family *f, bool json)
{
    const binding_view *v = report_family_view(rep, f);
    size_t n = 0, start = report_bindings_of_mac(v, h->key.net, h->key.mac, &n);
    size_t shown = n < HOST_IPS_SHOWN ? n : HOST_IPS_SHOWN;
    if (!n && !json)
        sb_puts(b, "-");
    for (size_t i = 0; i < shown; i++) {
        uint32_t ip = v->items[v->by_mac[start + i]].ip;
        sb_printf(b, json ? "%s\"%s\"" : "%s%s", i ? ", " : "", f == &REPORT_IPV6 ? fmt_ip6(rep, ip).s : fmt_ip(ip).s);
    }
    if (!json && n > shown)
        sb_printf(b, " and %zu more", n - shown);
    return (uint32_t)(n - shown);
}

static const ktable *host_sort_table; /* qsort has no context argument */

static int host_by_first(const void *x, const void *y)
{
    const host_rec *a = kt_rec(host_sort_table, *(const uint32_t *)x);
    const host_rec *b = kt_rec(host_sort_table, *(const uint32_t *)y);
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->key.net != b->key.net)
        return a->key.net < b->key.net ? -1 : 1;
    return memcmp(a->key.mac, b->key.mac, 6);
}

uint32_t *report_sorted_hosts(const macchk_report *rep)
{
    uint32_t *order = macchk_xcalloc(rep->hosts.count, sizeof *order);
    for (size_t i = 0; i < rep->hosts.count; i++)
        order[i] = (uint32_t)i;
    host_sort_table = &rep->hosts;
    if (rep->hosts.count)
        qsort(order, rep->hosts.count, sizeof *order, host_by_first);
    return order;
}

/* ---- text -------------------------------------------------------------- */

static void write_dropped(strbuf *b, const render_ctx *c)
{
    const macchk_report *rep = c->rep;
    uint64_t evicted = report_groups_evicted(rep), refused = report_groups_turned_away(rep);
    if (evicted || refused) {
        sb_printf(b, "(the problem tables hold %zu groups each and are full", rep->limits.cap);
        if (evicted)
            sb_printf(b, ": %llu more note%s not kept, to keep the warnings", (unsigned long long)evicted,
                      evicted == 1 ? "" : "s");
        if (refused)
            sb_printf(b, "%s%llu later sighting%s of other problems not grouped", evicted ? "; " : ": ",
                      (unsigned long long)refused, refused == 1 ? "" : "s");
        sb_puts(b, ")\n");
    }
    uint64_t unsettled = macchk_pending_dropped(rep->pending);
    if (unsettled && rep->views_given)
        sb_printf(b, "(%llu ARP or ND frame%s dissected before the end was known could not be kept to settle: their "
                     "final findings are not counted)\n",
                  (unsigned long long)unsettled, unsettled == 1 ? "" : "s");
}

static void write_text_hosts(strbuf *b, const render_ctx *c)
{
    const macchk_report *rep = c->rep;
    size_t n = rep->hosts.count;
    uint32_t *order = report_sorted_hosts(rep);
    sb_printf(b, "\nHosts (%zu):\n", n);
    if (n) {
        size_t w_net = strlen("Network"), w_cls = strlen("Class"), w_vendor = strlen("Vendor / virtual NIC"),
               w_ips = strlen("IPv4"), w_ip6s = strlen("IPv6");
        strbuf scratch = {0};
        for (size_t i = 0; i < n && !b->stopped; i++) {
            const host_rec *h = kt_rec(&rep->hosts, order[i]);
            host_desc d;
            report_describe_host(h, c->vendor, c->vendor_ctx, &d);
            sb_reset(&scratch);
            report_sb_host_ips(&scratch, rep, h, &REPORT_IPV4, false);
            w_ips = scratch.len > w_ips ? scratch.len : w_ips;
            sb_reset(&scratch);
            report_sb_host_ips(&scratch, rep, h, &REPORT_IPV6, false);
            w_ip6s = scratch.len > w_ip6s ? scratch.len : w_ip6s;
            w_cls = strlen(d.cls) > w_cls ? strlen(d.cls) : w_cls;
            w_vendor = strlen(d.vendor) > w_vendor ? strlen(d.vendor) : w_vendor;
            if (c->multi_net) {
                sb_reset(&scratch);
                report_sb_net(&scratch, rep, h->key.net);
                w_net = scratch.len > w_net ? scratch.len : w_net;
            }
        }
        if (c->multi_net)
            sb_printf(b, "  %-*s", (int)w_net, "Network");
        sb_printf(b, "  %-17s  %-*s  %-*s  %-*s  %-*s  %s\n", "MAC", (int)w_cls, "Class", (int)w_vendor,
                  "Vendor / virtual NIC", (int)w_ips, "IPv4", (int)w_ip6s, "IPv6", "Frames");
        for (size_t i = 0; i < n && !b->stopped; i++) {
            const host_rec *h = kt_rec(&rep->hosts, order[i]);
            host_desc d;
            report_describe_host(h, c->vendor, c->vendor_ctx, &d);
            if (c->multi_net) {
                sb_reset(&scratch);
                report_sb_net(&scratch, rep, h->key.net);
                sb_printf(b, "  %-*s", (int)w_net, sb_take(&scratch));
            }
            sb_reset(&scratch);
            report_sb_host_ips(&scratch, rep, h, &REPORT_IPV4, false);
            sb_printf(b, "  %-17s  %-*s  %-*s  %-*s  ", fmt_mac(h->key.mac).s, (int)w_cls, d.cls, (int)w_vendor,
                      d.vendor, (int)w_ips, sb_take(&scratch));
            sb_reset(&scratch);
            report_sb_host_ips(&scratch, rep, h, &REPORT_IPV6, false);
            sb_printf(b, "%-*s  ", (int)w_ip6s, sb_take(&scratch));
            sb_frames(b, h->first, h->last);
            sb_printf(b, " (%u)\n", h->count);
        }
        free(scratch.s);
    }
    if (rep->host_frames_untracked)
        sb_printf(b, "  (more hosts not listed: the hosts table holds %zu; %llu sightings of other hosts)\n",
                  rep->limits.cap, (unsigned long long)rep->host_frames_untracked);
    free(order);
}

void report_write_text(strbuf *b, render_ctx *c)
{
    const macchk_report *rep = c->rep;
    uint64_t notes = c->notes + report_groups_evicted(rep);
    host_list none = {NULL, 0};

    sb_puts(b, "=====================================================================\n");
    sb_puts(b, "MAC Address Check: triage report\n");
    report_sb_verdict(b, c, notes);
    sb_puts(b, "\n");
    sb_printf(b, "%llu frames checked, %llu invalid (with a Warning); %s%zu warning%s, %llu note%s\n",
              (unsigned long long)rep->frames, (unsigned long long)(rep->invalid_frames + rep->fix.newly_invalid),
              report_warnings_refused(rep) ? "at least " : "", c->warnings, c->warnings == 1 ? "" : "s",
              (unsigned long long)notes, notes == 1 ? "" : "s");
    if (rep->frames_without_mac)
        sb_printf(b, "%llu more frame%s without MAC addresses or ARP (not checked)\n",
                  (unsigned long long)rep->frames_without_mac, rep->frames_without_mac == 1 ? "" : "s");
    if (c->multi_net)
        sb_printf(b, "%zu networks (interface, VLAN IDs, VXLAN VNIs): each problem names its own\n",
                  rep->nets.count);
    if (rep->views_missing)
        sb_puts(b, "(the ARP tracker was gone at the end of the file: exchanges and bindings are judged from "
                   "single frames only)\n");
    write_dropped(b, c);

    for (int sev = MACCHK_SEV_WARNING; sev >= MACCHK_SEV_NOTE; sev--) {
        size_t total = sev == MACCHK_SEV_WARNING ? c->warnings : c->notes, number = 0;
        if (!total)
            continue;
        sb_printf(b, "\n%s:\n", sev == MACCHK_SEV_WARNING ? "Warnings" : "Notes");
        for (size_t i = 0; i < c->n && !b->stopped;) {
            const problem *p = &c->items[i];
            size_t j = i, shown = 0;
            if ((int)p->severity != sev) {
                i++;
                continue;
            }
            for (; j < c->n && c->items[j].kind == p->kind && (int)c->items[j].severity == sev; j++) {
                if (rep->limits.lines_per_kind && shown >= rep->limits.lines_per_kind)
                    continue;
                sb_printf(b, "%3zu. ", ++number);
                report_write_problem(c, &c->items[j], b, &none);
                sb_puts(b, "\n");
                shown++;
            }
            if (j - i > shown) {
                sb_printf(b, "     ... and %zu more like this (all of them: -z macchk,report,json)\n", j - i - shown);
                number += j - i - shown;
            }
            i = j;
        }
    }
    if (!c->n && !report_groups_evicted(rep))
        sb_puts(b, rep->frames ? "\nNo problems found.\n"
                                                           : "\nNothing to check: no frame carries MAC addresses "
                                                             "or ARP.\n");
    write_text_hosts(b, c);
    sb_puts(b, "=====================================================================\n");
}

