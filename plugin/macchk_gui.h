/* macchk_gui.h - what only the Wireshark GUI needs from macchk.
 *
 * The GUI filters the packet list during the first pass, when macchk knows
 * only the frames read so far: a request is called unanswered only once the
 * whole capture is known.  Once the file is read (or a live capture stops)
 * macchk re-applies a display filter that uses its fields, so the list shows
 * the whole-capture result; while the file is still being read or captured,
 * the macchk tree says its verdicts are provisional.  Outside the GUI
 * (tshark, rawshark) nothing here does anything. */
#ifndef MACCHK_GUI_H
#define MACCHK_GUI_H

#include <epan/packet.h>

/* From proto_reg_handoff_macchk(): the field and the per-file reset. */
void macchk_gui_register(int proto);

/* From the postdissector, for every frame macchk annotates; tree is the
 * macchk subtree (NULL without a tree). */
void macchk_gui_frame(proto_tree *tree);

#endif
