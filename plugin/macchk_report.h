/* macchk_report.h - the triage report: facts gathered over a capture, turned
 * into text or JSON.
 *
 * Pure C: no Wireshark types.  The tap glue (macchk_stats.c) feeds it one
 * macchk_result per annotated frame (macchk_report_add_frame); at draw time
 * it settles the report against the ARP and ND trackers, which then hold
 * the whole capture (macchk_report_settle: the exchanges, the address/MAC
 * bindings and the final verdicts of the frames dissected before the end
 * was known), and writes the text or the JSON.
 *
 * Everything is kept per network (macchk_net: interface, VLAN IDs, VNIs):
 * hosts by (network, MAC), problems by network and addresses.  Memory is
 * bounded by limits.cap: at most cap networks, cap hosts, cap problem
 * groups from frames, cap from the trackers' views, cap IPv6 addresses
 * named by ND problems and bindings, and cap pending frames
 * (macchk_pending.h).  Warning groups are kept before Notes: when a problem
 * table is full, a new Warning group evicts a Note group; what is dropped
 * is counted and said.  The frame, invalid-frame and finding counts are
 * exact whatever the cap (unless pending frames were dropped: said too).
 *
 * Findings are named as macchk_findings.h says, as in the stats tree.
 */
#ifndef MACCHK_REPORT_H
#define MACCHK_REPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "macchk_findings.h"
#include "macchk_result.h"
#include "macchk_track.h"

/* --- The report --------------------------------------------------------- */

typedef struct macchk_report macchk_report;

typedef struct {
    size_t cap;              /* most networks, hosts, problem groups (each table) and pending frames kept */
    uint32_t lines_per_kind; /* text: most lines of one kind of problem (0: all) */
    int64_t arp_timeout_ns;  /* the trackers': frames a whole timeout old are final */
    int64_t nd_timeout_ns;
} macchk_report_limits;

typedef enum { MACCHK_REPORT_TEXT, MACCHK_REPORT_JSON } macchk_report_format;

/* Vendor name of a MAC's OUI, or NULL; used for hosts that are no virtual NIC. */
typedef const char *(*macchk_vendor_cb)(const uint8_t mac[MACCHK_ADDR_LEN], void *ctx);

macchk_report *macchk_report_new(const macchk_report_limits *limits);
void macchk_report_free(macchk_report *rep);
/* Forget everything (a new file, or a retap). */
void macchk_report_clear(macchk_report *rep);

/* One annotated frame (its findings already under the policy in force) and
 * its time (ns since the epoch); s: the session whose trackers judged it
 * (NULL if none), asked about earlier frames when the pending table is
 * full (macchk_pending.h). */
void macchk_report_add_frame(macchk_report *rep, const macchk_result *r, int64_t time_ns, const macchk_session *s);

/* Read the trackers' whole-capture state (ARP and ND): exchanges,
 * bindings, the final verdicts of kept frames.  s NULL or its tracker NULL:
 * the trackers are gone, exchanges and bindings are judged from single
 * frames.  May be called again (a redraw): it replaces what the last call
 * added. */
void macchk_report_settle(macchk_report *rep, const macchk_session *s);

/* Write the report (after settle) to out.  stop may be NULL; once *stop is
 * non-zero, writing ends.  False when it ended early. */
bool macchk_report_write(macchk_report *rep, macchk_report_format format, const macchk_policy *policy,
                         macchk_vendor_cb vendor, void *ctx, FILE *out, const volatile sig_atomic_t *stop);

/* The header's counts (after settle), as the report would write them. */
typedef struct {
    uint64_t frames, frames_without_mac, invalid_frames, warnings, notes;
    bool warnings_exact; /* false: tables full of Warnings refused some (a lower bound) */
    bool complete;       /* false: the trackers were gone when it was settled */
} macchk_report_totals;

void macchk_report_count(macchk_report *rep, const macchk_policy *policy, macchk_report_totals *out);

/* The same as a malloc'd string for the caller to free(). */
char *macchk_report_string(macchk_report *rep, macchk_report_format format, const macchk_policy *policy,
                           macchk_vendor_cb vendor, void *ctx);

#endif
