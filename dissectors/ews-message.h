/* ews-message.h
 * What the EWS body dissector learned about one availability message, as plain data: the
 * request/response transaction it belongs to, the routing signals of a request's SOAP
 * headers and each mailbox's outcome in a response. No epan dependency: the flow tracker,
 * its unit tests and its fuzz harness build these too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_MESSAGE_H
#define EWS_MESSAGE_H

#include <glib.h>
#include <wsutil/nstime.h>

/* A request and (once seen) its response. */
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

typedef struct {
    const char *code;             /* ResponseCode */
    const char *cls;              /* ResponseClass */
    const char *response_source;  /* MessageXml/ResponseSource: the next hop's URL */
    const char *server;           /* ExceptionServerName */
    const char *inner;            /* innermost exception of MessageText */
    guint32     backoff_ms;       /* MessageXml BackOffMilliseconds (throttling), 0 when absent */
    const char *socket_op;        /* "send" or "receive": where .NET says the connection failed, or NULL */
    gboolean    proxy_failure;    /* the error is about the proxy request (ErrorProxy*, "Proxy web request failed") */
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
    const char           *requester_source;   /* where the body says it: "SerializedSecurityContext", "ExchangeImpersonation" */
    guint                 n_results;
    ews_mailbox_result_t *results;     /* response: one per FreeBusyResponse, request order */
    const char           *fault_code;
    guint32               fault_backoff_ms;   /* a fault's MessageXml BackOffMilliseconds, 0 when absent */
    const char           *operation;   /* GetUserAvailability, Autodiscover, GetUserSettings, ... */
    guint                 n_discovered;
    const char          **discovered;  /* EWS/availability URLs an Autodiscover answer handed out */
    gboolean              discovered_by_pox;   /* POX (address space) rather than SOAP Autodiscover */
} ews_msg_info_t;

#endif
