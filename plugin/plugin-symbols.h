/* plugin-symbols.h
 * The version symbols Wireshark 4.0's plugin loader looks for (wsutil/plugins.c), for both
 * plugins of this project (the dissectors, the file reader). Include it in exactly one file
 * of a plugin: it defines them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFB_PLUGIN_SYMBOLS_H
#define EWSFB_PLUGIN_SYMBOLS_H

#include <glib.h>
#include <ws_symbol_export.h>
#include <ws_version.h>

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#endif
