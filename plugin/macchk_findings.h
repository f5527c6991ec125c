/* macchk_findings.h - every finding macchk can report, defined once.
 *
 * Pure C: no Wireshark types.  One row per finding bit: the expert info
 * that shows it (filter name, summary, group, default severity), its name
 * in the report and the statistics tree, its JSON key and a short reason
 * for the packet list (macchk.reason).  The dissector registers its expert
 * infos from this table, the policy decides Warnings from it, the report
 * and the tree name findings from it, and `tshark -z macchk,findings`
 * prints it for the tests.  Adding a finding is adding a row (and the code
 * that detects it).
 */
#ifndef MACCHK_FINDINGS_H
#define MACCHK_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    MACCHK_SET_ADDR = 0, /* MACCHK_F_* (macchk_class.h): the frame's link-layer addresses */
    MACCHK_SET_ARP,      /* MACCHK_A_* (macchk_arp.h): one ARP packet */
    MACCHK_SET_TRACK,    /* MACCHK_T_* (macchk_result.h): ARP across the capture */
    MACCHK_SET_ND,       /* MACCHK_ND_* (macchk_nd.h): one Neighbor Discovery message */
    MACCHK_SET_NDTRACK,  /* MACCHK_N_* (macchk_result.h): ND across the capture */
    MACCHK_SET_COUNT
} macchk_finding_set;

typedef enum { MACCHK_SEV_NOTE = 0, MACCHK_SEV_WARNING = 1 } macchk_severity;

typedef enum {
    MACCHK_GROUP_PROTOCOL = 0,
    MACCHK_GROUP_SEQUENCE,
    MACCHK_GROUP_MALFORMED,
    MACCHK_GROUP_DEBUG
} macchk_group;

typedef struct {
    macchk_finding_set set;
    unsigned bit;
    const char *expert;          /* expert info filter name; rows may share one */
    const char *expert_summary;  /* that expert info's summary */
    const char *name;            /* report and tree name, unique */
    macchk_group group;
    macchk_severity severity;    /* by default; see macchk_finding_severity */
    const char *key;             /* JSON key, unique */
    const char *reason;          /* short, for the packet list ("group-bit source") */
    const char *note_expert;     /* the expert info when the policy makes it a Note, or NULL */
} macchk_finding_info;

/* Every finding, in display order; *count gets the number. */
const macchk_finding_info *macchk_findings(size_t *count);

/* The row of a finding bit, or NULL. */
const macchk_finding_info *macchk_finding(macchk_finding_set set, unsigned bit);

/* Severity under the user's choice for findings that have a note_expert
 * (a duplicate MAC is a Note on proxy-ARP networks). */
macchk_severity macchk_finding_severity(const macchk_finding_info *f, bool demoted_to_note);

/* The Warning bits of a set, given that choice. */
unsigned macchk_warning_bits(macchk_finding_set set, bool demoted_to_note);
/* All sets' Warning bits at once, indexed by macchk_finding_set. */
const unsigned *macchk_warning_masks(bool demoted_to_note);

#endif
