/* fixture.h - ARP and Neighbor Discovery frames through real trackers,
 * judged as the dissector judges them in one pass, for the report and
 * pending tests. */
#ifndef MACCHK_FIXTURE_H
#define MACCHK_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "macchk_ndtrack.h"
#include "macchk_result.h"
#include "macchk_track.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MS 1000000LL   /* ns */
#define SEC 1000000000LL
#define TIMEOUT (3 * SEC)

static const macchk_policy POLICY = {.dup_mac_is_warning = true, .note_unicast_request = true,
                                     .note_target_mismatch = true, .note_unsolicited = true,
                                     .note_changes = true, .note_qemu_default = true,
                                     .note_slap_reserved = true};
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static inline void *fx_alloc(void *ctx, size_t size)
{
    void *p = calloc(1, size);
    if (!p)
        abort();
    return p;
}

static inline void fx_release(void *ctx, void *p)
{
    free(p);
}

static inline macchk_tracker *fx_tracker(uint32_t cap)
{
    static const macchk_allocator alloc = {fx_alloc, fx_release, NULL};
    macchk_track_config config = {.arp_timeout_ns = TIMEOUT, .table_cap = cap};
    return macchk_track_new(&alloc, &config);
}

/* A frame from src to dst, classified and judged. */
static inline macchk_result fx_frame(uint32_t number, const uint8_t *src, const uint8_t *dst, uint32_t vlan)
{
    macchk_result r;
    memset(&r, 0, sizeof r);
    r.frame = number;
    if (vlan)
        macchk_net_push(&r.net, MACCHK_TAG_VLAN, vlan);
    r.has_src = r.has_dst = true;
    memcpy(r.src, src, 6);
    memcpy(r.dst, dst, 6);
    macchk_classify(r.src, &r.src_class);
    macchk_classify(r.dst, &r.dst_class);
    r.addr_findings = macchk_judge_source(&r.src_class) | macchk_judge_destination(&r.dst_class);
    macchk_apply_policy(&r, &POLICY);
    r.invalid = macchk_result_is_invalid(&r, &POLICY);
    return r;
}

/* An ARP request (op 1) or reply (op 2) from src, recorded by t on the
 * first pass (t NULL: not tracked); dst: broadcast for requests. */
static inline macchk_result fx_arp(macchk_tracker *t, uint32_t number, int64_t time_ns, uint16_t op, const uint8_t *src,
                            uint32_t spa, const uint8_t *dst, uint32_t tpa, uint32_t vlan)
{
    macchk_result r = fx_frame(number, src, dst, vlan);
    r.has_arp = true;
    r.arp = (macchk_arp_packet){.htype = 1, .ptype = 0x0800, .hlen = 6, .plen = 4, .opcode = op,
                                .fixed_part = true, .body_complete = true, .spa = spa, .tpa = tpa};
    memcpy(r.arp.sha, src, 6);
    if (op == 2)
        memcpy(r.arp.tha, dst, 6);
    macchk_classify(r.arp.sha, &r.sha_class);
    macchk_classify(r.arp.tha, &r.tha_class);
    macchk_link_addrs link = {.has_src = true, .has_dst = true};
    memcpy(link.src, src, 6);
    memcpy(link.dst, dst, 6);
    r.arp_findings = macchk_arp_judge(&r.arp, &link);
    if (t) {
        macchk_arp_obs obs = {.frame = number, .time_ns = time_ns, .net = r.net, .opcode = op, .spa = spa,
                              .tpa = tpa};
        memcpy(obs.sha, src, 6);
        memcpy(obs.tha, r.arp.tha, 6);
        macchk_track_clock(t, time_ns);
        r.record = macchk_track_arp(t, &obs);
        r.tracked = r.record != NULL;
        macchk_track_verdict(t, r.record, false, &r.verdict);
        r.track_findings = macchk_track_findings(&r.verdict, &r.sha_class, false);
    }
    macchk_apply_policy(&r, &POLICY);
    r.invalid = macchk_result_is_invalid(&r, &POLICY);
    return r;
}

/* r as a second pass shows it: the trackers' final verdicts (nt may be
 * NULL for ARP-only scenarios). */
static inline macchk_result fx_final(const macchk_tracker *t, const macchk_ndtracker *nt, macchk_result r)
{
    if (r.tracked) {
        macchk_track_verdict(t, r.record, true, &r.verdict);
        r.track_findings = macchk_track_findings(&r.verdict, &r.sha_class, false);
    }
    if (r.nd_tracked) {
        macchk_ndtrack_verdict(nt, r.nd_record, true, &r.nd_verdict);
        r.ndtrack_findings = macchk_nd_track_findings(&r.nd_verdict);
    }
    macchk_apply_policy(&r, &POLICY);
    r.invalid = macchk_result_is_invalid(&r, &POLICY);
    return r;
}

static inline macchk_ndtracker *fx_ndtracker(uint32_t cap)
{
    static const macchk_allocator alloc = {fx_alloc, fx_release, NULL};
    macchk_ndtrack_config config = {.nd_timeout_ns = TIMEOUT, .table_cap = cap};
    return macchk_ndtrack_new(&alloc, &config);
}

/* 2001:db8::n, and :: for 0 */
typedef struct {
    uint8_t b[16];
} fx_ip6;

static inline fx_ip6 fx_addr6(uint16_t n)
{
    fx_ip6 a = {{0}};
    if (n)
        a = (fx_ip6){{0x20, 0x01, 0x0d, 0xb8, [14] = (uint8_t)(n >> 8), (uint8_t)n}};
    return a;
}

static inline fx_ip6 fx_solicited_node(fx_ip6 target)
{
    fx_ip6 a = {{0xff, 0x02, [11] = 0x01, 0xff}};
    memcpy(a.b + 13, target.b + 13, 3);
    return a;
}

enum { FX_NA_S = 0x40, FX_NA_O = 0x20 };

/* An NS (type 135: src :: for a DAD probe, sent to the target's
 * solicited-node address, with an SLLAO of src_mac unless a probe) or NA
 * (136: flags, a TLLAO of src_mac, to dst) from src_mac, recorded by nt on
 * the first pass, judged as the dissector judges it. */
static inline macchk_result fx_nd(macchk_ndtracker *nt, uint32_t number, int64_t time_ns, uint8_t type,
                                  const uint8_t *src_mac, fx_ip6 src, fx_ip6 dst, fx_ip6 target, uint8_t flags)
{
    bool probe = type == 135 && !src.b[0];
    if (type == 135)
        dst = fx_solicited_node(target);
    macchk_result r = fx_frame(number, src_mac, BCAST, 0);
    uint8_t bytes[32] = {type, 0, 0, 0, flags};
    memcpy(bytes + 8, target.b, 16);
    macchk_nd_input in = {.hop_limit = 255, .length = probe ? 24 : 32, .bytes = bytes, .link_is_mac = true};
    in.captured = in.length;
    bytes[24] = type == 135 ? 1 : 2;
    bytes[25] = 1;
    memcpy(bytes + 26, src_mac, 6);
    memcpy(in.src, src.b, 16);
    memcpy(in.dst, dst.b, 16);
    in.link.has_src = true;
    memcpy(in.link.src, src_mac, 6);
    macchk_nd_read(&in, &r.nd);
    r.has_nd = true;
    r.nd_findings = r.nd.findings;
    macchk_nd_obs obs = {.frame = number, .time_ns = time_ns, .net = r.net, .msg = &r.nd};
    macchk_ndtrack_clock(nt, time_ns);
    r.nd_record = macchk_ndtrack_msg(nt, &obs);
    r.nd_tracked = r.nd_record != NULL;
    macchk_ndtrack_verdict(nt, r.nd_record, false, &r.nd_verdict);
    r.ndtrack_findings = macchk_nd_track_findings(&r.nd_verdict);
    macchk_apply_policy(&r, &POLICY);
    r.invalid = macchk_result_is_invalid(&r, &POLICY);
    return r;
}

#endif
