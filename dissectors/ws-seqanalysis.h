/* ws-seqanalysis.h
 * Wireshark 4.0 exports register_seq_analysis() and its helpers from libwireshark but does not
 * install epan/sequence_analysis.h. These declarations match the 4.0.x layout of the two
 * structures a flow-graph tap fills (checked against the 4.0.17 source); they are used only
 * against the 4.0 ABI that CMakeLists.txt insists on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef WS_SEQANALYSIS_H
#define WS_SEQANALYSIS_H

#include <ws_symbol_export.h>
#include <epan/packet_info.h>
#include <epan/tap.h>
#include <epan/address.h>

/* One arrow of the Flow Graph. */
typedef struct {
    guint32  frame_number;
    address  src_addr;
    guint16  port_src;
    address  dst_addr;
    guint16  port_dst;
    gchar   *frame_label;      /* above the arrow; g_malloc'd, freed by Wireshark */
    gchar   *time_str;
    gchar   *comment;          /* right-hand column; g_malloc'd, freed by Wireshark */
    guint16  conv_num;
    unsigned fg_color;
    unsigned bg_color;
    gboolean has_color_filter;
    gboolean display;
    guint    src_node;
    guint    dst_node;
    guint16  line_style;
    guint32  info_type;
    gpointer info_ptr;
} ews_seq_item_t;

/* The graph a tap adds arrows to (the tap's `tapdata`). */
typedef struct {
    const char *name;
    gboolean    any_addr;
    int         nconv;
    GQueue     *items;
    GHashTable *ht;
    address     nodes[40];
    guint32     num_nodes;
} ews_seq_info_t;

WS_DLL_PUBLIC void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                                         const char *tap_listener, guint tap_flags, tap_packet_cb tap_func);
WS_DLL_PUBLIC ews_seq_item_t *sequence_analysis_create_sai_with_addresses(packet_info *pinfo, ews_seq_info_t *sainfo);
WS_DLL_PUBLIC void sequence_analysis_use_color_filter(packet_info *pinfo, ews_seq_item_t *sai);

#endif
