/* ews-h2body.h
 * HTTP/2 bodies whose stream never ends (RST_STREAM after the last byte, or a capture that
 * stops before END_STREAM): completed at their content-length and decoded as EWS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_H2BODY_H
#define EWS_H2BODY_H

#include <epan/packet.h>

/* In proto_register_ews / its handoff. */
void ews_h2body_register(void);
void ews_h2body_handoff(void);
/* Part of the ews post-dissector (ews-post.c): the fields it reads, and what it does in a frame
 * with HTTP/2. */
void ews_h2body_wanted(GArray *wanted);
void ews_h2body_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);
/* Whether this direction of this HTTP/2 stream was completed and decoded in an earlier frame
 * (a later END_STREAM hand-off of the same body is then not decoded again). */
gboolean ews_h2body_completed_earlier(packet_info *pinfo, guint32 stream_id);

#endif
