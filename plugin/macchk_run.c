/* macchk_run.c - the triage report over a capture in several files (see macchk_run.h). */
#include "macchk_run.h"

#include <inttypes.h>

#define RULE "=====================================================================\n"

void macchk_run_add(macchk_run *run, const macchk_report_totals *t)
{
    run->files++;
    run->sum.frames += t->frames;
    run->sum.frames_without_mac += t->frames_without_mac;
    run->sum.invalid_frames += t->invalid_frames;
    run->sum.warnings += t->warnings;
    run->sum.notes += t->notes;
    run->sum.warnings_exact = (run->files == 1 || run->sum.warnings_exact) && t->warnings_exact;
    run->sum.complete = (run->files == 1 || run->sum.complete) && t->complete;
    if (!t->warnings)
        return;
    if (run->n_warned < MACCHK_RUN_LISTED)
        run->warned[run->n_warned++] = run->files;
    else
        run->warned_not_listed++;
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

void macchk_run_write_head(const macchk_run *run, macchk_report_format format, FILE *out)
{
    if (format == MACCHK_REPORT_JSON) {
        fputs(run->files ? ",\n" : "{\"macchk_run\": 1, \"files\": [\n", out);
        return;
    }
    if (!run->files)
        fputs("MAC Address Check: this capture comes in several files (a ring buffer): each file is checked on "
              "its own and numbers its own frames, so a request and its reply in different files are not "
              "linked. A report per file follows as each file ends, then the totals.\n",
              out);
    fprintf(out, "\nFile %" PRIu32 " of the capture:\n", run->files + 1);
}

/* "2 problems in 23 frames of 4 files (files 1, 3; and 1 note)" */
static void write_verdict(const macchk_run *run, FILE *out)
{
    const macchk_report_totals *s = &run->sum;
    if (!s->warnings) {
        fprintf(out, "No problems found in %" PRIu64 " frame%s of %" PRIu32 " file%s", s->frames, plural(s->frames),
                run->files, plural(run->files));
        if (s->notes)
            fprintf(out, " (%" PRIu64 " note%s)", s->notes, plural(s->notes));
        return;
    }
    fprintf(out, "%s%" PRIu64 " problem%s in %" PRIu64 " frame%s of %" PRIu32 " file%s (in file%s",
            s->warnings_exact ? "" : "at least ", s->warnings, plural(s->warnings), s->frames, plural(s->frames),
            run->files, plural(run->files), plural(run->n_warned + run->warned_not_listed));
    for (uint32_t i = 0; i < run->n_warned; i++)
        fprintf(out, "%s %" PRIu32, i ? "," : "", run->warned[i]);
    if (run->warned_not_listed)
        fprintf(out, " and %" PRIu32 " more", run->warned_not_listed);
    if (s->notes)
        fprintf(out, "; and %" PRIu64 " note%s", s->notes, plural(s->notes));
    fputs(")", out);
}

void macchk_run_write_end(const macchk_run *run, macchk_report_format format, FILE *out)
{
    const macchk_report_totals *s = &run->sum;
    if (format == MACCHK_REPORT_JSON) {
        fprintf(out,
                "],\n \"totals\": {\"files\": %" PRIu32 ", \"frames\": %" PRIu64 ", \"frames_without_mac\": %" PRIu64
                ", \"invalid_frames\": %" PRIu64 ", \"warnings\": %" PRIu64 ", \"warnings_exact\": %s, \"notes\": %" PRIu64
                ", \"complete\": %s, \"files_with_warnings\": [",
                run->files, s->frames, s->frames_without_mac, s->invalid_frames, s->warnings,
                s->warnings_exact ? "true" : "false", s->notes, s->complete ? "true" : "false");
        for (uint32_t i = 0; i < run->n_warned; i++)
            fprintf(out, "%s%" PRIu32, i ? ", " : "", run->warned[i]);
        fprintf(out, "], \"files_with_warnings_not_listed\": %" PRIu32 "},\n \"verdict\": ", run->warned_not_listed);
        fputc('"', out); /* the verdict has no character JSON escapes */
        write_verdict(run, out);
        fputs("\"}\n", out);
        return;
    }
    fputs("\n" RULE, out);
    fprintf(out, "MAC Address Check: totals over the %" PRIu32 " files with frames\n", run->files);
    write_verdict(run, out);
    fprintf(out, "\n%" PRIu64 " frames checked, %" PRIu64 " invalid (with a Warning); %s%" PRIu64 " warning%s, %" PRIu64
                 " note%s\n",
            s->frames, s->invalid_frames, s->warnings_exact ? "" : "at least ", s->warnings, plural(s->warnings),
            s->notes, plural(s->notes));
    if (s->frames_without_mac)
        fprintf(out, "%" PRIu64 " more frame%s without MAC addresses or ARP (not checked)\n", s->frames_without_mac,
                plural(s->frames_without_mac));
    fputs(RULE, out);
}
