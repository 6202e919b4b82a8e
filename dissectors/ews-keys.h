/* ews-keys.h
 * Every per-frame data key of the "ews" protocol (p_add_proto_data), in one place so that
 * none can collide. Bodies past EWS_MAX_BODIES_PER_FRAME in one frame are decoded but not
 * remembered for pairing or routing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_KEYS_H
#define EWS_KEYS_H

#define EWS_MAX_BODIES_PER_FRAME 256

#define EWS_KEY_BODY_COUNTER 0                 /* pinfo->pool: EWS bodies seen so far in this frame */
#define EWS_KEY_PREPARED     1                 /* pinfo->pool: the body being handed from the media hook to "ews" */
#define EWS_KEY_H2_STREAM    2                 /* pinfo->pool: HTTP/2 stream of a body completed without END_STREAM */
#define EWS_KEY_H2_BODIES    3                 /* file scope: bodies completed in this frame without END_STREAM */
#define EWS_KEY_URLPOSTDATA  4                 /* file scope: OWA's X-OWA-UrlPostData request header value */
#define EWS_KEY_TXN(i)       (0x1000 + (i))    /* file scope: the i-th body's request/response transaction */
#define EWS_KEY_MSGINFO(i)   (0x2000 + (i))    /* file scope: what the i-th body told the routing post-dissector */

/* The routing post-dissector's own (protocol "ewsflow") */
#define EWSFLOW_KEY_NOTE     0                 /* file scope: what the frame contributed (frame_note_t) */

#endif
