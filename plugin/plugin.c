/* plugin.c - entry points Wireshark's plugin loader looks for. */
#include <epan/proto.h>
#include <ws_symbol_export.h>
#include <ws_version.h>

#include "macchk_compat.h"

void proto_register_macchk(void);
void proto_reg_handoff_macchk(void);

WS_DLL_PUBLIC_DEF const char plugin_version[] = MACCHK_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
WS_DLL_PUBLIC uint32_t plugin_describe(void);

void plugin_register(void)
{
    static proto_plugin plugin_macchk;

    plugin_macchk.register_protoinfo = proto_register_macchk;
    plugin_macchk.register_handoff = proto_reg_handoff_macchk;
    proto_register_plugin(&plugin_macchk);
}

uint32_t plugin_describe(void)
{
    return MACCHK_PLUGIN_DESC_DISSECTOR;
}
