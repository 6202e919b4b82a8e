/* ws-layers.h
 * Whether a protocol is among the frame's layers, by id: proto_is_frame_protocol() compares
 * names, a lookup and a strcmp per layer, and the post-dissectors ask on every frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef WS_LAYERS_H
#define WS_LAYERS_H

#include <epan/packet.h>

static inline gboolean
frame_has_proto(const packet_info *pinfo, int proto_id)
{
    if (proto_id <= 0)
        return FALSE;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f))
        if (GPOINTER_TO_INT(wmem_list_frame_data(f)) == proto_id)
            return TRUE;
    return FALSE;
}

#endif
