/* macchk_report_json.c - the JSON report (the problems' text and the verdict worded as in macchk_report_text.c). */
#include <stdlib.h>
#include <string.h>

#include "macchk_report_int.h"

/* ---- JSON -------------------------------------------------------------- */

void report_write_json(strbuf *b, render_ctx *c)
{
    const macchk_report *rep = c->rep;
    uint64_t notes = c->notes + report_groups_evicted(rep);
    strbuf text = {0}, net = {0};

    sb_printf(b, "{\"macchk_report\": 1, \"complete\": %s,\n \"verdict\": ", rep->views_missing ? "false" : "true");
    report_sb_verdict(&text, c, notes);
    sb_json_string(b, sb_take(&text));
    sb_printf(b, ",\n \"counts\": {\"frames\": %llu, \"frames_without_mac\": %llu, \"invalid_frames\": %llu, "
                 "\"warnings\": %zu, \"warnings_exact\": %s, \"notes\": %llu, \"networks\": %zu, \"findings\": {",
              (unsigned long long)rep->frames, (unsigned long long)rep->frames_without_mac,
              (unsigned long long)(rep->invalid_frames + rep->fix.newly_invalid), c->warnings,
              report_warnings_refused(rep) ? "false" : "true", (unsigned long long)notes, rep->nets.count);
    size_t n_findings;
    const macchk_finding_info *findings = report_findings(&n_findings);
    for (size_t i = 0; i < n_findings; i++)
        sb_printf(b, "%s\"%s\": %llu", i ? ", " : "", findings[i].key,
                  (unsigned long long)report_finding_count(rep, &findings[i]));
    sb_printf(b, "}},\n \"notes_not_kept\": %llu, \"problems_not_grouped\": %llu, \"frames_not_settled\": %llu,\n"
                 " \"problems\": [",
              (unsigned long long)report_groups_evicted(rep), (unsigned long long)report_groups_turned_away(rep),
              (unsigned long long)(rep->views_given ? macchk_pending_dropped(rep->pending) : 0));
    for (size_t i = 0; i < c->n && !b->stopped; i++) {
        const problem *p = &c->items[i];
        host_list h = {b, 0};
        sb_reset(&text);
        sb_reset(&net);
        report_sb_net(&net, rep, p->net);
        sb_printf(b, "%s\n  {\"severity\": \"%s\", \"kind\": \"%s\", \"network\": \"%s\", \"hosts\": [", i ? "," : "",
                  p->severity == MACCHK_SEV_WARNING ? "warning" : "note", report_kinds[p->kind].key, sb_take(&net));
        report_write_problem(c, p, &text, &h);
        sb_printf(b, "], \"frames\": {\"first\": %u, \"last\": %u, \"count\": %u}, \"text\": ", p->first, p->last,
                  p->count);
        sb_json_string(b, sb_take(&text));
        sb_puts(b, "}");
    }
    sb_printf(b, "%s],\n \"hosts\": [", c->n ? "\n " : "");
    uint32_t *order = report_sorted_hosts(rep);
    for (size_t i = 0; i < rep->hosts.count && !b->stopped; i++) {
        const host_rec *h = kt_rec(&rep->hosts, order[i]);
        macchk_class cl;
        host_desc d;
        macchk_classify(h->key.mac, &cl);
        report_describe_host(h, c->vendor, c->vendor_ctx, &d);
        sb_reset(&net);
        report_sb_net(&net, rep, h->key.net);
        sb_printf(b, "%s\n  {\"mac\": \"%s\", \"network\": \"%s\", \"cast\": \"%s\", \"admin\": \"%s\", \"slap\": "
                     "\"%s\", \"range\": \"%s\", \"vnic\": \"%s\", \"vendor\": ",
                  i ? "," : "", fmt_mac(h->key.mac).s, sb_take(&net), macchk_cast_name(cl.cast),
                  macchk_admin_key(cl.admin), macchk_slap_key(cl.slap), macchk_range_key(cl.range),
                  macchk_vnic_key(cl.vnic));
        if (strcmp(d.vendor, "-") == 0 || cl.vnic)
            sb_puts(b, "null");
        else
            sb_json_string(b, d.vendor);
        sb_puts(b, ", \"ipv4\": [");
        uint32_t not_listed = report_sb_host_ips(b, rep, h, &REPORT_IPV4, true);
        sb_printf(b, "], \"ipv4_not_listed\": %u, \"ipv6\": [", not_listed);
        not_listed = report_sb_host_ips(b, rep, h, &REPORT_IPV6, true);
        sb_printf(b, "], \"ipv6_not_listed\": %u, \"first_frame\": %u, \"last_frame\": %u, \"frames\": %u}",
                  not_listed, h->first, h->last, h->count);
    }
    free(order);
    free(text.s);
    free(net.s);
    sb_printf(b, "%s],\n \"host_sightings_not_listed\": %llu}\n", rep->hosts.count ? "\n " : "",
              (unsigned long long)rep->host_frames_untracked);
}

