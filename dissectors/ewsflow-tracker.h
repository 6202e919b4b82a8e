/* ewsflow-tracker.h
 * The flow tracker: what happens to each HTTP request on each connection, with no epan
 * dependency. The post-dissector reads a frame's fields and feeds events (a request seen,
 * complete or as its first bytes; a response; server bytes; a reset; a FIN; an Autodiscover
 * answer); the tracker answers what the frame means: which requests a response answers,
 * which requests a reset killed or a FIN left unanswered, which client lookup a proxy hop
 * serves, and the story for a client's error. The unit tests and the fuzz harness drive it
 * exactly as the dissector does.
 *
 * State lives in the allocator given to ewsflow_tracker_new (the capture file's scope in
 * the dissector) and is bounded by ewsflow_limits_t.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_TRACKER_H
#define EWSFLOW_TRACKER_H

#include <glib.h>
#include <wsutil/nstime.h>
#include <wsutil/wmem/wmem.h>

#include "ewsflow-rules.h"
#include "ewsflow-auth.h"
#include "ews-message.h"
#include "ews-http.h"

/* One HTTP request on a connection. */
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
    const char        **targets;         /* mailboxes asked about (body, else X-AnchorMailbox of a hop) */
    guint               n_targets;
    const char         *mailboxes;       /* the same, comma-joined, for display */
    const char         *requester;
    const char         *server_addr;     /* the address the request went to, as the capture shows it */
    const char         *requester_source; /* where the requester was read: body header, token, credentials, anchor, client lookup */
    const char         *message_id;
    const char         *client_request_id; /* copied by Exchange from the client's request to its hops */
    guint32             response_frame;
    guint               status;
    const char         *diagnostics;     /* x-ms-diagnostics of its response */
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
    const char         *link_note;       /* hop: why the link to `client` is uncertain, or NULL */
    gboolean            link_tried;      /* hop: linking was attempted (it sits among the unlinked if it failed) */
    gboolean            registered;      /* client lookup: registered for its mailboxes */
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

/* A TLS connection followed without its keys: what can be seen from the outside. */
typedef enum {
    EWSFLOW_TLS_OPEN = 0,
    EWSFLOW_TLS_ANSWERED,         /* the server sent application data after the client's: a teardown is no failure */
    EWSFLOW_TLS_UNANSWERED,       /* the client sent application data, the server ended it with none back */
    EWSFLOW_TLS_ABANDONED,        /* ... the client ended it with none back */
    EWSFLOW_TLS_ALERT,            /* a readable alert during the handshake */
    EWSFLOW_TLS_HANDSHAKE_CUT,    /* reset or closed before the handshake finished */
    EWSFLOW_TLS_CLIENT_LEFT,      /* the client closed after the handshake without a request: likely its certificate check */
    EWSFLOW_TLS_IDLE              /* no request, ended by the server or idle: nothing lost */
} ewsflow_tls_outcome_t;

typedef struct {
    guint16        client_port;           /* the side that sent the ClientHello */
    const char    *opener, *responder;    /* addresses, as the capture shows them */
    const char    *sni, *alpn;
    guint16        version;
    guint32        hello_frame, cert_frame, server_hello_frame;
    nstime_t       hello_ts;
    gboolean       handshake_done;        /* the client's Finished went out (TLS 1.2: its ChangeCipherSpec) */
    gboolean       client_finished_skipped; /* TLS 1.3: the client's first encrypted record is its Finished */
    gboolean       tickets_skipped;       /* TLS 1.3: the server's first encrypted flight after it, taken as session tickets */
    guint32        client_records, client_bytes, first_client_frame, last_client_frame;
    nstime_t       last_client_ts;
    guint32        server_records, server_bytes;   /* application data after the client's first */
    guint32        last_server_frame;     /* the server's latest application data */
    int            alert;                 /* -1 none */
    gboolean       alert_by_server;
    guint32        alert_frame;
    ewsflow_tls_outcome_t outcome;
    guint32        end_frame;
    nstime_t       end_ts;
    gboolean       end_by_server, end_reset;
    guint32        story_frame;           /* a client's error whose story names this connection */
} ewsflow_tls_t;

/* One TCP connection that carried HTTP. */
typedef struct {
    guint32        stream;
    gboolean       exchange;       /* carried at least one Exchange request (or OAuth answer) */
    guint32        path_count[EWSFLOW_PATH__COUNT];   /* requests per path on the connection */
    wmem_list_t   *pending;        /* ewsflow_req_t*, oldest first, not yet answered */
    ewsflow_req_t *partial;        /* request whose first bytes were seen, not yet complete */
    ewsflow_req_t *handshake;      /* a bodiless NTLM/Negotiate request awaiting the request it authenticates */
    wmem_list_t   *h2_heads;       /* ews_http_request_t*: HTTP/2 POST header blocks awaiting their body, oldest first */
    ewsflow_tls_t *tls;            /* TLS seen from the outside, while no decrypted HTTP is on the connection */
    gboolean       decrypted;      /* HTTP was read on it (plain, or TLS with keys) */
    gboolean       conversation_attached;   /* the dissector's: handed to TCP's conversation */
    guint32        first_reset;
    guint32        rsp_bytes;      /* server bytes since the oldest pending request */
    guint32        unfollowed;     /* requests not followed since `pending` was full (max_pending) */
    gboolean       pending_full_reported;
} ewsflow_conn_t;

/* What one frame means, as the tracker decided it (lists NULL when empty). */
typedef struct {
    ewsflow_conn_t *conn;
    wmem_list_t    *requests;     /* ewsflow_req_t*: started or completed here */
    wmem_list_t    *answered;     /* answered here */
    wmem_list_t    *killed;       /* reset here before a complete response */
    wmem_list_t    *closed;       /* left unanswered by a FIN here */
    wmem_list_t    *stories;      /* ewsflow_story_t*: diagnoses written here */
    gboolean        reset;        /* a TCP reset of a followed connection */
    gboolean        reset_idle;   /* ... with nothing outstanding */
    guint32         duplicate_of; /* ... of a connection already reset there */
    const char     *limit_hit;    /* a state bound was reached here: what to say */
    guint32         unfollowed;   /* RST/FIN: outstanding requests past max_pending it also ended */
    ewsflow_tls_t  *tls_ended;    /* an encrypted connection this RST/FIN/alert ended, with its outcome */
} ewsflow_frame_t;

typedef struct {
    guint max_flows;      /* connections with HTTP followed per capture */
    guint max_requests;   /* HTTP requests followed per capture */
    guint max_pending;    /* requests awaiting an answer followed per connection */
} ewsflow_limits_t;



typedef struct ewsflow_tracker ewsflow_tracker_t;

ewsflow_tracker_t *ewsflow_tracker_new(wmem_allocator_t *scope, const ewsflow_limits_t *limits);
/* Releases what the tracker holds outside `scope` (its scratch allocator, its connection array). */
void ewsflow_tracker_free(ewsflow_tracker_t *tr);

/* The connection `stream`, created when `create` (NULL past max_flows: fr->limit_hit says so once). */
ewsflow_conn_t *ewsflow_tracker_conn(ewsflow_tracker_t *tr, guint32 stream, gboolean create, ewsflow_frame_t *fr);
/* Whether new requests are followed at all (max_requests); says so once in fr->limit_hit. */
gboolean ewsflow_tracker_takes_requests(ewsflow_tracker_t *tr, ewsflow_frame_t *fr);

/* A request in frame `frame`: `http` is its request line and headers (NULL for HTTP/2, where
 * only the body is known), `body` its EWS body (NULL when none was decoded). `complete`: the
 * whole request; otherwise its first bytes (headers only: Expect: 100-continue, or cut off).
 * A complete request with the same URI as the connection's partial one completes it. */
ewsflow_req_t *ewsflow_tracker_request(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts,
                                      guint16 server_port, const ews_http_request_t *http,
                                      const ews_msg_info_t *body, gboolean complete);
/* An HTTP/2 request's header block (HEADERS): kept for the body that follows on the
 * connection, which ewsflow_tracker_request then receives with `http` NULL. */
void ewsflow_tracker_h2_headers(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, const ews_http_request_t *h);
/* An HTTP/1.x response: it answers the oldest outstanding request of the connection. TRUE
 * when `body` (the next EWS response of the frame) was taken as that request's answer: only an
 * availability request's response carries one. */
gboolean ewsflow_tracker_response(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts,
                              guint status, const char *diagnostics, const ews_msg_info_t *body);
/* An EWS response paired by the body dissector (HTTP/2, or one HTTP/1 did not pair): it
 * answers the request of its transaction. */
void ewsflow_tracker_response_paired(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts,
                                     const ews_msg_info_t *body);
/* After the frame's responses: write the stories of the EWS error responses in `body`. */
void ewsflow_tracker_explain(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const ews_msg_info_t *body);
/* Payload bytes from `src_port` with no request in them: part of a response under way. */
void ewsflow_tracker_bytes(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint16 src_port, guint32 len);
/* A TCP reset from `src_port`: every outstanding request dies. */
void ewsflow_tracker_reset(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 src_port);
/* A FIN from `src_port`: from the server, every outstanding request is left unanswered. */
void ewsflow_tracker_fin(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 src_port);
/* URLs an Autodiscover answer in `frame` handed out (POX: availability address space). */
void ewsflow_tracker_autodiscover(ewsflow_tracker_t *tr, guint32 frame, gboolean pox, const char *const *urls, guint n);

/* What one TLS segment shows without keys (ewsflow-extract fills it). */
typedef struct {
    gboolean    client_hello, server_hello, certificate, ccs;
    guint       opaque_records, plain_app_records;
    guint32     len;                     /* TCP payload bytes */
    const guint32 *rec_len;              /* each encrypted record's length, or NULL */
    guint       n_rec_len;
    const char *sni, *alpn, *src_addr, *dst_addr;
    guint16     version;
    int         alert;                   /* -1 none */
} ewsflow_tls_segment_t;

/* A TLS segment from `src_port` on a connection with no decrypted HTTP. */
void ewsflow_tracker_tls(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 src_port,
                         const ewsflow_tls_segment_t *seg);
/* The capture holds only the client's side (a Fiddler archive, a HAR file): stories say so
 * rather than send the reader looking for a hop. */
void ewsflow_tracker_client_side_only(ewsflow_tracker_t *tr);
/* The request's server address (for linking encrypted hops opened by that server). */
void ewsflow_tracker_set_server_addr(ewsflow_tracker_t *tr, ewsflow_req_t *r, const char *addr);
const char *ewsflow_tls_outcome_text(ewsflow_tls_outcome_t o);
const char *ewsflow_tls_version_name(guint16 v);
const char *ewsflow_tls_alert_name(int desc);

/* The requests a report counts as lookups or hops. */
gboolean ewsflow_req_is_lookup(const ewsflow_req_t *r);
/* Whether the request lists `mailbox` among its targets (case-insensitive). */
gboolean ewsflow_req_targets(const ewsflow_req_t *r, const char *mailbox);

#endif
