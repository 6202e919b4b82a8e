/* plugin.c
 * The dissector plugin's registration (plugin-symbols.h has the loader's version symbols).
 * Everything else in the module is hidden.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/proto.h>

#include "ews-register.h"
#include "packet-ewsflow.h"
#include "packet-ewsfile.h"
#include "plugin-symbols.h"

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
