/* ews-owa-header.h
 * OWA's body-less requests: X-OWA-UrlPostData decoded as EWS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_OWA_HEADER_H
#define EWS_OWA_HEADER_H

#include <epan/packet.h>

/* In proto_register_ews's handoff. */
void ews_owa_header_handoff(void);
/* Part of the ews post-dissector (ews-post.c): the field it reads, and what it does per frame
 * (`http`: the frame has an HTTP layer). */
void ews_owa_header_wanted(GArray *wanted);
void ews_owa_header_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gboolean http);

#endif
