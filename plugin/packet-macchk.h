/* packet-macchk.h - what the dissector shares with its statistics and report.
 *
 * The dissector queues one macchk_result (macchk_result.h) per annotated
 * frame on the tap named MACCHK_TAP_NAME. */
#ifndef PACKET_MACCHK_H
#define PACKET_MACCHK_H

#include "macchk_result.h"
#include "macchk_track.h"

#define MACCHK_TAP_NAME "macchk"

/* The ARP tracker of the open file (whole capture once the first pass is
 * done); NULL when no file is open. */
const macchk_tracker *macchk_current_tracker(void);

/* The preferences in force, as a policy. */
const macchk_policy *macchk_current_policy(void);

/* Register the stats tree and the tshark -z reports (macchk_stats.c). */
void macchk_register_stats(void);

#endif
