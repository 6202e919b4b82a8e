/* packet-ewsflow.h
 * The "ewsflow" post-dissector: routing path of every EWS/OWA/Autodiscover request, requests
 * killed by a TCP reset, and the story linking a client's lookup to the proxy hop it caused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_EWSFLOW_H
#define PACKET_EWSFLOW_H

#include <epan/packet.h>
#include "ewsflow-rules.h"
#include "ewsflow-auth.h"

extern int proto_ewsflow;

/* One HTTP request on a TCP flow, as the post-dissector tracks it (file scope). */
typedef struct ewsflow_req {
    guint32             frame;           /* where the request is (complete, or its first bytes) */
    guint32             first_frame;     /* where its first bytes were seen */
    gboolean            complete;        /* HTTP (or HTTP/2) delivered the whole request */
    gboolean            exchange;        /* EWS/OWA/Autodiscover: classified and reported */
    gboolean            availability;    /* carries a GetUserAvailability body */
    nstime_t            ts;
    guint32             stream;
    guint16             server_port;
    ewsflow_path_t      path;
    const char         *evidence;
    const char         *conflict;
    const char         *method, *uri, *host, *user_agent, *anchor;
    const char         *mailboxes;       /* comma-joined targets (body, else X-AnchorMailbox) */
    const char         *requester;
    const char         *message_id;
    const char         *client_request_id; /* copied by Exchange from the client's request to its hops */
    guint32             response_frame;
    guint               status;
    const char         *outcome;         /* per-mailbox summary of the EWS response, when decoded */
    nstime_t            response_ts;
    guint32             reset_frame;     /* RST that killed it before a complete response */
    nstime_t            reset_ts;
    gboolean            reset_by_server;
    guint32             partial_response_bytes;
    guint32             closed_frame;    /* FIN with the request unanswered */
    ewsflow_jwt_t      *jwt;             /* decoded Authorization: Bearer, or NULL */
    guint32             autodiscover_frame; /* the Autodiscover answer that handed out this URL, or 0 */
    guint32             story_frame;     /* the client's error response whose story names this hop, or 0 */
    struct ewsflow_req *client;          /* hop -> the client lookup that caused it */
    wmem_list_t        *hops;            /* client lookup -> hops it caused */
} ewsflow_req_t;

/* A diagnosis written on a client's error response. */
typedef struct {
    ewsflow_req_t *req;                     /* the client lookup */
    const char    *story;                   /* the whole text: happened; why. check */
    const char    *summary;                 /* one line: Info column, expert info */
    const char    *happened, *why, *check;  /* one tree item each */
    ewsflow_req_t *hop;                     /* NULL when no hop explains it (throttling) */
} ewsflow_story_t;

/* What the "ewsflow" tap hands its listeners, per frame (lists may be NULL). */
typedef struct {
    wmem_list_t *started;    /* ewsflow_req_t*: requests that started or completed here */
    wmem_list_t *answered;   /* ewsflow_req_t*: answered here */
    wmem_list_t *killed;     /* ewsflow_req_t*: reset here */
    wmem_list_t *closed;     /* ewsflow_req_t*: left unanswered by a FIN here */
    wmem_list_t *stories;    /* ewsflow_story_t*: diagnoses written here */
} ewsflow_tap_info_t;

/* The requests a report counts as lookups or hops. */
gboolean ewsflow_req_is_lookup(const ewsflow_req_t *r);

typedef struct {
    guint max_flows;      /* TCP flows with HTTP tracked per capture */
    guint max_requests;   /* HTTP requests tracked per capture */
    guint max_pending;    /* requests awaiting an answer followed per TCP connection */
} ewsflow_prefs_t;

extern ewsflow_prefs_t ewsflow_prefs;

void proto_register_ewsflow(void);
void proto_reg_handoff_ewsflow(void);

#endif
