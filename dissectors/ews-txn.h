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

typedef struct {
    guint32      req_frame;
    guint32      rsp_frame;       /* 0 until the response is seen */
    nstime_t     req_time;
    const char  *operation;
    guint        n_mailboxes;
    const char **mailboxes;       /* the request's MailboxData addresses, in order */
    const char  *rsv;             /* RequestServerVersion, or NULL */
    const char  *window_start;    /* FreeBusyViewOptions/TimeWindow/StartTime, or NULL */
    const char  *window_end;
    guint        interval;        /* MergedFreeBusyIntervalInMinutes, 0 when absent */
    gboolean     freebusy_asked;  /* FreeBusyViewOptions present: one FreeBusyResponse per mailbox is due */
} ews_txn_t;

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
