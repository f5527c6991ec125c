/* macchk_gui.c - re-apply the display filter once the whole capture is
 * known, and mark verdicts provisional while it is not (see macchk_gui.h).
 *
 * Everything goes through epan/plugin_if.h, whose calls do nothing when no
 * GUI has registered a callback: plugin_if_get_capture_file() then returns
 * NULL, which is how tshark is told apart from the GUI. */
#include <string.h>

#include <epan/plugin_if.h>
#include <epan/proto.h>

#include "macchk_gui.h"

/* How often the file's state is looked at until its read has ended: short
 * enough that the corrected list follows the first one without a visible
 * wait, long enough to cost nothing during a long live capture. */
#define WATCH_INTERVAL_MS 200

static int hf_macchk_provisional = -1;

static gboolean session_started; /* a frame of this dissection session went by */
static gboolean in_gui;          /* plugin_if answers: Wireshark's GUI, not tshark */
static guint watch_source;       /* the GLib timeout watching the read, 0 when none */

typedef struct {
    file_state state;
    gboolean busy;           /* a read, rescan or redissection is running */
    gboolean filter_is_ours; /* the display filter uses macchk fields */
} gui_file;

static void *read_gui_file(capture_file *cf, void *out)
{
    gui_file *f = out;

    f->state = cf->state;
    f->busy = cf->read_lock || cf->redissecting;
    f->filter_is_ours = cf->dfilter && strstr(cf->dfilter, "macchk") != NULL;
    return f;
}

static gboolean get_gui_file(gui_file *f)
{
    return plugin_if_get_capture_file(read_gui_file, f) != NULL;
}

/* The GUI's filter action never forces a rescan (cf_filter_packets() skips
 * a filter equal to the one applied), so take the applied one away first;
 * the filter bar keeps its text and history. */
static void *take_applied_filter(capture_file *cf, void *unused)
{
    char *filter = cf->dfilter;

    cf->dfilter = NULL;
    return filter;
}

static gboolean watch_read(gpointer unused)
{
    gui_file f;
    char *filter;

    if (!get_gui_file(&f) || f.state == FILE_CLOSED || f.state == FILE_READ_ABORTED) {
        watch_source = 0;
        return G_SOURCE_REMOVE;
    }
    if (f.state != FILE_READ_DONE || f.busy)
        return G_SOURCE_CONTINUE;
    watch_source = 0;
    /* Once per session: the rescan below keeps the session, so it does not
     * come back here. */
    if (f.filter_is_ours && (filter = plugin_if_get_capture_file(take_applied_filter, NULL)) != NULL) {
        plugin_if_apply_filter(filter, TRUE);
        g_free(filter);
    }
    return G_SOURCE_REMOVE;
}

/* A new session: a file opened, reloaded or redissected (preferences,
 * Decode As), each with a first pass of its own. */
static void gui_session_init(void)
{
    session_started = FALSE;
}

void macchk_gui_register(int proto)
{
    static hf_register_info hf[] = {
        {&hf_macchk_provisional, {"Provisional", "macchk.provisional", FT_NONE, BASE_NONE, NULL, 0x0,
                                  "The capture is still being read or captured: verdicts that need later frames "
                                  "may change when it ends", HFILL}},
    };

    proto_register_field_array(proto, hf, array_length(hf));
    register_init_routine(gui_session_init);
}

void macchk_gui_frame(proto_tree *tree)
{
    gui_file f;
    proto_item *item;

    if (!session_started) {
        session_started = TRUE;
        in_gui = get_gui_file(&f);
        if (in_gui && !watch_source)
            watch_source = g_timeout_add(WATCH_INTERVAL_MS, watch_read, NULL);
    }
    /* Only trees someone reads: the first pass's filtering trees are not. */
    if (!in_gui || !tree || !PTREE_DATA(tree)->visible || !get_gui_file(&f) || f.state != FILE_READ_IN_PROGRESS)
        return;
    item = proto_tree_add_none_format(tree, hf_macchk_provisional, NULL, 0, 0,
                                      "Provisional: the capture is still being read or captured; "
                                      "verdicts that need later frames are final when it ends");
    proto_item_set_generated(item);
}
