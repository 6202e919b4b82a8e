/* ewsflow-rules.h
 * Which routing path an EWS/OWA/Autodiscover request took, from the signals on the wire.
 * The table in ewsflow-rules.c is the whole rule set: signal -> path -> weight, and the
 * evidence text is built from the same rows. No epan dependency (unit-tested).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_RULES_H
#define EWSFLOW_RULES_H

#include <glib.h>
#include <wsutil/wmem/wmem.h>

typedef enum {
    EWSFLOW_PATH_UNKNOWN = 0,
    EWSFLOW_PATH_CLIENT_EWS,
    EWSFLOW_PATH_CLIENT_OWA,
    EWSFLOW_PATH_FRONTEND_BACKEND,
    EWSFLOW_PATH_CROSS_SITE,
    EWSFLOW_PATH_AS_PERUSER,
    EWSFLOW_PATH_AS_ORGWIDE,
    EWSFLOW_PATH_AS_ORGWIDE_BASIC,
    EWSFLOW_PATH_ORG_RELATIONSHIP,
    EWSFLOW_PATH_PERSONAL_RELATIONSHIP,
    EWSFLOW_PATH_OAUTH_INTRAORG,
    EWSFLOW_PATH_AUTODISCOVER,
    EWSFLOW_PATH__COUNT
} ewsflow_path_t;

/* What one request shows. Strings may be NULL. */
typedef struct {
    const char *method;
    const char *uri;
    const char *user_agent;
    const char *authorization;     /* the header value (only its scheme is used) */
    const char *action;            /* OWA "Action" header */
    gboolean    owa_headers;       /* any X-OWA-* request header */
    gboolean    cafe_headers;      /* X-IsFromCafe, X-CommonAccessToken, X-SourceCafeServer, msExchProxyUri */
    guint16     server_port;
    /* from the EWS SOAP body, when there is one */
    gboolean    have_soap;
    const char *request_type;      /* RequestTypeHeader/RequestType value */
    gboolean    ssc;               /* SerializedSecurityContext */
    gboolean    sharing_security;
    gboolean    wsse;
    const char *rsv;               /* RequestServerVersion */
    gboolean    impersonation;
    gboolean    owa_json;          /* the body is Outlook on the web's JSON */
    /* from elsewhere in the capture */
    int         url_from_autodiscover;   /* 0 none, 1 a POX Autodiscover answer, 2 a SOAP one */
    gboolean    s2s_token;               /* Bearer JWT for Exchange with an actor/app identity (server to server) */
} ewsflow_signals_t;

typedef struct {
    ewsflow_path_t path;
    int            score;
    const char    *evidence;       /* "signal [strong]; signal [weak]; ..." for the chosen path */
    const char    *conflict;       /* other paths with strong signals the chosen one lacks, or NULL */
    guint32        signals;        /* bit per detected signal (for tests) */
} ewsflow_verdict_t;

const char *ewsflow_path_name(ewsflow_path_t p);
/* TRUE for paths on which an Exchange server is the client (proxy hops). */
gboolean ewsflow_path_is_server_hop(ewsflow_path_t p);
/* What to check when a request on this path was reset. */
const char *ewsflow_path_reset_hint(ewsflow_path_t p);

/* TRUE when the request is EWS, OWA or Autodiscover traffic worth classifying. */
gboolean ewsflow_is_exchange_request(const ewsflow_signals_t *s);
void ewsflow_classify(wmem_allocator_t *scope, const ewsflow_signals_t *s, ewsflow_verdict_t *out);
/* The same in two steps: the signals a request shows (bits), and the verdict on them, which
 * depends on nothing else (so a caller may keep verdicts by signal set). */
guint32 ewsflow_detect(const ewsflow_signals_t *s);
void ewsflow_classify_signals(wmem_allocator_t *scope, guint32 sigs, ewsflow_verdict_t *out);

/* The table itself, for the unit test that proves weak signals never overrule strong ones:
 * signals are numbered 0..count-1 (the bits of ewsflow_verdict_t.signals). */
int ewsflow_signal_count(void);
gboolean ewsflow_signal_is_strong(int sig);
gboolean ewsflow_signal_is_hop_only(int sig);
int ewsflow_signal_weight(int sig, ewsflow_path_t p);
/* Stage 1: may a request with these signals take path p? */
gboolean ewsflow_path_allowed(guint32 sigs, ewsflow_path_t p);
/* Stages 1 and 2 on a set of signals. */
ewsflow_path_t ewsflow_rank_signals(guint32 sigs);

#endif
