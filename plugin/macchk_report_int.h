/* macchk_report_int.h - the report's insides, shared by its facts, gathering, text and JSON modules. */
/*
 * Pure C: no Wireshark types.  Not an API: callers use macchk_report.h.
 *
 *   macchk_report.c         facts per frame, settled against the trackers; the entry points
 *   macchk_report_gather.c  the facts as an ordered list of problems
 *   macchk_report_text.c    the text report, and the wording of problems, verdict and hosts (JSON's too)
 *   macchk_report_json.c    the JSON report
 */
#ifndef MACCHK_REPORT_INT_H
#define MACCHK_REPORT_INT_H

#include "macchk_pending.h"
#include "macchk_report.h"
#include "macchk_util.h"

/* the report's modules only: none of this leaves the plugin */
#pragma GCC visibility push(hidden)

#define fmt_mac(m) macchk_fmt_mac(m)
#define fmt_ip(ip) macchk_fmt_ip(ip)
#define fmt_ip6(rep, id) macchk_fmt_ip6(report_ip6_of((rep), (id)))

/* ---- problem kinds ---------------------------------------------------- */

/* In report order within a severity. */
enum {
    K_IP_CONFLICT,
    K_BAD_SOURCE,
    K_UNANSWERED,
    K_DUP_MAC,
    K_PROBE_DEFENDED,
    K_SENDER_MISMATCH,
    K_BAD_SENDER_IP,
    K_MALFORMED,
    K_DST_ZERO,
    K_NS_UNANSWERED,
    K_DAD_DEFENDED,
    K_IP6_CONFLICT,
    K_ND_LL_MISMATCH,
    K_ND_BAD_OPTION,
    K_ND_MALFORMED,
    K_QEMU_DEFAULT,
    K_SLAP_RESERVED,
    K_IP_MOVED,
    K_RENUMBERED,
    K_VIRTUAL_MULTI,
    K_CAPTURE_ENDED,
    K_NOT_ACCEPTED,
    K_UNSOLICITED,
    K_TARGET_MISMATCH,
    K_SENDER_VIRTUAL,
    K_UNICAST_REQUEST,
    K_SNAP_CUT,
    K_IP6_MOVED,
    K_NS_CAPTURE_ENDED,
    K_ND_LL_VIRTUAL,
    K_ND_SNAP_CUT,
    K_TABLE_FULL,
    K_COUNT,
    /* frame-group kinds that are no problem of their own */
    K_GATE_IP = K_COUNT, /* an IP some frame flagged as conflicting or moved; flags: T_* bits */
    K_GATE_MAC,          /* a MAC some frame flagged as duplicate, renumbered or virtual; flags: T_* bits */
    K_GATE_IP6           /* an IPv6 address some frame flagged as conflicting or moved; flags: N_* bits */
};

typedef struct {
    const char *key;
    macchk_severity severity;
    const char *one, *many; /* Warnings: how the verdict line counts them */
} report_kind;

extern const report_kind report_kinds[K_COUNT];

/* Sub-kinds, as bits of group.flags. */
enum {
    BAD_GROUP = 1 << 0,
    BAD_ZERO = 1 << 1,
    BAD_RESERVED = 1 << 2,
    BAD_CF = 1 << 3,
    BAD_AS_SOURCE = 1 << 4,     /* seen as the link-layer source */
    BAD_AS_ARP_SENDER = 1 << 5, /* seen as the ARP sender MAC */
    TARGET_SEEN = 1 << 6        /* K_UNANSWERED: the target claimed a MAC */
};
enum { MAL_SIZES = 1, MAL_TRUNCATED = 2, MAL_OPCODE = 3 }; /* key.sub of K_MALFORMED */
enum { UNSOL_PLAIN = 0, UNSOL_LATE = 1 };                  /* key.sub of K_UNSOLICITED */
enum { FULL_ARP = 0, FULL_ND = 1 };                        /* key.sub of K_TABLE_FULL */
/* ND kinds keep IPv6 addresses as ids into the report's address table
 * (key.ip, key.ip2), so that every key stays 32 bytes; key.sub of
 * K_ND_MALFORMED and K_ND_BAD_OPTION: the finding's bit index. */

/* ---- records ---------------------------------------------------------- */

/* A problem group's key; net is the report's network id. */
typedef struct {
    uint32_t net;
    uint8_t kind, sub;
    uint8_t mac[6], mac2[6];
    uint8_t variant[2]; /* ND single-message kinds: the message kind and the value its line names */
    uint32_t ip, ip2, n;
} rkey;

typedef struct {
    rkey key;
    uint32_t first, last, count;
    uint32_t flags;
    uint32_t detail, detail2; /* kind-specific: first opcode/sizes, late request frame, rounds, ... */
} group_rec;

typedef struct {
    uint32_t net;
    uint8_t mac[6];
    uint8_t pad[2];
} host_key;

typedef struct {
    host_key key;
    uint32_t first, last, count;
} host_rec;

typedef struct {
    uint64_t hi, lo;
} net_key;

typedef struct {
    net_key key;
    macchk_net net;
} net_rec;


/* A tracker's bindings, net the report's id. */
typedef struct {
    macchk_binding_info *items; /* by (net, ip, first frame) */
    uint32_t *by_mac;           /* indexes into items, by (net, MAC, first frame) */
    size_t n;
} binding_view;

struct macchk_report {
    macchk_report_limits limits;
    ktable nets, hosts;
    ktable addrs6;  /* IPv6 addresses named by ND groups: id = record number + 1 */
    uint64_t addrs6_refused; /* ND sightings not grouped: the address table was full */
    ktable groups;  /* from frames */
    ktable fgroups; /* request findings from frames: used only when the views are missing */
    ktable vgroups; /* from the views, made anew by each settle */
    macchk_pending *pending;
    macchk_pending_fix fix;
    uint64_t frames, invalid_frames;
    uint64_t frames_without_mac; /* no MAC address and no ARP: nothing to check */
    uint64_t finding_frames[MACCHK_SET_COUNT][32];
    uint64_t host_frames_untracked;
    /* the last frame's network and its id, to skip the lookup */
    macchk_net last_net;
    uint32_t last_net_id;
    bool have_last_net;
    /* views */
    bool views_given, views_missing;
    binding_view v4;     /* ARP's bindings: ip is the IPv4 address */
    bool nd_views_given; /* the ND tracker was there too */
    binding_view v6;     /* ND's: ip is the address's id (addrs6) */
};

/* ---- problems ---------------------------------------------------------- */

enum { SRC_GROUP, SRC_FGROUP, SRC_VGROUP, SRC_IP_SET, SRC_IP6_SET, SRC_MAC_SET, SRC_GATE };

/* One line of the report: what it is and where its facts are. */
typedef struct {
    uint8_t kind, severity, src;
    uint32_t net, first, last, count;
    uint32_t ref, n; /* a record number (groups), or a run of bindings (sets) */
    uint64_t tie;    /* orders equal lines the same way in one pass and -2 */
} problem;

/* The problems of one drawing (report_gather fills items, counts and multi_net). */
typedef struct {
    macchk_report *rep;
    const macchk_policy *policy;
    macchk_vendor_cb vendor;
    void *vendor_ctx;
    problem *items;
    size_t n, alloc;
    size_t warnings, notes;
    bool multi_net;
    const macchk_binding_info **set; /* scratch for one binding set */
} render_ctx;

/* What an address family's bindings make of an address claimed by several MACs. */
typedef struct {
    uint8_t gate, conflict, moved, src;
    unsigned moved_flag; /* the gate's flag of a frame that showed a move */
} ip_family;

extern const ip_family REPORT_IPV4, REPORT_IPV6;

/* Hosts named by a problem, for JSON (NULL in text). */
typedef struct {
    strbuf *b;
    int n;
} host_list;

/* A host's class and vendor (or virtual NIC), as the hosts tables show them. */
typedef struct {
    char cls[48];
    char vendor[96];
} host_desc;

/* ---- facts (macchk_report.c) ------------------------------------------- */

const macchk_finding_info *report_findings(size_t *n);
rkey report_make_key(uint32_t net, uint8_t kind, uint8_t sub, const uint8_t *mac, const uint8_t *mac2, uint32_t ip,
                     uint32_t ip2);
/* The tracker refused new hosts or exchanges somewhere in the capture. */
bool report_tables_filled(const macchk_report *rep);
const group_rec *report_find_group(const ktable *t, const rkey *k);
/* An IPv6 address by its id in the report's address table. */
const uint8_t *report_ip6_of(const macchk_report *rep, uint32_t id);
/* First index in v of (net, ip), v->n if none. */
size_t report_bindings_of_ip(const binding_view *v, uint32_t net, uint32_t ip);
/* First index in v->by_mac of (net, mac), and how many follow (*n). */
size_t report_bindings_of_mac(const binding_view *v, uint32_t net, const uint8_t *mac, size_t *n);
/* Frames with the finding f, settled ones included. */
uint64_t report_finding_count(const macchk_report *rep, const macchk_finding_info *f);
uint64_t report_groups_evicted(const macchk_report *rep);
/* Warning sightings refused by tables full of Warnings: the count is then a lower bound. */
uint64_t report_warnings_refused(const macchk_report *rep);
uint64_t report_groups_turned_away(const macchk_report *rep);

/* ---- problems (macchk_report_gather.c) --------------------------------- */

/* Every problem into c (rep, policy set, the rest zero), sorted: Warnings
 * before Notes, then by kind, first frame, network and tie. */
void report_gather(render_ctx *c);
/* Free what report_gather allocated in c. */
void report_gather_free(render_ctx *c);
/* The group table a problem's src names (SRC_GROUP, SRC_FGROUP or SRC_VGROUP). */
const ktable *report_src_table(const macchk_report *rep, int src);
const binding_view *report_family_view(const macchk_report *rep, const ip_family *f);
/* The bindings of a MAC run that count for duplicate analysis, into c->set. */
size_t report_mac_set(const render_ctx *c, size_t start, size_t n);

/* ---- wording (macchk_report_text.c), for text and JSON ------------------ */

/* The problem's text (prefixed by its network when the capture has
 * several) into b; with h->b set, the hosts it names too. */
void report_write_problem(render_ctx *c, const problem *p, strbuf *b, host_list *h);
/* "No problems found in 15 frames (3 notes)" or "3 problems in 15 frames: 1 bad source MAC, 2 unanswered ARP" */
void report_sb_verdict(strbuf *b, const render_ctx *c, uint64_t notes);
/* A network's name, or "a network not kept" for id 0. */
void report_sb_net(strbuf *b, const macchk_report *rep, uint32_t net);
void report_describe_host(const host_rec *h, macchk_vendor_cb vendor, void *ctx, host_desc *d);
/* The host's IPv4 (ARP) or IPv6 (ND) addresses, in order of first claim:
 * json as a list of strings; how many are not listed. */
uint32_t report_sb_host_ips(strbuf *b, const macchk_report *rep, const host_rec *h, const ip_family *f, bool json);
/* Record numbers of the hosts by first frame, network and MAC; the caller frees it. */
uint32_t *report_sorted_hosts(const macchk_report *rep);

/* ---- renderers ---------------------------------------------------------- */

void report_write_text(strbuf *b, render_ctx *c);  /* macchk_report_text.c */
void report_write_json(strbuf *b, render_ctx *c);  /* macchk_report_json.c */

#pragma GCC visibility pop

#endif
