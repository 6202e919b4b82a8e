/* ews-msginfo.h
 * What the EWS body dissector learned about each availability message, kept per frame
 * (file scope) for the routing post-dissector: the routing signals of a request's SOAP
 * headers and each mailbox's outcome in a response.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_MSGINFO_H
#define EWS_MSGINFO_H

#include <epan/packet.h>
#include "ews-txn.h"

typedef struct {
    const char *code;             /* ResponseCode */
    const char *cls;              /* ResponseClass */
    const char *response_source;  /* MessageXml/ResponseSource: the next hop's URL */
    const char *server;           /* ExceptionServerName */
    const char *inner;            /* innermost exception of MessageText */
    guint32     backoff_ms;       /* MessageXml BackOffMilliseconds (throttling), 0 when absent */
} ews_mailbox_result_t;

typedef struct {
    guint32               frame;
    gboolean              is_request;
    gboolean              is_fault;
    ews_txn_t            *txn;         /* request side: mailboxes, window; NULL when unpaired */
    const char           *request_type;
    gboolean              ssc;
    gboolean              sharing_security;
    gboolean              wsse;
    gboolean              impersonation;
    gboolean              owa_json;
    const char           *rsv;
    const char           *message_id;
    const char           *requester;   /* SSC PrimarySmtpAddress or impersonated address, when present */
    guint                 n_results;
    ews_mailbox_result_t *results;     /* response: one per FreeBusyResponse, request order */
    const char           *fault_code;
    guint32               fault_backoff_ms;   /* a fault's MessageXml BackOffMilliseconds, 0 when absent */
    const char           *operation;   /* GetUserAvailability, Autodiscover, GetUserSettings, ... */
    guint                 n_discovered;
    const char          **discovered;  /* EWS/availability URLs an Autodiscover answer handed out */
    gboolean              discovered_by_pox;   /* POX (address space) rather than SOAP Autodiscover */
} ews_msg_info_t;

/* The index-th EWS message of this frame, or NULL. Valid on every pass. */
const ews_msg_info_t *ews_msg_info_get(packet_info *pinfo, guint index);

#endif
