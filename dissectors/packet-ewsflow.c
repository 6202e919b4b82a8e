/* packet-ewsflow.c
 * Post-dissector over every TCP frame (transum style): the fields it needs are named in one
 * table and primed; on the first pass it updates per-stream state and records per-frame
 * notes; on every pass it renders those notes. Later facts (a request's reset, its response)
 * reach earlier frames only when the frame is dissected again (GUI, tshark -2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet-ewsflow.h"

#include <string.h>
#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/prefs.h>
#include <epan/to_str.h>
#include <wsutil/str_util.h>

#include "ews-msginfo.h"
#include "ews-intern.h"
#include "packet-ews.h"
#include "ewsflow-report.h"
#include "ewsflow-text.h"
#include "ewsflow-stats.h"

int proto_ewsflow = -1;
static int ewsflow_tap = -1;
static dissector_handle_t ewsflow_handle;

static int hf_path = -1;
static int hf_request_path = -1;
static int hf_killed_path = -1;
static int hf_completed_in = -1;
static int hf_evidence = -1;
static int hf_conflict = -1;
static int hf_target = -1;
static int hf_requester = -1;
static int hf_endpoint = -1;
static int hf_partial_request = -1;
static int hf_reset = -1;
static int hf_reset_in = -1;
static int hf_request_in = -1;
static int hf_reset_after = -1;
static int hf_reset_by = -1;
static int hf_reset_duplicate = -1;
static int hf_reset_partial_bytes = -1;
static int hf_response_in = -1;
static int hf_closed_in = -1;
static int hf_story = -1;
static int hf_oauth = -1;
static int hf_oauth_empty = -1;
static int hf_oauth_alg = -1;
static int hf_oauth_x5t = -1;
static int hf_oauth_aud = -1;
static int hf_oauth_iss = -1;
static int hf_oauth_nii = -1;
static int hf_oauth_appid = -1;
static int hf_oauth_smtp = -1;
static int hf_oauth_upn = -1;
static int hf_oauth_nameid = -1;
static int hf_oauth_nbf = -1;
static int hf_oauth_exp = -1;
static int hf_oauth_actor = -1;
static int hf_oauth_s2s = -1;
static int hf_oauth_claim = -1;
static int hf_challenge = -1;
static int hf_challenge_param = -1;
static int hf_client_id = -1;
static int hf_diagnostics = -1;
static int hf_diag_code = -1;
static int hf_diag_reason = -1;
static int hf_diag_category = -1;
static int hf_autodiscover_in = -1;
static int hf_hint = -1;
static int hf_hop_in = -1;
static int hf_hop_path = -1;
static int hf_client_request_in = -1;
static int hf_unfollowed = -1;
static int hf_evidence_signal = -1;
static int hf_conflict_part = -1;
static int hf_hint_step = -1;
static int hf_story_happened = -1;
static int hf_story_why = -1;
static int hf_story_check = -1;
static int hf_story_in = -1;

static gint ett_ewsflow = -1;
static gint ett_ewsflow_request = -1;
static gint ett_ewsflow_reset = -1;
static gint ett_ewsflow_oauth = -1;
static gint ett_ewsflow_text = -1;

static expert_field ei_reset = EI_INIT;
static expert_field ei_reset_after_response = EI_INIT;
static expert_field ei_reset_duplicate = EI_INIT;
static expert_field ei_fin_unanswered = EI_INIT;
static expert_field ei_story = EI_INIT;
static expert_field ei_conflict = EI_INIT;
static expert_field ei_limit = EI_INIT;
static expert_field ei_oauth_malformed = EI_INIT;
static expert_field ei_oauth_expired = EI_INIT;
static expert_field ei_oauth_failure = EI_INIT;
static expert_field ei_oauth_challenge = EI_INIT;

/* ---- the fields this post-dissector reads ---------------------------------------- */

typedef enum {
    F_TCP_STREAM, F_TCP_RESET, F_TCP_FIN, F_TCP_SRCPORT, F_TCP_DSTPORT, F_TCP_LEN, F_TCP_PAYLOAD,
    F_HTTP_METHOD, F_HTTP_URI, F_HTTP_LINE, F_HTTP_RESPONSE_CODE, F_HTTP_RESPONSE_LINE, F_HTTP2_STREAMID,
    F__COUNT
} wanted_t;

static const char *const wanted_names[F__COUNT] = {
    "tcp.stream", "tcp.flags.reset", "tcp.flags.fin", "tcp.srcport", "tcp.dstport", "tcp.len", "tcp.payload",
    "http.request.method", "http.request.uri", "http.request.line", "http.response.code", "http.response.line",
    "http2.streamid",
};
static int wanted_hf[F__COUNT];
static int proto_tls = -1;

static GPtrArray *
finfos(proto_tree *tree, wanted_t w)
{
    return wanted_hf[w] > 0 ? proto_get_finfo_ptr_array(tree, wanted_hf[w]) : NULL;
}

static gboolean
first_uint(proto_tree *tree, wanted_t w, guint32 *out)
{
    GPtrArray *a = finfos(tree, w);
    if (!a || !a->len)
        return FALSE;
    *out = fvalue_get_uinteger(&((field_info *)a->pdata[0])->value);
    return TRUE;
}

static gboolean
first_bool(proto_tree *tree, wanted_t w)
{
    GPtrArray *a = finfos(tree, w);
    return a && a->len && fvalue_get_uinteger64(&((field_info *)a->pdata[0])->value) != 0;
}

/* ---- per-capture state ----------------------------------------------------------- */

typedef struct {
    guint32        stream;
    gboolean       exchange;       /* carried at least one Exchange request */
    guint32        path_count[EWSFLOW_PATH__COUNT];   /* requests per path on the flow */
    wmem_list_t   *pending;        /* ewsflow_req_t*, oldest first, not yet answered */
    ewsflow_req_t *partial;        /* request whose first bytes were seen, not yet complete */
    guint32        first_reset;
    guint32        rsp_bytes;      /* server bytes since the oldest pending request */
    guint32        unfollowed;     /* requests not followed since `pending` was full (max_pending) */
    gboolean       pending_full_reported;
} flow_t;

typedef ewsflow_story_t story_t;

/* What one frame contributes; rendered on every pass. */
typedef struct {
    flow_t      *flow;
    wmem_list_t *requests;    /* ewsflow_req_t* started or completed here */
    wmem_list_t *answered;    /* requests answered here */
    wmem_list_t *killed;      /* requests this RST killed */
    wmem_list_t *closed;      /* requests this FIN left unanswered */
    wmem_list_t *stories;     /* story_t*: an EWS error response explained by a hop */
    gboolean     reset;
    guint32      duplicate_of;
    gboolean     reset_idle;  /* RST with nothing outstanding */
    const char  *limit_hit;   /* a state bound was reached here: what the expert info says */
    guint32      unfollowed;  /* RST/FIN: further outstanding requests that were not followed */
    const char  *challenge;   /* WWW-Authenticate: Bearer ... of a response here */
    const char  *diagnostics; /* x-ms-diagnostics of a response here */
    const char  *urlpostdata; /* OWA's X-OWA-UrlPostData request header: re-shown on later passes */
} frame_note_t;

static wmem_map_t *flows;          /* tcp.stream -> flow_t */
static wmem_map_t *req_by_frame;   /* request frame -> ewsflow_req_t (for EWS response pairing) */
static wmem_map_t *lookups_by_mbx; /* lower-cased mailbox -> wmem_list_t of client lookups */
static wmem_map_t *discovered_urls; /* "host/path" (lower case, no /wssecurity) -> discovery_t */

typedef struct {
    guint32  frame;
    gboolean pox;
} discovery_t;

static guint n_flows, n_requests;    /* this capture's, against the preferences' bounds */
static gboolean flow_limit_reported, request_limit_reported;

ewsflow_prefs_t ewsflow_prefs = { 100000, 1000000, 1000 };

static void
ewsflow_init(void)
{
    n_flows = n_requests = 0;
    flow_limit_reported = request_limit_reported = FALSE;
    GArray *wanted = g_array_sized_new(FALSE, FALSE, sizeof(int), F__COUNT);
    for (int i = 0; i < F__COUNT; i++) {
        if (wanted_hf[i] > 0)
            g_array_append_val(wanted, wanted_hf[i]);
    }
    set_postdissector_wanted_hfids(ewsflow_handle, wanted);
}

static void
ewsflow_cleanup(void)
{
    set_postdissector_wanted_hfids(ewsflow_handle, NULL);
}

/* State only for flows that carry HTTP: a capture of a million connections that never
 * speak HTTP costs nothing, and the flows that do are bounded by ewsflow.max_flows. */
static flow_t *
get_flow(packet_info *pinfo, guint32 stream, gboolean create, gboolean *refused)
{
    flow_t *f = (flow_t *)wmem_map_lookup(flows, GUINT_TO_POINTER(stream + 1));
    if (!f && create) {
        if (n_flows >= ewsflow_prefs.max_flows) {
            *refused = TRUE;
            return NULL;
        }
        n_flows++;
        f = wmem_new0(wmem_file_scope(), flow_t);
        f->stream = stream;
        f->pending = wmem_list_new(wmem_file_scope());
        wmem_map_insert(flows, GUINT_TO_POINTER(stream + 1), f);
        /* every frame of the connection finds its flow through TCP's conversation, whatever
         * fields the tree holds (a filter or column on ewsflow.path alone, the GUI's list) */
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        if (conv)
            conversation_add_proto_data(conv, proto_ewsflow, f);
    }
    return f;
}

/* ---- requests ---------------------------------------------------------------------- */

gboolean
ewsflow_req_is_lookup(const ewsflow_req_t *r)
{
    return r->exchange && (r->availability || (ewsflow_path_is_server_hop(r->path) && r->mailboxes));
}

typedef struct {
    const char *host, *user_agent, *authorization, *action, *anchor, *client_request_id;
    gboolean    owa, cafe;
} http_headers_t;

static void
take_header(wmem_allocator_t *scope, http_headers_t *h, const char *line, gsize len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return;
    gsize nlen = (gsize)(colon - line);
    const char *v = colon + 1;
    gsize vlen = len - nlen - 1;
    while (vlen && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
        vlen--;
#define IS(name) (nlen == sizeof(name) - 1 && g_ascii_strncasecmp(line, name, nlen) == 0)
    if (IS("Host"))
        h->host = wmem_strndup(scope, v, vlen);
    else if (IS("User-Agent"))
        h->user_agent = wmem_strndup(scope, v, vlen);
    else if (IS("Authorization"))
        h->authorization = wmem_strndup(scope, v, vlen);
    else if (IS("Action"))
        h->action = wmem_strndup(scope, v, vlen);
    else if (IS("X-AnchorMailbox"))
        h->anchor = wmem_strndup(scope, v, vlen);
    else if (IS("client-request-id"))
        h->client_request_id = wmem_strndup(scope, v, vlen);
    else if (IS("X-IsFromCafe") || IS("X-CommonAccessToken") || IS("X-SourceCafeServer") || IS("msExchProxyUri"))
        h->cafe = TRUE;
    else if (nlen > 6 && g_ascii_strncasecmp(line, "X-OWA-", 6) == 0)
        h->owa = TRUE;
#undef IS
}

static const char *
join_mailboxes(const ews_txn_t *t)
{
    if (!t || !t->n_mailboxes)
        return NULL;
    wmem_strbuf_t *sb = wmem_strbuf_new(NULL, "");
    for (guint i = 0; i < t->n_mailboxes; i++)
        wmem_strbuf_append_printf(sb, "%s%s", i ? "," : "", t->mailboxes[i]);
    const char *joined = ews_intern(wmem_strbuf_get_str(sb));
    wmem_strbuf_destroy(sb);
    return joined;
}

static gboolean
mailbox_listed(const char *list, const char *mbx)
{
    if (!list || !mbx || !*mbx)
        return FALSE;
    gsize n = strlen(mbx);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        gsize len = comma ? (gsize)(comma - p) : strlen(p);
        if (len == n && g_ascii_strncasecmp(p, mbx, n) == 0)
            return TRUE;
        p = comma ? comma + 1 : NULL;
    }
    return FALSE;
}

/* "host/path" in lower case, without scheme, port, query or a trailing /WSSecurity. */
static char *
url_key(wmem_allocator_t *scope, const char *host, const char *path)
{
    if (!host || !path)
        return NULL;
    gsize hl = strcspn(host, ":/");
    gsize pl = strcspn(path, "?#");
    char *k = wmem_strdup_printf(scope, "%.*s%.*s", (int)hl, host, (int)pl, path);
    char *low = wmem_ascii_strdown(scope, k, -1);
    gsize n = strlen(low);
    if (n > 11 && strcmp(low + n - 11, "/wssecurity") == 0)
        low[n - 11] = '\0';
    return low;
}

static void
remember_discovered(const ews_msg_info_t *mi)
{
    for (guint i = 0; i < mi->n_discovered; i++) {
        const char *u = mi->discovered[i];
        const char *hs = strstr(u, "://");
        hs = hs ? hs + 3 : u;
        const char *ps = strchr(hs, '/');
        if (!ps)
            continue;
        char *host = wmem_strndup(wmem_file_scope(), hs, (gsize)(ps - hs));
        char *key = url_key(wmem_file_scope(), host, ps);
        discovery_t *d = wmem_new(wmem_file_scope(), discovery_t);
        d->frame = mi->frame;
        d->pox = mi->discovered_by_pox;
        wmem_map_insert(discovered_urls, key, d);
    }
}

static void
classify(packet_info *pinfo, ewsflow_req_t *r, const http_headers_t *h, const ews_msg_info_t *mi)
{
    ewsflow_signals_t s;
    memset(&s, 0, sizeof(s));
    s.method = r->method;
    s.uri = r->uri;
    s.user_agent = h ? h->user_agent : r->user_agent;
    s.authorization = h ? h->authorization : NULL;
    s.action = h ? h->action : NULL;
    s.owa_headers = h && h->owa;
    s.cafe_headers = h && h->cafe;
    s.server_port = r->server_port;
    if (mi) {
        s.have_soap = TRUE;
        s.request_type = mi->request_type;
        s.ssc = mi->ssc;
        s.sharing_security = mi->sharing_security;
        s.wsse = mi->wsse;
        s.rsv = mi->rsv;
        s.impersonation = mi->impersonation;
        s.owa_json = mi->owa_json;
    }
    char *key = url_key(pinfo->pool, r->host, r->uri);
    discovery_t *d = key ? (discovery_t *)wmem_map_lookup(discovered_urls, key) : NULL;
    if (d) {
        s.url_from_autodiscover = d->pox ? 1 : 2;
        r->autodiscover_frame = d->frame;
    }
    if (h && h->authorization && !r->jwt) {
        /* decoded in packet scope; only what is shown later is kept, strings shared */
        ewsflow_jwt_t jwt;
        if (ewsflow_jwt_decode(pinfo->pool, h->authorization, &jwt)) {
            ewsflow_jwt_t *k = wmem_memdup(wmem_file_scope(), &jwt, sizeof(jwt));
            const char **fields[] = { &k->error, &k->alg, &k->typ, &k->x5t, &k->aud, &k->iss, &k->nii, &k->appid,
                                      &k->smtp, &k->upn, &k->nameid };
            for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
                *fields[i] = ews_intern(*fields[i]);
            k->claims = k->n_claims ? wmem_alloc_array(wmem_file_scope(), ewsflow_pair_t, k->n_claims) : NULL;
            for (guint i = 0; i < k->n_claims; i++) {
                k->claims[i].name = ews_intern(jwt.claims[i].name);
                k->claims[i].value = strcmp(jwt.claims[i].name, "actortoken") == 0 ? "" : ews_intern(jwt.claims[i].value);
            }
            r->jwt = k;
        }
    }
    s.s2s_token = ewsflow_jwt_is_s2s(r->jwt);
    r->exchange = ewsflow_is_exchange_request(&s);
    if (!r->exchange)
        return;
    ewsflow_verdict_t v;
    ewsflow_classify(pinfo->pool, &s, &v);
    r->path = v.path;
    r->evidence = r->autodiscover_frame
                      ? wmem_strdup_printf(wmem_file_scope(), "%s (Autodiscover answer in frame %u)", v.evidence, r->autodiscover_frame)
                      : ews_intern(v.evidence);
    r->conflict = ews_intern(v.conflict);
}

static void
register_lookup(ewsflow_req_t *r)
{
    if (!r->mailboxes)
        return;
    gchar **m = g_strsplit(r->mailboxes, ",", 0);
    for (gchar **p = m; *p; p++) {
        char *low = g_ascii_strdown(*p, -1);
        const char *key = ews_intern(low);
        g_free(low);
        wmem_list_t *l = (wmem_list_t *)wmem_map_lookup(lookups_by_mbx, key);
        if (!l) {
            l = wmem_list_new(wmem_file_scope());
            wmem_map_insert(lookups_by_mbx, key, l);
        }
        wmem_list_append(l, r);
        if (wmem_list_count(l) > 64)   /* link_hop looks back no further */
            wmem_list_remove_frame(l, wmem_list_head(l));
    }
    g_strfreev(m);
}

/* A proxy hop: the latest client lookup of one of its mailboxes that was still open when
 * the hop started (or whose MessageID it carries). */
static void
link_hop(ewsflow_req_t *hop)
{
    if (!hop->mailboxes)
        return;
    ewsflow_req_t *best = NULL;
    gboolean by_id = FALSE;
    gchar **m = g_strsplit(hop->mailboxes, ",", 0);
    for (gchar **p = m; *p && !by_id; p++) {
        char *key = g_ascii_strdown(*p, -1);
        wmem_list_t *l = (wmem_list_t *)wmem_map_lookup(lookups_by_mbx, key);
        g_free(key);
        guint looked = 0;
        /* newest first; a bounded look back keeps busy captures linear */
        for (wmem_list_frame_t *f = l ? wmem_list_tail(l) : NULL; f && looked < 64; f = wmem_list_frame_prev(f)) {
            ewsflow_req_t *c = (ewsflow_req_t *)wmem_list_frame_data(f);
            if (c == hop || nstime_cmp(&c->ts, &hop->ts) > 0)
                continue;
            looked++;
            if (c->response_frame && nstime_cmp(&c->response_ts, &hop->ts) < 0)
                continue;
            /* the same MessageID or client-request-id: Exchange copies both onto its hops */
            if ((hop->message_id && c->message_id && strcmp(hop->message_id, c->message_id) == 0) ||
                (hop->client_request_id && c->client_request_id && strcmp(hop->client_request_id, c->client_request_id) == 0)) {
                best = c;
                by_id = TRUE;
                break;
            }
            if (!best || nstime_cmp(&c->ts, &best->ts) > 0)
                best = c;   /* still open when the hop started: the latest such lookup, unless an id matches */
        }
    }
    g_strfreev(m);
    if (best) {
        hop->client = best;
        if (!best->hops)
            best->hops = wmem_list_new(wmem_file_scope());
        wmem_list_append(best->hops, hop);
        if (!hop->requester)
            hop->requester = best->requester;
    }
}

static ewsflow_req_t *
new_request(packet_info *pinfo, flow_t *fl, guint16 server_port, const char *method, const char *uri)
{
    n_requests++;
    ewsflow_req_t *r = wmem_new0(wmem_file_scope(), ewsflow_req_t);
    r->frame = r->first_frame = pinfo->num;
    r->ts = pinfo->abs_ts;
    r->stream = fl->stream;
    r->server_port = server_port;
    r->method = ews_intern(method);
    r->uri = ews_intern(uri);
    return r;
}

/* Fill a request from its headers and EWS body, classify it, and link it into the story. */
static void
finish_request(packet_info *pinfo, flow_t *fl, ewsflow_req_t *r, const http_headers_t *h, const ews_msg_info_t *mi)
{
    if (h) {
        r->host = h->host ? ews_intern(h->host) : r->host;
        r->user_agent = h->user_agent ? ews_intern(h->user_agent) : r->user_agent;
        r->anchor = h->anchor ? ews_intern(h->anchor) : r->anchor;
        if (h->client_request_id)
            r->client_request_id = wmem_strdup(wmem_file_scope(), h->client_request_id);
    }
    if (mi) {
        r->availability = mi->operation && g_str_has_prefix(mi->operation, "GetUserAvailability");
        r->mailboxes = join_mailboxes(mi->txn);
        r->message_id = mi->message_id;
        r->requester = mi->requester;
    }
    gboolean was_counted = r->exchange;
    ewsflow_path_t old_path = r->path;
    classify(pinfo, r, h, mi);
    if (was_counted)
        fl->path_count[old_path]--;     /* reclassified now that the whole request is known */
    if (!r->exchange)
        return;
    fl->path_count[r->path]++;
    if (!r->mailboxes && r->anchor && ewsflow_path_is_server_hop(r->path))
        r->mailboxes = r->anchor;   /* proxy hops put the (first) target in X-AnchorMailbox */
    if (!r->requester && r->anchor && !ewsflow_path_is_server_hop(r->path) && r->path != EWSFLOW_PATH_AUTODISCOVER)
        r->requester = r->anchor;   /* clients anchor on their own mailbox */
    fl->exchange = TRUE;
    if (r->availability && !r->hops) {
        if (ewsflow_path_is_server_hop(r->path))
            link_hop(r);
        else
            register_lookup(r);
    }
    if (r->availability || r->complete)
        wmem_map_insert(req_by_frame, GUINT_TO_POINTER(r->frame), r);
}

static const char *
response_outcome(const ews_msg_info_t *mi)
{
    if (!mi)
        return NULL;
    if (mi->is_fault)
        return wmem_strdup_printf(wmem_file_scope(), "SOAP fault %s", mi->fault_code ? mi->fault_code : "");
    wmem_strbuf_t *sb = wmem_strbuf_new(wmem_file_scope(), "");
    for (guint i = 0; i < mi->n_results; i++)
        wmem_strbuf_append_printf(sb, "%s%s", i ? "," : "", mi->results[i].code ? mi->results[i].code : "?");
    return wmem_strbuf_finalize(sb);
}

/* The i-th mailbox of a request's body. */
static const char *
nth_mailbox(const ews_txn_t *t, guint i)
{
    return t && i < t->n_mailboxes ? t->mailboxes[i] : NULL;
}

/* A story in three parts (what happened, why, what to check), each short enough for one
 * tree item; the whole text (ewsflow.story) is the three joined; `summary` is what the
 * Info column and the expert info say. */
static void
add_story(packet_info *pinfo, frame_note_t *fn, ewsflow_req_t *client, ewsflow_req_t *hop, const char *summary,
          const char *happened, const char *why, const char *check)
{
    story_t *st = wmem_new0(wmem_file_scope(), story_t);
    st->req = client;
    st->hop = hop;
    st->summary = summary;
    st->happened = happened;
    st->why = why;
    st->check = check;
    st->story = wmem_strdup_printf(wmem_file_scope(), "%s; %s. %s", happened, why, check);
    if (hop && !hop->story_frame)
        hop->story_frame = pinfo->num;
    if (!fn->stories)
        fn->stories = wmem_list_new(wmem_file_scope());
    wmem_list_append(fn->stories, st);
}

/* Throttling is no routing fault: the story says how long the server asked the caller to wait. */
static void
explain_backoff(packet_info *pinfo, frame_note_t *fn, ewsflow_req_t *client, const char *who, const char *code, guint32 ms)
{
    const char *c = code ? code : "ErrorServerBusy";
    add_story(pinfo, fn, client, NULL,
              wmem_strdup_printf(wmem_file_scope(), "%s: throttled, back off %u,%03u ms", who, ms / 1000, ms % 1000),
              wmem_strdup_printf(wmem_file_scope(), "%s: %s", who, c),
              wmem_strdup_printf(wmem_file_scope(), "Exchange is throttling %s's requests and asked to back off %u,%03u ms (%.1f min)",
                                 client->requester ? client->requester : "the requester", ms / 1000, ms % 1000, ms / 60000.0),
              "Not a routing fault: retry after the back-off; if it recurs, check the throttling policy of the account "
              "making the calls (EwsMaxConcurrency, EwsMaxBurst, EwsRechargeRate; on a proxy hop, the proxying server's)");
}

static void
explain_errors(packet_info *pinfo, frame_note_t *fn, ewsflow_req_t *client, const ews_msg_info_t *mi)
{
    if (!client || !mi)
        return;
    if (mi->is_fault && mi->fault_backoff_ms)
        explain_backoff(pinfo, fn, client, "the whole request", mi->fault_code, mi->fault_backoff_ms);
    if (!mi->txn)
        return;
    for (guint i = 0; i < mi->n_results; i++) {
        const ews_mailbox_result_t *res = &mi->results[i];
        if (!res->cls || strcmp(res->cls, "Error") != 0)
            continue;
        const char *mbx = nth_mailbox(mi->txn, i);
        ewsflow_req_t *hop = NULL;
        if (res->backoff_ms) {
            explain_backoff(pinfo, fn, client, mbx ? mbx : "a mailbox", res->code, res->backoff_ms);
            continue;
        }
        for (wmem_list_frame_t *f = client->hops ? wmem_list_head(client->hops) : NULL; f; f = wmem_list_frame_next(f)) {
            ewsflow_req_t *h = (ewsflow_req_t *)wmem_list_frame_data(f);
            if (mailbox_listed(h->mailboxes, mbx))
                hop = h;   /* the last hop for this mailbox */
        }
        if (!hop)
            continue;
        const char *path = ewsflow_path_name(hop->path);
        char *happened = wmem_strdup_printf(wmem_file_scope(), "%s: %s's lookup went the %s path (frame %u, %s%s%s)",
                                            mbx, client->requester ? client->requester : "the requester", path, hop->frame,
                                            hop->host ? hop->host : "", hop->uri ? hop->uri : "",
                                            hop->path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP ? ", SharingSecurity header" : "");
        wmem_strbuf_t *why = wmem_strbuf_new(wmem_file_scope(), "");
        char *summary;
        if (hop->reset_frame) {
            nstime_t d;
            nstime_delta(&d, &hop->reset_ts, &hop->ts);
            wmem_strbuf_append_printf(why, "the %s reset that connection %.0f ms after the request (frame %u), before any response",
                                      hop->reset_by_server ? "remote side" : "proxying server", nstime_to_msec(&d),
                                      hop->reset_frame);
            if (res->inner && strstr(res->inner, "forcibly closed"))
                wmem_strbuf_append(why, ": that reset is this \"forcibly closed by the remote host\" error");
            summary = wmem_strdup_printf(wmem_file_scope(), "%s: %s hop reset (frame %u)", mbx, path, hop->reset_frame);
        } else if (hop->closed_frame) {
            wmem_strbuf_append_printf(why, "the remote side closed that connection (frame %u) without answering",
                                      hop->closed_frame);
            summary = wmem_strdup_printf(wmem_file_scope(), "%s: %s hop closed unanswered (frame %u)", mbx, path, hop->closed_frame);
        } else if (hop->response_frame) {
            wmem_strbuf_append_printf(why, "the hop was answered in frame %u (%s)", hop->response_frame,
                                      hop->outcome ? hop->outcome : "no EWS body");
            summary = wmem_strdup_printf(wmem_file_scope(), "%s: %s hop answered %s (frame %u)", mbx, path,
                                         hop->outcome ? hop->outcome : "without an EWS body", hop->response_frame);
        } else {
            wmem_strbuf_append(why, "the hop got no response in this capture");
            summary = wmem_strdup_printf(wmem_file_scope(), "%s: %s hop unanswered in this capture", mbx, path);
        }
        if (res->response_source && hop->uri && g_str_has_suffix(res->response_source, hop->uri))
            wmem_strbuf_append(why, " (the error's ResponseSource names this hop's URL)");
        add_story(pinfo, fn, client, hop, summary, happened, wmem_strbuf_finalize(why), ewsflow_path_reset_hint(hop->path));
    }
}

/* ---- first pass: update the state of this frame's flow ------------------------------ */

static void
list_add(wmem_list_t **l, void *item)
{
    if (!*l)
        *l = wmem_list_new(wmem_file_scope());
    wmem_list_append(*l, item);
}

/* Whether one more outstanding request on this connection is followed: past max_pending
 * they are only counted, and the RST or FIN that ends them says how many. */
static gboolean
room_for_request(flow_t *fl, frame_note_t *fn)
{
    /* once one is skipped, none is followed until its answer is counted: pairing stays in order */
    if (!fl->unfollowed && wmem_list_count(fl->pending) < ewsflow_prefs.max_pending)
        return TRUE;
    fl->unfollowed++;
    if (!fl->pending_full_reported) {
        fl->pending_full_reported = TRUE;
        fn->limit_hit = wmem_strdup_printf(wmem_file_scope(),
                                           "More than %u requests awaiting an answer on this connection: further ones are "
                                           "counted, not followed (Preferences > Protocols > EWSFLOW)", ewsflow_prefs.max_pending);
    }
    return FALSE;
}

/* Requests HTTP never completed (the body was never sent: Expect: 100-continue, or cut off):
 * their request line and headers are still in the frame, plain or decrypted by TLS. */
static const guint8 *
request_start_bytes(packet_info *pinfo, proto_tree *tree, guint *len)
{
    GPtrArray *a = finfos(tree, F_TCP_PAYLOAD);
    if (a && a->len) {
        field_info *fi = (field_info *)a->pdata[0];
        if (fi->ds_tvb && fi->length > 0 && tvb_captured_length_remaining(fi->ds_tvb, fi->start) >= fi->length) {
            const guint8 *p = tvb_get_ptr(fi->ds_tvb, fi->start, fi->length);
            if (fi->length > 5 && (memcmp(p, "POST ", 5) == 0 || memcmp(p, "GET ", 4) == 0)) {
                *len = (guint)fi->length;
                return p;
            }
        }
    }
    if (proto_tls < 0 || !proto_is_frame_protocol(pinfo->layers, "tls"))
        return NULL;   /* only TLS leaves decrypted sources to look at */
    for (GSList *s = pinfo->data_src; s; s = s->next) {
        struct data_source *src = (struct data_source *)s->data;
        char *name = get_data_source_name(src);
        gboolean decrypted = name && g_str_has_prefix(name, "Decrypted TLS");
        wmem_free(NULL, name);
        if (!decrypted)
            continue;
        tvbuff_t *t = get_data_source_tvb(src);
        guint n = tvb_captured_length(t);
        const guint8 *p = n > 5 ? tvb_get_ptr(t, 0, n) : NULL;
        if (p && (memcmp(p, "POST ", 5) == 0 || memcmp(p, "GET ", 4) == 0)) {
            *len = n;
            return p;
        }
    }
    return NULL;
}

static void
note_partial_request(packet_info *pinfo, proto_tree *tree, flow_t *fl, frame_note_t *fn, guint16 dstport)
{
    guint len = 0;
    const guint8 *p = request_start_bytes(pinfo, tree, &len);
    if (!p)
        return;
    len = MIN(len, 16384);
    const guint8 *eol = memchr(p, '\n', len);
    if (!eol)
        return;
    if (!room_for_request(fl, fn))
        return;
    gchar **parts = g_strsplit(wmem_strndup(pinfo->pool, (const char *)p, (gsize)(eol - p)), " ", 3);
    if (g_strv_length(parts) < 3 || parts[1][0] != '/') {
        g_strfreev(parts);
        return;
    }
    ewsflow_req_t *r = new_request(pinfo, fl, dstport, parts[0], parts[1]);
    g_strfreev(parts);
    http_headers_t h;
    memset(&h, 0, sizeof(h));
    const guint8 *line = eol + 1, *end = p + len;
    while (line < end) {
        const guint8 *nl = memchr(line, '\n', (gsize)(end - line));
        gsize l = nl ? (gsize)(nl - line) : (gsize)(end - line);
        if (l <= 1 || !nl)
            break;   /* end of headers, or a line cut at the end of the segment */
        take_header(pinfo->pool, &h, (const char *)line, l);
        line = nl + 1;
    }
    finish_request(pinfo, fl, r, &h, NULL);
    wmem_list_append(fl->pending, r);
    fl->partial = r;
    list_add(&fn->requests, r);
}

static void
answer_oldest(packet_info *pinfo, flow_t *fl, frame_note_t *fn, guint status, const ews_msg_info_t *mi)
{
    wmem_list_frame_t *head = wmem_list_head(fl->pending);
    if (!head) {
        if (fl->unfollowed)
            fl->unfollowed--;   /* the answer to a request past max_pending */
        return;
    }
    ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(head);
    wmem_list_remove_frame(fl->pending, head);
    if (fl->partial == r)
        fl->partial = NULL;
    r->response_frame = pinfo->num;
    r->response_ts = pinfo->abs_ts;
    r->status = status;
    if (mi)
        r->outcome = response_outcome(mi);
    fl->rsp_bytes = 0;
    list_add(&fn->answered, r);
}

/* OWA's body-less requests: the JSON sits URL-encoded in X-OWA-UrlPostData. */
static const char *
owa_urlpostdata(packet_info *pinfo, proto_tree *tree)
{
    GPtrArray *lines = finfos(tree, F_HTTP_LINE);
    for (guint k = 0; lines && k < lines->len; k++) {
        const char *v = fvalue_get_string(&((field_info *)lines->pdata[k])->value);
        if (g_ascii_strncasecmp(v, "X-OWA-UrlPostData:", 18) == 0) {
            char *val = wmem_strdup(pinfo->pool, v + 18 + strspn(v + 18, " "));
            return g_strchomp(val);
        }
    }
    return NULL;
}

static frame_note_t *
first_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    guint32 stream, srcport = 0, dstport = 0, tcplen = 0;
    if (!first_uint(tree, F_TCP_STREAM, &stream))
        return NULL;
    first_uint(tree, F_TCP_SRCPORT, &srcport);
    first_uint(tree, F_TCP_DSTPORT, &dstport);
    first_uint(tree, F_TCP_LEN, &tcplen);

    /* a body-less OWA request carries its JSON in a header: decode it as EWS first */
    const char *urlpost = ews_msg_info_get(pinfo, 0) ? NULL : owa_urlpostdata(pinfo, tree);
    if (urlpost)
        ews_dissect_owa_urlpostdata(tvb, pinfo, proto_tree_get_root(tree), urlpost);

    /* EWS messages the body dissector decoded in this frame, in order */
    const ews_msg_info_t *ews_req[16], *ews_rsp[16];
    guint n_req = 0, n_rsp = 0;
    for (guint i = 0; i < 64; i++) {
        const ews_msg_info_t *mi = ews_msg_info_get(pinfo, i);
        if (!mi)
            break;
        if (mi->is_request && n_req < G_N_ELEMENTS(ews_req))
            ews_req[n_req++] = mi;
        else if (!mi->is_request && n_rsp < G_N_ELEMENTS(ews_rsp))
            ews_rsp[n_rsp++] = mi;
    }

    /* HTTP/1.x requests completed in this frame; their header lines follow their method */
    GPtrArray *methods = finfos(tree, F_HTTP_METHOD), *uris = finfos(tree, F_HTTP_URI), *lines = finfos(tree, F_HTTP_LINE);
    GPtrArray *codes = finfos(tree, F_HTTP_RESPONSE_CODE);
    guint nm = methods ? methods->len : 0, used_ews = 0;
    guint rstart_len = 0;
    gboolean speaks_http = nm || n_req || n_rsp || (codes && codes->len) ||
                           (tcplen > 0 && request_start_bytes(pinfo, tree, &rstart_len) != NULL);
    gboolean refused = FALSE;
    flow_t *fl = get_flow(pinfo, stream, speaks_http, &refused);
    frame_note_t *fn = wmem_new0(pinfo->pool, frame_note_t);
    if (refused && !flow_limit_reported) {
        flow_limit_reported = TRUE;
        fn->limit_hit = wmem_strdup_printf(wmem_file_scope(), "More than %u HTTP flows in this capture: ewsflow follows no new "
                                           "ones (Preferences > Protocols > EWSFLOW)", ewsflow_prefs.max_flows);
    }
    if (fl && speaks_http && n_requests >= ewsflow_prefs.max_requests) {
        /* past the bound, new requests are not followed; what is already open still is */
        if (!request_limit_reported) {
            request_limit_reported = TRUE;
            fn->limit_hit = wmem_strdup_printf(wmem_file_scope(), "More than %u HTTP requests in this capture: ewsflow follows "
                                               "no new ones (Preferences > Protocols > EWSFLOW)", ewsflow_prefs.max_requests);
        }
        if (nm || n_req || rstart_len)
            fl = NULL;
    }
    if (!fl)
        return fn->limit_hit ? wmem_memdup(wmem_file_scope(), fn, sizeof(*fn)) : NULL;
    fn->flow = fl;
    for (guint i = 0; i < nm; i++) {
        field_info *mfi = (field_info *)methods->pdata[i];
        field_info *next = i + 1 < nm ? (field_info *)methods->pdata[i + 1] : NULL;
        const char *method = fvalue_get_string(&mfi->value);
        const char *uri = (uris && i < uris->len) ? fvalue_get_string(&((field_info *)uris->pdata[i])->value) : NULL;
        http_headers_t h;
        memset(&h, 0, sizeof(h));
        for (guint k = 0; lines && k < lines->len; k++) {
            field_info *lfi = (field_info *)lines->pdata[k];
            if (lfi->ds_tvb != mfi->ds_tvb || lfi->start < mfi->start || (next && next->ds_tvb == lfi->ds_tvb && lfi->start > next->start))
                continue;
            const char *v = fvalue_get_string(&lfi->value);
            take_header(pinfo->pool, &h, v, strlen(v));
        }
        const ews_msg_info_t *mi = (strcmp(method, "POST") == 0 && used_ews < n_req) ? ews_req[used_ews++] : NULL;
        ewsflow_req_t *r = fl->partial;
        if (r && r->uri && uri && strcmp(r->uri, uri) == 0 && !r->complete) {
            r->frame = pinfo->num;          /* the partial request completed here */
            r->ts = pinfo->abs_ts;
            r->jwt = NULL;                  /* decoded again from the whole header */
        } else if (room_for_request(fl, fn)) {
            r = new_request(pinfo, fl, (guint16)dstport, method, uri);
            wmem_list_append(fl->pending, r);
        } else {
            continue;
        }
        fl->partial = NULL;
        r->complete = TRUE;
        finish_request(pinfo, fl, r, &h, mi);
        list_add(&fn->requests, r);
    }
    /* HTTP/2 (or any other carrier): EWS requests with no HTTP/1 request line */
    for (; used_ews < n_req; used_ews++) {
        ewsflow_req_t *r = new_request(pinfo, fl, (guint16)dstport, "POST", NULL);
        r->complete = TRUE;
        finish_request(pinfo, fl, r, NULL, ews_req[used_ews]);
        if (ews_req[used_ews]->txn)
            wmem_map_insert(req_by_frame, GUINT_TO_POINTER(r->frame), r);
        list_add(&fn->requests, r);
    }
    if (nm == 0 && n_req == 0 && tcplen > 0)
        note_partial_request(pinfo, tree, fl, fn, (guint16)dstport);

    /* responses: HTTP/1.x in order on the connection (1xx are interim), HTTP/2 through EWS pairing */
    guint used_rsp = 0;
    for (guint i = 0; codes && i < codes->len; i++) {
        guint status = fvalue_get_uinteger(&((field_info *)codes->pdata[i])->value);
        if (status < 200)
            continue;
        ewsflow_req_t *head = wmem_list_head(fl->pending) ? (ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(fl->pending)) : NULL;
        const ews_msg_info_t *mi = (head && head->availability && used_rsp < n_rsp) ? ews_rsp[used_rsp++] : NULL;
        answer_oldest(pinfo, fl, fn, status, mi);
    }
    for (; used_rsp < n_rsp; used_rsp++) {
        const ews_msg_info_t *mi = ews_rsp[used_rsp];
        ewsflow_req_t *r = mi->txn ? (ewsflow_req_t *)wmem_map_lookup(req_by_frame, GUINT_TO_POINTER(mi->txn->req_frame)) : NULL;
        if (r && !r->response_frame) {
            r->response_frame = pinfo->num;
            r->response_ts = pinfo->abs_ts;
            r->outcome = response_outcome(mi);
            wmem_list_remove(fl->pending, r);
            list_add(&fn->answered, r);
        }
    }
    /* what the responses say about authentication, and URLs Autodiscover handed out */
    GPtrArray *rlines = finfos(tree, F_HTTP_RESPONSE_LINE);
    for (guint i = 0; rlines && i < rlines->len; i++) {
        const char *v = fvalue_get_string(&((field_info *)rlines->pdata[i])->value);
        if (g_ascii_strncasecmp(v, "WWW-Authenticate:", 17) == 0 && strstr(v, "Bearer"))
            fn->challenge = g_strchomp(wmem_strdup(wmem_file_scope(), v + 17 + strspn(v + 17, " ")));
        else if (g_ascii_strncasecmp(v, "x-ms-diagnostics:", 17) == 0)
            fn->diagnostics = g_strchomp(wmem_strdup(wmem_file_scope(), v + 17 + strspn(v + 17, " ")));
    }
    if (fn->challenge || fn->diagnostics)
        fl->exchange = TRUE;
    for (guint i = 0; i < n_rsp; i++)
        remember_discovered(ews_rsp[i]);

    /* an EWS error response whose mailbox a hop of this lookup failed for */
    for (guint i = 0; i < n_rsp; i++) {
        const ews_msg_info_t *mi = ews_rsp[i];
        ewsflow_req_t *client = mi->txn ? (ewsflow_req_t *)wmem_map_lookup(req_by_frame, GUINT_TO_POINTER(mi->txn->req_frame)) : NULL;
        if (client && client->response_frame == pinfo->num)
            explain_errors(pinfo, fn, client, mi);
    }

    /* server bytes towards an unanswered request: a response under way */
    ewsflow_req_t *oldest = wmem_list_head(fl->pending) ? (ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(fl->pending)) : NULL;
    if (oldest && tcplen > 0 && srcport == oldest->server_port && nm == 0)
        fl->rsp_bytes += tcplen;

    if (first_bool(tree, F_TCP_RESET)) {
        fn->reset = TRUE;
        if (wmem_list_count(fl->pending) == 0) {
            if (fl->first_reset)
                fn->duplicate_of = fl->first_reset;
            else
                fn->reset_idle = TRUE;
        }
        while (wmem_list_head(fl->pending)) {
            ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(fl->pending));
            wmem_list_remove_frame(fl->pending, wmem_list_head(fl->pending));
            r->reset_frame = pinfo->num;
            r->reset_ts = pinfo->abs_ts;
            r->reset_by_server = srcport == r->server_port;
            r->partial_response_bytes = (r == oldest) ? fl->rsp_bytes : 0;
            list_add(&fn->killed, r);
        }
        fn->unfollowed = fl->unfollowed;
        fl->unfollowed = 0;
        fl->partial = NULL;
        fl->rsp_bytes = 0;
        if (!fl->first_reset)
            fl->first_reset = pinfo->num;
    } else if (first_bool(tree, F_TCP_FIN) && oldest && srcport == oldest->server_port) {
        while (wmem_list_head(fl->pending)) {
            ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(fl->pending));
            wmem_list_remove_frame(fl->pending, wmem_list_head(fl->pending));
            r->closed_frame = pinfo->num;
            list_add(&fn->closed, r);
        }
        fn->unfollowed = fl->unfollowed;
        fl->unfollowed = 0;
        fl->partial = NULL;
    }
    /* keep a note only where the frame has something of its own; the flow's paths are found
     * through tcp.stream on any pass */
    if (urlpost)
        fn->urlpostdata = wmem_strdup(wmem_file_scope(), urlpost);
    if (!fn->requests && !fn->answered && !fn->killed && !fn->closed && !fn->stories && !fn->limit_hit && !fn->reset && !fn->unfollowed &&
        !fn->challenge && !fn->diagnostics && !fn->urlpostdata)
        return NULL;
    return wmem_memdup(wmem_file_scope(), fn, sizeof(*fn));
}

/* ---- every pass: render what the frame knows ---------------------------------------- */

static void
add_gen_string(proto_tree *t, int hf, tvbuff_t *tvb, const char *v)
{
    if (v) {
        proto_item *g = proto_tree_add_string(t, hf, tvb, 0, 0, v);
        proto_item_set_generated(g);
    }
}

static void
add_jwt_items(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const ewsflow_jwt_t *j)
{
    proto_item *ti = proto_tree_add_item(tree, hf_oauth, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_tree *t = proto_item_add_subtree(ti, ett_ewsflow_oauth);
    if (j->empty) {
        proto_item *g = proto_tree_add_boolean(t, hf_oauth_empty, tvb, 0, 0, TRUE);
        proto_item_set_generated(g);
        proto_item_append_text(ti, ": empty Bearer (asks the server for its challenge)");
        return;
    }
    if (j->error) {
        expert_add_info_format(pinfo, ti, &ei_oauth_malformed, "Bearer token not decoded: %s", j->error);
        return;
    }
    add_gen_string(t, hf_oauth_alg, tvb, j->alg);
    add_gen_string(t, hf_oauth_x5t, tvb, j->x5t);
    add_gen_string(t, hf_oauth_aud, tvb, j->aud);
    add_gen_string(t, hf_oauth_iss, tvb, j->iss);
    add_gen_string(t, hf_oauth_nii, tvb, j->nii);
    add_gen_string(t, hf_oauth_appid, tvb, j->appid);
    add_gen_string(t, hf_oauth_smtp, tvb, j->smtp);
    add_gen_string(t, hf_oauth_upn, tvb, j->upn);
    add_gen_string(t, hf_oauth_nameid, tvb, j->nameid);
    proto_item *g;
    if (j->nbf >= 0) {
        nstime_t ts = { (time_t)j->nbf, 0 };
        g = proto_tree_add_time(t, hf_oauth_nbf, tvb, 0, 0, &ts);
        proto_item_set_generated(g);
    }
    if (j->exp >= 0) {
        nstime_t ts = { (time_t)j->exp, 0 };
        g = proto_tree_add_time(t, hf_oauth_exp, tvb, 0, 0, &ts);
        proto_item_set_generated(g);
        if (pinfo->abs_ts.secs > (time_t)j->exp)
            expert_add_info_format(pinfo, g, &ei_oauth_expired, "Token expired %ld s before this request",
                                   (long)(pinfo->abs_ts.secs - (time_t)j->exp));
    }
    g = proto_tree_add_boolean(t, hf_oauth_actor, tvb, 0, 0, j->actor);
    proto_item_set_generated(g);
    g = proto_tree_add_boolean(t, hf_oauth_s2s, tvb, 0, 0, ewsflow_jwt_is_s2s(j));
    proto_item_set_generated(g);
    for (guint i = 0; i < j->n_claims; i++) {
        if (strcmp(j->claims[i].name, "actortoken") == 0)
            continue;   /* a whole signed token of its own: named by ewsflow.oauth.actor, not shown */
        g = proto_tree_add_string_format_value(t, hf_oauth_claim, tvb, 0, 0, j->claims[i].value, "%s: %s",
                                               j->claims[i].name, j->claims[i].value);
        proto_item_set_generated(g);
    }
    proto_item_append_text(ti, ": aud %s%s", j->aud ? j->aud : "?", ewsflow_jwt_is_s2s(j) ? " (server-to-server)" : "");
}

static void
add_auth_response_items(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const frame_note_t *fn)
{
    ewsflow_pair_t p[16];
    const char *lead;
    if (fn->challenge) {
        proto_item *ti = proto_tree_add_string(tree, hf_challenge, tvb, 0, 0, fn->challenge);
        proto_item_set_generated(ti);
        proto_tree *t = proto_item_add_subtree(ti, ett_ewsflow_oauth);
        guint n = ewsflow_auth_params(pinfo->pool, fn->challenge, ',', &lead, p, G_N_ELEMENTS(p));
        for (guint i = 0; i < n; i++) {
            proto_item *g = proto_tree_add_string_format_value(t, hf_challenge_param, tvb, 0, 0, p[i].value, "%s: %s",
                                                               p[i].name, p[i].value);
            proto_item_set_generated(g);
            if (strcmp(p[i].name, "client_id") == 0)
                add_gen_string(t, hf_client_id, tvb, p[i].value);
        }
        expert_add_info(pinfo, ti, &ei_oauth_challenge);
    }
    if (fn->diagnostics) {
        proto_item *ti = proto_tree_add_string(tree, hf_diagnostics, tvb, 0, 0, fn->diagnostics);
        proto_item_set_generated(ti);
        proto_tree *t = proto_item_add_subtree(ti, ett_ewsflow_oauth);
        guint n = ewsflow_auth_params(pinfo->pool, fn->diagnostics, ';', &lead, p, G_N_ELEMENTS(p));
        add_gen_string(t, hf_diag_code, tvb, lead);
        const char *reason = NULL;
        for (guint i = 0; i < n; i++) {
            if (strcmp(p[i].name, "reason") == 0)
                add_gen_string(t, hf_diag_reason, tvb, reason = p[i].value);
            else if (strcmp(p[i].name, "error_category") == 0)
                add_gen_string(t, hf_diag_category, tvb, p[i].value);
        }
        expert_add_info_format(pinfo, ti, &ei_oauth_failure, "OAuth failure %s: %s", lead ? lead : "?", reason ? reason : fn->diagnostics);
    }
}

static void
add_request_items(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const ewsflow_req_t *r)
{
    proto_item *ti = proto_tree_add_string(tree, hf_request_path, tvb, 0, 0, ewsflow_path_name(r->path));
    proto_item_set_generated(ti);
    proto_item_append_text(ti, " (%s %s%s)", r->method ? r->method : "?", r->host ? r->host : "", r->uri ? r->uri : "");
    proto_tree *rt = proto_item_add_subtree(ti, ett_ewsflow_request);
    guint n_signals = 1, n_strong = 0;
    for (const char *p = r->evidence; p && (p = strstr(p, "; ")) != NULL; p += 2)
        n_signals++;
    for (const char *p = r->evidence; p && (p = strstr(p, "[strong]")) != NULL; p += 8)
        n_strong++;
    proto_item *g = proto_tree_add_string_format_value(rt, hf_evidence, tvb, 0, 0, r->evidence, "%u signal%s (%u strong) for %s",
                                                       n_signals, plurality(n_signals, "", "s"), n_strong, ewsflow_path_name(r->path));
    proto_item_set_generated(g);
    ewsflow_add_text_parts(proto_item_add_subtree(g, ett_ewsflow_text), pinfo, hf_evidence_signal, tvb, r->evidence, "; ");
    if (r->conflict) {
        g = proto_tree_add_string_format_value(rt, hf_conflict, tvb, 0, 0, r->conflict, "%s",
                                               ewsflow_text_short(pinfo->pool, r->conflict, 120));
        proto_item_set_generated(g);
        ewsflow_add_text_parts(proto_item_add_subtree(g, ett_ewsflow_text), pinfo, hf_conflict_part, tvb, r->conflict, "; ");
        if (r->complete)   /* an unfinished request's ties are expected: its body is still to come */
            expert_add_info_format(pinfo, g, &ei_conflict, "Conflicting routing evidence: %s (see Conflicting evidence)",
                                   ewsflow_text_short(pinfo->pool, r->conflict, 120));
    }
    if (r->host || r->uri) {
        g = proto_tree_add_string(rt, hf_endpoint, tvb, 0, 0,
                                  wmem_strdup_printf(pinfo->pool, "%s%s", r->host ? r->host : "", r->uri ? r->uri : ""));
        proto_item_set_generated(g);
    }
    if (r->mailboxes) {
        g = proto_tree_add_string(rt, hf_target, tvb, 0, 0, r->mailboxes);
        proto_item_set_generated(g);
    }
    if (r->requester) {
        g = proto_tree_add_string(rt, hf_requester, tvb, 0, 0, r->requester);
        proto_item_set_generated(g);
    }
    if (!r->complete) {
        g = proto_tree_add_boolean(rt, hf_partial_request, tvb, 0, 0, TRUE);
        proto_item_set_generated(g);
    }
    if (r->response_frame) {
        g = proto_tree_add_uint(rt, hf_response_in, tvb, 0, 0, r->response_frame);
        proto_item_set_generated(g);
    }
    if (r->reset_frame) {
        g = proto_tree_add_boolean(rt, hf_reset, tvb, 0, 0, TRUE);
        proto_item_set_generated(g);
        g = proto_tree_add_uint(rt, hf_reset_in, tvb, 0, 0, r->reset_frame);
        proto_item_set_generated(g);
        nstime_t d;
        nstime_delta(&d, &r->reset_ts, &r->ts);
        g = proto_tree_add_time(rt, hf_reset_after, tvb, 0, 0, &d);
        proto_item_set_generated(g);
        expert_add_info_format(pinfo, ti, &ei_reset, "This %s request was reset in frame %u, %.0f ms later, before any complete response",
                               ewsflow_path_name(r->path), r->reset_frame, nstime_to_msec(&d));
    }
    if (r->closed_frame) {
        g = proto_tree_add_uint(rt, hf_closed_in, tvb, 0, 0, r->closed_frame);
        proto_item_set_generated(g);
    }
    if (r->client) {
        g = proto_tree_add_uint(rt, hf_client_request_in, tvb, 0, 0, r->client->frame);
        proto_item_set_generated(g);
    }
    if (r->story_frame) {   /* GUI and tshark -2: the client's error this hop explains */
        g = proto_tree_add_uint(rt, hf_story_in, tvb, 0, 0, r->story_frame);
        proto_item_set_generated(g);
    }
    if (r->autodiscover_frame) {
        g = proto_tree_add_uint(rt, hf_autodiscover_in, tvb, 0, 0, r->autodiscover_frame);
        proto_item_set_generated(g);
    }
    if (r->jwt)
        add_jwt_items(pinfo, rt, tvb, r->jwt);
    for (wmem_list_frame_t *f = r->hops ? wmem_list_head(r->hops) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *h = (const ewsflow_req_t *)wmem_list_frame_data(f);
        g = proto_tree_add_uint(rt, hf_hop_in, tvb, 0, 0, h->frame);
        proto_item_set_generated(g);
        proto_item_append_text(g, " (%s)", ewsflow_path_name(h->path));
    }
}

/* What to check, as steps: the label is the first sentence, the value the whole hint. */
static void
add_hint(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, ewsflow_path_t path)
{
    const char *hint = ewsflow_path_reset_hint(path);
    gsize first = strcspn(hint, ".:");
    proto_item *g = proto_tree_add_string_format_value(tree, hf_hint, tvb, 0, 0, hint, "%s",
                                                       ewsflow_text_short(pinfo->pool, wmem_strndup(pinfo->pool, hint, first), 120));
    proto_item_set_generated(g);
    ewsflow_add_text_parts(proto_item_add_subtree(g, ett_ewsflow_text), pinfo, hf_hint_step, tvb, hint, ". ");
}

/* A mailbox list short enough for a label: the first and how many more. */
static const char *
short_mailboxes(packet_info *pinfo, const char *list)
{
    if (!list)
        return "mailbox unknown";
    const char *comma = strchr(list, ',');
    if (!comma)
        return ewsflow_text_short(pinfo->pool, list, 40);
    guint more = 0;
    for (const char *p = comma; p; p = strchr(p + 1, ','))
        more++;
    return wmem_strdup_printf(pinfo->pool, "%s (+%u more)",
                              ewsflow_text_short(pinfo->pool, wmem_strndup(pinfo->pool, list, (gsize)(comma - list)), 40), more);
}

/* How a hop ended, as far as this pass knows (single pass: not yet, on its own frame). */
static const char *
hop_fate(packet_info *pinfo, const ewsflow_req_t *r)
{
    if (r->reset_frame)
        return wmem_strdup_printf(pinfo->pool, ", reset in frame %u", r->reset_frame);
    if (r->closed_frame)
        return wmem_strdup_printf(pinfo->pool, ", closed unanswered in frame %u", r->closed_frame);
    if (r->response_frame)
        return wmem_strdup_printf(pinfo->pool, ", answered in frame %u", r->response_frame);
    return "";
}

static void
add_killed_items(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const ewsflow_req_t *r, gboolean closed)
{
    nstime_t d;
    nstime_delta(&d, closed ? &pinfo->abs_ts : &r->reset_ts, &r->ts);
    proto_item *ti = proto_tree_add_uint(tree, hf_request_in, tvb, 0, 0, r->frame);
    proto_item_set_generated(ti);
    proto_item_append_text(ti, " (%s, %s)", ewsflow_path_name(r->path), short_mailboxes(pinfo, r->mailboxes));
    proto_tree *kt = proto_item_add_subtree(ti, ett_ewsflow_reset);
    proto_item *g = proto_tree_add_string(kt, hf_killed_path, tvb, 0, 0, ewsflow_path_name(r->path));
    proto_item_set_generated(g);
    if (r->mailboxes) {
        g = proto_tree_add_string(kt, hf_target, tvb, 0, 0, r->mailboxes);
        proto_item_set_generated(g);
    }
    g = proto_tree_add_time(kt, hf_reset_after, tvb, 0, 0, &d);
    proto_item_set_generated(g);
    if (r->story_frame) {   /* GUI and tshark -2: the client's error this explains */
        g = proto_tree_add_uint(kt, hf_story_in, tvb, 0, 0, r->story_frame);
        proto_item_set_generated(g);
    }
    if (closed) {
        add_hint(pinfo, kt, tvb, r->path);
        expert_add_info_format(pinfo, ti, &ei_fin_unanswered,
                               "The server closed the connection %.0f ms after the %s request in frame %u without answering it",
                               nstime_to_msec(&d), ewsflow_path_name(r->path), r->frame);
        return;
    }
    g = proto_tree_add_string(kt, hf_reset_by, tvb, 0, 0, r->reset_by_server ? "server" : "client");
    proto_item_set_generated(g);
    if (r->partial_response_bytes) {
        g = proto_tree_add_uint(kt, hf_reset_partial_bytes, tvb, 0, 0, r->partial_response_bytes);
        proto_item_set_generated(g);
    }
    add_hint(pinfo, kt, tvb, r->path);
    /* short enough for an expert line (240 characters); the hint is a field of its own */
    expert_add_info_format(pinfo, ti, &ei_reset, "%s reset%s %.0f ms after the %s request in frame %u (%s)%s%s%s",
                           r->reset_by_server ? "Server" : "Client", r->complete ? "" : " (body never sent)",
                           nstime_to_msec(&d), ewsflow_path_name(r->path), r->frame, short_mailboxes(pinfo, r->mailboxes),
                           r->partial_response_bytes ? ", after part of the response" : ", before any response",
                           ewsflow_path_is_server_hop(r->path) && r->reset_by_server ? ": Exchange logs " : "",
                           ewsflow_path_is_server_hop(r->path) && r->reset_by_server ? "\"forcibly closed by the remote host\"" : "");
}

static int
dissect_ewsflow(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    frame_note_t *fn = (frame_note_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_ewsflow, 0);
    if (!PINFO_FD_VISITED(pinfo) && !fn) {
        if (!tree)
            return 0;
        fn = first_pass(tvb, pinfo, tree);
        if (fn)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_ewsflow, 0, fn);
    } else if (fn && fn->urlpostdata) {
        ews_dissect_owa_urlpostdata(tvb, pinfo, tree, fn->urlpostdata);   /* later passes show it again */
    }
    flow_t *fl = fn ? fn->flow : NULL;
    if (!fl && pinfo->ptype == PT_TCP) {
        /* a frame with nothing of its own (a SYN, an ACK, a middle segment) shows its flow's
         * paths too: from the conversation, on any pass (the SYN only once the flow is known) */
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        fl = conv ? (flow_t *)conversation_get_proto_data(conv, proto_ewsflow) : NULL;
    }
    if (fn && fn->limit_hit) {
        proto_item *li = proto_tree_add_item(tree, proto_ewsflow, tvb, 0, 0, ENC_NA);
        expert_add_info_format(pinfo, li, &ei_limit, "%s", fn->limit_hit);
    }
    if (!fl || !fl->exchange)
        return 0;

    proto_item *ti = proto_tree_add_item(tree, proto_ewsflow, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_tree *ft = proto_item_add_subtree(ti, ett_ewsflow);
    wmem_strbuf_t *paths = wmem_strbuf_new(pinfo->pool, "");
    for (int p = 0; p < EWSFLOW_PATH__COUNT; p++) {
        if (!fl->path_count[p])
            continue;
        proto_item *g = proto_tree_add_string(ft, hf_path, tvb, 0, 0, ewsflow_path_name((ewsflow_path_t)p));
        proto_item_set_generated(g);
        wmem_strbuf_append_printf(paths, "%s%s", wmem_strbuf_get_len(paths) ? ", " : "", ewsflow_path_name((ewsflow_path_t)p));
    }
    proto_item_append_text(ti, ": TCP stream %u, %s", fl->stream, wmem_strbuf_get_str(paths));
    if (!fn)
        return 0;

    for (wmem_list_frame_t *f = fn->requests ? wmem_list_head(fn->requests) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
        if (!r->exchange)
            continue;
        if (r->frame == pinfo->num) {
            add_request_items(pinfo, ft, tvb, r);
            if (ewsflow_path_is_server_hop(r->path) && r->complete)
                col_append_fstr(pinfo->cinfo, COL_INFO, " [%s hop%s]", ewsflow_path_name(r->path), hop_fate(pinfo, r));
        } else {   /* its first bytes, completed later */
            proto_item *g = proto_tree_add_uint(ft, hf_completed_in, tvb, 0, 0, r->frame);
            proto_item_set_generated(g);
        }
    }
    add_auth_response_items(pinfo, ft, tvb, fn);
    if (fn->reset) {
        proto_item *g = proto_tree_add_boolean(ft, hf_reset, tvb, 0, 0, TRUE);
        proto_item_set_generated(g);
        if (fn->duplicate_of) {
            g = proto_tree_add_uint(ft, hf_reset_duplicate, tvb, 0, 0, fn->duplicate_of);
            proto_item_set_generated(g);
            expert_add_info_format(pinfo, g, &ei_reset_duplicate, "Another reset on a connection already reset in frame %u",
                                   fn->duplicate_of);
        } else if (fn->reset_idle) {
            expert_add_info(pinfo, g, &ei_reset_after_response);
        }
    }
    guint killed = 0;
    for (wmem_list_frame_t *f = fn->killed ? wmem_list_head(fn->killed) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
        add_killed_items(pinfo, ft, tvb, r, FALSE);
        if (killed++ == 0)
            col_append_fstr(pinfo->cinfo, COL_INFO, " [%s request in frame %u reset]", ewsflow_path_name(r->path), r->frame);
    }
    for (wmem_list_frame_t *f = fn->closed ? wmem_list_head(fn->closed) : NULL; f; f = wmem_list_frame_next(f))
        add_killed_items(pinfo, ft, tvb, (const ewsflow_req_t *)wmem_list_frame_data(f), TRUE);
    if (fn->unfollowed) {
        proto_item *g = proto_tree_add_uint(ft, hf_unfollowed, tvb, 0, 0, fn->unfollowed);
        proto_item_set_generated(g);
        expert_add_info_format(pinfo, g, &ei_limit, "... and %u more outstanding request%s, past the %u followed per connection",
                               fn->unfollowed, plurality(fn->unfollowed, "", "s"), ewsflow_prefs.max_pending);
    }
    guint n_stories = 0;
    for (wmem_list_frame_t *f = fn->stories ? wmem_list_head(fn->stories) : NULL; f; f = wmem_list_frame_next(f)) {
        const story_t *st = (const story_t *)wmem_list_frame_data(f);
        const char *summary = ewsflow_text_short(pinfo->pool, st->summary, 150);
        proto_item *g = proto_tree_add_string_format_value(ft, hf_story, tvb, 0, 0, st->story, "%s", summary);
        proto_item_set_generated(g);
        proto_tree *t = proto_item_add_subtree(g, ett_ewsflow_text);
        ewsflow_add_text_parts(t, pinfo, hf_story_happened, tvb, st->happened, "; ");
        ewsflow_add_text_parts(t, pinfo, hf_story_why, tvb, st->why, "; ");
        ewsflow_add_text_parts(t, pinfo, hf_story_check, tvb, st->check, ". ");
        expert_add_info_format(pinfo, g, &ei_story, "%s (see the Story items)", summary);
        if (n_stories++ == 0)
            col_append_fstr(pinfo->cinfo, COL_INFO, " [%s]", summary);
        if (!st->hop)
            continue;
        g = proto_tree_add_uint(t, hf_hop_in, tvb, 0, 0, st->hop->frame);
        proto_item_set_generated(g);
        g = proto_tree_add_string(t, hf_hop_path, tvb, 0, 0, ewsflow_path_name(st->hop->path));
        proto_item_set_generated(g);
        if (st->hop->reset_frame) {
            g = proto_tree_add_uint(t, hf_reset_in, tvb, 0, 0, st->hop->reset_frame);
            proto_item_set_generated(g);
        }
    }
    if (n_stories > 1)
        col_append_fstr(pinfo->cinfo, COL_INFO, " (+%u more diagnos%s)", n_stories - 1, n_stories > 2 ? "es" : "is");
    if ((fn->requests || fn->answered || fn->killed || fn->closed || fn->stories) && have_tap_listener(ewsflow_tap)) {
        ewsflow_tap_info_t *ti_tap = wmem_new0(pinfo->pool, ewsflow_tap_info_t);
        ti_tap->started = fn->requests;
        ti_tap->answered = fn->answered;
        ti_tap->killed = fn->killed;
        ti_tap->closed = fn->closed;
        ti_tap->stories = fn->stories;
        tap_queue_packet(ewsflow_tap, pinfo, ti_tap);
    }
    return 0;
}

/* ---- registration -------------------------------------------------------------------- */

void
proto_register_ewsflow(void)
{
    static hf_register_info hf[] = {
        { &hf_path, { "Flow path", "ewsflow.path", FT_STRING, BASE_NONE, NULL, 0x0,
            "Routing path(s) of the Exchange requests on this TCP flow (on every frame of the flow)", HFILL } },
        { &hf_request_path, { "Request path", "ewsflow.request.path", FT_STRING, BASE_NONE, NULL, 0x0,
            "Inferred routing path of the request in this frame", HFILL } },
        { &hf_killed_path, { "Path of the reset request", "ewsflow.reset.request_path", FT_STRING, BASE_NONE, NULL, 0x0,
            "On an RST or FIN frame: the routing path of a request it left unanswered", HFILL } },
        { &hf_completed_in, { "Request completed in frame", "ewsflow.request.completed_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "This frame carries the first bytes of a request HTTP completed later", HFILL } },
        { &hf_evidence, { "Evidence", "ewsflow.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "Signals that decided the path, strong and weak", HFILL } },
        { &hf_conflict, { "Conflicting evidence", "ewsflow.conflict", FT_STRING, BASE_NONE, NULL, 0x0,
            "Other paths backed by strong signals, or equally likely", HFILL } },
        { &hf_target, { "Target mailbox", "ewsflow.mailbox", FT_STRING, BASE_NONE, NULL, 0x0,
            "Mailboxes asked about (body, else X-AnchorMailbox of a proxy hop)", HFILL } },
        { &hf_requester, { "Requester", "ewsflow.requester", FT_STRING, BASE_NONE, NULL, 0x0,
            "Who asked, where the wire says (client's X-AnchorMailbox, SerializedSecurityContext, impersonation, or the client lookup a hop serves)", HFILL } },
        { &hf_endpoint, { "Endpoint", "ewsflow.endpoint", FT_STRING, BASE_NONE, NULL, 0x0, "Host and URI", HFILL } },
        { &hf_partial_request, { "Request incomplete", "ewsflow.request.incomplete", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Only the request line and headers were sent (e.g. Expect: 100-continue); HTTP never completed it", HFILL } },
        { &hf_reset, { "Reset", "ewsflow.reset", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "TCP reset: on the RST frame, and on each request it killed (GUI, tshark -2)", HFILL } },
        { &hf_reset_in, { "Reset in frame", "ewsflow.reset_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The RST that killed this request (GUI, tshark -2)", HFILL } },
        { &hf_request_in, { "Outstanding request in frame", "ewsflow.request_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "On an RST (or FIN): a request it left without a complete response", HFILL } },
        { &hf_reset_after, { "Time since request", "ewsflow.reset_after", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_reset_by, { "Reset by", "ewsflow.reset.by", FT_STRING, BASE_NONE, NULL, 0x0, "server or client", HFILL } },
        { &hf_reset_duplicate, { "Connection already reset in frame", "ewsflow.reset.duplicate_of", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "A retransmitted or further RST", HFILL } },
        { &hf_reset_partial_bytes, { "Response bytes before the reset", "ewsflow.reset.partial_response_bytes", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The response had started but was cut off", HFILL } },
        { &hf_response_in, { "Response in frame", "ewsflow.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, NULL, HFILL } },
        { &hf_closed_in, { "Closed unanswered in frame", "ewsflow.closed_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The server's FIN that left this request unanswered", HFILL } },
        { &hf_story, { "Story", "ewsflow.story", FT_STRING, BASE_NONE, NULL, 0x0,
            "On a client's error response: which hop failed for that mailbox, how, and what to check", HFILL } },
        { &hf_hint, { "What to check", "ewsflow.hint", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where to look when a request on this path is reset or left unanswered", HFILL } },
        { &hf_oauth, { "OAuth token", "ewsflow.oauth", FT_NONE, BASE_NONE, NULL, 0x0,
            "Authorization: Bearer JWT, decoded (the signature is neither verified nor shown)", HFILL } },
        { &hf_oauth_empty, { "Empty Bearer", "ewsflow.oauth.empty", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Bearer with no token: Exchange's way of asking for the challenge", HFILL } },
        { &hf_oauth_alg, { "alg", "ewsflow.oauth.alg", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_oauth_x5t, { "x5t", "ewsflow.oauth.x5t", FT_STRING, BASE_NONE, NULL, 0x0, "Thumbprint of the signing certificate", HFILL } },
        { &hf_oauth_aud, { "aud", "ewsflow.oauth.aud", FT_STRING, BASE_NONE, NULL, 0x0, "Audience: 00000002-0000-0ff1-ce00-000000000000/host@realm is Exchange", HFILL } },
        { &hf_oauth_iss, { "iss", "ewsflow.oauth.iss", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_oauth_nii, { "nii", "ewsflow.oauth.nii", FT_STRING, BASE_NONE, NULL, 0x0, "Name identifier issuer", HFILL } },
        { &hf_oauth_appid, { "appid", "ewsflow.oauth.appid", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_oauth_smtp, { "smtp", "ewsflow.oauth.smtp", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_oauth_upn, { "upn", "ewsflow.oauth.upn", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_oauth_nameid, { "nameid", "ewsflow.oauth.nameid", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_oauth_nbf, { "nbf", "ewsflow.oauth.nbf", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0, "Not before", HFILL } },
        { &hf_oauth_exp, { "exp", "ewsflow.oauth.exp", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0, "Expires", HFILL } },
        { &hf_oauth_actor, { "Actor token", "ewsflow.oauth.actor", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The token carries an actortoken: an application acting as a user", HFILL } },
        { &hf_oauth_s2s, { "Server-to-server", "ewsflow.oauth.s2s", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "A token for Exchange issued to an application (IntraOrganizationConnector hops)", HFILL } },
        { &hf_oauth_claim, { "Claim", "ewsflow.oauth.claim", FT_STRING, BASE_NONE, NULL, 0x0, "Every claim, name: value", HFILL } },
        { &hf_challenge, { "Bearer challenge", "ewsflow.oauth.challenge", FT_STRING, BASE_NONE, NULL, 0x0,
            "WWW-Authenticate: Bearer ... of a response", HFILL } },
        { &hf_challenge_param, { "Parameter", "ewsflow.oauth.challenge.param", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_client_id, { "client_id", "ewsflow.oauth.challenge.client_id", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_diagnostics, { "x-ms-diagnostics", "ewsflow.oauth.diagnostics", FT_STRING, BASE_NONE, NULL, 0x0,
            "Exchange's reason for refusing a token", HFILL } },
        { &hf_diag_code, { "Code", "ewsflow.oauth.diagnostics.code", FT_STRING, BASE_NONE, NULL, 0x0, "e.g. 2000001", HFILL } },
        { &hf_diag_reason, { "Reason", "ewsflow.oauth.diagnostics.reason", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_diag_category, { "Error category", "ewsflow.oauth.diagnostics.category", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_autodiscover_in, { "URL from Autodiscover in frame", "ewsflow.autodiscover_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The Autodiscover answer that handed out the URL this request went to", HFILL } },
        { &hf_hop_in, { "Proxy hop in frame", "ewsflow.hop_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The server-to-server request this lookup caused", HFILL } },
        { &hf_hop_path, { "Hop path", "ewsflow.hop.path", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_evidence_signal, { "Signal", "ewsflow.evidence.signal", FT_STRING, BASE_NONE, NULL, 0x0,
            "One routing signal seen on the request, [strong] or [weak]", HFILL } },
        { &hf_conflict_part, { "Conflict", "ewsflow.conflict.part", FT_STRING, BASE_NONE, NULL, 0x0,
            "One path that strong signals also spoke for, or that scored the same", HFILL } },
        { &hf_hint_step, { "Check", "ewsflow.hint.step", FT_STRING, BASE_NONE, NULL, 0x0, "One step of What to check", HFILL } },
        { &hf_story_happened, { "What happened", "ewsflow.story.happened", FT_STRING, BASE_NONE, NULL, 0x0,
            "The story, part 1: which mailbox, whose lookup, which hop and path", HFILL } },
        { &hf_story_why, { "Why it failed", "ewsflow.story.why", FT_STRING, BASE_NONE, NULL, 0x0,
            "The story, part 2: how the hop ended (reset, close, answer) and how that shows in the error", HFILL } },
        { &hf_story_check, { "What to check", "ewsflow.story.check", FT_STRING, BASE_NONE, NULL, 0x0,
            "The story, part 3: where to look, for this path", HFILL } },
        { &hf_story_in, { "Diagnosis in frame", "ewsflow.story_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "On a hop and on the RST or FIN that ended it: the client's error response whose story it explains (GUI, tshark -2)", HFILL } },
        { &hf_unfollowed, { "Further requests not followed", "ewsflow.unfollowed", FT_UINT32, BASE_DEC, NULL, 0x0,
            "On an RST or FIN: outstanding requests beyond ewsflow.max_pending that it also ended (counted, not listed)", HFILL } },
        { &hf_client_request_in, { "Client lookup in frame", "ewsflow.client_request_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The client request this proxy hop serves", HFILL } },
    };
    static gint *ett[] = { &ett_ewsflow, &ett_ewsflow_request, &ett_ewsflow_reset, &ett_ewsflow_oauth, &ett_ewsflow_text };
    static ei_register_info ei[] = {
        { &ei_reset, { "ewsflow.reset.expert", PI_SEQUENCE, PI_WARN, "Request reset before a complete response", EXPFILL } },
        { &ei_reset_after_response, { "ewsflow.reset.idle", PI_SEQUENCE, PI_NOTE,
            "Reset with no request outstanding: no lookup was lost", EXPFILL } },
        { &ei_reset_duplicate, { "ewsflow.reset.duplicate", PI_SEQUENCE, PI_NOTE, "Further reset of a reset connection", EXPFILL } },
        { &ei_fin_unanswered, { "ewsflow.closed_unanswered", PI_SEQUENCE, PI_WARN, "Connection closed with a request unanswered", EXPFILL } },
        { &ei_story, { "ewsflow.story.expert", PI_RESPONSE_CODE, PI_WARN, "Why this mailbox failed", EXPFILL } },
        { &ei_conflict, { "ewsflow.conflict.expert", PI_PROTOCOL, PI_NOTE, "Conflicting routing evidence", EXPFILL } },
        { &ei_limit, { "ewsflow.limit", PI_UNDECODED, PI_WARN, "State bound reached: new flows or requests are not followed", EXPFILL } },
        { &ei_oauth_malformed, { "ewsflow.oauth.malformed", PI_MALFORMED, PI_WARN, "Bearer token not decodable", EXPFILL } },
        { &ei_oauth_expired, { "ewsflow.oauth.expired", PI_SECURITY, PI_WARN, "OAuth token already expired", EXPFILL } },
        { &ei_oauth_failure, { "ewsflow.oauth.failure", PI_SECURITY, PI_WARN, "Exchange refused an OAuth token (x-ms-diagnostics)", EXPFILL } },
        { &ei_oauth_challenge, { "ewsflow.oauth.challenge.expert", PI_SEQUENCE, PI_NOTE, "OAuth (Bearer) challenge", EXPFILL } },
    };

    proto_ewsflow = proto_register_protocol("Exchange Free/Busy Routing", "EWSFLOW", "ewsflow");
    proto_register_field_array(proto_ewsflow, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto_ewsflow);
    expert_register_field_array(em, ei, array_length(ei));

    module_t *m = prefs_register_protocol(proto_ewsflow, NULL);
    prefs_register_uint_preference(m, "max_flows", "Most HTTP flows followed per capture",
                                   "TCP connections carrying HTTP whose requests are followed; an expert info marks where the bound was reached",
                                   10, &ewsflow_prefs.max_flows);
    prefs_register_uint_preference(m, "max_requests", "Most HTTP requests followed per capture",
                                   "Requests whose routing, response and reset are followed; an expert info marks where the bound was reached",
                                   10, &ewsflow_prefs.max_requests);
    prefs_register_uint_preference(m, "max_pending", "Most requests awaiting an answer per connection",
                                   "Outstanding requests followed on one TCP connection; an RST or FIN lists these and counts the rest",
                                   10, &ewsflow_prefs.max_pending);

    ewsflow_handle = register_dissector("ewsflow", dissect_ewsflow, proto_ewsflow);
    register_postdissector(ewsflow_handle);
    register_init_routine(ewsflow_init);
    register_cleanup_routine(ewsflow_cleanup);
    flows = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    req_by_frame = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    lookups_by_mbx = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    discovered_urls = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    ewsflow_tap = register_tap("ewsflow");
    ewsflow_register_report();
    ewsflow_stats_register(proto_ewsflow);
}

void
proto_reg_handoff_ewsflow(void)
{
    for (int i = 0; i < F__COUNT; i++)
        wanted_hf[i] = proto_registrar_get_id_byname(wanted_names[i]);
    proto_tls = proto_get_id_by_filter_name("tls");
}
