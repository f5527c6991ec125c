/* packet-macchk.h - what the dissector shares with its statistics and report.
 *
 * The dissector queues one macchk_result (macchk_result.h) per annotated
 * frame on the tap named MACCHK_TAP_NAME; its session (trackers, policy,
 * caps, timeouts) comes with it, so listeners need no other access. */
#ifndef PACKET_MACCHK_H
#define PACKET_MACCHK_H

#include "macchk_result.h"

#define MACCHK_TAP_NAME "macchk"

/* Register the stats tree and the tshark -z reports (macchk_stats.c). */
void macchk_register_stats(void);

#endif
