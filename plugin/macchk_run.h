/* macchk_run.h - a capture that comes in several files (tshark's ring
 * buffer, -b): the triage report is written per file, as each file ends,
 * and the run's totals at the end.
 *
 * Pure C: no Wireshark types.  Wireshark analyses each file of a ring
 * buffer on its own (frame numbers restart, the dissection state is freed),
 * so macchk cannot link a request in one file to a reply in the next; the
 * report says so rather than mixing files.  Memory: a fixed-size record
 * (the first MACCHK_RUN_LISTED file numbers with Warnings are named, the
 * others counted).
 */
#ifndef MACCHK_RUN_H
#define MACCHK_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "macchk_report.h"

#define MACCHK_RUN_LISTED 32

typedef struct {
    uint32_t files;
    macchk_report_totals sum;
    uint32_t warned[MACCHK_RUN_LISTED]; /* numbers (from 1) of files with Warnings */
    uint32_t n_warned, warned_not_listed;
} macchk_run;

/* Count one more file, its report's totals t. */
void macchk_run_add(macchk_run *run, const macchk_report_totals *t);

/* Write what goes before the report of the next file (run->files + 1):
 * the run's opening before the first one. */
void macchk_run_write_head(const macchk_run *run, macchk_report_format format, FILE *out);

/* Write the run's end (after the last file's report): the totals. */
void macchk_run_write_end(const macchk_run *run, macchk_report_format format, FILE *out);

#endif
