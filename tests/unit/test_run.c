/* Unit tests of macchk_run (the report over a capture in several files) and
 * of the session's end-of-file listeners (macchk_result.h). */
#include <stdlib.h>

#include "macchk_result.h"
#include "macchk_run.h"
#include "unit.h"

static char *written(const macchk_run *run, macchk_report_format format, bool end)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (end)
        macchk_run_write_end(run, format, out);
    else
        macchk_run_write_head(run, format, out);
    fclose(out);
    return text;
}

static void test_totals(void)
{
    macchk_run run = {0};
    macchk_report_totals clean = {.frames = 10, .invalid_frames = 0, .notes = 2, .warnings_exact = true,
                                  .complete = true};
    macchk_report_totals bad = {.frames = 5, .frames_without_mac = 1, .invalid_frames = 3, .warnings = 2,
                                .warnings_exact = true, .complete = true};
    char *s;

    s = written(&run, MACCHK_REPORT_TEXT, false);
    CHECK(strncmp(s, "MAC Address Check: this capture comes in several files", 54) == 0);
    CHECK(strstr(s, "\nFile 1 of the capture:\n") != NULL);
    free(s);
    macchk_run_add(&run, &clean);
    s = written(&run, MACCHK_REPORT_TEXT, false);
    CHECK_EQ_STR(s, "\nFile 2 of the capture:\n"); /* the opening only once */
    free(s);
    s = written(&run, MACCHK_REPORT_TEXT, true);
    CHECK(strstr(s, "No problems found in 10 frames of 1 file (2 notes)\n") != NULL);
    free(s);

    macchk_run_add(&run, &bad);
    macchk_run_add(&run, &clean);
    CHECK_EQ_INT(run.files, 3);
    CHECK_EQ_INT(run.sum.frames, 25);
    CHECK_EQ_INT(run.sum.invalid_frames, 3);
    CHECK_EQ_INT(run.sum.warnings, 2);
    CHECK_EQ_INT(run.sum.notes, 4);
    CHECK_EQ_INT(run.n_warned, 1);
    CHECK_EQ_INT(run.warned[0], 2);
    CHECK(run.sum.warnings_exact && run.sum.complete);
    s = written(&run, MACCHK_REPORT_TEXT, true);
    CHECK(strstr(s, "2 problems in 25 frames of 3 files (in file 2; and 4 notes)\n") != NULL);
    CHECK(strstr(s, "25 frames checked, 3 invalid (with a Warning); 2 warnings, 4 notes\n") != NULL);
    CHECK(strstr(s, "1 more frame without MAC addresses or ARP (not checked)\n") != NULL);
    free(s);
    s = written(&run, MACCHK_REPORT_JSON, true);
    CHECK(strstr(s, "\"files\": 3, \"frames\": 25, \"frames_without_mac\": 1, \"invalid_frames\": 3, "
                    "\"warnings\": 2, \"warnings_exact\": true, \"notes\": 4, \"complete\": true, "
                    "\"files_with_warnings\": [2], \"files_with_warnings_not_listed\": 0}") != NULL);
    CHECK(strstr(s, "\"verdict\": \"2 problems in 25 frames of 3 files (in file 2; and 4 notes)\"}\n") != NULL);
    free(s);

    /* one file whose Warnings are a lower bound, or not settled: so is the run */
    macchk_report_totals refused = bad;
    refused.warnings_exact = false;
    refused.complete = false;
    macchk_run_add(&run, &refused);
    macchk_run_add(&run, &clean);
    CHECK(!run.sum.warnings_exact && !run.sum.complete);
    s = written(&run, MACCHK_REPORT_TEXT, true);
    CHECK(strstr(s, "at least 4 problems in 40 frames of 5 files (in files 2, 4;") != NULL);
    free(s);
}

static void test_listed_files(void)
{
    macchk_run run = {0};
    macchk_report_totals bad = {.frames = 1, .warnings = 1, .warnings_exact = true, .complete = true};
    for (int i = 0; i < MACCHK_RUN_LISTED + 3; i++)
        macchk_run_add(&run, &bad);
    CHECK_EQ_INT(run.n_warned, MACCHK_RUN_LISTED);
    CHECK_EQ_INT(run.warned_not_listed, 3);
    CHECK_EQ_INT(run.sum.warnings, MACCHK_RUN_LISTED + 3); /* counted whatever is listed */
    char *s = written(&run, MACCHK_REPORT_TEXT, true);
    CHECK(strstr(s, " 32 and 3 more)") != NULL);
    free(s);
    s = written(&run, MACCHK_REPORT_JSON, false);
    CHECK_EQ_STR(s, ",\n");
    free(s);
    macchk_run empty = {0};
    s = written(&empty, MACCHK_REPORT_JSON, false);
    CHECK_EQ_STR(s, "{\"macchk_run\": 1, \"files\": [\n");
    free(s);
}

static int told[3];

static void tell(void *data)
{
    told[*(int *)data]++;
}

static void test_session_watch(void)
{
    macchk_session_watch *head = NULL;
    macchk_session s = {.watches = &head};
    int ids[3] = {0, 1, 2};
    macchk_session_watch w[3];
    for (int i = 0; i < 3; i++)
        w[i] = (macchk_session_watch){.file_ends = tell, .data = &ids[i]};

    macchk_session_watch_add(&s, &w[0]);
    macchk_session_watch_add(&s, &w[0]); /* once */
    macchk_session_watch_add(&s, &w[1]);
    macchk_session_watch_add(&s, &w[2]);
    macchk_session_watch_remove(&s, &w[1]); /* a listener freed before the end */
    macchk_session_end(&s);
    CHECK_EQ_INT(told[0], 1);
    CHECK_EQ_INT(told[1], 0);
    CHECK_EQ_INT(told[2], 1);
    CHECK(head == NULL && !w[0].listed && !w[2].listed);
    macchk_session_end(&s); /* a file nobody watched: nobody told */
    CHECK_EQ_INT(told[0], 1);
    macchk_session_watch_add(&s, &w[0]); /* the next file */
    macchk_session_end(&s);
    CHECK_EQ_INT(told[0], 2);
    macchk_session_watch_remove(&s, &w[2]); /* not listed: nothing happens */
    macchk_session_watch_remove(NULL, &w[2]);
    CHECK(head == NULL);
}

int main(void)
{
    test_totals();
    test_listed_files();
    test_session_watch();
    return unit_report("test_run");
}
