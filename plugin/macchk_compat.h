/* macchk_compat.h - every difference between the Wireshark versions macchk
 * builds against (4.0, 4.4, 4.6) lives here, so no other file needs a
 * version #if. */
#ifndef MACCHK_COMPAT_H
#define MACCHK_COMPAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <epan/packet.h>
#include <wiretap/wtap.h>
#include <ws_version.h>

#define MACCHK_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) ||  \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* plugin_describe() flags.  4.4 and 4.6 call the optional plugin_describe()
 * and list a plugin without it as type "unknown" (it still loads); 4.0
 * never looks for the symbol, so plugin.c can define it unconditionally. */
#if MACCHK_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#define MACCHK_PLUGIN_DESC_DISSECTOR WS_PLUGIN_DESC_DISSECTOR
#else
#define MACCHK_PLUGIN_DESC_DISSECTOR (1UL << 0)
#endif

/* Wireshark's boolean in bool-valued API: the variable behind
 * prefs_register_bool_preference(), the return of UAT update/check and
 * decode-as reset/change callbacks.  gboolean (int) in 4.0, C99 bool in 4.4
 * and 4.6; mixing them is -Wincompatible-pointer-types, an error since
 * GCC 14. */
#if MACCHK_WS_AT_LEAST(4, 2)
typedef bool macchk_ws_bool;
#else
typedef gboolean macchk_ws_bool;
#endif
typedef macchk_ws_bool macchk_pref_bool;

/* tvb_get_guint8() is deprecated from 4.4 on; 4.0 has only that name. */
#if !MACCHK_WS_AT_LEAST(4, 4)
#define tvb_get_uint8 tvb_get_guint8
#endif

/* val_to_str(): 4.6 takes the allocator first and dropped val_to_str_wmem(). */
#if MACCHK_WS_AT_LEAST(4, 6)
#define macchk_val_to_str(scope, val, vs, fmt) val_to_str((scope), (val), (vs), (fmt))
#else
#define macchk_val_to_str(scope, val, vs, fmt) val_to_str_wmem((scope), (val), (vs), (fmt))
#endif

/* stat_tap_ui.tap_init_cb, the handler of a `-z macchk,...` option:
 * void up to 4.4, bool in 4.6 (false: tshark stops with an error).  Write
 *     static macchk_stat_init_ret report_init(const char *opt_arg, void *userdata)
 * and end it with MACCHK_STAT_INIT_OK, or MACCHK_STAT_INIT_FAIL after
 * printing why (before 4.6 failing means exiting, as tshark's own taps do). */
#if MACCHK_WS_AT_LEAST(4, 6)
typedef bool macchk_stat_init_ret;
#define MACCHK_STAT_INIT_OK   return true
#define MACCHK_STAT_INIT_FAIL return false
#else
typedef void macchk_stat_init_ret;
#define MACCHK_STAT_INIT_OK   return
#define MACCHK_STAT_INIT_FAIL exit(1)
#endif

/* stats_tree_register_plugin(): void in 4.0, returns stats_tree_cfg * from
 * 4.4 (and the third argument is a menu path, "/"-separated); the result
 * is not needed.  stats_tree_register_with_group() is gone in 4.4. */
#define macchk_stats_tree_register(tap, abbr, path, flags, packet, init, cleanup) \
    ((void)stats_tree_register_plugin((tap), (abbr), (path), (flags), (packet), (init), (cleanup)))

/* Link-layer encapsulation (WTAP_ENCAP_*) of the frame, or -1 for non-packet records. */
static inline int macchk_frame_encap(const packet_info *pinfo)
{
    if (!pinfo->rec || pinfo->rec->rec_type != REC_TYPE_PACKET)
        return -1;
    return pinfo->rec->rec_header.packet_header.pkt_encap;
}

/* The capture interface of the frame (pcapng interface id), 0 when the
 * file has none (classic pcap). */
static inline uint32_t macchk_frame_interface(const packet_info *pinfo)
{
    if (!pinfo->rec || !(pinfo->rec->presence_flags & WTAP_HAS_INTERFACE_ID))
        return 0;
    return pinfo->rec->rec_header.packet_header.interface_id;
}

/* Vendor name of a MAC's OUI, or NULL (the report's hosts table).  4.0
 * takes the 3-octet prefix only; 4.2 added the address length. */
#include <epan/addr_resolv.h>
#if MACCHK_WS_AT_LEAST(4, 2)
#define macchk_manuf_name(mac) get_manuf_name_if_known((mac), 6)
#else
#define macchk_manuf_name(mac) get_manuf_name_if_known(mac)
#endif

/* Not differences, but what macchk_stats.c relies on in every version
 * (the one-pass golden tests of tests/test_prefs_report.py fail if not):
 *  - tap listeners are drawn newest first (tap.c prepends them), so the
 *    listener a stats tree's init callback registers is drawn before the
 *    tree itself;
 *  - tshark draws the taps before it frees the file's dissection session,
 *    so the trackers of the session the records carry are still alive in
 *    draw callbacks.
 * And one difference handled without an #if: tshark 4.6 frees its stats
 * trees from remove_all_tap_listeners(), so a tree's cleanup callback must
 * not remove another tap listener (a double free); the settling listener
 * frees itself in its own finish callback instead. */

#endif
