/* test_findings.c - the findings table: complete, unique, consistent. */
#include "macchk_findings.h"
#include "macchk_result.h"
#include "unit.h"

#include <string.h>

static void test_rows(void)
{
    size_t n;
    const macchk_finding_info *f = macchk_findings(&n);
    unsigned seen[MACCHK_SET_COUNT] = {0};

    for (size_t i = 0; i < n; i++) {
        CHECK((seen[f[i].set] & f[i].bit) == 0); /* every bit once */
        seen[f[i].set] |= f[i].bit;
        CHECK(strncmp(f[i].expert, "macchk.", 7) == 0);
        CHECK(f[i].reason && f[i].reason[0] && strlen(f[i].reason) <= 32); /* fits a column */
        CHECK(macchk_finding(f[i].set, f[i].bit) == &f[i]);
        for (size_t j = i + 1; j < n; j++) {
            CHECK(strcmp(f[i].name, f[j].name) != 0);
            CHECK(strcmp(f[i].key, f[j].key) != 0);
            /* rows shown by one expert info agree on what it is */
            if (strcmp(f[i].expert, f[j].expert) == 0) {
                CHECK(strcmp(f[i].expert_summary, f[j].expert_summary) == 0);
                CHECK_EQ_INT(f[i].group, f[j].group);
                CHECK_EQ_INT(f[i].severity, f[j].severity);
            }
        }
    }
    /* every bit the modules define has a row */
    CHECK_EQ_INT(seen[MACCHK_SET_ADDR], MACCHK_F_WARNINGS | MACCHK_F_QEMU_DEFAULT | MACCHK_F_SRC_SLAP_RESERVED);
    CHECK_EQ_INT(seen[MACCHK_SET_ARP], (MACCHK_A_SNAP_CUT << 1) - 1);
    CHECK_EQ_INT(seen[MACCHK_SET_TRACK], (MACCHK_T_NOT_ACCEPTED << 1) - 1);
    CHECK_EQ_INT(seen[MACCHK_SET_ND], (MACCHK_ND_LL_LENGTH << 1) - 1);
    CHECK_EQ_INT(seen[MACCHK_SET_NDTRACK], (MACCHK_N_TABLE_FULL << 1) - 1);
    CHECK(macchk_finding(MACCHK_SET_ARP, 1u << 30) == NULL);
}

static void test_severities(void)
{
    /* the modules' own Warning masks agree with the table */
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_ADDR, false), MACCHK_F_WARNINGS);
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_ARP, false), MACCHK_A_WARNINGS);
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_ND, false), MACCHK_ND_WARNINGS);
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_TRACK, false),
                 MACCHK_T_UNANSWERED | MACCHK_T_IP_CONFLICT | MACCHK_T_PROBE_DEFENDED | MACCHK_T_DUP_MAC);
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_TRACK, true),
                 MACCHK_T_UNANSWERED | MACCHK_T_IP_CONFLICT | MACCHK_T_PROBE_DEFENDED);
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_NDTRACK, true),
                 MACCHK_N_UNANSWERED | MACCHK_N_DAD_DEFENDED | MACCHK_N_IP_CONFLICT);
    const macchk_finding_info *dup = macchk_finding(MACCHK_SET_TRACK, MACCHK_T_DUP_MAC);
    CHECK_EQ_INT(macchk_finding_severity(dup, false), MACCHK_SEV_WARNING);
    CHECK_EQ_INT(macchk_finding_severity(dup, true), MACCHK_SEV_NOTE);
    CHECK_EQ_STR(dup->note_expert, "macchk.dup.mac_note");
    /* only findings with a Note variant are demoted */
    const macchk_finding_info *conflict = macchk_finding(MACCHK_SET_TRACK, MACCHK_T_IP_CONFLICT);
    CHECK_EQ_INT(macchk_finding_severity(conflict, true), MACCHK_SEV_WARNING);
    CHECK_EQ_INT(macchk_warning_bits(MACCHK_SET_COUNT, false), 0);
}

static void test_invalid(void)
{
    macchk_policy policy = {.dup_mac_is_warning = true};
    macchk_result r;
    memset(&r, 0, sizeof r);
    CHECK(!macchk_result_is_invalid(&r, &policy));
    r.nd_findings = MACCHK_ND_LL_VIRTUAL; /* a Note */
    CHECK(!macchk_result_is_invalid(&r, &policy));
    r.ndtrack_findings = MACCHK_N_UNANSWERED;
    CHECK(macchk_result_is_invalid(&r, &policy));
    memset(&r, 0, sizeof r);
    r.track_findings = MACCHK_T_DUP_MAC;
    CHECK(macchk_result_is_invalid(&r, &policy));
    policy.dup_mac_is_warning = false;
    CHECK(!macchk_result_is_invalid(&r, &policy));
    CHECK_EQ_INT(macchk_result_findings(&r, MACCHK_SET_TRACK), MACCHK_T_DUP_MAC);
    CHECK_EQ_INT(macchk_result_findings(&r, MACCHK_SET_COUNT), 0);
}

int main(void)
{
    test_rows();
    test_severities();
    test_invalid();
    return unit_report("test_findings");
}
