/* macchk_stats.c - the "macchk" tap's listeners: the stats tree
 * (tshark -z macchk,tree and the GUI's Statistics menu) and the triage
 * report (tshark -z macchk,report[,text|json]).
 *
 * Thin glue: counting and wording live in the report modules
 * (macchk_report*.c, macchk_run.c).
 *
 * Both read macchk_result records, one per annotated frame, each with the
 * session of its file (trackers, policy, table cap, timeouts): no globals,
 * no preferences read here.  What needs the caps and timeouts is made from
 * the first record's session and made anew when a record of another file
 * comes.  A one-pass tshark dissects every frame before the capture's end
 * is known, so the findings a frame could not know yet ("never answered",
 * "probed address in use", "reply not accepted", the same for Neighbor
 * Discovery) are settled at draw time by asking the trackers for the final
 * verdict of each such frame (macchk_pending).  The trackers are still
 * there when tshark draws the taps: tshark draws before it frees the
 * file's dissection session (epan_free -> cleanup routines ->
 * macchk_cleanup), and the GUI draws while the file is open.  Should a
 * version ever draw later, the session's trackers are NULL and the report
 * says what it could not judge.
 *
 * A ring-buffer capture (tshark -b) brings several files to one listener,
 * each dissected on its own and freed before the next: each listener asks
 * the session to be told when a file ends (macchk_session_watch) and
 * settles it then, while its trackers are there.  The stats tree adds up
 * the files; the report is written per file as the next one starts, then
 * the run's totals (macchk_run.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/addr_resolv.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "macchk_compat.h"
#include "macchk_pending.h"
#include "macchk_report.h"
#include "macchk_run.h"
#include "packet-macchk.h"

#define TREE_ABBR "macchk"
#define TREE_NAME "MAC Address Check"
#define REPORT_CLI "macchk,report"
#define REPORT_LINES_PER_KIND 25

static int64_t frame_time_ns(const packet_info *pinfo)
{
    return (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
}

/* The OUI's vendor, unless MAC name resolution is off (tshark -n, -N
 * without m, or the GUI's preference). */
static const char *vendor_of(const uint8_t mac[MACCHK_ADDR_LEN], void *ctx)
{
    return gbl_resolv_flags.mac_name ? macchk_manuf_name(mac) : NULL;
}

/* True when r comes from another file than the state made for file_id
 * (or none was made yet): that state must be made anew. */
static gboolean new_file(const void *state, uint32_t file_id, const macchk_result *r)
{
    return !state || r->session->file_id != file_id;
}

/* --- Stats tree ---------------------------------------------------------- */

enum { SIDE_SRC, SIDE_DST, SIDE_COUNT };
enum { ATTR_CAST, ATTR_ADMIN, ATTR_SLAP, ATTR_RANGE, ATTR_VNIC, ATTR_COUNT };

static const char *const attr_titles[SIDE_COUNT][ATTR_COUNT] = {
    {"Source cast", "Source administration", "Source SLAP quadrant", "Source special range",
     "Source virtual NIC"},
    {"Destination cast", "Destination administration", "Destination SLAP quadrant", "Destination special range",
     "Destination virtual NIC"},
};

#define NODE_FRAMES "Frames checked"
#define NODE_INVALID "Invalid frames"
#define NODE_NO_MAC "Frames without MAC addresses or ARP"
#define NODE_ARP "ARP packets"
#define NODE_ND "Neighbor Discovery messages"
#define NODE_FINDINGS "Findings"

/* Node ids: every tree creates its nodes in the same order, so they are the
 * same in every tree. */
static int node_frames = -1, node_findings = -1, node_arp = -1, node_nd = -1;
static int node_attr[SIDE_COUNT][ATTR_COUNT];
static const macchk_finding_info *finding_infos;
static size_t n_findings;

/* The order nodes are shown in: tshark sorts siblings by the tree's sort
 * column, here Min Val (registered below), and the Qt dialog by the column
 * clicked.  Each node made at init gets its rank as a hidden minimum (a
 * value that ticks no frame; the column stays blank without the average
 * flag), so siblings sort in creation order, and nodes made while counting
 * (class values, ARP kinds: no rank) after them by name. */
#define RANKED_MAX 128
static struct {
    const char *name;
    int parent;
} ranked[RANKED_MAX];
static size_t n_ranked;

static int ranked_node(stats_tree *st, const char *name, int parent, gboolean with_children)
{
    int id = stats_tree_create_node(st, name, parent, STAT_DT_INT, with_children);
    if (n_ranked < RANKED_MAX) {
        ranked[n_ranked].name = name;
        ranked[n_ranked++].parent = parent;
    }
    return id;
}

/* (Again at each draw: a reset of the tree clears the minimums.) */
static void apply_ranks(stats_tree *st)
{
    for (size_t i = 0; i < n_ranked; i++) {
        stats_tree_manip_node_int(MN_AVERAGE_NOTICK, st, ranked[i].name, ranked[i].parent, FALSE, (gint)i);
        stats_tree_manip_node_int(MN_CLEAR_FLAGS, st, ranked[i].name, ranked[i].parent, FALSE, ST_FLG_AVERAGE);
    }
}

/* Nodes the settling changes: their per-frame ticks are counted here too,
 * so that a draw can set them to ticks + settled (setting, unlike adding,
 * leaves the burst-rate columns to the frames themselves). */
typedef struct {
    stats_tree *st;
    macchk_pending *pending;       /* made from the first record's session */
    const macchk_session *session; /* the latest record's */
    uint32_t file_id;
    int invalid_ticks, findings_ticks;
    int *finding_ticks; /* per macchk_findings() entry */
    macchk_session_watch watch;
} tree_ctx;

static GHashTable *tree_contexts; /* stats_tree * -> tree_ctx * */

static void tree_set(stats_tree *st, int parent, const char *name, int value)
{
    stats_tree_manip_node_int(MN_SET, st, name, parent, FALSE, value);
}

/* Set the nodes to what the frames showed plus what the whole capture
 * settles about the request frames dissected before it was known. */
static void tree_settle_draw(void *data)
{
    tree_ctx *ctx = data;
    macchk_pending_fix fix = {0};

    if (!ctx->st)
        return;
    apply_ranks(ctx->st);
    if (!ctx->pending)
        return;
    macchk_pending_settle(ctx->pending, ctx->session, &fix, NULL, NULL);
    for (size_t i = 0; i < n_findings; i++)
        tree_set(ctx->st, node_findings, finding_infos[i].name,
                 ctx->finding_ticks[i] +
                     (int)macchk_pending_fix_count(&fix, finding_infos[i].set, finding_infos[i].bit));
    tree_set(ctx->st, node_frames, NODE_INVALID, ctx->invalid_ticks + (int)fix.newly_invalid);
    tree_set(ctx->st, 0, NODE_FINDINGS, ctx->findings_ticks + (int)fix.newly_flagged);
}

/* The file ends: what its trackers settle becomes part of the ticks (a
 * later file of a ring buffer adds its own). */
static void tree_file_ends(void *data)
{
    tree_ctx *ctx = data;
    macchk_pending_fix fix = {0};

    if (!ctx->pending)
        return;
    macchk_pending_settle(ctx->pending, ctx->session, &fix, NULL, NULL);
    for (size_t i = 0; i < n_findings; i++)
        ctx->finding_ticks[i] += (int)macchk_pending_fix_count(&fix, finding_infos[i].set, finding_infos[i].bit);
    ctx->invalid_ticks += (int)fix.newly_invalid;
    ctx->findings_ticks += (int)fix.newly_flagged;
    macchk_pending_clear(ctx->pending);
}

static void tree_settle_reset(void *data)
{
    tree_ctx *ctx = data;
    if (ctx->pending)
        macchk_pending_clear(ctx->pending);
    ctx->invalid_ticks = ctx->findings_ticks = 0;
    memset(ctx->finding_ticks, 0, n_findings * sizeof *ctx->finding_ticks);
}

static void settle_finish(void *data);

static void tree_init(stats_tree *st)
{
    tree_ctx *ctx = g_new0(tree_ctx, 1);
    GString *error;

    n_ranked = 0;
    node_frames = ranked_node(st, NODE_FRAMES, 0, TRUE);
    ranked_node(st, NODE_INVALID, node_frames, FALSE);
    ranked_node(st, NODE_NO_MAC, 0, FALSE);
    for (int side = 0; side < SIDE_COUNT; side++)
        for (int a = 0; a < ATTR_COUNT; a++)
            node_attr[side][a] = ranked_node(st, attr_titles[side][a], 0, TRUE);
    node_arp = ranked_node(st, NODE_ARP, 0, TRUE);
    node_nd = ranked_node(st, NODE_ND, 0, TRUE);
    for (macchk_nd_kind k = MACCHK_ND_NS; k <= MACCHK_ND_REDIRECT; k++)
        ranked_node(st, macchk_nd_kind_name(k), node_nd, FALSE);
    node_findings = ranked_node(st, NODE_FINDINGS, 0, TRUE);
    finding_infos = macchk_findings(&n_findings);
    for (size_t i = 0; i < n_findings; i++)
        ranked_node(st, finding_infos[i].name, node_findings, FALSE);
    apply_ranks(st);

    ctx->st = st;
    ctx->finding_ticks = g_new0(int, n_findings);
    ctx->watch = (macchk_session_watch){.file_ends = tree_file_ends, .data = ctx};
    if (!tree_contexts)
        tree_contexts = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(tree_contexts, st, ctx);
    /* Registered after the tree's own listener, so (listeners being drawn
     * newest first) its draw adjusts the nodes before the tree is shown. */
    error = register_tap_listener(MACCHK_TAP_NAME, ctx, NULL, TL_REQUIRES_NOTHING, tree_settle_reset, NULL,
                                  tree_settle_draw, settle_finish);
    if (error) {
        fprintf(stderr, "macchk: cannot settle request findings in the stats tree: %s\n", error->str);
        g_string_free(error, TRUE);
    }
}

/* The settling listener outlives its tree: a tree may be freed while the
 * tap listeners are being removed (tshark 4.6 frees its stats trees from
 * remove_all_tap_listeners()), when removing another listener would free
 * it twice.  So the tree only lets go of it; the listener frees its
 * context when Wireshark removes it (settle_finish). */
static void tree_cleanup(stats_tree *st)
{
    tree_ctx *ctx = tree_contexts ? g_hash_table_lookup(tree_contexts, st) : NULL;
    if (!ctx)
        return;
    g_hash_table_remove(tree_contexts, st);
    ctx->st = NULL;
}

static void settle_finish(void *data)
{
    tree_ctx *ctx = data;
    macchk_session_watch_remove(ctx->session, &ctx->watch);
    if (ctx->st && tree_contexts)
        g_hash_table_remove(tree_contexts, ctx->st);
    macchk_pending_free(ctx->pending);
    g_free(ctx->finding_ticks);
    g_free(ctx);
}

static void tick_attr(stats_tree *st, int side, int attr, const char *value)
{
    tick_stat_node(st, attr_titles[side][attr], 0, TRUE);
    tick_stat_node(st, value, node_attr[side][attr], FALSE);
}

static void tick_class(stats_tree *st, int side, const macchk_class *c)
{
    tick_attr(st, side, ATTR_CAST, macchk_cast_name(c->cast));
    tick_attr(st, side, ATTR_ADMIN, macchk_admin_name(c->admin));
    if (c->slap)
        tick_attr(st, side, ATTR_SLAP, macchk_slap_name(c->slap));
    if (c->range)
        tick_attr(st, side, ATTR_RANGE, macchk_range_name(c->range));
    if (c->vnic)
        tick_attr(st, side, ATTR_VNIC, macchk_vnic_name(c->vnic));
}

/* The settling state for r's file, made anew for a new file. */
static void tree_follow_session(tree_ctx *ctx, const macchk_result *r)
{
    const macchk_session *s = r->session;
    if (new_file(ctx->pending, ctx->file_id, r)) {
        macchk_pending_free(ctx->pending);
        ctx->pending = macchk_pending_new(s->table_cap, s->arp_timeout_ns, s->nd_timeout_ns);
        ctx->file_id = s->file_id;
    }
    ctx->session = s;
    macchk_session_watch_add(s, &ctx->watch);
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt, const void *data,
                                     tap_flags_t flags)
{
    const macchk_result *r = data;
    tree_ctx *ctx = tree_contexts ? g_hash_table_lookup(tree_contexts, st) : NULL;
    gboolean any = FALSE;

    if (!macchk_result_has_addresses(r)) {
        tick_stat_node(st, NODE_NO_MAC, 0, FALSE);
        return TAP_PACKET_REDRAW;
    }
    tick_stat_node(st, NODE_FRAMES, 0, TRUE);
    if (r->invalid)
        tick_stat_node(st, NODE_INVALID, node_frames, FALSE);
    if (r->has_src)
        tick_class(st, SIDE_SRC, &r->src_class);
    if (r->has_dst)
        tick_class(st, SIDE_DST, &r->dst_class);
    if (r->has_arp) {
        tick_stat_node(st, NODE_ARP, 0, TRUE);
        tick_stat_node(st, macchk_result_arp_kind(r), node_arp, FALSE);
    }
    if (r->has_nd) {
        tick_stat_node(st, NODE_ND, 0, TRUE);
        tick_stat_node(st, macchk_nd_kind_name(r->nd.kind), node_nd, FALSE);
    }
    for (size_t i = 0; i < n_findings; i++) {
        const macchk_finding_info *f = &finding_infos[i];
        if (macchk_result_findings(r, f->set) & f->bit) {
            tick_stat_node(st, f->name, node_findings, FALSE);
            if (ctx)
                ctx->finding_ticks[i]++;
            any = TRUE;
        }
    }
    if (any)
        tick_stat_node(st, NODE_FINDINGS, 0, TRUE);
    if (ctx) {
        tree_follow_session(ctx, r);
        ctx->invalid_ticks += r->invalid;
        ctx->findings_ticks += any;
        macchk_pending_add(ctx->pending, r, 0, frame_time_ns(pinfo), r->session, NULL, NULL);
    }
    return TAP_PACKET_REDRAW;
}

/* --- Triage report ------------------------------------------------------- */

typedef struct {
    macchk_report *report;         /* the current file's, made from its first record's session */
    const macchk_session *session; /* the latest record's */
    macchk_policy policy;          /* the current file's, for writing it after its end */
    uint32_t file_id;
    gboolean json;
    gboolean settled; /* report settled, no frame since */
    macchk_session_watch watch;
    macchk_run run; /* the files before the current one, written already */
} report_ctx;

static void report_reset(void *data)
{
    report_ctx *ctx = data;
    if (ctx->report)
        macchk_report_clear(ctx->report);
    ctx->settled = FALSE;
    memset(&ctx->run, 0, sizeof ctx->run);
}

static macchk_report_format report_format(const report_ctx *ctx)
{
    return ctx->json ? MACCHK_REPORT_JSON : MACCHK_REPORT_TEXT;
}

/* s NULL: the file's trackers are gone, the report judges what it kept. */
static void report_settle(report_ctx *ctx, const macchk_session *s)
{
    if (ctx->report && !ctx->settled) {
        macchk_report_settle(ctx->report, s);
        ctx->settled = TRUE;
    }
}

static void report_file_ends(void *data)
{
    report_ctx *ctx = data;
    report_settle(ctx, ctx->session);
}

/* The current file's report as one file of a run (stop: as macchk_report_write). */
static gboolean write_run_file(report_ctx *ctx, macchk_run *run, const volatile sig_atomic_t *stop)
{
    macchk_report_totals totals;
    gboolean whole;

    macchk_run_write_head(run, report_format(ctx), stdout);
    whole = macchk_report_write(ctx->report, report_format(ctx), &ctx->policy, vendor_of, NULL, stdout, stop);
    macchk_report_count(ctx->report, &ctx->policy, &totals);
    macchk_run_add(run, &totals);
    return whole;
}

static tap_packet_status report_packet(void *data, packet_info *pinfo, epan_dissect_t *edt, const void *result,
                                       tap_flags_t flags)
{
    report_ctx *ctx = data;
    const macchk_result *r = result;
    const macchk_session *s = r->session;

    if (new_file(ctx->report, ctx->file_id, r)) {
        macchk_report_limits limits = {.cap = s->table_cap,
                                       .lines_per_kind = REPORT_LINES_PER_KIND,
                                       .arp_timeout_ns = s->arp_timeout_ns,
                                       .nd_timeout_ns = s->nd_timeout_ns};
        if (ctx->report) { /* the last file ended: its report is complete */
            report_settle(ctx, NULL);
            write_run_file(ctx, &ctx->run, NULL);
            fflush(stdout);
        }
        macchk_report_free(ctx->report);
        ctx->report = macchk_report_new(&limits);
        ctx->file_id = s->file_id;
    }
    ctx->session = s;
    ctx->policy = s->policy;
    ctx->settled = FALSE;
    macchk_session_watch_add(s, &ctx->watch);
    macchk_report_add_frame(ctx->report, r, frame_time_ns(pinfo), s);
    return TAP_PACKET_DONT_REDRAW;
}

/* Set while a report is drawn: SIGINT/SIGTERM end the drawing (a big
 * report takes seconds), then take their usual course. */
static volatile sig_atomic_t draw_signal;

static void on_draw_signal(int sig)
{
    draw_signal = sig;
}

static void report_draw(void *data)
{
    report_ctx *ctx = data;
    struct sigaction stop = {.sa_handler = on_draw_signal}, old_int, old_term;
    static const macchk_policy no_policy; /* no record: nothing it could decide */
    static const macchk_report_limits no_limits = {.cap = 1};

    draw_signal = 0;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGINT, &stop, &old_int);
    sigaction(SIGTERM, &stop, &old_term);
    report_settle(ctx, ctx->session);
    if (!ctx->report) { /* no record at all */
        macchk_report *empty = macchk_report_new(&no_limits);
        macchk_report_write(empty, report_format(ctx), &no_policy, vendor_of, NULL, stdout, &draw_signal);
        macchk_report_free(empty);
    } else if (!ctx->run.files) {
        if (!draw_signal)
            macchk_report_write(ctx->report, report_format(ctx), &ctx->policy, vendor_of, NULL, stdout, &draw_signal);
    } else {
        macchk_run run = ctx->run; /* a redraw must not count the last file twice */
        if (!draw_signal && write_run_file(ctx, &run, &draw_signal))
            macchk_run_write_end(&run, report_format(ctx), stdout);
    }
    fflush(stdout);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (draw_signal)
        raise(draw_signal);
}

static void report_finish(void *data)
{
    report_ctx *ctx = data;
    macchk_session_watch_remove(ctx->session, &ctx->watch);
    macchk_report_free(ctx->report);
    g_free(ctx);
}

/* -z macchk,report[,text|,json] */
static macchk_stat_init_ret report_init(const char *opt_arg, void *userdata)
{
    const char *rest = opt_arg + strlen(REPORT_CLI);
    report_ctx *ctx;
    GString *error;
    gboolean json = FALSE;

    if (strcmp(rest, ",json") == 0)
        json = TRUE;
    else if (*rest && strcmp(rest, ",text") != 0) {
        fprintf(stderr, "tshark: invalid \"-z %s\": use -z " REPORT_CLI " or -z " REPORT_CLI ",json\n", opt_arg);
        MACCHK_STAT_INIT_FAIL;
    }
    ctx = g_new0(report_ctx, 1);
    ctx->json = json;
    ctx->watch = (macchk_session_watch){.file_ends = report_file_ends, .data = ctx};
    error = register_tap_listener(MACCHK_TAP_NAME, ctx, NULL, TL_REQUIRES_NOTHING, report_reset, report_packet,
                                  report_draw, report_finish);
    if (error) {
        fprintf(stderr, "tshark: cannot register the macchk report: %s\n", error->str);
        g_string_free(error, TRUE);
        g_free(ctx);
        MACCHK_STAT_INIT_FAIL;
    }
    MACCHK_STAT_INIT_OK;
}

/* -z macchk,findings: the findings table (macchk_findings.h) as
 * tab-separated lines, for scripts and the tests: expert info, severity,
 * group, JSON key, name.  A finding the policy can demote has a second line
 * for its Note variant. */
#define FINDINGS_CLI "macchk,findings"

static macchk_stat_init_ret findings_init(const char *opt_arg, void *userdata)
{
    static const char *const groups[] = {"Protocol", "Sequence", "Malformed", "Debug"};
    size_t n;
    const macchk_finding_info *f = macchk_findings(&n);

    for (size_t i = 0; i < n; i++) {
        printf("%s\t%s\t%s\t%s\t%s\n", f[i].expert, f[i].severity == MACCHK_SEV_WARNING ? "Warning" : "Note",
               groups[f[i].group], f[i].key, f[i].name);
        if (f[i].note_expert)
            printf("%s\tNote\t%s\t%s\t%s\n", f[i].note_expert, groups[f[i].group], f[i].key, f[i].name);
    }
    fflush(stdout);
    MACCHK_STAT_INIT_OK;
}

void macchk_register_stats(void)
{
    static stat_tap_ui findings_ui = {
        .group = REGISTER_STAT_GROUP_GENERIC,
        .title = "MAC Address Check findings",
        .cli_string = FINDINGS_CLI,
        .tap_init_cb = findings_init,
        .nparams = 0,
        .params = NULL,
    };
    static stat_tap_ui report_ui = {
        .group = REGISTER_STAT_GROUP_GENERIC,
        .title = "MAC Address Check triage report",
        .cli_string = REPORT_CLI,
        .tap_init_cb = report_init,
        .nparams = 0,
        .params = NULL,
    };

    /* siblings sorted by their rank, ascending (see apply_ranks) */
    macchk_stats_tree_register(MACCHK_TAP_NAME, TREE_ABBR, TREE_NAME, ST_SORT_COL_MIN << ST_FLG_SRTCOL_SHIFT,
                               tree_packet, tree_init, tree_cleanup);
    register_stat_tap_ui(&report_ui, NULL);
    register_stat_tap_ui(&findings_ui, NULL);
}
