/* ewsflow-tracker.c
 * Requests, responses, resets and FINs per connection; client lookups linked to the proxy
 * hops they caused; stories for the errors that hops explain. See ewsflow-tracker.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-tracker.h"

#include <string.h>

#define LOOKUPS_PER_MAILBOX 64   /* client lookups kept per target for linking hops (and looked back at) */
#define H2_HEADS 16              /* HTTP/2 POST header blocks kept per connection awaiting their body */
#define UNLINKED_HOPS 64
#define TLS_CANDIDATES 256       /* latest encrypted connections kept for an error that names no decrypted hop */         /* hops no lookup claimed, kept for an error that names no hop */

typedef struct {
    guint32  frame;
    gboolean pox;
} discovery_t;

struct ewsflow_tracker {
    wmem_allocator_t *scope;
    ewsflow_limits_t  limits;
    GPtrArray        *conns;          /* ewsflow_conn_t by TCP stream (dense from 0), up to the highest followed one */
    wmem_map_t       *req_by_txn;     /* the body dissector's transaction -> ewsflow_req_t (its pairing, HTTP/2) */
    wmem_map_t       *lookups_by_mbx; /* lower-cased mailbox -> wmem_list_t of client lookups */
    wmem_map_t       *discovered;     /* "host/path" (lower case, no /wssecurity) -> discovery_t */
    wmem_map_t       *strings;        /* one copy of each kept string */
    wmem_list_t      *unlinked_hops;  /* the latest proxy hops linked to no client lookup */
    wmem_map_t       *verdicts;       /* signal set -> ewsflow_verdict_t (strings kept): few sets recur */
    wmem_list_t      *tls_conns;      /* ewsflow_tls_t*: the latest encrypted connections (bounded) */
    wmem_map_t       *discovered_hosts; /* lower-cased host an Autodiscover answer handed out -> discovery_t */
    wmem_allocator_t *tmp;            /* scratch, emptied after each use */
    guint             n_conns, n_requests;
    gboolean          conn_limit_said, request_limit_said;
    gboolean          client_side_only; /* a Fiddler archive or HAR file: no server-side hop can be in it */
};

/* ---- small helpers ------------------------------------------------------------------ */

static const char *
keep(ewsflow_tracker_t *tr, const char *v)
{
    if (!v)
        return NULL;
    const char *have = (const char *)wmem_map_lookup(tr->strings, v);
    if (have)
        return have;
    char *copy = wmem_strdup(tr->scope, v);
    wmem_map_insert(tr->strings, copy, copy);
    return copy;
}

static void
list_add(ewsflow_tracker_t *tr, wmem_list_t **l, void *item)
{
    if (!*l)
        *l = wmem_list_new(tr->scope);
    wmem_list_append(*l, item);
}

gboolean
ewsflow_req_is_lookup(const ewsflow_req_t *r)
{
    return r->exchange && (r->availability || (ewsflow_path_is_server_hop(r->path) && r->n_targets && !r->complete));
}

gboolean
ewsflow_req_targets(const ewsflow_req_t *r, const char *mailbox)
{
    for (guint i = 0; mailbox && i < r->n_targets; i++) {
        if (g_ascii_strcasecmp(r->targets[i], mailbox) == 0)
            return TRUE;
    }
    return FALSE;
}

static void
set_targets(ewsflow_tracker_t *tr, ewsflow_req_t *r, const char *const *list, guint n)
{
    r->targets = n ? wmem_alloc_array(tr->scope, const char *, n) : NULL;
    r->n_targets = n;
    wmem_strbuf_t *sb = wmem_strbuf_new(NULL, "");
    for (guint i = 0; i < n; i++) {
        r->targets[i] = keep(tr, list[i] ? list[i] : "");
        wmem_strbuf_append_printf(sb, "%s%s", i ? "," : "", r->targets[i]);
    }
    r->mailboxes = n ? keep(tr, wmem_strbuf_get_str(sb)) : NULL;
    wmem_strbuf_destroy(sb);
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
    char *low = g_ascii_strdown(k, -1);
    wmem_free(scope, k);
    char *out = wmem_strdup(scope, low);
    g_free(low);
    gsize n = strlen(out);
    if (n > 11 && strcmp(out + n - 11, "/wssecurity") == 0)
        out[n - 11] = '\0';
    return out;
}

/* ---- the tracker ------------------------------------------------------------------------- */

ewsflow_tracker_t *
ewsflow_tracker_new(wmem_allocator_t *scope, const ewsflow_limits_t *limits)
{
    ewsflow_tracker_t *tr = wmem_new0(scope, ewsflow_tracker_t);
    tr->scope = scope;
    tr->limits = *limits;
    tr->conns = g_ptr_array_new();
    tr->req_by_txn = wmem_map_new(scope, g_direct_hash, g_direct_equal);
    tr->lookups_by_mbx = wmem_map_new(scope, g_str_hash, g_str_equal);
    tr->discovered = wmem_map_new(scope, g_str_hash, g_str_equal);
    tr->strings = wmem_map_new(scope, g_str_hash, g_str_equal);
    tr->unlinked_hops = wmem_list_new(scope);
    tr->verdicts = wmem_map_new(scope, g_direct_hash, g_direct_equal);
    tr->tls_conns = wmem_list_new(scope);
    tr->discovered_hosts = wmem_map_new(scope, g_str_hash, g_str_equal);
    tr->tmp = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK);
    return tr;
}

void
ewsflow_tracker_free(ewsflow_tracker_t *tr)
{
    if (tr) {
        wmem_destroy_allocator(tr->tmp);
        g_ptr_array_free(tr->conns, TRUE);
        tr->conns = NULL;
    }
}

/* State only for connections that carry HTTP or TLS: those that do are bounded by max_flows,
 * the others cost a pointer each below the highest followed stream. Found by indexing, not
 * hashing: this runs on every TCP segment, and on a server's capture a hash chain of tens of
 * thousands of connections misses the cache where one slot of an array near its neighbours
 * (streams seen at the same time are numbered close together) does not. */
ewsflow_conn_t *
ewsflow_tracker_conn(ewsflow_tracker_t *tr, guint32 stream, gboolean create, ewsflow_frame_t *fr)
{
    ewsflow_conn_t *c = stream < tr->conns->len ? (ewsflow_conn_t *)g_ptr_array_index(tr->conns, stream) : NULL;
    if (!c && create) {
        if (tr->n_conns >= tr->limits.max_flows) {
            if (!tr->conn_limit_said) {
                tr->conn_limit_said = TRUE;
                fr->limit_hit = wmem_strdup_printf(tr->scope, "More than %u HTTP flows in this capture: ewsflow follows no new "
                                                   "ones (Preferences > Protocols > EWSFLOW)", tr->limits.max_flows);
            }
            return NULL;
        }
        tr->n_conns++;
        if (stream >= tr->conns->len)
            g_ptr_array_set_size(tr->conns, (gint)stream + 1);   /* new slots NULL, room grown by powers of two */
        c = wmem_new0(tr->scope, ewsflow_conn_t);
        c->stream = stream;
        c->pending = wmem_list_new(tr->scope);
        g_ptr_array_index(tr->conns, stream) = c;
    }
    fr->conn = c;
    return c;
}

gboolean
ewsflow_tracker_takes_requests(ewsflow_tracker_t *tr, ewsflow_frame_t *fr)
{
    if (tr->n_requests < tr->limits.max_requests)
        return TRUE;
    if (!tr->request_limit_said) {
        tr->request_limit_said = TRUE;
        fr->limit_hit = wmem_strdup_printf(tr->scope, "More than %u HTTP requests in this capture: ewsflow follows "
                                           "no new ones (Preferences > Protocols > EWSFLOW)", tr->limits.max_requests);
    }
    return FALSE;
}

/* Whether one more outstanding request on this connection is followed: past max_pending they
 * are only counted, and the RST or FIN that ends them says how many. Once one is skipped, none
 * is followed until its answer is counted, so pairing stays in order. */
static gboolean
room_for_request(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, ewsflow_conn_t *c)
{
    if (!c->unfollowed && wmem_list_count(c->pending) < tr->limits.max_pending)
        return TRUE;
    c->unfollowed++;
    if (!c->pending_full_reported) {
        c->pending_full_reported = TRUE;
        fr->limit_hit = wmem_strdup_printf(tr->scope, "More than %u requests awaiting an answer on this connection: further ones "
                                           "are counted, not followed (Preferences > Protocols > EWSFLOW)", tr->limits.max_pending);
    }
    return FALSE;
}

static ewsflow_jwt_t *
keep_jwt(ewsflow_tracker_t *tr, const char *authorization)
{
    ewsflow_jwt_t jwt, *k = NULL;
    if (ewsflow_jwt_decode(tr->tmp, authorization, &jwt)) {
        /* only what is shown later is kept, strings shared */
        k = wmem_memdup(tr->scope, &jwt, sizeof(jwt));
        const char **fields[] = { &k->error, &k->alg, &k->typ, &k->x5t, &k->aud, &k->iss, &k->nii, &k->appid,
                                  &k->smtp, &k->upn, &k->nameid };
        for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
            *fields[i] = keep(tr, *fields[i]);
        k->claims = k->n_claims ? wmem_alloc_array(tr->scope, ewsflow_pair_t, k->n_claims) : NULL;
        for (guint i = 0; i < k->n_claims; i++) {
            k->claims[i].name = keep(tr, jwt.claims[i].name);
            k->claims[i].value = strcmp(jwt.claims[i].name, "actortoken") == 0 ? "" : keep(tr, jwt.claims[i].value);
        }
    }
    wmem_free_all(tr->tmp);
    return k;
}

static void
classify(ewsflow_tracker_t *tr, ewsflow_req_t *r, const ews_http_request_t *h, const ews_msg_info_t *mi)
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
    char *key = url_key(tr->tmp, r->host, r->uri);
    discovery_t *d = key ? (discovery_t *)wmem_map_lookup(tr->discovered, key) : NULL;
    if (d) {
        s.url_from_autodiscover = d->pox ? 1 : 2;
        r->autodiscover_frame = d->frame;
    }
    if (h && h->authorization && !r->jwt)
        r->jwt = keep_jwt(tr, h->authorization);   /* empties tr->tmp: `key` is not used after this */
    s.s2s_token = ewsflow_jwt_is_s2s(r->jwt);
    r->exchange = ewsflow_is_exchange_request(&s);
    if (r->exchange) {
        guint32 sigs = ewsflow_detect(&s);
        ewsflow_verdict_t once, *v = (ewsflow_verdict_t *)wmem_map_lookup(tr->verdicts, GUINT_TO_POINTER(sigs + 1));
        if (!v) {
            /* a bounded memo (real captures show a few dozen sets): past it, classified each time */
            gboolean memo = wmem_map_size(tr->verdicts) < 4096;
            v = memo ? wmem_new(tr->scope, ewsflow_verdict_t) : &once;
            ewsflow_classify_signals(tr->tmp, sigs, v);
            v->evidence = keep(tr, v->evidence);
            v->conflict = keep(tr, v->conflict);
            if (memo)
                wmem_map_insert(tr->verdicts, GUINT_TO_POINTER(sigs + 1), v);
        }
        r->path = v->path;
        r->evidence = r->autodiscover_frame
                          ? wmem_strdup_printf(tr->scope, "%s (Autodiscover answer in frame %u)", v->evidence, r->autodiscover_frame)
                          : v->evidence;
        r->conflict = v->conflict;
    }
    wmem_free_all(tr->tmp);
}

static void
register_lookup(ewsflow_tracker_t *tr, ewsflow_req_t *r)
{
    for (guint i = 0; i < r->n_targets; i++) {
        char *low = g_ascii_strdown(r->targets[i], -1);
        const char *key = keep(tr, low);
        g_free(low);
        wmem_list_t *l = (wmem_list_t *)wmem_map_lookup(tr->lookups_by_mbx, key);
        if (!l) {
            l = wmem_list_new(tr->scope);
            wmem_map_insert(tr->lookups_by_mbx, key, l);
        }
        wmem_list_append(l, r);
        if (wmem_list_count(l) > LOOKUPS_PER_MAILBOX)   /* link_hop looks back no further */
            wmem_list_remove_frame(l, wmem_list_head(l));
    }
}

/* A proxy hop: the client lookup whose MessageID or client-request-id it carries, else the
 * latest lookup of one of its mailboxes that was still open when the hop started (with a note
 * when several were: the link is then a guess, and the story says so). A hop no lookup claims
 * is kept among the unlinked ones, for an error that names no hop. */
static void
link_hop(ewsflow_tracker_t *tr, ewsflow_req_t *hop, gboolean first_try)
{
    ewsflow_req_t *best = NULL;
    gboolean by_id = FALSE;
    GPtrArray *open = g_ptr_array_new();   /* distinct candidates by time and mailbox */
    for (guint i = 0; i < hop->n_targets && !by_id; i++) {
        char *key = g_ascii_strdown(hop->targets[i], -1);
        wmem_list_t *l = (wmem_list_t *)wmem_map_lookup(tr->lookups_by_mbx, key);
        g_free(key);
        guint looked = 0;
        /* newest first; a bounded look back keeps busy captures linear */
        for (wmem_list_frame_t *f = l ? wmem_list_tail(l) : NULL; f && looked < LOOKUPS_PER_MAILBOX; f = wmem_list_frame_prev(f)) {
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
            if (!g_ptr_array_find(open, c, NULL))
                g_ptr_array_add(open, c);
            if (!best || nstime_cmp(&c->ts, &best->ts) > 0)
                best = c;
        }
    }
    guint n_open = open->len;
    g_ptr_array_free(open, TRUE);
    if (!best) {
        if (first_try) {
            wmem_list_append(tr->unlinked_hops, hop);
            if (wmem_list_count(tr->unlinked_hops) > UNLINKED_HOPS)
                wmem_list_remove_frame(tr->unlinked_hops, wmem_list_head(tr->unlinked_hops));
        }
        return;
    }
    wmem_list_remove(tr->unlinked_hops, hop);
    if (!by_id && n_open > 1)
        hop->link_note = wmem_strdup_printf(tr->scope, "%u lookups of %s were open when this hop started and it carries no "
                                            "MessageID or client-request-id of theirs: linked to the latest by time",
                                            n_open, hop->mailboxes ? hop->mailboxes : "its mailbox");
    hop->client = best;
    if (!best->hops)
        best->hops = wmem_list_new(tr->scope);
    wmem_list_append(best->hops, hop);
    if (!hop->requester && best->requester) {
        hop->requester = best->requester;
        hop->requester_source = wmem_strdup_printf(tr->scope, "the client lookup in frame %u (%s)", best->frame,
                                                   best->requester_source ? best->requester_source : "?");
    }
}

/* Who asked, where the wire says it, best first: the body's headers (SerializedSecurityContext,
 * impersonation), an OAuth token's smtp/upn claim, a client's X-AnchorMailbox (clients anchor
 * on their own mailbox), a client's Basic or NTLM credentials (an account name, never the
 * secret). A hop's credentials are its server's service account, not the requester: a hop
 * takes the requester of the client lookup it serves (link_hop). */
static void
set_requester(ewsflow_tracker_t *tr, ewsflow_req_t *r, const ews_http_request_t *h)
{
    if (r->requester)
        return;
    gboolean hop = ewsflow_path_is_server_hop(r->path);
    const char *who = NULL, *src = NULL;
    if (r->jwt && !r->jwt->error && (r->jwt->smtp || r->jwt->upn)) {
        who = r->jwt->smtp ? r->jwt->smtp : r->jwt->upn;
        src = r->jwt->smtp ? "OAuth token smtp claim" : "OAuth token upn claim";
    } else if (!hop && r->anchor && r->path != EWSFLOW_PATH_AUTODISCOVER) {
        who = r->anchor;
        src = "X-AnchorMailbox";
    } else if (!hop && h && h->authorization && (who = ewsflow_auth_account(tr->tmp, h->authorization)) != NULL) {
        src = g_ascii_strncasecmp(h->authorization, "Basic", 5) == 0 ? "Basic credentials" : "NTLM AUTHENTICATE message";
    }
    if (who) {
        r->requester = keep(tr, who);
        r->requester_source = src;
    }
    wmem_free_all(tr->tmp);
}

/* Fill a request from its headers and EWS body, classify it, and link it into the story. */
static void
finish_request(ewsflow_tracker_t *tr, ewsflow_conn_t *c, ewsflow_req_t *r, const ews_http_request_t *h,
               const ews_msg_info_t *mi)
{
    if (h) {
        r->host = h->host ? keep(tr, h->host) : r->host;
        r->user_agent = h->user_agent ? keep(tr, h->user_agent) : r->user_agent;
        r->anchor = h->anchor ? keep(tr, h->anchor) : r->anchor;
        if (h->client_request_id)
            r->client_request_id = wmem_strdup(tr->scope, h->client_request_id);
    }
    if (mi) {
        r->availability = mi->operation && g_str_has_prefix(mi->operation, "GetUserAvailability");
        if (mi->txn && mi->txn->n_mailboxes)
            set_targets(tr, r, mi->txn->mailboxes, mi->txn->n_mailboxes);
        r->message_id = keep(tr, mi->message_id);
        if (mi->requester) {
            r->requester = keep(tr, mi->requester);
            r->requester_source = mi->requester_source;
        }
    }
    gboolean was_counted = r->exchange;
    ewsflow_path_t old_path = r->path;
    classify(tr, r, h, mi);
    if (was_counted)
        c->path_count[old_path]--;     /* reclassified now that the whole request is known */
    if (!r->exchange)
        return;
    c->path_count[r->path]++;
    /* An NTLM/Negotiate leg without a body (NEGOTIATE, answered by a 401 CHALLENGE) carries
     * too little to tell the path: it takes the path of the request it authenticates, the next
     * one with a body on the connection (GUI and tshark -2 show it; one pass shows the guess). */
    if (r->complete && !mi && h && h->authorization &&
        (g_ascii_strncasecmp(h->authorization, "NTLM ", 5) == 0 || g_ascii_strncasecmp(h->authorization, "Negotiate ", 10) == 0)) {
        c->handshake = r;
    } else if (c->handshake && c->handshake != r && mi) {
        ewsflow_req_t *hs = c->handshake;
        c->handshake = NULL;
        c->path_count[hs->path]--;
        hs->path = r->path;
        c->path_count[hs->path]++;
        hs->evidence = wmem_strdup_printf(tr->scope, "authentication handshake (no body) of the request in frame %u, whose "
                                          "evidence decides: %s", r->frame, r->evidence ? r->evidence : "");
        hs->conflict = NULL;
    }
    if (!r->n_targets && r->anchor && ewsflow_path_is_server_hop(r->path))
        set_targets(tr, r, &r->anchor, 1);   /* proxy hops put the (first) target in X-AnchorMailbox */
    set_requester(tr, r, h);
    c->exchange = TRUE;
    /* A hop is linked once its lookup body is known, or as soon as its headers are when the
     * body never came (Expect: 100-continue, cut off); a complete request with no body, like
     * an NTLM NEGOTIATE, is no lookup. */
    if (ewsflow_path_is_server_hop(r->path)) {
        if ((r->availability || !r->complete) && !r->client) {
            link_hop(tr, r, !r->link_tried);
            r->link_tried = TRUE;
        }
    } else if (r->availability && !r->registered) {
        register_lookup(tr, r);
        r->registered = TRUE;
    }
    if (mi && mi->txn)   /* several requests of one frame (HTTP/2 streams, pipelining) keep their own */
        wmem_map_insert(tr->req_by_txn, mi->txn, r);
}

void
ewsflow_tracker_h2_headers(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, const ews_http_request_t *h)
{
    ewsflow_conn_t *c = fr->conn;
    if (!c || !h->method || strcmp(h->method, "POST") != 0)
        return;
    ews_http_request_t *k = wmem_new0(tr->scope, ews_http_request_t);
    k->method = keep(tr, h->method);
    k->uri = keep(tr, h->uri);
    k->host = keep(tr, h->host);
    k->user_agent = keep(tr, h->user_agent);
    k->authorization = keep(tr, h->authorization);
    k->action = keep(tr, h->action);
    k->anchor = keep(tr, h->anchor);
    k->client_request_id = keep(tr, h->client_request_id);
    k->owa = h->owa;
    k->cafe = h->cafe;
    if (!c->h2_heads)
        c->h2_heads = wmem_list_new(tr->scope);
    wmem_list_append(c->h2_heads, k);
    if (wmem_list_count(c->h2_heads) > H2_HEADS)   /* POSTs whose body never reached us */
        wmem_list_remove_frame(c->h2_heads, wmem_list_head(c->h2_heads));
}

ewsflow_req_t *
ewsflow_tracker_request(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 server_port,
                        const ews_http_request_t *http, const ews_msg_info_t *body, gboolean complete)
{
    ewsflow_conn_t *c = fr->conn;
    if (!c)
        return NULL;
    gboolean h2 = http == NULL;
    if (h2 && c->h2_heads && wmem_list_head(c->h2_heads)) {   /* the body's header block, in order */
        http = (const ews_http_request_t *)wmem_list_frame_data(wmem_list_head(c->h2_heads));
        wmem_list_remove_frame(c->h2_heads, wmem_list_head(c->h2_heads));
    }
    const char *method = http ? http->method : "POST";
    const char *uri = http ? http->uri : NULL;
    ewsflow_req_t *r = c->partial;
    if (complete && r && r->uri && uri && strcmp(r->uri, uri) == 0 && !r->complete) {
        r->frame = frame;            /* the partial request completed here */
        r->ts = *ts;
        r->jwt = NULL;               /* decoded again from the whole header */
    } else if (room_for_request(tr, fr, c)) {
        tr->n_requests++;
        r = wmem_new0(tr->scope, ewsflow_req_t);
        r->frame = r->first_frame = frame;
        r->ts = *ts;
        r->stream = c->stream;
        r->server_port = server_port;
        r->method = keep(tr, method);
        r->uri = keep(tr, uri);
        if (!h2)   /* HTTP/2 requests are answered through the body dissector's pairing */
            wmem_list_append(c->pending, r);
    } else {
        return NULL;
    }
    r->complete = complete;
    c->partial = complete ? NULL : r;
    c->decrypted = TRUE;
    finish_request(tr, c, r, http, body);
    list_add(tr, &fr->requests, r);
    return r;
}

static const char *
response_outcome(ewsflow_tracker_t *tr, const ews_msg_info_t *mi)
{
    if (!mi)
        return NULL;
    if (mi->is_fault)
        return wmem_strdup_printf(tr->scope, "SOAP fault %s", mi->fault_code ? mi->fault_code : "");
    wmem_strbuf_t *sb = wmem_strbuf_new(NULL, "");
    for (guint i = 0; i < mi->n_results; i++)
        wmem_strbuf_append_printf(sb, "%s%s", i ? "," : "", mi->results[i].code ? mi->results[i].code : "?");
    const char *out = keep(tr, wmem_strbuf_get_str(sb));
    wmem_strbuf_destroy(sb);
    return out;
}

gboolean
ewsflow_tracker_response(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint status,
                         const char *diagnostics, const ews_msg_info_t *body)
{
    ewsflow_conn_t *c = fr->conn;
    wmem_list_frame_t *head = c ? wmem_list_head(c->pending) : NULL;
    if (!head) {
        if (c && c->unfollowed)
            c->unfollowed--;   /* the answer to a request past max_pending */
        return FALSE;
    }
    ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(head);
    wmem_list_remove_frame(c->pending, head);
    c->decrypted = TRUE;
    if (c->partial == r)
        c->partial = NULL;
    r->response_frame = frame;
    r->response_ts = *ts;
    r->status = status;
    r->diagnostics = keep(tr, diagnostics);
    gboolean took = body && r->availability;
    if (took)
        r->outcome = response_outcome(tr, body);
    c->rsp_bytes = 0;
    list_add(tr, &fr->answered, r);
    return took;
}

void
ewsflow_tracker_response_paired(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts,
                                const ews_msg_info_t *body)
{
    ewsflow_req_t *r = body->txn ? (ewsflow_req_t *)wmem_map_lookup(tr->req_by_txn, body->txn) : NULL;
    if (!r || r->response_frame)
        return;
    r->response_frame = frame;
    r->response_ts = *ts;
    r->outcome = response_outcome(tr, body);
    if (fr->conn)
        wmem_list_remove(fr->conn->pending, r);
    list_add(tr, &fr->answered, r);
}

void
ewsflow_tracker_bytes(ewsflow_tracker_t *tr _U_, ewsflow_frame_t *fr, guint16 src_port, guint32 len)
{
    ewsflow_conn_t *c = fr->conn;
    wmem_list_frame_t *head = c ? wmem_list_head(c->pending) : NULL;
    const ewsflow_req_t *oldest = head ? (const ewsflow_req_t *)wmem_list_frame_data(head) : NULL;
    if (oldest && len > 0 && src_port == oldest->server_port)
        c->rsp_bytes += len;
}

/* ---- TLS without keys ------------------------------------------------------------------ */

static const struct {
    int         value;
    const char *name;
} tls_alerts[] = {   /* RFC 8446 §6 (and RFC 5246's) AlertDescription */
    { 0, "close_notify" }, { 10, "unexpected_message" }, { 20, "bad_record_mac" }, { 22, "record_overflow" },
    { 40, "handshake_failure" }, { 42, "bad_certificate" }, { 43, "unsupported_certificate" }, { 44, "certificate_revoked" },
    { 45, "certificate_expired" }, { 46, "certificate_unknown" }, { 47, "illegal_parameter" }, { 48, "unknown_ca" },
    { 49, "access_denied" }, { 50, "decode_error" }, { 51, "decrypt_error" }, { 70, "protocol_version" },
    { 71, "insufficient_security" }, { 80, "internal_error" }, { 86, "inappropriate_fallback" }, { 90, "user_canceled" },
    { 109, "missing_extension" }, { 110, "unsupported_extension" }, { 112, "unrecognized_name" }, { 116, "certificate_required" },
    { 120, "no_application_protocol" },
};

const char *
ewsflow_tls_alert_name(int desc)
{
    for (gsize i = 0; i < G_N_ELEMENTS(tls_alerts); i++) {
        if (tls_alerts[i].value == desc)
            return tls_alerts[i].name;
    }
    return "alert";
}

const char *
ewsflow_tls_version_name(guint16 v)
{
    switch (v) {
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default:     return v ? "TLS" : "TLS, no ServerHello";
    }
}

const char *
ewsflow_tls_outcome_text(ewsflow_tls_outcome_t o)
{
    switch (o) {
    case EWSFLOW_TLS_ANSWERED:      return "answered (encrypted), then ended";
    case EWSFLOW_TLS_UNANSWERED:    return "encrypted request left unanswered";
    case EWSFLOW_TLS_ABANDONED:     return "encrypted request abandoned by the client unanswered";
    case EWSFLOW_TLS_ALERT:         return "handshake failed: TLS alert";
    case EWSFLOW_TLS_HANDSHAKE_CUT: return "handshake cut off";
    case EWSFLOW_TLS_CLIENT_LEFT:   return "client left after the handshake without a request";
    case EWSFLOW_TLS_IDLE:          return "no request: nothing lost";
    default:                        return "open";
    }
}

void
ewsflow_tracker_client_side_only(ewsflow_tracker_t *tr)
{
    tr->client_side_only = TRUE;
}

void
ewsflow_tracker_set_server_addr(ewsflow_tracker_t *tr, ewsflow_req_t *r, const char *addr)
{
    if (r && addr && !r->server_addr)
        r->server_addr = keep(tr, addr);
}

static void
tls_finish(ewsflow_frame_t *fr, ewsflow_tls_t *t, ewsflow_tls_outcome_t o, guint32 frame, const nstime_t *ts, gboolean by_server,
           gboolean reset)
{
    t->outcome = o;
    t->end_frame = frame;
    t->end_ts = *ts;
    t->end_by_server = by_server;
    t->end_reset = reset;
    fr->tls_ended = t;
}

void
ewsflow_tracker_tls(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 src_port,
                    const ewsflow_tls_segment_t *seg)
{
    ewsflow_conn_t *c = fr->conn;
    if (!c || c->decrypted)
        return;
    ewsflow_tls_t *t = c->tls;
    if (!t) {
        if (!seg->client_hello)
            return;   /* joined mid-connection: nothing to say about it */
        t = c->tls = wmem_new0(tr->scope, ewsflow_tls_t);
        t->client_port = src_port;
        t->opener = keep(tr, seg->src_addr);
        t->responder = keep(tr, seg->dst_addr);
        t->sni = keep(tr, seg->sni);
        t->hello_frame = frame;
        t->hello_ts = *ts;
        t->alert = -1;
        wmem_list_append(tr->tls_conns, t);
        if (wmem_list_count(tr->tls_conns) > TLS_CANDIDATES)
            wmem_list_remove_frame(tr->tls_conns, wmem_list_head(tr->tls_conns));
    }
    if (t->outcome != EWSFLOW_TLS_OPEN)
        return;
    gboolean from_client = src_port == t->client_port;
    if (seg->server_hello && !from_client) {
        t->version = seg->version;
        t->alpn = keep(tr, seg->alpn);
        t->server_hello_frame = frame;
    }
    if (seg->certificate && !from_client)
        t->cert_frame = frame;
    if (seg->alert >= 0 && seg->alert != 0 && !t->handshake_done) {
        t->alert = seg->alert;
        t->alert_by_server = !from_client;
        t->alert_frame = frame;
        tls_finish(fr, t, EWSFLOW_TLS_ALERT, frame, ts, !from_client, FALSE);
        return;
    }
    gboolean tls13 = t->version == 0x0304;
    guint records = seg->opaque_records + seg->plain_app_records;
    /* TLS 1.3 hides an alert (close_notify) in a 19-byte application data record: records that
     * small carry no request or answer */
    if (tls13 && records) {
        guint tiny = 0;
        if (seg->rec_len) {
            for (guint i = 0; i < seg->n_rec_len; i++)
                tiny += seg->rec_len[i] <= 24;
        } else if (seg->len / records <= 29) {
            tiny = records;
        }
        if (tiny && t->client_finished_skipped)
            records -= MIN(records, tiny);
    }
    if (from_client) {
        if (tls13 && seg->opaque_records && !t->client_finished_skipped) {
            t->client_finished_skipped = TRUE;   /* the client's Finished, encrypted like everything after it */
            t->handshake_done = TRUE;
            records--;
        } else if (!tls13 && seg->ccs) {
            t->handshake_done = TRUE;
        }
        if (records && t->handshake_done) {
            t->client_records += records;
            t->client_bytes += seg->len;
            if (!t->first_client_frame)
                t->first_client_frame = frame;
            t->last_client_frame = frame;
            t->last_client_ts = *ts;
        }
    } else if (records && t->handshake_done) {
        guint32 bytes = seg->len;
        /* TLS 1.3: right after the client's Finished the server sends its session tickets,
         * encrypted like a response: the small records leading its first flight are taken for
         * them (a NewSessionTicket record is 150-320 bytes; an HTTP response rarely is) */
        if (tls13 && !t->tickets_skipped) {
            t->tickets_skipped = TRUE;
            guint lead = 0;
            if (seg->rec_len) {
                while (lead < seg->n_rec_len && seg->rec_len[lead] <= 320) {
                    bytes -= MIN(bytes, seg->rec_len[lead] + 5);
                    lead++;
                }
            } else if (seg->len / records <= 320) {
                lead = records;
            }
            records -= MIN(records, lead);
        }
        if (records && t->client_records) {
            t->server_records += records;
            t->server_bytes += bytes;
            t->last_server_frame = frame;
        }
    }
}

/* An RST or FIN on an encrypted connection: what it ended, as far as can be seen. */
static void
tls_end(ewsflow_frame_t *fr, ewsflow_conn_t *c, guint32 frame, const nstime_t *ts, guint16 src_port, gboolean reset)
{
    ewsflow_tls_t *t = c->tls;
    if (!t || c->decrypted || t->outcome != EWSFLOW_TLS_OPEN)
        return;
    gboolean by_server = src_port != t->client_port;
    ewsflow_tls_outcome_t o;
    if (!t->handshake_done)
        o = (!by_server && t->cert_frame) ? EWSFLOW_TLS_CLIENT_LEFT : EWSFLOW_TLS_HANDSHAKE_CUT;
    else if (!t->client_records)
        o = by_server ? EWSFLOW_TLS_IDLE : EWSFLOW_TLS_CLIENT_LEFT;
    else if (t->last_server_frame > t->last_client_frame)   /* the latest request was answered */
        o = EWSFLOW_TLS_ANSWERED;
    else if (by_server)
        o = EWSFLOW_TLS_UNANSWERED;
    else if (reset)
        o = EWSFLOW_TLS_ABANDONED;
    else
        return;   /* the client's FIN after its request: the answer may still come */
    tls_finish(fr, t, o, frame, ts, by_server, reset);
}

void
ewsflow_tracker_reset(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 src_port)
{
    ewsflow_conn_t *c = fr->conn;
    if (!c)
        return;
    tls_end(fr, c, frame, ts, src_port, TRUE);
    fr->reset = TRUE;
    if (wmem_list_count(c->pending) == 0) {
        if (c->first_reset)
            fr->duplicate_of = c->first_reset;
        else
            fr->reset_idle = TRUE;
    }
    gboolean first = TRUE;
    while (wmem_list_head(c->pending)) {
        ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(c->pending));
        wmem_list_remove_frame(c->pending, wmem_list_head(c->pending));
        r->reset_frame = frame;
        r->reset_ts = *ts;
        r->reset_by_server = src_port == r->server_port;
        r->partial_response_bytes = first ? c->rsp_bytes : 0;   /* only the oldest was being answered */
        first = FALSE;
        list_add(tr, &fr->killed, r);
    }
    fr->unfollowed = c->unfollowed;
    c->unfollowed = 0;
    c->partial = NULL;
    c->rsp_bytes = 0;
    if (!c->first_reset)
        c->first_reset = frame;
}

void
ewsflow_tracker_fin(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const nstime_t *ts, guint16 src_port)
{
    ewsflow_conn_t *c = fr->conn;
    if (c)
        tls_end(fr, c, frame, ts, src_port, FALSE);
    wmem_list_frame_t *head = c ? wmem_list_head(c->pending) : NULL;
    const ewsflow_req_t *oldest = head ? (const ewsflow_req_t *)wmem_list_frame_data(head) : NULL;
    if (!oldest || src_port != oldest->server_port)
        return;   /* only the server's FIN leaves requests unanswered */
    while (wmem_list_head(c->pending)) {
        ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(c->pending));
        wmem_list_remove_frame(c->pending, wmem_list_head(c->pending));
        r->closed_frame = frame;
        list_add(tr, &fr->closed, r);
    }
    fr->unfollowed = c->unfollowed;
    c->unfollowed = 0;
    c->partial = NULL;
}

void
ewsflow_tracker_autodiscover(ewsflow_tracker_t *tr, guint32 frame, gboolean pox, const char *const *urls, guint n)
{
    for (guint i = 0; i < n; i++) {
        const char *u = urls[i];
        const char *hs = strstr(u, "://");
        hs = hs ? hs + 3 : u;
        const char *ps = strchr(hs, '/');
        if (!ps)
            continue;
        char *host = wmem_strndup(tr->scope, hs, (gsize)(ps - hs));
        char *key = url_key(tr->scope, host, ps);
        discovery_t *d = wmem_new(tr->scope, discovery_t);
        d->frame = frame;
        d->pox = pox;
        wmem_map_insert(tr->discovered, key, d);
        char *h = g_ascii_strdown(host, (gssize)strcspn(host, ":"));
        wmem_map_insert(tr->discovered_hosts, keep(tr, h), d);
        g_free(h);
    }
}

/* ---- stories --------------------------------------------------------------------------- */

/* A story in three parts (what happened, why, what to check), each short enough for one
 * tree item; the whole text is the three joined; `summary` is what the Info column and the
 * expert info say. */
static void
add_story(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, ewsflow_req_t *client, ewsflow_req_t *hop,
          const char *summary, const char *happened, const char *why, const char *check)
{
    ewsflow_story_t *st = wmem_new0(tr->scope, ewsflow_story_t);
    st->req = client;
    st->hop = hop;
    st->summary = summary;
    st->happened = happened;
    st->why = why;
    st->check = check;
    st->story = wmem_strdup_printf(tr->scope, "%s; %s. %s", happened, why, check);
    if (hop && !hop->story_frame)
        hop->story_frame = frame;
    list_add(tr, &fr->stories, st);
}

/* Throttling is no routing fault: the story says how long the server asked the caller to wait. */
static void
explain_backoff(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, ewsflow_req_t *client, const char *who,
                const char *code, guint32 ms)
{
    const char *c = code ? code : "ErrorServerBusy";
    add_story(tr, fr, frame, client, NULL,
              wmem_strdup_printf(tr->scope, "%s: throttled, back off %u,%03u ms", who, ms / 1000, ms % 1000),
              wmem_strdup_printf(tr->scope, "%s: %s", who, c),
              wmem_strdup_printf(tr->scope, "Exchange is throttling %s's requests and asked to back off %u,%03u ms (%.1f min)",
                                 client->requester ? client->requester : "the requester", ms / 1000, ms % 1000, ms / 60000.0),
              "Not a routing fault: retry after the back-off; if it recurs, check the throttling policy of the account "
              "making the calls (EwsMaxConcurrency, EwsMaxBurst, EwsRechargeRate; on a proxy hop, the proxying server's)");
}

/* How badly a hop failed, for choosing among several hops for one mailbox: a reset, a close
 * without answer, an HTTP error, no answer in the capture, an answer. */
static int
hop_failure(const ewsflow_req_t *h)
{
    if (h->reset_frame)
        return 4;
    if (h->closed_frame)
        return 3;
    if (h->status >= 400)
        return 2;
    return h->response_frame ? 0 : 1;
}

/* What the client's error text says about where the connection broke, against what the
 * capture shows of the hop: a reset before the hop's body was sent is the "on a send" wording
 * (typically an Expect: 100-continue answered with a reset), after it "on a receive". */
static void
explain_socket_op(wmem_strbuf_t *why, const ewsflow_req_t *hop, const ews_mailbox_result_t *res)
{
    if (!res->socket_op || !hop->reset_frame)
        return;
    gboolean body_sent = hop->complete;
    gboolean says_send = strcmp(res->socket_op, "send") == 0;
    if (says_send && !body_sent)
        wmem_strbuf_append(why, "; the reset came before the request body was sent, which .NET reports as "
                                "\"an unexpected error occurred on a send\"");
    else if (!says_send && body_sent)
        wmem_strbuf_append(why, "; the whole request had been sent and the reset came while waiting for the answer "
                                "(\"an unexpected error occurred on a receive\")");
    else
        wmem_strbuf_append_printf(why, "; the error says the failure was on a %s, but the capture shows the request %s: "
                                       "this hop may not be the one the error is about",
                                  res->socket_op, body_sent ? "sent whole" : "cut off before its body");
}

static void
explain_hop(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, ewsflow_req_t *client, ewsflow_req_t *hop,
            const char *mbx, const ews_mailbox_result_t *res, const char *uncertain)
{
    const char *path = ewsflow_path_name(hop->path);
    char *happened = wmem_strdup_printf(tr->scope, "%s: %s's lookup %s the %s path (frame %u, %s%s%s)",
                                        mbx, client->requester ? client->requester : "the requester",
                                        uncertain ? "probably went" : "went", path, hop->frame,
                                        hop->host ? hop->host : "", hop->uri ? hop->uri : "",
                                        hop->path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP ? ", SharingSecurity header" : "");
    wmem_strbuf_t *why = wmem_strbuf_new(tr->scope, "");
    char *summary;
    if (hop->reset_frame) {
        nstime_t d;
        nstime_delta(&d, &hop->reset_ts, &hop->ts);
        wmem_strbuf_append_printf(why, "the %s reset that connection %.0f ms after the request (frame %u), before any response",
                                  hop->reset_by_server ? "remote side" : "proxying server", nstime_to_msec(&d), hop->reset_frame);
        if (res->inner && strstr(res->inner, "forcibly closed"))
            wmem_strbuf_append(why, ": that reset is this \"forcibly closed by the remote host\" error");
        explain_socket_op(why, hop, res);
        summary = wmem_strdup_printf(tr->scope, "%s: %s hop reset (frame %u)", mbx, path, hop->reset_frame);
    } else if (hop->closed_frame) {
        wmem_strbuf_append_printf(why, "the remote side closed that connection (frame %u) without answering", hop->closed_frame);
        summary = wmem_strdup_printf(tr->scope, "%s: %s hop closed unanswered (frame %u)", mbx, path, hop->closed_frame);
    } else if (hop->response_frame && hop->status >= 400) {
        wmem_strbuf_append_printf(why, "the remote side answered HTTP %u in frame %u", hop->status, hop->response_frame);
        if (hop->diagnostics)
            wmem_strbuf_append_printf(why, " with x-ms-diagnostics \"%s\"", hop->diagnostics);
        if (hop->status == 401)
            wmem_strbuf_append(why, hop->diagnostics ? ": it refused the hop's credentials or token, and says why"
                                                     : ": it refused the hop's credentials or token");
        summary = wmem_strdup_printf(tr->scope, "%s: %s hop got HTTP %u (frame %u)", mbx, path, hop->status, hop->response_frame);
    } else if (hop->response_frame) {
        wmem_strbuf_append_printf(why, "the hop was answered in frame %u (%s)", hop->response_frame,
                                  hop->outcome ? hop->outcome : "no EWS body");
        summary = wmem_strdup_printf(tr->scope, "%s: %s hop answered %s (frame %u)", mbx, path,
                                     hop->outcome ? hop->outcome : "without an EWS body", hop->response_frame);
    } else {
        wmem_strbuf_append(why, "the hop got no response in this capture");
        summary = wmem_strdup_printf(tr->scope, "%s: %s hop unanswered in this capture", mbx, path);
    }
    if (res->response_source && hop->uri && g_str_has_suffix(res->response_source, hop->uri))
        wmem_strbuf_append(why, " (the error's ResponseSource names this hop's URL)");
    if (uncertain)
        wmem_strbuf_append_printf(why, " (link uncertain: %s)", uncertain);
    add_story(tr, fr, frame, client, hop, summary, happened, wmem_strbuf_finalize(why), ewsflow_path_reset_hint(hop->path));
}

/* The host part of a URL ("https://host:port/path" -> "host"), lower-cased, or NULL. */
static char *
url_host(wmem_allocator_t *scope, const char *url)
{
    const char *hs = url ? strstr(url, "://") : NULL;
    if (!hs)
        return NULL;
    hs += 3;
    gsize n = strcspn(hs, ":/?#");
    char *h = wmem_strndup(scope, hs, n);
    for (char *p = h; *p; p++)
        *p = g_ascii_tolower(*p);
    return h;
}

static gboolean
tls_failed(const ewsflow_tls_t *t)
{
    switch (t->outcome) {
    case EWSFLOW_TLS_UNANSWERED:
    case EWSFLOW_TLS_ABANDONED:
    case EWSFLOW_TLS_ALERT:
    case EWSFLOW_TLS_HANDSHAKE_CUT:
    case EWSFLOW_TLS_CLIENT_LEFT:
        return TRUE;
    case EWSFLOW_TLS_OPEN:   /* a request still without an answer when the error was written */
        return t->client_records && t->last_client_frame > t->last_server_frame;
    default:
        return FALSE;
    }
}

/* What to check for an encrypted hop that failed this way. */
static const char *
tls_check(const ewsflow_tls_t *t)
{
    switch (t->outcome) {
    case EWSFLOW_TLS_ALERT:
    case EWSFLOW_TLS_HANDSHAKE_CUT:
    case EWSFLOW_TLS_CLIENT_LEFT:
        return "A failed TLS handshake between the servers: check the remote certificate's chain and name against what the proxying "
               "server trusts (\"Could not establish trust relationship\"), and the TLS versions and cipher suites both servers allow "
               "(SChannel settings, a TLS 1.0/1.2/1.3 mismatch)";
    default:
        return "The hop's TLS cannot be decrypted here (SChannel keeps no key log): to see its routing path, capture where it can be "
               "read (the target's front end or load balancer with its keys, a TLS-inspecting proxy) or turn on the proxying server's "
               "EWS/availability logging; meanwhile check what sits between the servers (firewall, load balancer) for resets";
    }
}

/* An encrypted hop for an error no decrypted hop explains: a connection the server that
 * answered the client opened during the lookup, to the host the error names (or any host
 * when it names none), that failed. */
/* Whether an earlier encrypted connection to the same host went another way: answered
 * (the host is reachable and other lookups get through: what differs is this lookup), or
 * failed the same way (the host or the way to it fails for everyone). */
static void
encrypted_history(ewsflow_tracker_t *tr, wmem_strbuf_t *why, const ewsflow_tls_t *best)
{
    const ewsflow_tls_t *prev = NULL;
    if (!best->sni)
        return;
    for (wmem_list_frame_t *f = wmem_list_head(tr->tls_conns); f; f = wmem_list_frame_next(f)) {
        const ewsflow_tls_t *t = (const ewsflow_tls_t *)wmem_list_frame_data(f);
        if (t != best && t->sni && t->hello_frame < best->hello_frame && g_ascii_strcasecmp(t->sni, best->sni) == 0 &&
            (!prev || t->hello_frame > prev->hello_frame))
            prev = t;
    }
    if (!prev)
        return;
    if (prev->server_records && !tls_failed(prev))
        wmem_strbuf_append_printf(why, "; an earlier encrypted connection to %s (frame %u) was answered (%u bytes back), so the host "
                                       "is reachable and other lookups get through: what differs is this lookup's path or requester",
                                  prev->sni, prev->hello_frame, prev->server_bytes);
    else if (tls_failed(prev) && prev->outcome == best->outcome)
        wmem_strbuf_append_printf(why, "; an earlier encrypted connection to %s (frame %u) failed the same way, so the host or the "
                                       "way to it fails for every lookup, not only this one", prev->sni, prev->hello_frame);
    else if (tls_failed(prev))
        wmem_strbuf_append_printf(why, "; an earlier encrypted connection to %s (frame %u) failed another way (%s)", prev->sni,
                                  prev->hello_frame, ewsflow_tls_outcome_text(prev->outcome));
    /* one still under way says nothing yet */
}

static gboolean
explain_encrypted_hop(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, ewsflow_req_t *client, const char *mbx,
                      const ews_mailbox_result_t *res, const nstime_t *now)
{
    char *host = url_host(tr->tmp, res->response_source);
    ewsflow_tls_t *best = NULL;
    guint n = 0, by_host = 0;
    for (wmem_list_frame_t *f = wmem_list_head(tr->tls_conns); f; f = wmem_list_frame_next(f)) {
        ewsflow_tls_t *t = (ewsflow_tls_t *)wmem_list_frame_data(f);
        if (!tls_failed(t) || nstime_cmp(&t->hello_ts, &client->ts) < 0 || nstime_cmp(&t->hello_ts, now) > 0)
            continue;
        if (client->server_addr && t->opener && strcmp(client->server_addr, t->opener) != 0)
            continue;   /* opened by another host than the one that answered the client */
        gboolean same_host = host && t->sni && g_ascii_strcasecmp(t->sni, host) == 0;
        if (host && t->sni && !same_host)
            continue;   /* to another host than the one the error names */
        n++;
        by_host += same_host;
        if (!best || (same_host && !(best->sni && host && g_ascii_strcasecmp(best->sni, host) == 0)) || t->hello_frame > best->hello_frame)
            best = t;
    }
    if (!best && host) {
        /* none failed: an encrypted hop to the host the error names that was answered carries
         * the error inside, unreadable without keys (an HTTP 401 or 500, a SOAP fault) */
        ewsflow_tls_t *ans = NULL;
        for (wmem_list_frame_t *f = wmem_list_head(tr->tls_conns); f; f = wmem_list_frame_next(f)) {
            ewsflow_tls_t *t = (ewsflow_tls_t *)wmem_list_frame_data(f);
            if (t->server_records && t->sni && g_ascii_strcasecmp(t->sni, host) == 0 && nstime_cmp(&t->hello_ts, &client->ts) >= 0 &&
                nstime_cmp(&t->hello_ts, now) <= 0 && (!client->server_addr || !t->opener || strcmp(client->server_addr, t->opener) == 0))
                ans = t;
        }
        if (ans) {
            if (!ans->story_frame)
                ans->story_frame = frame;
            add_story(tr, fr, frame, client, NULL,
                      wmem_strdup_printf(tr->scope, "%s: encrypted hop to %s answered, the error inside it", mbx, ans->sni),
                      wmem_strdup_printf(tr->scope, "%s: %s's lookup went over the encrypted connection from %s to %s (frame %u, %s)", mbx,
                                         client->requester ? client->requester : "the requester", ans->opener ? ans->opener : "the proxying server",
                                         ans->sni, ans->hello_frame, ewsflow_tls_version_name(ans->version)),
                      wmem_strdup_printf(tr->scope, "the remote server answered it (%u bytes of application data), so the error came back "
                                                    "inside the encryption (%s); without the hop's keys its routing path and the answer cannot be read",
                                         ans->server_bytes, res->inner ? res->inner : res->code ? res->code : "no detail"),
                      tls_check(ans));
            wmem_free_all(tr->tmp);
            return TRUE;
        }
    }
    if (!best) {
        wmem_free_all(tr->tmp);
        return FALSE;
    }
    const char *to = best->sni ? best->sni : best->responder ? best->responder : "the remote server";
    char *happened = wmem_strdup_printf(tr->scope, "%s: %s's lookup probably went over the encrypted connection from %s to %s (frame %u, %s)",
                                        mbx, client->requester ? client->requester : "the requester",
                                        best->opener ? best->opener : "the proxying server", to, best->hello_frame,
                                        ewsflow_tls_version_name(best->version));
    wmem_strbuf_t *why = wmem_strbuf_new(tr->scope, "");
    char *summary;
    nstime_t d;
    switch (best->outcome) {
    case EWSFLOW_TLS_ALERT:
        wmem_strbuf_append_printf(why, "the %s sent a TLS alert %s (%d) in frame %u, during the handshake",
                                  best->alert_by_server ? "remote server" : "proxying server", ewsflow_tls_alert_name(best->alert),
                                  best->alert, best->alert_frame);
        summary = wmem_strdup_printf(tr->scope, "%s: encrypted hop to %s failed its handshake (%s)", mbx, to, ewsflow_tls_alert_name(best->alert));
        break;
    case EWSFLOW_TLS_HANDSHAKE_CUT:
        wmem_strbuf_append_printf(why, "the connection was %s by the %s in frame %u before the handshake finished",
                                  best->end_reset ? "reset" : "closed", best->end_by_server ? "remote server" : "proxying server", best->end_frame);
        summary = wmem_strdup_printf(tr->scope, "%s: encrypted hop to %s cut during the handshake (frame %u)", mbx, to, best->end_frame);
        break;
    case EWSFLOW_TLS_CLIENT_LEFT:
        wmem_strbuf_append_printf(why, "the proxying server ended the connection in frame %u right after the remote server's "
                                       "certificate%s, without sending a request: it did not accept the certificate",
                                  best->end_frame, best->handshake_done ? " and the handshake" : "");
        summary = wmem_strdup_printf(tr->scope, "%s: encrypted hop to %s: certificate not accepted (frame %u)", mbx, to, best->end_frame);
        break;
    default:
        if (best->end_frame) {
            nstime_delta(&d, &best->end_ts, &best->last_client_ts);
            wmem_strbuf_append_printf(why, "%u bytes of application data went out in %u record%s and the %s %s the connection "
                                           "%.0f ms after the last one (frame %u) with no answer",
                                      best->client_bytes, best->client_records, best->client_records == 1 ? "" : "s",
                                      best->end_by_server ? "remote server" : "proxying server", best->end_reset ? "reset" : "closed",
                                      nstime_to_msec(&d), best->end_frame);
            if (best->end_reset && best->end_by_server && res->inner && strstr(res->inner, "forcibly closed"))
                wmem_strbuf_append(why, ": that reset is this \"forcibly closed by the remote host\" error");
            summary = wmem_strdup_printf(tr->scope, "%s: encrypted hop to %s %s unanswered (frame %u)", mbx, to,
                                         best->end_reset ? "reset" : "closed", best->end_frame);
        } else {
            wmem_strbuf_append_printf(why, "%u bytes of application data went out in %u record%s with no answer in this capture",
                                      best->client_bytes, best->client_records, best->client_records == 1 ? "" : "s");
            summary = wmem_strdup_printf(tr->scope, "%s: encrypted hop to %s unanswered", mbx, to);
        }
        break;
    }
    wmem_strbuf_append(why, "; without the hop's keys its routing path cannot be read");
    discovery_t *dh = best->sni ? (discovery_t *)wmem_map_lookup(tr->discovered_hosts, best->sni) : NULL;
    if (dh)
        wmem_strbuf_append_printf(why, " (a %s Autodiscover answer in frame %u handed out this host: %s)", dh->pox ? "POX" : "SOAP",
                                  dh->frame, dh->pox ? "an availability address space" : "a federated or OAuth target");
    if (host && by_host)
        wmem_strbuf_append(why, ", but its server name is the host the error's ResponseSource names");
    if (n > 1)
        wmem_strbuf_append_printf(why, " (link uncertain: %u encrypted connections failed during the lookup%s; the %s is shown)", n,
                                  by_host ? " to that host" : "", by_host ? "latest to that host" : "latest");
    else if (!host)
        wmem_strbuf_append(why, " (link uncertain: the error names no host; this is the one encrypted connection that failed during the lookup)");
    encrypted_history(tr, why, best);
    if (!best->story_frame)
        best->story_frame = frame;
    add_story(tr, fr, frame, client, NULL, summary, happened, wmem_strbuf_finalize(why), tls_check(best));
    wmem_free_all(tr->tmp);
    return TRUE;
}

/* The error names a mailbox no hop in the capture targets: a hop that started during the
 * lookup, failed, and that no other lookup claims is probably it (hops whose body was never
 * seen name no mailbox); otherwise the story says the hop is not in the capture. */
static void
explain_missing_hop(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, ewsflow_req_t *client, const char *mbx,
                    const ews_mailbox_result_t *res, const nstime_t *now)
{
    ewsflow_req_t *cand = NULL;
    guint n = 0;
    for (wmem_list_frame_t *f = wmem_list_head(tr->unlinked_hops); f; f = wmem_list_frame_next(f)) {
        ewsflow_req_t *h = (ewsflow_req_t *)wmem_list_frame_data(f);
        if (h->client || nstime_cmp(&h->ts, &client->ts) < 0 || nstime_cmp(&h->ts, now) > 0 || !hop_failure(h))
            continue;
        if (h->n_targets && !ewsflow_req_targets(h, mbx))
            continue;
        n++;
        if (!cand || hop_failure(h) > hop_failure(cand) || (hop_failure(h) == hop_failure(cand) && h->frame > cand->frame))
            cand = h;
    }
    if (cand) {
        char *why = wmem_strdup_printf(tr->scope, "no hop names %s; %s%s during the lookup and failed, and no other lookup claims it",
                                       mbx, n > 1 ? "several hops started" : "this one started", n > 1 ? " (the worst is shown)" : "");
        explain_hop(tr, fr, frame, client, cand, mbx, res, why);
        return;
    }
    if (explain_encrypted_hop(tr, fr, frame, client, mbx, res, now))
        return;
    const char *who = client->requester ? client->requester : "the requester";
    if (tr->client_side_only) {
        add_story(tr, fr, frame, client, NULL,
                  wmem_strdup_printf(tr->scope, "%s: proxy failure; this trace holds only the client's side", mbx),
                  wmem_strdup_printf(tr->scope, "%s: %s's lookup failed in a proxy request (%s)", mbx, who,
                                     res->inner ? res->inner : res->code ? res->code : "no detail"),
                  "a Fiddler archive or HAR file records only what the client sent and received, so the Exchange "
                  "server's proxy hop (and the path it took) is never in it",
                  "Capture on the Exchange server that answered this lookup (X-BEServer / ResponseSource names it), "
                  "at the same time as a new trace from the client, to see the hop and how it was routed");
        return;
    }
    add_story(tr, fr, frame, client, NULL,
              wmem_strdup_printf(tr->scope, "%s: proxy failure, its hop is not in this capture", mbx),
              wmem_strdup_printf(tr->scope, "%s: %s's lookup failed in a proxy request (%s)", mbx, who,
                                 res->inner ? res->inner : res->code ? res->code : "no detail"),
              "no proxy hop for this mailbox is in this capture, so the path it took cannot be told",
              "Capture on the server that proxies availability requests (or decrypt its TLS), at the same time as "
              "the client, to see the hop and how it was routed");
}

void
ewsflow_tracker_explain(ewsflow_tracker_t *tr, ewsflow_frame_t *fr, guint32 frame, const ews_msg_info_t *mi)
{
    ewsflow_req_t *client = mi && mi->txn ? (ewsflow_req_t *)wmem_map_lookup(tr->req_by_txn, mi->txn) : NULL;
    if (!client || client->response_frame != frame)
        return;
    if (mi->is_fault && mi->fault_backoff_ms)
        explain_backoff(tr, fr, frame, client, "the whole request", mi->fault_code, mi->fault_backoff_ms);
    for (guint i = 0; i < mi->n_results; i++) {
        const ews_mailbox_result_t *res = &mi->results[i];
        if (!res->cls || strcmp(res->cls, "Error") != 0)
            continue;
        const char *mbx = i < mi->txn->n_mailboxes ? mi->txn->mailboxes[i] : NULL;
        if (res->backoff_ms) {
            explain_backoff(tr, fr, frame, client, mbx ? mbx : "a mailbox", res->code, res->backoff_ms);
            continue;
        }
        /* the hop for this mailbox that failed worst; the latest of equals (a retry) */
        ewsflow_req_t *hop = NULL;
        for (wmem_list_frame_t *f = client->hops ? wmem_list_head(client->hops) : NULL; f; f = wmem_list_frame_next(f)) {
            ewsflow_req_t *h = (ewsflow_req_t *)wmem_list_frame_data(f);
            if (ewsflow_req_targets(h, mbx) && (!hop || hop_failure(h) >= hop_failure(hop)))
                hop = h;
        }
        if (hop)
            explain_hop(tr, fr, frame, client, hop, mbx, res, hop->link_note);
        else if (mbx && res->proxy_failure)
            explain_missing_hop(tr, fr, frame, client, mbx, res, &client->response_ts);
    }
}
