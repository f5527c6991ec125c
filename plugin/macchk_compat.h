/* macchk_compat.h - every difference between the Wireshark versions macchk
 * builds against (4.0, 4.4, 4.6) lives here, so no other file needs a
 * version #if. */
#ifndef MACCHK_COMPAT_H
#define MACCHK_COMPAT_H

#include <epan/packet.h>
#include <wiretap/wtap.h>
#include <ws_version.h>

#define MACCHK_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) ||  \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* The variable type prefs_register_bool_preference() takes. */
typedef gboolean macchk_pref_bool;

/* Link-layer encapsulation (WTAP_ENCAP_*) of the frame, or -1 for non-packet records. */
static inline int macchk_frame_encap(const packet_info *pinfo)
{
    if (!pinfo->rec || pinfo->rec->rec_type != REC_TYPE_PACKET)
        return -1;
    return pinfo->rec->rec_header.packet_header.pkt_encap;
}

#endif
