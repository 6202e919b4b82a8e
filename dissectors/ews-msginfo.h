/* ews-msginfo.h
 * The per-frame hand-over from the "ews" body dissector to the routing post-dissector: the
 * index-th EWS message decoded in a frame (ews-message.h says what it holds).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_MSGINFO_H
#define EWS_MSGINFO_H

#include <epan/packet.h>
#include "ews-message.h"

/* The index-th EWS message of this frame, or NULL. Valid on every pass. */
const ews_msg_info_t *ews_msg_info_get(packet_info *pinfo, guint index);

#endif
