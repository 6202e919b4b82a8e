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
#include "ewsflow-report.h"
#include "ewsflow-text.h"
#include "ewsflow-stats.h"
#include "ewsflow-extract.h"
#include "ews-keys.h"
#include "ws-layers.h"

int proto_ewsflow = -1;
static int proto_ewsfile = -1;    /* frames made from a Fiddler archive or HAR file */
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
static int hf_link_uncertain = -1;
static int hf_tls = -1;
static int hf_tls_sni = -1;
static int hf_tls_version = -1;
static int hf_tls_alpn = -1;
static int hf_tls_opened_by = -1;
static int hf_tls_hello_in = -1;
static int hf_tls_client_records = -1;
static int hf_tls_client_bytes = -1;
static int hf_tls_server_bytes = -1;
static int hf_tls_after = -1;
static int hf_tls_alert = -1;
static int hf_tls_tickets = -1;
static int hf_tls_story_in = -1;
static int hf_tls_hint = -1;
static gint ett_ewsflow_tls = -1;
static expert_field ei_tls_unanswered = EI_INIT;
static expert_field ei_tls_handshake = EI_INIT;
static int hf_unfollowed = -1;
static int hf_evidence_signal = -1;
static int hf_conflict_part = -1;
static int hf_hint_step = -1;
static int hf_story_happened = -1;
static int hf_story_why = -1;
static int hf_story_check = -1;
static int hf_story_in = -1;
static int hf_requester_source = -1;

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

/* ---- per-capture state: the tracker -------------------------------------------------- */

/* What one frame contributes; rendered on every pass. */
typedef struct {
    ewsflow_frame_t fr;          /* what the tracker decided */
    const char     *challenge;   /* WWW-Authenticate: Bearer ... of a response here */
    const char     *diagnostics; /* x-ms-diagnostics of a response here */
} frame_note_t;

static ewsflow_tracker_t *tracker;   /* this capture's; NULL between files */

ewsflow_limits_t ewsflow_prefs = { 100000, 1000000, 1000 };

static void
ewsflow_init(void)
{
    tracker = ewsflow_tracker_new(wmem_file_scope(), &ewsflow_prefs);
    set_postdissector_wanted_hfids(ewsflow_handle, ewsflow_extract_wanted());
}

static void
ewsflow_cleanup(void)
{
    ewsflow_tracker_free(tracker);
    tracker = NULL;
    set_postdissector_wanted_hfids(ewsflow_handle, NULL);
}

/* ---- first pass: read the frame, feed the tracker --------------------------------------- */

static frame_note_t *
first_pass(packet_info *pinfo, proto_tree *tree, ewsflow_conn_t **conn_out)
{
    *conn_out = NULL;
    ewsflow_wire_t w;
    if (!ewsflow_extract(pinfo, tree, &w))
        return NULL;

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

    frame_note_t *fn = wmem_new0(pinfo->pool, frame_note_t);   /* kept (file scope) only if it says something */
    ewsflow_frame_t *fr = &fn->fr;
    gboolean speaks_http = w.n_requests || n_req || n_rsp || w.n_statuses || w.starts_request || w.n_h2_requests;
    /* a TLS connection is followed from its ClientHello, decrypted or not (bounded like HTTP flows) */
    gboolean starts_tls = w.tls_client_hello;
    ewsflow_conn_t *conn = ewsflow_tracker_conn(tracker, w.stream, speaks_http || starts_tls, fr);
    if (conn && !conn->conversation_attached) {
        /* every frame of the connection finds it through TCP's conversation on later passes,
         * whatever fields the tree holds (a filter or column on ewsflow.path alone, the GUI's
         * packet list); looked up once per connection, not per frame */
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        if (conv && !conversation_get_proto_data(conv, proto_ewsflow))
            conversation_add_proto_data(conv, proto_ewsflow, conn);
        conn->conversation_attached = TRUE;
    }
    *conn_out = conn;
    /* past the bound, new requests are not followed; what is already open still is */
    if (conn && speaks_http && (w.n_requests || n_req || w.starts_request) && !ewsflow_tracker_takes_requests(tracker, fr))
        conn = fr->conn = NULL;
    if (!conn)
        return fr->limit_hit ? (frame_note_t *)wmem_memdup(wmem_file_scope(), fn, sizeof(*fn)) : NULL;

    if (w.tls && !speaks_http) {
        ewsflow_tls_segment_t seg = { w.tls_client_hello, w.tls_server_hello, w.tls_certificate, w.tls_ccs, w.tls_opaque_records,
                                      w.tls_plain_app_records, w.tcp_len, w.tls_rec_len, w.tls_n_rec_len, w.tls_sni, w.tls_alpn, w.src_addr, w.dst_addr,
                                      w.tls_version, w.tls_alert };
        ewsflow_tracker_tls(tracker, fr, pinfo->num, &pinfo->abs_ts, (guint16)w.srcport, &seg);
    }
    for (guint i = 0; i < w.n_h2_requests; i++)
        ewsflow_tracker_h2_headers(tracker, fr, &w.h2_requests[i]);
    const char *server_addr = (w.n_requests || n_req || w.partial) ? address_to_str(pinfo->pool, &pinfo->net_dst) : NULL;
    guint used_req = 0, used_rsp = 0;
    for (guint i = 0; i < w.n_requests; i++) {
        const ews_http_request_t *h = &w.requests[i];
        const ews_msg_info_t *mi = (strcmp(h->method, "POST") == 0 && used_req < n_req) ? ews_req[used_req++] : NULL;
        ewsflow_tracker_set_server_addr(tracker, ewsflow_tracker_request(tracker, fr, pinfo->num, &pinfo->abs_ts, (guint16)w.dstport,
                                                                         h, mi, TRUE), server_addr);
    }
    /* HTTP/2 (or any other carrier): EWS requests with no HTTP/1 request line */
    for (; used_req < n_req; used_req++)
        ewsflow_tracker_set_server_addr(tracker, ewsflow_tracker_request(tracker, fr, pinfo->num, &pinfo->abs_ts, (guint16)w.dstport,
                                                                         NULL, ews_req[used_req], TRUE), server_addr);
    if (w.n_requests == 0 && n_req == 0 && w.partial)
        ewsflow_tracker_set_server_addr(tracker, ewsflow_tracker_request(tracker, fr, pinfo->num, &pinfo->abs_ts, (guint16)w.dstport,
                                                                         w.partial, NULL, FALSE), server_addr);

    /* responses: HTTP/1.x in order on the connection (1xx are interim), HTTP/2 through EWS pairing */
    for (guint i = 0; i < w.n_statuses; i++) {
        if (w.statuses[i] < 200)
            continue;
        if (ewsflow_tracker_response(tracker, fr, pinfo->num, &pinfo->abs_ts, w.statuses[i], w.diagnostics,
                                     used_rsp < n_rsp ? ews_rsp[used_rsp] : NULL))
            used_rsp++;
    }
    for (; used_rsp < n_rsp; used_rsp++)
        ewsflow_tracker_response_paired(tracker, fr, pinfo->num, &pinfo->abs_ts, ews_rsp[used_rsp]);
    fn->challenge = w.challenge ? wmem_strdup(wmem_file_scope(), w.challenge) : NULL;
    fn->diagnostics = w.diagnostics ? wmem_strdup(wmem_file_scope(), w.diagnostics) : NULL;
    if (fn->challenge || fn->diagnostics)
        conn->exchange = TRUE;
    if (n_rsp && frame_has_proto(pinfo, proto_ewsfile))
        ewsflow_tracker_client_side_only(tracker);   /* made from a Fiddler archive or HAR file */
    for (guint i = 0; i < n_rsp; i++) {
        ewsflow_tracker_autodiscover(tracker, pinfo->num, ews_rsp[i]->discovered_by_pox, ews_rsp[i]->discovered,
                                     ews_rsp[i]->n_discovered);
        ewsflow_tracker_explain(tracker, fr, pinfo->num, ews_rsp[i]);
    }

    if (w.n_requests == 0 && (!w.tls || w.tls_app_data))   /* server bytes towards an unanswered request: a response under way */
        ewsflow_tracker_bytes(tracker, fr, (guint16)w.srcport, w.tcp_len);
    if (w.reset)
        ewsflow_tracker_reset(tracker, fr, pinfo->num, &pinfo->abs_ts, (guint16)w.srcport);
    else if (w.fin)
        ewsflow_tracker_fin(tracker, fr, pinfo->num, &pinfo->abs_ts, (guint16)w.srcport);

    /* keep a note only where the frame has something of its own; the connection's paths are
     * found through the conversation on any pass */
    if (!fr->requests && !fr->answered && !fr->killed && !fr->closed && !fr->stories && !fr->limit_hit && !fr->reset &&
        !fr->unfollowed && !fn->challenge && !fn->diagnostics && !fr->tls_ended)
        return NULL;
    return (frame_note_t *)wmem_memdup(wmem_file_scope(), fn, sizeof(*fn));
}

/* ---- every pass: render what the frame knows ---------------------------------------- */

/* An encrypted connection this frame ended (an RST, a FIN, a handshake alert): what can be
 * seen without its keys, and what it means. */
static void
add_tls_items(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const ewsflow_tls_t *t)
{
    const char *to = t->sni ? t->sni : t->responder ? t->responder : "?";
    proto_item *ti = proto_tree_add_item(tree, proto_ewsflow, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(ti);
    proto_item_append_text(ti, ": encrypted connection to %s, %s", to, ewsflow_tls_outcome_text(t->outcome));
    proto_tree *ft = proto_item_add_subtree(ti, ett_ewsflow);
    proto_item *g = proto_tree_add_string(ft, hf_tls, tvb, 0, 0, ewsflow_tls_outcome_text(t->outcome));
    proto_item_set_generated(g);
    proto_tree *tt = proto_item_add_subtree(g, ett_ewsflow_tls);
    proto_item *s;
    if (t->sni) {
        s = proto_tree_add_string(tt, hf_tls_sni, tvb, 0, 0, t->sni);
        proto_item_set_generated(s);
    }
    s = proto_tree_add_string(tt, hf_tls_version, tvb, 0, 0, ewsflow_tls_version_name(t->version));
    proto_item_set_generated(s);
    if (t->alpn) {
        s = proto_tree_add_string(tt, hf_tls_alpn, tvb, 0, 0, t->alpn);
        proto_item_set_generated(s);
    }
    if (t->opener) {
        s = proto_tree_add_string(tt, hf_tls_opened_by, tvb, 0, 0, t->opener);
        proto_item_set_generated(s);
    }
    s = proto_tree_add_uint(tt, hf_tls_hello_in, tvb, 0, 0, t->hello_frame);
    proto_item_set_generated(s);
    s = proto_tree_add_uint(tt, hf_tls_client_records, tvb, 0, 0, t->client_records);
    proto_item_set_generated(s);
    s = proto_tree_add_uint(tt, hf_tls_client_bytes, tvb, 0, 0, t->client_bytes);
    proto_item_set_generated(s);
    s = proto_tree_add_uint(tt, hf_tls_server_bytes, tvb, 0, 0, t->server_bytes);
    proto_item_set_generated(s);
    if (t->tickets_skipped) {
        s = proto_tree_add_boolean(tt, hf_tls_tickets, tvb, 0, 0, TRUE);
        proto_item_set_generated(s);
    }
    if (t->alert >= 0) {
        s = proto_tree_add_string_format_value(tt, hf_tls_alert, tvb, 0, 0, ewsflow_tls_alert_name(t->alert), "%s (%d) from the %s",
                                               ewsflow_tls_alert_name(t->alert), t->alert, t->alert_by_server ? "server" : "client");
        proto_item_set_generated(s);
    }
    if (t->story_frame) {
        s = proto_tree_add_uint(tt, hf_tls_story_in, tvb, 0, 0, t->story_frame);
        proto_item_set_generated(s);
    }
    const char *by = t->end_by_server ? "the server" : "the client";
    switch (t->outcome) {
    case EWSFLOW_TLS_UNANSWERED:
    case EWSFLOW_TLS_ABANDONED: {
        nstime_t d;
        nstime_delta(&d, &t->end_ts, &t->last_client_ts);
        s = proto_tree_add_time(tt, hf_tls_after, tvb, 0, 0, &d);
        proto_item_set_generated(s);
        s = proto_tree_add_string(tt, hf_tls_hint, tvb, 0, 0,
                                  "An encrypted request got no answer: if this is an Exchange proxy hop, it is the connection a "
                                  "'forcibly closed' error is about. Its routing path needs the hop's keys or a capture where it is decrypted");
        proto_item_set_generated(s);
        expert_add_info_format(pinfo, g, &ei_tls_unanswered, "Encrypted request to %s (%u bytes in %u record%s) %s by %s %.0f ms after "
                               "the last record, with no answer", to, t->client_bytes, t->client_records, plurality(t->client_records, "", "s"),
                               t->end_reset ? "reset" : "closed", by, nstime_to_msec(&d));
        col_append_fstr(pinfo->cinfo, COL_INFO, " [encrypted request to %s unanswered, %s]", to, t->end_reset ? "reset" : "closed");
        break;
    }
    case EWSFLOW_TLS_ALERT:
    case EWSFLOW_TLS_HANDSHAKE_CUT:
    case EWSFLOW_TLS_CLIENT_LEFT:
        s = proto_tree_add_string(tt, hf_tls_hint, tvb, 0, 0,
                                  t->outcome == EWSFLOW_TLS_ALERT && t->alert == 70
                                      ? "The two sides share no TLS version: check the versions both servers allow (SChannel, a TLS 1.0/1.2/1.3 mismatch)"
                                  : t->outcome == EWSFLOW_TLS_CLIENT_LEFT
                                      ? "The client did not accept the server's certificate (chain or name): \"Could not establish trust relationship for the SSL/TLS secure channel\""
                                      : "Check the certificate chain and name, and the TLS versions and cipher suites both sides allow");
        proto_item_set_generated(s);
        expert_add_info_format(pinfo, g, &ei_tls_handshake, "TLS to %s failed: %s%s%s", to, ewsflow_tls_outcome_text(t->outcome),
                               t->alert >= 0 ? " " : "", t->alert >= 0 ? ewsflow_tls_alert_name(t->alert) : "");
        col_append_fstr(pinfo->cinfo, COL_INFO, " [TLS to %s failed: %s]", to,
                        t->alert >= 0 ? ewsflow_tls_alert_name(t->alert) : ewsflow_tls_outcome_text(t->outcome));
        break;
    default:
        /* an ordinary end (a teardown, or a connection that carried no request): the outcome
         * item says so, and no expert info, which a server's capture would have by the thousand */
        break;
    }
}

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
        if (r->requester_source) {
            proto_item_append_text(g, " (from %s)", r->requester_source);
            proto_item *s = proto_tree_add_string(proto_item_add_subtree(g, ett_ewsflow_text), hf_requester_source, tvb, 0, 0,
                                                  r->requester_source);
            proto_item_set_generated(s);
        }
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
        if (r->link_note) {
            proto_item *u = proto_tree_add_string(proto_item_add_subtree(g, ett_ewsflow_text), hf_link_uncertain, tvb, 0, 0,
                                                  r->link_note);
            proto_item_set_generated(u);
        }
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
    frame_note_t *fn = (frame_note_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_ewsflow, EWSFLOW_KEY_NOTE);
    ewsflow_conn_t *fl = NULL;
    gboolean first = FALSE;
    if (!PINFO_FD_VISITED(pinfo) && !fn) {
        if (!tree)
            return 0;
        fn = first_pass(pinfo, tree, &fl);   /* fl: the frame's connection, known already */
        first = TRUE;
        if (fn)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_ewsflow, EWSFLOW_KEY_NOTE, fn);
    }
    if (fn)
        fl = fn->fr.conn;
    if (!fl && !first && pinfo->ptype == PT_TCP) {
        /* a frame with nothing of its own (a SYN, an ACK, a middle segment) shows its flow's
         * paths too: from the conversation, on any pass (the SYN only once the flow is known) */
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        fl = conv ? (ewsflow_conn_t *)conversation_get_proto_data(conv, proto_ewsflow) : NULL;
    }
    if (fn && fn->fr.limit_hit) {
        proto_item *li = proto_tree_add_item(tree, proto_ewsflow, tvb, 0, 0, ENC_NA);
        expert_add_info_format(pinfo, li, &ei_limit, "%s", fn->fr.limit_hit);
    }
    if (fn && fn->fr.tls_ended)
        add_tls_items(pinfo, tree, tvb, fn->fr.tls_ended);
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

    for (wmem_list_frame_t *f = fn->fr.requests ? wmem_list_head(fn->fr.requests) : NULL; f; f = wmem_list_frame_next(f)) {
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
    if (fn->fr.reset) {
        proto_item *g = proto_tree_add_boolean(ft, hf_reset, tvb, 0, 0, TRUE);
        proto_item_set_generated(g);
        if (fn->fr.duplicate_of) {
            g = proto_tree_add_uint(ft, hf_reset_duplicate, tvb, 0, 0, fn->fr.duplicate_of);
            proto_item_set_generated(g);
            expert_add_info_format(pinfo, g, &ei_reset_duplicate, "Another reset on a connection already reset in frame %u",
                                   fn->fr.duplicate_of);
        } else if (fn->fr.reset_idle && !fn->fr.tls_ended) {
            expert_add_info(pinfo, g, &ei_reset_after_response);
        }
    }
    guint killed = 0;
    for (wmem_list_frame_t *f = fn->fr.killed ? wmem_list_head(fn->fr.killed) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
        add_killed_items(pinfo, ft, tvb, r, FALSE);
        if (killed++ == 0)
            col_append_fstr(pinfo->cinfo, COL_INFO, " [%s request in frame %u reset]", ewsflow_path_name(r->path), r->frame);
    }
    for (wmem_list_frame_t *f = fn->fr.closed ? wmem_list_head(fn->fr.closed) : NULL; f; f = wmem_list_frame_next(f))
        add_killed_items(pinfo, ft, tvb, (const ewsflow_req_t *)wmem_list_frame_data(f), TRUE);
    if (fn->fr.unfollowed) {
        proto_item *g = proto_tree_add_uint(ft, hf_unfollowed, tvb, 0, 0, fn->fr.unfollowed);
        proto_item_set_generated(g);
        expert_add_info_format(pinfo, g, &ei_limit, "... and %u more outstanding request%s, past the %u followed per connection",
                               fn->fr.unfollowed, plurality(fn->fr.unfollowed, "", "s"), ewsflow_prefs.max_pending);
    }
    guint n_stories = 0;
    for (wmem_list_frame_t *f = fn->fr.stories ? wmem_list_head(fn->fr.stories) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_story_t *st = (const ewsflow_story_t *)wmem_list_frame_data(f);
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
    if ((fn->fr.requests || fn->fr.answered || fn->fr.killed || fn->fr.closed || fn->fr.stories) && have_tap_listener(ewsflow_tap)) {
        ewsflow_tap_info_t *ti_tap = wmem_new0(pinfo->pool, ewsflow_tap_info_t);
        ti_tap->started = fn->fr.requests;
        ti_tap->answered = fn->fr.answered;
        ti_tap->killed = fn->fr.killed;
        ti_tap->closed = fn->fr.closed;
        ti_tap->stories = fn->fr.stories;
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
        { &hf_requester_source, { "Requester read from", "ewsflow.requester.source", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where the requester was read: the body's SerializedSecurityContext or ExchangeImpersonation, an OAuth token's smtp/upn claim, "
            "X-AnchorMailbox, Basic or NTLM credentials (the account, never the secret), or the client lookup a hop serves", HFILL } },
        { &hf_story_in, { "Diagnosis in frame", "ewsflow.story_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "On a hop and on the RST or FIN that ended it: the client's error response whose story it explains (GUI, tshark -2)", HFILL } },
        { &hf_unfollowed, { "Further requests not followed", "ewsflow.unfollowed", FT_UINT32, BASE_DEC, NULL, 0x0,
            "On an RST or FIN: outstanding requests beyond ewsflow.max_pending that it also ended (counted, not listed)", HFILL } },
        { &hf_client_request_in, { "Client lookup in frame", "ewsflow.client_request_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The client request this proxy hop serves", HFILL } },
        { &hf_tls, { "Encrypted connection", "ewsflow.tls", FT_STRING, BASE_NONE, NULL, 0x0,
            "On the RST, FIN or alert that ended a TLS connection without keys: what it ended (an encrypted request left "
            "unanswered, a failed handshake, no request)", HFILL } },
        { &hf_tls_sni, { "Server name (SNI)", "ewsflow.tls.sni", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_tls_version, { "Version", "ewsflow.tls.version", FT_STRING, BASE_NONE, NULL, 0x0, "As the ServerHello chose it", HFILL } },
        { &hf_tls_alpn, { "ALPN", "ewsflow.tls.alpn", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_tls_opened_by, { "Opened by", "ewsflow.tls.opened_by", FT_STRING, BASE_NONE, NULL, 0x0,
            "The address that sent the ClientHello", HFILL } },
        { &hf_tls_hello_in, { "ClientHello in frame", "ewsflow.tls.hello_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_tls_client_records, { "Client application data records", "ewsflow.tls.client_records", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Encrypted records the client sent after the handshake (TLS 1.3: its Finished not counted)", HFILL } },
        { &hf_tls_client_bytes, { "Client application data bytes", "ewsflow.tls.client_bytes", FT_UINT32, BASE_DEC, NULL, 0x0,
            "TCP payload of the segments that carried them", HFILL } },
        { &hf_tls_server_bytes, { "Server application data bytes", "ewsflow.tls.server_bytes", FT_UINT32, BASE_DEC, NULL, 0x0,
            "After the client's first application data (TLS 1.3 session tickets not counted)", HFILL } },
        { &hf_tls_after, { "After the last client record", "ewsflow.tls.after", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_tls_alert, { "Alert", "ewsflow.tls.alert", FT_STRING, BASE_NONE, NULL, 0x0, "A handshake alert readable without keys", HFILL } },
        { &hf_tls_tickets, { "Session tickets assumed", "ewsflow.tls.tickets_assumed", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "TLS 1.3: the server's first small encrypted flight after the client's Finished was taken for session tickets, not an answer",
            HFILL } },
        { &hf_tls_story_in, { "Diagnosis in frame", "ewsflow.tls.story_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The client's error response whose story names this connection (GUI, tshark -2)", HFILL } },
        { &hf_tls_hint, { "What it means", "ewsflow.tls.hint", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_link_uncertain, { "Link uncertain", "ewsflow.client_request_in.uncertain", FT_STRING, BASE_NONE, NULL, 0x0,
            "Why the link from this hop to its client lookup is a guess (several lookups of the mailbox were open, no shared ID)", HFILL } },
    };
    static gint *ett[] = { &ett_ewsflow, &ett_ewsflow_request, &ett_ewsflow_reset, &ett_ewsflow_oauth, &ett_ewsflow_text, &ett_ewsflow_tls };
    static ei_register_info ei[] = {
        { &ei_reset, { "ewsflow.reset.expert", PI_SEQUENCE, PI_WARN, "Request reset before a complete response", EXPFILL } },
        { &ei_tls_unanswered, { "ewsflow.tls.unanswered", PI_SEQUENCE, PI_WARN, "Encrypted request left unanswered", EXPFILL } },
        { &ei_tls_handshake, { "ewsflow.tls.handshake_failed", PI_SECURITY, PI_WARN, "TLS handshake failed", EXPFILL } },
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
    ewsflow_tap = register_tap("ewsflow");
    ewsflow_register_report();
    ewsflow_stats_register(proto_ewsflow);
}

void
proto_reg_handoff_ewsflow(void)
{
    ewsflow_extract_handoff();
    proto_ewsfile = proto_get_id_by_filter_name("ewsfile");
}
