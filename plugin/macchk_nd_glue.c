/* macchk_nd_glue.c - IPv6 Neighbor Discovery in the Wireshark glue.
 *
 * Two fronts, like the ARP one: in front of the IPv6 dissector in the
 * "ethertype" table (so only IPv6 on a MAC link layer: Ethernet, VLAN,
 * SLL, 802.11, tunnels' inner frames) it notes the header's hop limit,
 * payload length and addresses; in front of ICMPv6 in "ip.proto" it copies
 * an ND message (types 133-137) through tvb accessors.  The pure modules
 * judge the message (macchk_nd) and follow NS/NA across the capture, one
 * network at a time (macchk_ndtrack); this file maps their findings to
 * fields and expert infos.  No other dissector's fields are asked for.
 */
#include <epan/address_types.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/to_str.h>

#include "macchk_compat.h"
#include "macchk_glue.h"
#include "macchk_nd.h"
#include "macchk_ndtrack.h"

#define ETHERTYPE_IPV6_ 0x86dd
#define IP_PROTO_ICMPV6_ 58
#define IPV6_HEADER_LEN 40
#define ICMPV6_FIRST_ND 133
#define ICMPV6_LAST_ND 137

/* The latest IPv6 header met on a MAC link layer in this frame. */
typedef struct macchk_ipv6_header {
    gint raw_offset; /* in the frame's bytes */
    guint8 hop_limit;
    guint16 payload_len;
    guint8 src[MACCHK_IPV6_LEN], dst[MACCHK_IPV6_LEN];
} ipv6_header;

static dissector_handle_t ipv6_handle, icmpv6_handle;
static guint pref_nd_timeout_ms = 3000;
static macchk_ndtracker *ndtracker; /* file scope; NULL outside a file */
static macchk_frame_bytes nd_shared_by_frame;

static int hf_macchk_nd_kind = -1;
static int hf_macchk_nd_target = -1;
static int hf_macchk_nd_lladdr = -1;
static int hf_macchk_nd_request_in = -1;
static int hf_macchk_nd_response_in = -1;
static int hf_macchk_nd_response_time = -1;
static int hf_macchk_nd_attempt = -1;
static int hf_macchk_nd_attempts = -1;
static int hf_macchk_nd_first_attempt = -1;
static int hf_macchk_nd_defended_in = -1;
static int hf_macchk_nd_defends = -1;
static int hf_macchk_nd_other_mac = -1;
static int hf_macchk_nd_other_mac_frame = -1;
static gint ett_macchk_nd = -1;

/* --- Fronts ------------------------------------------------------------ */

static int dissect_macchk_ipv6_front(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (macchk_enabled() && tvb_captured_length(tvb) >= IPV6_HEADER_LEN) {
        macchk_frame_seen *seen = macchk_seen(pinfo, TRUE);
        ipv6_header *h = seen->ipv6;
        if (!h)
            h = seen->ipv6 = wmem_new(pinfo->pool, ipv6_header);
        h->raw_offset = tvb_raw_offset(tvb);
        h->payload_len = tvb_get_ntohs(tvb, 4);
        h->hop_limit = tvb_get_uint8(tvb, 7);
        tvb_memcpy(tvb, h->src, 8, MACCHK_IPV6_LEN);
        tvb_memcpy(tvb, h->dst, 24, MACCHK_IPV6_LEN);
    }
    return call_dissector_with_data(ipv6_handle, tvb, pinfo, tree, data);
}

/* The ICMPv6 message follows the IPv6 header noted (after any extension
 * headers): not so for IPv6 reached otherwise (IPv6 in IPv4, an ICMPv6
 * error's quoted packet). */
static const ipv6_header *carrying_header(tvbuff_t *tvb, packet_info *pinfo, const macchk_frame_seen *seen)
{
    const ipv6_header *h = seen ? seen->ipv6 : NULL;
    gint raw = tvb_raw_offset(tvb);

    if (!h || pinfo->flags.in_error_pkt || raw < h->raw_offset + IPV6_HEADER_LEN)
        return NULL;
    if (pinfo->src.type != AT_IPv6 || pinfo->dst.type != AT_IPv6 ||
        memcmp(pinfo->src.data, h->src, MACCHK_IPV6_LEN) != 0 || memcmp(pinfo->dst.data, h->dst, MACCHK_IPV6_LEN) != 0)
        return NULL;
    return h;
}

static int dissect_macchk_icmpv6_front(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    const ipv6_header *h;
    macchk_frame_seen *seen;
    guint8 type;

    if (macchk_enabled() && tvb_captured_length(tvb) >= 1 && (seen = macchk_seen(pinfo, FALSE)) && !seen->nd &&
        (type = tvb_get_uint8(tvb, 0)) >= ICMPV6_FIRST_ND && type <= ICMPV6_LAST_ND &&
        (h = carrying_header(tvb, pinfo, seen))) {
        macchk_nd_input *in = wmem_new0(pinfo->pool, macchk_nd_input);
        guint extension_len = (guint)(tvb_raw_offset(tvb) - h->raw_offset - IPV6_HEADER_LEN);
        guint captured = tvb_captured_length(tvb);
        guint8 *bytes = wmem_alloc(pinfo->pool, captured);

        tvb_memcpy(tvb, bytes, 0, captured);
        memcpy(in->src, h->src, MACCHK_IPV6_LEN);
        memcpy(in->dst, h->dst, MACCHK_IPV6_LEN);
        in->hop_limit = h->hop_limit;
        in->length = h->payload_len > extension_len ? h->payload_len - extension_len : 0;
        in->bytes = bytes;
        in->captured = captured;
        in->snap_cut = pinfo->fd->cap_len < pinfo->fd->pkt_len;
        seen->nd = in;
    }
    return call_dissector_with_data(icmpv6_handle, tvb, pinfo, tree, data);
}

/* --- Analysis ---------------------------------------------------------- */

static const macchk_nd_frame *track_nd(packet_info *pinfo, const macchk_nd_msg *msg, const macchk_net *net)
{
    macchk_nd_frame *record;
    guint8 shared;

    if (PINFO_FD_VISITED(pinfo)) {
        shared = macchk_frame_bytes_get(&nd_shared_by_frame, pinfo->num);
        if (shared)
            return macchk_ndtrack_shared_record(ndtracker, shared);
        return p_get_proto_data(wmem_file_scope(), pinfo, proto_macchk, KEY_ND_TRACK);
    }
    macchk_nd_obs obs = {.frame = pinfo->num, .time_ns = macchk_time_ns(&pinfo->abs_ts), .net = *net, .msg = msg};
    record = macchk_ndtrack_msg(ndtracker, &obs);
    shared = record ? macchk_ndtrack_shared_index(ndtracker, record) : 0;
    if (shared)
        macchk_frame_bytes_set(&nd_shared_by_frame, pinfo->num, shared);
    else if (record)
        p_add_proto_data(wmem_file_scope(), pinfo, proto_macchk, KEY_ND_TRACK, record);
    return record;
}

void macchk_nd_analyse(packet_info *pinfo, macchk_nd_input *in, const macchk_link_addrs *link, macchk_result *r)
{
    const macchk_nd_frame *record;

    in->link = *link;
    in->link_is_mac = !link->not_mac_link; /* unknown links (NFLOG, raw IP) are most often Ethernet */
    macchk_result_start_nd(r);
    macchk_nd_read(in, &r->nd);
    if (r->nd.kind == MACCHK_ND_NONE)
        return;
    r->has_nd = TRUE;
    r->nd_findings = r->nd.findings;
    if (!ndtracker || !macchk_nd_trackable(&r->nd) || !(record = track_nd(pinfo, &r->nd, &r->net)))
        return;
    r->nd_tracked = TRUE;
    r->nd_record = record;
    macchk_ndtrack_verdict(ndtracker, record, PINFO_FD_VISITED(pinfo), &r->nd_verdict);
    r->ndtrack_findings = macchk_nd_track_findings(&r->nd_verdict);
}

void macchk_nd_clock(packet_info *pinfo)
{
    if (ndtracker)
        macchk_ndtrack_clock(ndtracker, macchk_time_ns(&pinfo->abs_ts));
}

void macchk_nd_init(macchk_session *session)
{
    macchk_ndtrack_config config = {
        .nd_timeout_ns = (int64_t)pref_nd_timeout_ms * 1000000,
        .table_cap = session->table_cap,
    };
    ndtracker = macchk_ndtrack_new(&macchk_file_allocator, &config);
    session->ndtracker = ndtracker;
    session->nd_timeout_ns = config.nd_timeout_ns;
}

void macchk_nd_cleanup(macchk_session *session)
{
    ndtracker = NULL; /* its memory goes with the file scope */
    session->ndtracker = NULL;
    nd_shared_by_frame = (macchk_frame_bytes){NULL, 0};
}

/* --- Showing it -------------------------------------------------------- */

static const char *ipv6_str(packet_info *pinfo, const uint8_t *ip)
{
    address addr;
    set_address(&addr, AT_IPv6, MACCHK_IPV6_LEN, ip);
    return address_to_str(pinfo->pool, &addr);
}

/* "NA target option" or "NS source option": the option the findings are about. */
static const char *option_name(const macchk_nd_msg *m)
{
    return m->type == 135 ? "NS source link-layer option" : "NA target link-layer option";
}

static void add_malformed(packet_info *pinfo, proto_item *ti, const macchk_nd_msg *m)
{
    const char *kind = macchk_nd_kind_name(m->kind);

    if (m->findings & MACCHK_ND_MALFORMED_HOP_LIMIT)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_MALFORMED_HOP_LIMIT),
                               "Malformed %s: hop limit %u, not 255, so it was routed; receivers drop it "
                               "(RFC 4861 7.1)", kind, m->hop_limit);
    for (unsigned bit = MACCHK_ND_MALFORMED_CODE; bit & MACCHK_ND_MALFORMED; bit <<= 1)
        if (m->findings & bit)
            expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, bit), "Malformed %s: %s", kind,
                                   macchk_nd_finding_what(bit));
}

static void add_nd_findings(packet_info *pinfo, proto_item *ti, const macchk_result *r)
{
    const macchk_nd_msg *m = &r->nd;
    unsigned f = r->nd_findings;

    add_malformed(pinfo, ti, m);
    if (f & MACCHK_ND_SNAP_CUT)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_SNAP_CUT),
                               "ND message cut by the capture's snap length: not judged");
    if (f & MACCHK_ND_LL_MISMATCH)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_LL_MISMATCH),
                               "%s %s differs from the link-layer source %s: a proxy, a misbehaving bridge, "
                               "or ND spoofing", option_name(m), macchk_mac_str(pinfo, m->option_mac),
                               macchk_mac_str(pinfo, m->link.src));
    if (f & MACCHK_ND_LL_VIRTUAL)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_LL_VIRTUAL),
                               "%s %s differs from the link-layer source %s, a %s MAC: normal for a virtual "
                               "router (RFC 5798)", option_name(m), macchk_mac_str(pinfo, m->option_mac),
                               macchk_mac_str(pinfo, m->link.src), macchk_range_name(m->virtual_range));
    if (f & MACCHK_ND_LL_GROUP)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_LL_GROUP),
                               "%s %s has the group bit set: neighbours would send to a multicast MAC, and "
                               "bridges drop frames from it", option_name(m), macchk_mac_str(pinfo, m->option_mac));
    if (f & MACCHK_ND_LL_ZERO)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_LL_ZERO),
                               "%s is 00:00:00:00:00:00: no neighbour can be reached there", option_name(m));
    if (f & MACCHK_ND_LL_LENGTH)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ND, MACCHK_ND_LL_LENGTH),
                               "%s has length %u (%u octets): a MAC link needs length 1", option_name(m),
                               m->ll_option_len, 8u * m->ll_option_len);
}

/* "aa:bb:.. (first in frame 3) and 2 more": the first only, the tree lists them all */
static const char *others_str(packet_info *pinfo, const macchk_nd_verdict *v)
{
    return wmem_strdup_printf(pinfo->pool, "%s (first in frame %u)%s", macchk_mac_str(pinfo, v->other_macs[0].mac),
                              v->other_macs[0].first_frame,
                              v->n_other_macs > 1 ? wmem_strdup_printf(pinfo->pool, " and %u more", v->n_other_macs - 1)
                                                  : "");
}

/* The address the frame binds: the NS's source, the NA's target. */
static const uint8_t *bound_address(const macchk_nd_msg *m)
{
    return m->type == 135 ? m->src : m->target;
}

static void add_ndtrack_findings(packet_info *pinfo, proto_item *ti, const macchk_result *r)
{
    const macchk_nd_verdict *v = &r->nd_verdict;
    const macchk_nd_msg *m = &r->nd;
    unsigned f = r->ndtrack_findings;
    uint8_t claimed[MACCHK_ADDR_LEN];

    if (f & MACCHK_N_UNANSWERED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_NDTRACK, MACCHK_N_UNANSWERED),
                               "%s asked for %s, no NA (try %u of %u, first in frame %u); is it up, and can "
                               "its NAs reach %s?", ipv6_str(pinfo, m->src), ipv6_str(pinfo, m->target),
                               v->attempt, v->attempts, v->first_attempt,
                               m->link.has_src ? macchk_mac_str(pinfo, m->link.src) : "the sender");
    if (f & MACCHK_N_CAPTURE_ENDED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_NDTRACK, MACCHK_N_CAPTURE_ENDED),
                               "%s asked for %s; the capture ended %s s after it, less than the ND timeout: "
                               "whether an NA came is unknown", ipv6_str(pinfo, m->src), ipv6_str(pinfo, m->target),
                               macchk_seconds_str(pinfo, v->capture_left_ns));
    if (f & MACCHK_N_DAD_DEFENDED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_NDTRACK, MACCHK_N_DAD_DEFENDED),
                               "DAD probe for %s answered in frame %u%s%s: the address is in use (RFC 4862 "
                               "5.4.4), the prober must not take it", ipv6_str(pinfo, m->target),
                               v->response_in, v->has_defender_mac ? " by " : "",
                               v->has_defender_mac ? macchk_mac_str(pinfo, v->defender_mac) : "");
    if (f & (MACCHK_N_IP_CONFLICT | MACCHK_N_IP_MOVED)) {
        gboolean conflict = (f & MACCHK_N_IP_CONFLICT) != 0;
        const char *mac = m->type == 135 ? macchk_mac_str(pinfo, m->option_mac)
                          : macchk_nd_claimed_mac(m, claimed) ? macchk_mac_str(pinfo, claimed) : "?";
        expert_add_info_format(pinfo, ti,
                               macchk_finding_ei(MACCHK_SET_NDTRACK, conflict ? MACCHK_N_IP_CONFLICT : MACCHK_N_IP_MOVED),
                               conflict ? "IPv6 conflict: %s claimed by %s and at the same time by %s: ND "
                                          "spoofing, or two hosts with one address"
                                        : "%s moved to %s from %s (a replaced NIC or failover)",
                               ipv6_str(pinfo, bound_address(m)), mac, others_str(pinfo, v));
    }
    if (f & MACCHK_N_TABLE_FULL)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_NDTRACK, MACCHK_N_TABLE_FULL),
                               "macchk's ND tracking tables are full (preference macchk.table_cap): addresses "
                               "first seen from here on are not followed");
}

static void add_nd_links(proto_tree *tree, const macchk_result *r)
{
    const macchk_nd_verdict *v = &r->nd_verdict;
    gboolean dad = r->nd.kind == MACCHK_ND_DAD;

    if (v->response_in) {
        macchk_add_generated_uint(tree, dad ? hf_macchk_nd_defended_in : hf_macchk_nd_response_in, v->response_in);
        macchk_add_time(tree, hf_macchk_nd_response_time, v->response_time_ns);
    }
    if (v->request_in) {
        macchk_add_generated_uint(tree, hf_macchk_nd_request_in, v->request_in);
        macchk_add_time(tree, hf_macchk_nd_response_time, v->request_time_ns);
    }
    if (v->defends)
        macchk_add_generated_uint(tree, hf_macchk_nd_defends, v->defends);
    if (v->attempt) {
        macchk_add_generated_uint(tree, hf_macchk_nd_attempt, v->attempt);
        macchk_add_generated_uint(tree, hf_macchk_nd_attempts, v->attempts);
        macchk_add_generated_uint(tree, hf_macchk_nd_first_attempt, v->first_attempt);
    }
    if (r->ndtrack_findings & (MACCHK_N_IP_CONFLICT | MACCHK_N_IP_MOVED)) {
        for (guint32 i = 0; i < MIN(v->n_other_macs, MACCHK_ND_MAX_OTHERS); i++) {
            proto_item_set_generated(proto_tree_add_ether(tree, hf_macchk_nd_other_mac, NULL, 0, 0,
                                                          v->other_macs[i].mac));
            macchk_add_generated_uint(tree, hf_macchk_nd_other_mac_frame, v->other_macs[i].first_frame);
        }
    }
}

void macchk_nd_show(proto_tree *tree, packet_info *pinfo, const macchk_result *r)
{
    const macchk_nd_msg *m = &r->nd;
    proto_item *ti = proto_tree_add_string(tree, hf_macchk_nd_kind, NULL, 0, 0, macchk_nd_kind_name(m->kind));
    proto_tree *sub = proto_item_add_subtree(ti, ett_macchk_nd);

    proto_item_set_generated(ti);
    add_nd_findings(pinfo, ti, r);
    add_ndtrack_findings(pinfo, ti, r);
    if (!tree)
        return;
    if (m->fixed_part && (m->type == 135 || m->type == 136))
        proto_item_set_generated(proto_tree_add_ipv6(sub, hf_macchk_nd_target, NULL, 0, 0,
                                                     (const ws_in6_addr *)m->target));
    if (m->has_option_mac)
        proto_item_set_generated(proto_tree_add_ether(sub, hf_macchk_nd_lladdr, NULL, 0, 0, m->option_mac));
    if (r->nd_tracked)
        add_nd_links(sub, r);
}

/* --- Registration ------------------------------------------------------ */

void macchk_nd_register(int parent_proto)
{
    static hf_register_info hf[] = {
        {&hf_macchk_nd_kind, {"Neighbor Discovery", "macchk.nd.kind", FT_STRING, BASE_NONE, NULL, 0x0,
                              "NS, NUD, DAD probe, solicited NA, unsolicited NA, NA, RS, RA or redirect", HFILL}},
        {&hf_macchk_nd_target, {"Target", "macchk.nd.target", FT_IPv6, BASE_NONE, NULL, 0x0,
                                "The NS's or NA's target address", HFILL}},
        {&hf_macchk_nd_lladdr, {"Link-layer option", "macchk.nd.lladdr", FT_ETHER, BASE_NONE, NULL, 0x0,
                                "The MAC of the NS's source or the NA's target link-layer option", HFILL}},
        {&hf_macchk_nd_request_in, {"Request in", "macchk.nd.request_in", FT_FRAMENUM, BASE_NONE,
                                    FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                                    "The (first) Neighbor Solicitation this NA answers", HFILL}},
        {&hf_macchk_nd_response_in, {"Response in", "macchk.nd.response_in", FT_FRAMENUM, BASE_NONE,
                                     FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
                                     "The Neighbor Advertisement that answers this NS", HFILL}},
        {&hf_macchk_nd_response_time, {"Response time", "macchk.nd.response_time", FT_RELATIVE_TIME, BASE_NONE,
                                       NULL, 0x0, "Time between NS and NA", HFILL}},
        {&hf_macchk_nd_attempt, {"Attempt", "macchk.nd.attempt", FT_UINT32, BASE_DEC, NULL, 0x0,
                                 "This NS's number among the source's NSs for the same target", HFILL}},
        {&hf_macchk_nd_attempts, {"Attempts", "macchk.nd.attempts", FT_UINT32, BASE_DEC, NULL, 0x0,
                                  "NSs for the same target from the same source in this exchange", HFILL}},
        {&hf_macchk_nd_first_attempt, {"First attempt in", "macchk.nd.first_attempt", FT_FRAMENUM, BASE_NONE,
                                       FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, NULL, HFILL}},
        {&hf_macchk_nd_defended_in, {"Defended in", "macchk.nd.defended_in", FT_FRAMENUM, BASE_NONE,
                                     FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
                                     "The NA from another node that defends this DAD probe's address", HFILL}},
        {&hf_macchk_nd_defends, {"Defends address against", "macchk.nd.defends", FT_FRAMENUM, BASE_NONE,
                                 FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                                 "The DAD probe this NA shows the address to be in use for", HFILL}},
        {&hf_macchk_nd_other_mac, {"Other MAC claiming the address", "macchk.nd.other_mac", FT_ETHER, BASE_NONE,
                                   NULL, 0x0, NULL, HFILL}},
        {&hf_macchk_nd_other_mac_frame, {"Other MAC first seen in", "macchk.nd.other_mac_frame", FT_FRAMENUM,
                                         BASE_NONE, NULL, 0x0, NULL, HFILL}},
    };
    static gint *ett[] = {&ett_macchk_nd};

    proto_register_field_array(parent_proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}

void macchk_nd_register_prefs(module_t *module)
{
    prefs_register_uint_preference(module, "nd_timeout_ms", "ND advertisement timeout (ms)",
                                   "A Neighbor Advertisement answers a solicitation (or defends a DAD probe) only "
                                   "if it comes within this many milliseconds of it (RetransTimer 1 s x 3)",
                                   10, &pref_nd_timeout_ms);
}

void macchk_nd_handoff(void)
{
    dissector_table_t ethertype = find_dissector_table("ethertype");
    dissector_table_t ip_proto = find_dissector_table("ip.proto");

    ipv6_handle = dissector_get_uint_handle(ethertype, ETHERTYPE_IPV6_);
    icmpv6_handle = ip_proto ? dissector_get_uint_handle(ip_proto, IP_PROTO_ICMPV6_) : NULL;
    if (!ipv6_handle || !icmpv6_handle)
        return; /* no IPv6 in this Wireshark: nothing to front */
    /* fronts belong to no protocol: no layer in frame.protocols */
    dissector_add_uint("ethertype", ETHERTYPE_IPV6_,
                       create_dissector_handle_with_name_and_description(
                           dissect_macchk_ipv6_front, -1, "macchk_ipv6", "IPv6 (seen by MAC Address Check)"));
    dissector_add_uint("ip.proto", IP_PROTO_ICMPV6_,
                       create_dissector_handle_with_name_and_description(
                           dissect_macchk_icmpv6_front, -1, "macchk_icmpv6", "ICMPv6 (seen by MAC Address Check)"));
}
