/* macchk_report.h - the triage report: facts gathered over a capture, turned
 * into text or JSON.
 *
 * Pure C: no Wireshark types.  The tap glue (macchk_stats.c) feeds it
 *   - one macchk_result per annotated frame (macchk_report_add_frame), and
 *   - at draw time, the tracker's whole-capture views
 *     (macchk_report_add_binding / macchk_report_add_exchange, after
 *     macchk_report_begin_views),
 * then asks for the text or the JSON.  Everything it keeps is bounded by
 * limits.cap: at most cap hosts, cap problem groups and cap pending
 * exchanges; what does not fit is counted and said, never kept.
 *
 * It also names every finding bit the same way for the stats tree and the
 * report (macchk_finding_name), and settles, at the end of a one-pass read,
 * the request-side findings a frame could not know when it was dissected
 * (macchk_pending: "never answered", "probed address is in use").
 */
#ifndef MACCHK_REPORT_H
#define MACCHK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macchk_result.h"
#include "macchk_track.h"

/* --- Finding names ------------------------------------------------------ */

typedef enum {
    MACCHK_SET_ADDR = 0, /* MACCHK_F_* (addr_findings) */
    MACCHK_SET_ARP,      /* MACCHK_A_* (arp_findings) */
    MACCHK_SET_TRACK,    /* MACCHK_T_* (track_findings) */
    MACCHK_SET_COUNT
} macchk_finding_set;

typedef enum { MACCHK_SEV_NOTE = 0, MACCHK_SEV_WARNING = 1 } macchk_severity;

typedef struct {
    macchk_finding_set set;
    unsigned bit;
    const char *name;  /* like the expert info's summary, unique */
    const char *key;   /* short JSON key, e.g. "src_group_bit" */
} macchk_finding_info;

/* Every finding bit, in display order; *count gets the number. */
const macchk_finding_info *macchk_findings(size_t *count);

/* Severity of one finding under policy (a duplicate MAC may be a Note). */
macchk_severity macchk_finding_severity(macchk_finding_set set, unsigned bit, const macchk_policy *policy);

/* --- Settling request verdicts after a one-pass read -------------------- */

/* Request frames dissected before the capture's end carry no "unanswered",
 * "no reply before the capture ended" or "probe defended" (the tracker
 * cannot know yet).  Remember them per exchange; once the whole capture
 * is known, each exchange (as the tracker's whole-capture view tells it)
 * says how many of its frames gain which finding. */
typedef struct macchk_pending macchk_pending;

typedef struct {
    uint32_t unanswered;      /* frames that gain MACCHK_T_UNANSWERED */
    uint32_t capture_ended;   /* frames that gain MACCHK_T_CAPTURE_ENDED */
    uint32_t probe_defended;  /* frames that gain MACCHK_T_PROBE_DEFENDED */
    uint32_t newly_invalid;   /* of those, frames that had no Warning before and gain one */
    uint32_t newly_flagged;   /* of those, frames that had no finding at all before */
} macchk_pending_fix;

typedef enum {
    MACCHK_EXCHANGE_ANSWERED = 0, /* or an unanswered probe: the address is free */
    MACCHK_EXCHANGE_UNANSWERED,
    MACCHK_EXCHANGE_CAPTURE_ENDED,
    MACCHK_EXCHANGE_PROBE_DEFENDED
} macchk_exchange_status;

macchk_pending *macchk_pending_new(uint32_t cap);
void macchk_pending_free(macchk_pending *p);
void macchk_pending_clear(macchk_pending *p);
/* Every annotated frame, in order, with its absolute time (seconds).
 * Returns true when r was kept as a request to settle later.  Which frames
 * to settle is read from the verdict itself (tap listeners cannot tell a
 * first-pass frame from a later one: Wireshark marks a frame visited before
 * it runs the taps): a request with no reply, neither unanswered nor cut
 * short by the capture's end, is either not final or an unanswered probe,
 * and for the latter there is nothing to settle. */
bool macchk_pending_add(macchk_pending *p, const macchk_result *r);
/* What the whole capture says about exchange e. */
macchk_exchange_status macchk_pending_status(const macchk_pending *p, const macchk_exchange_info *e);
/* Add to *fix what exchange e settles for the frames kept. */
void macchk_pending_resolve(const macchk_pending *p, const macchk_exchange_info *e, macchk_pending_fix *fix);
/* Request frames that could not be kept because the table was full. */
uint32_t macchk_pending_dropped(const macchk_pending *p);

/* --- The report --------------------------------------------------------- */

typedef struct macchk_report macchk_report;

typedef struct {
    uint32_t cap;            /* most hosts, problem groups and pending exchanges kept */
    uint32_t lines_per_kind; /* text: most lines of one kind of problem (0: all) */
} macchk_report_limits;

/* Vendor name of a MAC's OUI, or NULL; used for hosts that are no virtual NIC. */
typedef const char *(*macchk_vendor_cb)(const uint8_t mac[MACCHK_ADDR_LEN], void *ctx);

macchk_report *macchk_report_new(const macchk_report_limits *limits);
void macchk_report_free(macchk_report *rep);
/* Forget everything (a new file, or a retap). */
void macchk_report_clear(macchk_report *rep);

/* One annotated frame (its findings already under the policy in force),
 * with its absolute time in seconds. */
void macchk_report_add_frame(macchk_report *rep, const macchk_result *r);

/* The tracker's whole-capture views: call begin, then every binding (in the
 * tracker's order: by IP, then first frame) and every exchange.  Calling
 * begin again drops the views given before. */
void macchk_report_begin_views(macchk_report *rep);
void macchk_report_add_binding(macchk_report *rep, const macchk_binding_info *b);
void macchk_report_add_exchange(macchk_report *rep, const macchk_exchange_info *e);
/* Say that no views could be had (no tracker at draw time). */
void macchk_report_views_missing(macchk_report *rep);

/* The report as text, or as one JSON object; a malloc'd string for the
 * caller to free().  policy decides severities; vendor may be NULL. */
char *macchk_report_text(macchk_report *rep, const macchk_policy *policy, macchk_vendor_cb vendor, void *ctx);
char *macchk_report_json(macchk_report *rep, const macchk_policy *policy, macchk_vendor_cb vendor, void *ctx);

#endif
