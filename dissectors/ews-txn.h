/* ews-txn.h
 * Request/response pairing for EWS bodies (doc/README.request_response_tracking style):
 * per conversation and HTTP/2 stream, a FIFO of requests still waiting for a response;
 * per frame, the transaction each body belongs to, kept for later passes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_TXN_H
#define EWS_TXN_H

#include <epan/packet.h>
#include "ews-message.h"

/* ews_txn_t is plain data (ews-message.h); pairing it is epan's business (conversations). */

/* At registration: the protocol whose per-frame data holds transactions. */
void ews_txn_init(int proto);
/* Only on the first pass: a new request; returns the file-scoped transaction to fill in. */
ews_txn_t *ews_txn_new_request(packet_info *pinfo, guint32 stream, const char *operation);
/* Only on the first pass: the oldest open request on this conversation and stream, or NULL. */
ews_txn_t *ews_txn_take_response(packet_info *pinfo, guint32 stream);
/* Whether a request is open on this conversation and stream (a SOAP fault may answer it). */
gboolean ews_txn_has_pending(packet_info *pinfo, guint32 stream);
/* The transaction recorded for the index-th EWS body of this frame (any pass). */
void ews_txn_remember(packet_info *pinfo, guint index, ews_txn_t *txn);
ews_txn_t *ews_txn_recall(packet_info *pinfo, guint index);

#endif
