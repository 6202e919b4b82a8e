/* plugin.c
 * The four symbols Wireshark 4.0's plugin loader looks for (wsutil/plugins.c).
 * Everything else in the module is hidden.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ws_symbol_export.h>
#include <ws_version.h>
#include <epan/proto.h>

#include "ews-register.h"
#include "packet-ewsflow.h"

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    static proto_plugin ews_plugin, ewsflow_plugin;

    ews_plugin.register_protoinfo = proto_register_ews;
    ews_plugin.register_handoff = proto_reg_handoff_ews;
    proto_register_plugin(&ews_plugin);
    ewsflow_plugin.register_protoinfo = proto_register_ewsflow;
    ewsflow_plugin.register_handoff = proto_reg_handoff_ewsflow;
    proto_register_plugin(&ewsflow_plugin);
}
