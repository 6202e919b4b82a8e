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
#include "packet-ewsfile.h"

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

/* One registration for both protocols, in this order: epan keeps plugins in a list it
 * prepends to, and post-dissectors run in the order they were registered, so the body
 * dissector's own post-dissectors (HTTP/2 bodies without END_STREAM, OWA's
 * X-OWA-UrlPostData) must be registered before the routing post-dissector that reads what
 * they decoded. */
static void
register_protocols(void)
{
    proto_register_ews();
    proto_register_ewsflow();
    proto_register_ewsfile();
}

static void
register_handoffs(void)
{
    proto_reg_handoff_ews();
    proto_reg_handoff_ewsflow();
    proto_reg_handoff_ewsfile();
}

void
plugin_register(void)
{
    static proto_plugin ewsfb_plugin;

    ewsfb_plugin.register_protoinfo = register_protocols;
    ewsfb_plugin.register_handoff = register_handoffs;
    proto_register_plugin(&ewsfb_plugin);
}
