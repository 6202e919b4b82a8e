/* test-tracker.c
 * Unit tests of the flow tracker (ewsflow-tracker.c), one per case the tshark golden files
 * also cover: resets, FINs, partial requests, pipelining, HTTP/2 pairing, hop linking and the
 * stories, and the per-connection bounds. Events are fed the way the post-dissector feeds them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <wsutil/wmem/wmem.h>

#include "ewsflow-tracker.h"

#include "check.h"

static wmem_allocator_t *A;
static const ewsflow_limits_t LIMITS = { 1000, 100000, 1000 };
static GPtrArray *trackers;   /* freed at the end */

static ewsflow_tracker_t *
new_tracker(const ewsflow_limits_t *lim)
{
    ewsflow_tracker_t *tr = ewsflow_tracker_new(A, lim);
    g_ptr_array_add(trackers, tr);
    return tr;
}

static nstime_t
at(double ms)
{
    nstime_t t;
    t.secs = (time_t)(ms / 1000);
    t.nsecs = (int)((ms - (double)t.secs * 1000) * 1000000);
    return t;
}

/* The body of a GetUserAvailability request for these mailboxes (NULL-terminated). */
static ews_msg_info_t *
gua_request(guint32 frame, double ms, const char *const *mbx)
{
    ews_msg_info_t *mi = wmem_new0(A, ews_msg_info_t);
    ews_txn_t *t = wmem_new0(A, ews_txn_t);
    for (t->n_mailboxes = 0; mbx[t->n_mailboxes]; t->n_mailboxes++)
        ;
    t->mailboxes = (const char **)mbx;
    t->req_frame = frame;
    t->req_time = at(ms);
    t->operation = "GetUserAvailability";
    mi->frame = frame;
    mi->is_request = TRUE;
    mi->txn = t;
    mi->operation = "GetUserAvailability";
    return mi;
}

/* A proxy hop's body: the personal-relationship shape (SharingSecurity, WS-Security) or the
 * organization-relationship one (WS-Security only). */
static ews_msg_info_t *
hop_request(guint32 frame, double ms, const char *const *mbx, gboolean personal, const char *message_id)
{
    ews_msg_info_t *mi = gua_request(frame, ms, mbx);
    mi->request_type = "CrossForest";
    mi->wsse = TRUE;
    mi->sharing_security = personal;
    mi->rsv = "Exchange2012";
    mi->message_id = message_id;
    return mi;
}

static ews_msg_info_t *
gua_response(guint32 frame, const ews_msg_info_t *req, const char *const *codes)
{
    ews_msg_info_t *mi = wmem_new0(A, ews_msg_info_t);
    mi->frame = frame;
    mi->txn = req->txn;
    mi->operation = "GetUserAvailability";
    guint n = 0;
    while (codes[n])
        n++;
    mi->results = wmem_alloc0_array(A, ews_mailbox_result_t, n);
    mi->n_results = n;
    for (guint i = 0; i < n; i++) {
        mi->results[i].code = codes[i];
        mi->results[i].cls = strcmp(codes[i], "NoError") == 0 ? "Success" : "Error";
        if (mi->results[i].cls[0] == 'E')
            mi->results[i].inner = "System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host";
    }
    return mi;
}

static ews_http_request_t *
http(const char *uri, const char *ua, const char *extra_name, const char *extra_value)
{
    ews_http_request_t *h = wmem_new0(A, ews_http_request_t);
    h->method = "POST";
    h->uri = uri;
    h->host = "mail.fabrikam.com";
    h->user_agent = ua;
    if (extra_name && strcmp(extra_name, "client-request-id") == 0)
        h->client_request_id = extra_value;
    else if (extra_name && strcmp(extra_name, "Authorization") == 0)
        h->authorization = extra_value;
    return h;
}

#define OUTLOOK "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)"
#define ASPROXY "ASProxy/CrossForest/EmailDomain//15.02.1118.000"

static ewsflow_frame_t *
frame_on(ewsflow_tracker_t *tr, guint32 stream)
{
    ewsflow_frame_t *fr = wmem_new0(A, ewsflow_frame_t);
    ewsflow_tracker_conn(tr, stream, TRUE, fr);
    return fr;
}

static guint
count(wmem_list_t *l)
{
    return l ? wmem_list_count(l) : 0;
}

static void *
first(wmem_list_t *l)
{
    return l && wmem_list_head(l) ? wmem_list_frame_data(wmem_list_head(l)) : NULL;
}

static const char *const Y1[] = { "y1@fabrikam.com", NULL };
static const char *const Y2[] = { "y2@fabrikam.com", NULL };
static const char *const Y12[] = { "y1@fabrikam.com", "y2@fabrikam.com", NULL };

static void
test_resets(void)
{
    current = "resets";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    nstime_t t;
    /* one request outstanding, reset by the server before any response */
    ewsflow_frame_t *fr = frame_on(tr, 1);
    t = at(10);
    ewsflow_req_t *r = ewsflow_tracker_request(tr, fr, 4, &t, 80, http("/EWS/Exchange.asmx", OUTLOOK, NULL, NULL),
                                               gua_request(4, 10, Y1), TRUE);
    CHECK(r && r->complete && r->exchange && r->path == EWSFLOW_PATH_CLIENT_EWS);
    fr = frame_on(tr, 1);
    t = at(13);
    ewsflow_tracker_reset(tr, fr, 6, &t, 80);
    CHECK(fr->reset && !fr->reset_idle && count(fr->killed) == 1 && first(fr->killed) == r);
    CHECK(r->reset_frame == 6 && r->reset_by_server);
    /* a further RST of the same connection */
    fr = frame_on(tr, 1);
    ewsflow_tracker_reset(tr, fr, 7, &t, 80);
    CHECK(fr->duplicate_of == 6 && count(fr->killed) == 0);

    /* several outstanding: all die, only the oldest had response bytes */
    fr = frame_on(tr, 2);
    t = at(20);
    ewsflow_req_t *a = ewsflow_tracker_request(tr, fr, 10, &t, 80, http("/EWS/a", OUTLOOK, NULL, NULL), NULL, TRUE);
    ewsflow_req_t *b = ewsflow_tracker_request(tr, fr, 11, &t, 80, http("/EWS/b", OUTLOOK, NULL, NULL), NULL, TRUE);
    fr = frame_on(tr, 2);
    ewsflow_tracker_bytes(tr, fr, 80, 700);
    fr = frame_on(tr, 2);
    t = at(25);
    ewsflow_tracker_reset(tr, fr, 13, &t, 80);
    CHECK(count(fr->killed) == 2 && a->partial_response_bytes == 700 && b->partial_response_bytes == 0);
    CHECK(a->reset_frame == 13 && b->reset_frame == 13);

    /* reset after the complete response: nothing lost */
    fr = frame_on(tr, 3);
    t = at(30);
    ewsflow_tracker_request(tr, fr, 20, &t, 80, http("/EWS/Exchange.asmx", OUTLOOK, NULL, NULL), NULL, TRUE);
    fr = frame_on(tr, 3);
    ewsflow_tracker_response(tr, fr, 21, &t, 200, NULL, NULL);
    CHECK(count(fr->answered) == 1);
    fr = frame_on(tr, 3);
    ewsflow_tracker_reset(tr, fr, 22, &t, 51000);
    CHECK(fr->reset && fr->reset_idle && count(fr->killed) == 0);
}

static void
test_fin_and_partial(void)
{
    current = "FIN, partial requests";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    nstime_t t = at(1);
    ewsflow_frame_t *fr = frame_on(tr, 1);
    ewsflow_req_t *r = ewsflow_tracker_request(tr, fr, 4, &t, 80, http("/EWS/Exchange.asmx", OUTLOOK, NULL, NULL), NULL, TRUE);
    fr = frame_on(tr, 1);
    ewsflow_tracker_fin(tr, fr, 5, &t, 50000);   /* the client's FIN leaves nothing unanswered */
    CHECK(count(fr->closed) == 0 && !r->closed_frame);
    fr = frame_on(tr, 1);
    ewsflow_tracker_fin(tr, fr, 6, &t, 80);
    CHECK(count(fr->closed) == 1 && r->closed_frame == 6);

    /* headers first (Expect: 100-continue), the body later: one request, completed */
    fr = frame_on(tr, 2);
    ewsflow_req_t *p = ewsflow_tracker_request(tr, fr, 10, &t, 80, http("/EWS/Exchange.asmx", ASPROXY, NULL, NULL), NULL, FALSE);
    CHECK(p && !p->complete && p->first_frame == 10);
    fr = frame_on(tr, 2);
    t = at(5);
    ewsflow_req_t *q = ewsflow_tracker_request(tr, fr, 12, &t, 80, http("/EWS/Exchange.asmx", ASPROXY, NULL, NULL),
                                               hop_request(12, 5, Y1, FALSE, NULL), TRUE);
    CHECK(q == p && q->complete && q->frame == 12 && q->first_frame == 10 && q->n_targets == 1);
    /* the headers only, reset before the body: "body never sent" */
    fr = frame_on(tr, 3);
    ewsflow_req_t *h = ewsflow_tracker_request(tr, fr, 20, &t, 80, http("/EWS/Exchange.asmx", ASPROXY, NULL, NULL), NULL, FALSE);
    fr = frame_on(tr, 3);
    ewsflow_tracker_reset(tr, fr, 21, &t, 80);
    CHECK(first(fr->killed) == h && !h->complete);
}

static void
test_pipelining_and_http2(void)
{
    current = "pipelining, HTTP/2";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    nstime_t t = at(1);
    ewsflow_frame_t *fr = frame_on(tr, 1);
    ews_msg_info_t *b1 = gua_request(4, 1, Y1), *b2 = gua_request(4, 1, Y2);
    ewsflow_req_t *r1 = ewsflow_tracker_request(tr, fr, 4, &t, 80, http("/EWS/first.asmx", OUTLOOK, NULL, NULL), b1, TRUE);
    ewsflow_req_t *r2 = ewsflow_tracker_request(tr, fr, 4, &t, 80, http("/EWS/second.asmx", OUTLOOK, NULL, NULL), b2, TRUE);
    const char *const ok[] = { "NoError", NULL };
    fr = frame_on(tr, 1);
    CHECK(ewsflow_tracker_response(tr, fr, 6, &t, 200, NULL, gua_response(6, b1, ok)));
    CHECK(r1->response_frame == 6 && r2->response_frame == 0);
    fr = frame_on(tr, 1);
    ewsflow_tracker_response(tr, fr, 7, &t, 200, NULL, gua_response(7, b2, ok));
    CHECK(r2->response_frame == 7 && strcmp(r2->outcome, "NoError") == 0);

    /* HTTP/2: no request line; the body dissector pairs by stream */
    fr = frame_on(tr, 2);
    ews_msg_info_t *s1 = gua_request(20, 1, Y1), *s3 = gua_request(20, 1, Y2);
    ewsflow_req_t *q1 = ewsflow_tracker_request(tr, fr, 20, &t, 443, NULL, s1, TRUE);
    ewsflow_req_t *q3 = ewsflow_tracker_request(tr, fr, 20, &t, 443, NULL, s3, TRUE);
    CHECK(q1 && q3 && q1 != q3 && q1->complete);
    fr = frame_on(tr, 2);
    ewsflow_tracker_response_paired(tr, fr, 22, &t, gua_response(22, s3, ok));
    ewsflow_tracker_response_paired(tr, fr, 22, &t, gua_response(22, s1, ok));
    CHECK(q1->response_frame == 22 && q3->response_frame == 22 && count(fr->answered) == 2);
}

/* client lookup on stream 1, its hops elsewhere; returns the client request */
static ewsflow_req_t *
client_lookup(ewsflow_tracker_t *tr, guint32 frame, double ms, const char *const *mbx, ews_msg_info_t **body, const char *crid)
{
    ewsflow_frame_t *fr = frame_on(tr, 1);
    nstime_t t = at(ms);
    *body = gua_request(frame, ms, mbx);
    (*body)->requester = "x1@contoso.com";
    (*body)->message_id = "urn:uuid:client";
    return ewsflow_tracker_request(tr, fr, frame, &t, 80, http("/EWS/Exchange.asmx", OUTLOOK, crid ? "client-request-id" : NULL, crid),
                                   *body, TRUE);
}

static ewsflow_req_t *
hop(ewsflow_tracker_t *tr, guint32 stream, guint32 frame, double ms, const char *const *mbx, gboolean personal,
    const char *message_id, const char *crid)
{
    ewsflow_frame_t *fr = frame_on(tr, stream);
    nstime_t t = at(ms);
    return ewsflow_tracker_request(tr, fr, frame, &t, 80, http("/EWS/Exchange.asmx/WSSecurity", "ASProxy/CrossForest/EmailDomain//https",
                                                               crid ? "client-request-id" : NULL, crid),
                                   hop_request(frame, ms, mbx, personal, message_id), TRUE);
}

static void
test_hop_linking(void)
{
    current = "hop linking";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    ews_msg_info_t *cb;
    /* by MessageID, although a later lookup of the same mailbox is open too */
    ewsflow_req_t *c1 = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    ewsflow_req_t *c2 = client_lookup(tr, 6, 2, Y1, &cb, NULL);
    cb->message_id = "urn:uuid:other";
    c2->message_id = "urn:uuid:other";
    ewsflow_req_t *h = hop(tr, 2, 10, 3, Y1, FALSE, "urn:uuid:client", NULL);
    CHECK(h && ewsflow_path_is_server_hop(h->path) && h->client == c1 && h->requester && strcmp(h->requester, "x1@contoso.com") == 0);

    /* by client-request-id */
    tr = new_tracker(&LIMITS);
    c1 = client_lookup(tr, 4, 1, Y1, &cb, "crid-1");
    c2 = client_lookup(tr, 6, 2, Y1, &cb, "crid-2");
    c1->message_id = c2->message_id = NULL;
    h = hop(tr, 2, 10, 3, Y1, FALSE, NULL, "crid-1");
    CHECK(h->client == c1);

    /* by time and mailbox: the latest lookup still open when the hop started; an answered
     * one and one that starts after the hop do not count */
    tr = new_tracker(&LIMITS);
    ewsflow_req_t *old = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    old->message_id = NULL;
    ewsflow_frame_t *fr = frame_on(tr, 1);
    nstime_t t = at(1.5);
    ewsflow_tracker_response(tr, fr, 5, &t, 200, NULL, NULL);
    CHECK(old->response_frame == 5);
    c2 = client_lookup(tr, 8, 2, Y1, &cb, NULL);
    c2->message_id = NULL;
    h = hop(tr, 2, 10, 3, Y1, FALSE, NULL, NULL);
    CHECK(h->client == c2);
    ewsflow_req_t *later = client_lookup(tr, 30, 50, Y2, &cb, NULL);
    ewsflow_req_t *early_hop = hop(tr, 3, 12, 4, Y2, FALSE, NULL, NULL);   /* before that lookup: no link */
    CHECK(early_hop->client == NULL && later->hops == NULL);

    /* a hop on a connection opened after the client request links the same way */
    ewsflow_req_t *late = hop(tr, 9, 40, 60, Y2, TRUE, NULL, NULL);
    CHECK(late->client == later && late->path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP);
}

static void
test_stories(void)
{
    current = "stories";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    ews_msg_info_t *cb;
    ewsflow_req_t *c = client_lookup(tr, 4, 1, Y12, &cb, NULL);
    /* two concurrent hops: y1 personal (reset), y2 organization (answered) */
    ewsflow_req_t *h1 = hop(tr, 2, 10, 2, Y1, TRUE, "urn:uuid:client", NULL);
    ewsflow_req_t *h2 = hop(tr, 3, 11, 2, Y2, FALSE, "urn:uuid:client", NULL);
    CHECK(h1->client == c && h2->client == c && count(c->hops) == 2);
    CHECK(h1->path == EWSFLOW_PATH_PERSONAL_RELATIONSHIP && h2->path == EWSFLOW_PATH_ORG_RELATIONSHIP);
    ewsflow_frame_t *fr = frame_on(tr, 2);
    nstime_t t = at(5);
    ewsflow_tracker_reset(tr, fr, 12, &t, 80);
    fr = frame_on(tr, 3);
    const char *const ok[] = { "NoError", NULL };
    ewsflow_tracker_response(tr, fr, 13, &t, 200, NULL, gua_response(13, h2->client ? hop_request(11, 2, Y2, FALSE, NULL) : NULL, ok));
    /* the client's error for y1 */
    fr = frame_on(tr, 1);
    t = at(20);
    const char *const codes[] = { "ErrorProxyRequestProcessingFailed", "NoError", NULL };
    ews_msg_info_t *rsp = gua_response(20, cb, codes);
    CHECK(ewsflow_tracker_response(tr, fr, 20, &t, 200, NULL, rsp));
    ewsflow_tracker_explain(tr, fr, 20, rsp);
    CHECK(count(fr->stories) == 1);
    ewsflow_story_t *st = first(fr->stories);
    CHECK(st && st->hop == h1 && st->req == c && h1->story_frame == 20);
    CHECK(st && strstr(st->summary, "y1@fabrikam.com: personal-relationship hop reset (frame 12)"));
    CHECK(st && strstr(st->why, "forcibly closed") && strstr(st->check, "sharing subscription"));
    CHECK(st && strstr(st->story, st->happened) == st->story);

    /* throttling: a story without a hop */
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    fr = frame_on(tr, 1);
    const char *const busy[] = { "ErrorServerBusy", NULL };
    rsp = gua_response(6, cb, busy);
    rsp->results[0].backoff_ms = 299984;
    ewsflow_tracker_response(tr, fr, 6, &t, 200, NULL, rsp);
    ewsflow_tracker_explain(tr, fr, 6, rsp);
    st = first(fr->stories);
    CHECK(st && !st->hop && strstr(st->summary, "back off 299,984 ms") && strstr(st->check, "Not a routing fault"));
}

/* Who asked, and where it was read. */
static void
test_requester(void)
{
    current = "requester";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    nstime_t t = at(1);
    /* a client with Basic credentials and an unknown User-Agent (axios, as the EWS JavaScript API sends) */
    ewsflow_frame_t *fr = frame_on(tr, 1);
    ews_msg_info_t *b = gua_request(4, 1, Y1);
    ewsflow_req_t *c = ewsflow_tracker_request(tr, fr, 4, &t, 80, http("/EWS/Exchange.asmx", "axios/1.6.0", "Authorization", "Basic Q09OVE9TT1xhbGljZTpwQHNzOncwcmQ="),
                                               b, TRUE);
    /* stage 1: Basic authorization alone never makes a hop (it used to win as address-space-orgwide-basic) */
    CHECK(c->path == EWSFLOW_PATH_CLIENT_EWS && strstr(c->evidence, "an authentication scheme alone never makes a hop"));
    CHECK_STR(c->requester, "CONTOSO\\alice");
    CHECK_STR(c->requester_source, "Basic credentials");
    /* its hop takes the client's requester, and says so */
    ewsflow_req_t *h = hop(tr, 2, 10, 2, Y1, TRUE, NULL, NULL);
    CHECK(h->client == c && h->requester && strcmp(h->requester, "CONTOSO\\alice") == 0);
    CHECK(h->requester_source && strstr(h->requester_source, "the client lookup in frame 4 (Basic credentials)"));
    /* the body's SerializedSecurityContext wins over everything */
    fr = frame_on(tr, 3);
    ews_msg_info_t *ssc = hop_request(20, 3, Y2, FALSE, NULL);
    ssc->requester = "x9@contoso.com";
    ssc->requester_source = "SerializedSecurityContext PrimarySmtpAddress";
    ewsflow_req_t *s = ewsflow_tracker_request(tr, fr, 20, &t, 80, http("/EWS/Exchange.asmx/WSSecurity", "ASProxy/CrossForest/EmailDomain//https",
                                                                        "Authorization", "Basic Q09OVE9TT1xhbGljZTpwQHNzOncwcmQ="), ssc, TRUE);
    CHECK_STR(s->requester, "x9@contoso.com");
    /* a hop's own credentials are its service account: never taken for the requester */
    fr = frame_on(tr, 4);
    ewsflow_req_t *lone = ewsflow_tracker_request(tr, fr, 30, &t, 80, http("/EWS/Exchange.asmx", "ASProxy/CrossForest/EmailDomain/EXCH/15.02",
                                                                           "Authorization", "Basic Q09OVE9TT1xhbGljZTpwQHNzOncwcmQ="), hop_request(30, 5, Y2, FALSE, NULL), TRUE);
    CHECK(ewsflow_path_is_server_hop(lone->path) && lone->requester == NULL);
}

static void
test_bounds(void)
{
    current = "bounds";
    ewsflow_limits_t lim = { 2, 5, 3 };
    ewsflow_tracker_t *tr = new_tracker(&lim);
    ewsflow_frame_t *fr = frame_on(tr, 1);
    nstime_t t = at(1);
    for (guint i = 0; i < 10; i++)
        ewsflow_tracker_request(tr, fr, 10 + i, &t, 80, http("/EWS/Exchange.asmx", OUTLOOK, NULL, NULL), NULL, TRUE);
    CHECK(count(fr->requests) == 3 && fr->limit_hit && strstr(fr->limit_hit, "More than 3 requests awaiting"));
    CHECK(wmem_list_count(fr->conn->pending) == 3 && fr->conn->unfollowed == 7);
    /* answers go to the followed requests in order, then count down the others */
    for (guint i = 0; i < 4; i++) {
        ewsflow_frame_t *rf = frame_on(tr, 1);
        ewsflow_tracker_response(tr, rf, 30 + i, &t, 200, NULL, NULL);
    }
    CHECK(wmem_list_count(fr->conn->pending) == 0 && fr->conn->unfollowed == 6);
    ewsflow_frame_t *rst = frame_on(tr, 1);
    ewsflow_tracker_reset(tr, rst, 40, &t, 80);
    CHECK(rst->unfollowed == 6 && rst->conn->unfollowed == 0);
    /* connections */
    ewsflow_frame_t *f2 = frame_on(tr, 2);
    CHECK(f2->conn != NULL);
    ewsflow_frame_t *f3 = wmem_new0(A, ewsflow_frame_t);
    CHECK(ewsflow_tracker_conn(tr, 3, TRUE, f3) == NULL && f3->limit_hit && strstr(f3->limit_hit, "More than 2 HTTP flows"));
    /* requests per capture */
    ewsflow_frame_t *f4 = frame_on(tr, 2);
    CHECK(ewsflow_tracker_takes_requests(tr, f4));
    for (guint i = 0; i < 5; i++)
        ewsflow_tracker_request(tr, f4, 50 + i, &t, 80, http("/EWS/x", OUTLOOK, NULL, NULL), NULL, TRUE);
    ewsflow_frame_t *f5 = frame_on(tr, 2);
    CHECK(!ewsflow_tracker_takes_requests(tr, f5) && f5->limit_hit && strstr(f5->limit_hit, "More than 5 HTTP requests"));
}

static void
test_headers(void)
{
    current = "HTTP headers";
    ews_http_request_t h;
    memset(&h, 0, sizeof(h));
    const char *lines[] = { "Host: mail.contoso.com\r\n", "user-agent:axios/1.6.0", "X-AnchorMailbox:  x1@contoso.com  \r\n",
                            "X-OWA-UrlPostData: %7B%7D", "X-IsFromCafe: 1", "Authorization: Basic Q09OVE9TT1xhbGljZTpw" };
    for (gsize i = 0; i < G_N_ELEMENTS(lines); i++)
        ews_http_take_header(A, &h, lines[i], strlen(lines[i]));
    CHECK_STR(h.host, "mail.contoso.com");
    CHECK_STR(h.user_agent, "axios/1.6.0");
    CHECK_STR(h.anchor, "x1@contoso.com");
    CHECK_STR(h.owa_urlpostdata, "%7B%7D");
    CHECK(h.owa && h.cafe);
    CHECK_STR(h.authorization, "Basic Q09OVE9TT1xhbGljZTpw");
    ews_http_take_header(A, &h, "no colon here", 13);   /* ignored */
}

/* The client's error for `mbx` at `ms`, explained; returns the frame's first story. */
static ewsflow_story_t *
client_error(ewsflow_tracker_t *tr, guint32 frame, double ms, ews_msg_info_t *req_body, const char *const *codes,
             const char *socket_op, ewsflow_frame_t **out)
{
    ewsflow_frame_t *fr = frame_on(tr, 1);
    nstime_t t = at(ms);
    ews_msg_info_t *rsp = gua_response(frame, req_body, codes);
    for (guint i = 0; i < rsp->n_results; i++) {
        rsp->results[i].socket_op = rsp->results[i].cls[0] == 'E' ? socket_op : NULL;
        rsp->results[i].proxy_failure = rsp->results[i].cls[0] == 'E';
    }
    ewsflow_tracker_response(tr, fr, frame, &t, 200, NULL, rsp);
    ewsflow_tracker_explain(tr, fr, frame, rsp);
    if (out)
        *out = fr;
    return first(fr->stories);
}

/* #10's independent cases: each gets its story, and says so where the link is a guess. */
static void
test_story_cases(void)
{
    const char *const fail1[] = { "ErrorProxyRequestProcessingFailed", NULL };
    ews_msg_info_t *cb;
    nstime_t t;
    ewsflow_frame_t *fr;

    current = "two hops for one mailbox: the failed one is the story";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    ewsflow_req_t *c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    ewsflow_req_t *ok_hop = hop(tr, 2, 10, 2, Y1, FALSE, "urn:uuid:client", NULL);
    ewsflow_req_t *bad_hop = hop(tr, 3, 11, 2.5, Y1, TRUE, "urn:uuid:client", NULL);
    fr = frame_on(tr, 3);
    t = at(4);
    ewsflow_tracker_reset(tr, fr, 12, &t, 80);
    fr = frame_on(tr, 2);
    t = at(5);
    ewsflow_tracker_response(tr, fr, 13, &t, 200, NULL, NULL);
    ewsflow_story_t *st = client_error(tr, 20, 9, cb, fail1, "receive", NULL);
    CHECK(ok_hop->client == c && bad_hop->client == c);
    CHECK(st && st->hop == bad_hop && strstr(st->summary, "personal-relationship hop reset (frame 12)"));
    CHECK(st && strstr(st->why, "while waiting for the answer") && !strstr(st->why, "uncertain"));

    current = "two lookups in flight for the same mailbox, no shared ID";
    tr = new_tracker(&LIMITS);
    ewsflow_req_t *c1 = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    ews_msg_info_t *cb2;
    ewsflow_req_t *c2 = client_lookup(tr, 6, 2, Y1, &cb2, NULL);
    c1->message_id = c2->message_id = NULL;
    ewsflow_req_t *h = hop(tr, 2, 10, 3, Y1, TRUE, NULL, NULL);
    CHECK(h->client == c2 && h->link_note && strstr(h->link_note, "2 lookups of y1@fabrikam.com were open"));
    fr = frame_on(tr, 2);
    t = at(4);
    ewsflow_tracker_reset(tr, fr, 11, &t, 80);
    const char *const ok1[] = { "NoError", NULL };
    client_error(tr, 19, 8, cb, ok1, NULL, NULL);   /* the first lookup's answer (same connection, in order) */
    st = client_error(tr, 20, 9, cb2, fail1, NULL, NULL);
    CHECK(st && st->hop == h && strstr(st->why, "(link uncertain: 2 lookups"));

    current = "reset before the body: the 'on a send' wording";
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    fr = frame_on(tr, 2);
    t = at(2);
    ews_http_request_t *hh = http("/EWS/Exchange.asmx/WSSecurity", "ASProxy/CrossForest/Directory/https/15.02.1118.040", NULL, NULL);
    hh->anchor = "y1@fabrikam.com";
    h = ewsflow_tracker_request(tr, fr, 10, &t, 80, hh, NULL, FALSE);   /* Expect: 100-continue, headers only */
    CHECK(h && !h->complete && h->client == c && ewsflow_req_is_lookup(h));
    fr = frame_on(tr, 2);
    t = at(3);
    ewsflow_tracker_reset(tr, fr, 11, &t, 80);
    st = client_error(tr, 20, 9, cb, fail1, "send", NULL);
    CHECK(st && st->hop == h && strstr(st->why, "before the request body was sent") && strstr(st->why, "on a send"));
    /* the same hop against a "receive" wording: the mismatch is said, not hidden */
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    fr = frame_on(tr, 2);
    t = at(2);
    h = ewsflow_tracker_request(tr, fr, 10, &t, 80, hh, NULL, FALSE);
    fr = frame_on(tr, 2);
    ewsflow_tracker_reset(tr, fr, 11, &t, 80);
    st = client_error(tr, 20, 9, cb, fail1, "receive", NULL);
    CHECK(st && strstr(st->why, "may not be the one the error is about"));

    current = "HTTP 401 on the hop, x-ms-diagnostics";
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    h = hop(tr, 2, 10, 2, Y1, FALSE, "urn:uuid:client", NULL);
    fr = frame_on(tr, 2);
    t = at(3);
    ewsflow_tracker_response(tr, fr, 11, &t, 401, "2000003;reason=\"The audience claim value is invalid\"", NULL);
    st = client_error(tr, 20, 9, cb, fail1, NULL, NULL);
    CHECK(st && st->hop == h && strstr(st->summary, "hop got HTTP 401 (frame 11)"));
    CHECK(st && strstr(st->why, "x-ms-diagnostics") && strstr(st->why, "audience claim"));

    current = "NTLM on the hop: the NEGOTIATE request is no lookup";
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    fr = frame_on(tr, 2);
    t = at(2);
    ews_http_request_t *t1 = http("/EWS/Exchange.asmx", "ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040", "Authorization",
                                  "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAA=");
    t1->anchor = "y1@fabrikam.com";
    ewsflow_req_t *neg = ewsflow_tracker_request(tr, fr, 10, &t, 80, t1, NULL, TRUE);
    fr = frame_on(tr, 2);
    ewsflow_tracker_response(tr, fr, 11, &t, 401, NULL, NULL);
    fr = frame_on(tr, 2);
    t = at(3);
    ews_msg_info_t *body = hop_request(12, 3, Y1, FALSE, NULL);
    body->ssc = TRUE;
    body->wsse = FALSE;
    body->rsv = NULL;
    ews_http_request_t *t3 = http("/EWS/Exchange.asmx", "ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040", "Authorization",
                                  "NTLM TlRMTVNTUAADAAAAAAAAAGAAAAAAAAAAYAAAAA4ADgBAAAAACgAKAE4AAAAIAAgAWAAAAAAAAABgAAAAAQAAAEMATwBOAFQATwBTAE8AYQBsAGkAYwBlAFcAUwAwADEA");
    ewsflow_req_t *auth = ewsflow_tracker_request(tr, fr, 12, &t, 80, t3, body, TRUE);
    CHECK(neg && !neg->client && !ewsflow_req_is_lookup(neg) && ewsflow_path_is_server_hop(neg->path));
    CHECK(auth && auth->client == c && auth->path == EWSFLOW_PATH_AS_PERUSER && count(c->hops) == 1);
    CHECK(auth->requester && strcmp(auth->requester, "x1@contoso.com") == 0);   /* the service account is not the requester */
    fr = frame_on(tr, 2);
    t = at(4);
    ewsflow_tracker_reset(tr, fr, 13, &t, 80);
    st = client_error(tr, 20, 9, cb, fail1, "receive", NULL);
    CHECK(st && st->hop == auth && strstr(st->summary, "address-space-peruser hop reset (frame 13)"));

    current = "teardown RST after every response: never blamed";
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y12, &cb, NULL);
    h = hop(tr, 2, 10, 2, Y12, FALSE, "urn:uuid:client", NULL);
    fr = frame_on(tr, 2);
    t = at(3);
    ewsflow_tracker_response(tr, fr, 11, &t, 200, NULL, NULL);
    fr = frame_on(tr, 2);
    t = at(30);
    ewsflow_tracker_reset(tr, fr, 12, &t, 80);
    CHECK(fr->reset_idle && count(fr->killed) == 0 && h->reset_frame == 0);
    const char *const mixed[] = { "NoError", "ErrorMailRecipientNotFound", NULL };
    ewsflow_frame_t *efr;
    st = client_error(tr, 40, 31, cb, mixed, NULL, &efr);
    CHECK(!st || !strstr(st->why, "reset"));

    current = "an error whose hop names no mailbox, or is not in the capture";
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    fr = frame_on(tr, 2);
    t = at(2);
    ews_http_request_t *anon = http("/EWS/Exchange.asmx/WSSecurity", "ASProxy/CrossForest/Directory/https/15.02.1118.040", NULL, NULL);
    ewsflow_req_t *nameless = ewsflow_tracker_request(tr, fr, 10, &t, 80, anon, NULL, FALSE);
    CHECK(nameless && !nameless->client && nameless->n_targets == 0);
    fr = frame_on(tr, 2);
    t = at(3);
    ewsflow_tracker_reset(tr, fr, 11, &t, 80);
    st = client_error(tr, 20, 9, cb, fail1, "send", NULL);
    CHECK(st && st->hop == nameless && strstr(st->happened, "probably went") && strstr(st->why, "link uncertain: no hop names y1"));
    /* and with no hop at all */
    tr = new_tracker(&LIMITS);
    c = client_lookup(tr, 4, 1, Y1, &cb, NULL);
    st = client_error(tr, 20, 9, cb, fail1, "receive", NULL);
    CHECK(st && !st->hop && strstr(st->summary, "its hop is not in this capture") && strstr(st->check, "Capture on the server"));
    current = "";
}

/* HTTP/2: the body's header block arrives first; NTLM NEGOTIATE legs take their request's path. */
static void
test_h2_headers_and_handshakes(void)
{
    current = "HTTP/2 header blocks";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    ewsflow_frame_t *fr = frame_on(tr, 5);
    nstime_t t = at(1);
    ews_http_request_t *get = http("/favicon.ico", "curl/7.88.1", NULL, NULL);
    get->method = "GET";
    ewsflow_tracker_h2_headers(tr, fr, get);   /* not a POST: no body will follow */
    ews_http_request_t *hh = http("/EWS/Exchange.asmx", "curl/7.88.1", "Authorization", "Basic ZXJpbkBjb250b3NvLmNvbTpwdw==");
    hh->anchor = "erin@contoso.com";
    ewsflow_tracker_h2_headers(tr, fr, hh);
    fr = frame_on(tr, 5);
    ewsflow_req_t *r = ewsflow_tracker_request(tr, fr, 7, &t, 8080, NULL, gua_request(7, 1, Y1), TRUE);
    CHECK(r && r->uri && strcmp(r->uri, "/EWS/Exchange.asmx") == 0 && r->path == EWSFLOW_PATH_CLIENT_EWS);
    CHECK(r && r->requester && strcmp(r->requester, "erin@contoso.com") == 0 && strcmp(r->requester_source, "X-AnchorMailbox") == 0);
    CHECK(wmem_list_count(fr->conn->pending) == 0);   /* answered through the body dissector's pairing */
    for (int i = 0; i < 40; i++)                       /* POSTs whose body never comes stay bounded */
        ewsflow_tracker_h2_headers(tr, fr, hh);
    CHECK(wmem_list_count(fr->conn->h2_heads) == 16);

    current = "NTLM NEGOTIATE leg";
    tr = new_tracker(&LIMITS);
    fr = frame_on(tr, 6);
    ews_http_request_t *t1 = http("/EWS/Exchange.asmx", "ASProxy/CrossForest/EmailDomain//15.02.1544.004", "Authorization",
                                  "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAA=");
    ewsflow_req_t *neg = ewsflow_tracker_request(tr, fr, 10, &t, 80, t1, NULL, TRUE);
    CHECK(neg && neg->path == EWSFLOW_PATH_OAUTH_INTRAORG);   /* a weak guess from the User-Agent alone... */
    fr = frame_on(tr, 6);
    ewsflow_tracker_response(tr, fr, 11, &t, 401, NULL, NULL);
    fr = frame_on(tr, 6);
    ews_msg_info_t *body = gua_request(12, 2, Y1);
    body->ssc = TRUE;
    ewsflow_req_t *auth = ewsflow_tracker_request(tr, fr, 12, &t, 80, t1, body, TRUE);
    CHECK(auth && auth->path == EWSFLOW_PATH_AS_PERUSER);
    CHECK(neg->path == EWSFLOW_PATH_AS_PERUSER && strstr(neg->evidence, "authentication handshake (no body) of the request in frame 12"));
    CHECK(fr->conn->path_count[EWSFLOW_PATH_AS_PERUSER] == 2 && fr->conn->path_count[EWSFLOW_PATH_OAUTH_INTRAORG] == 0);
    current = "";
}

/* ---- TLS without keys ---- */

static ewsflow_frame_t *
tls_seg(ewsflow_tracker_t *tr, guint32 stream, guint32 frame, double ms, guint16 src_port, ewsflow_tls_segment_t seg)
{
    ewsflow_frame_t *fr = frame_on(tr, stream);
    nstime_t t = at(ms);
    if (seg.alert == 0 && !seg.client_hello && !seg.server_hello && !seg.certificate && !seg.ccs && !seg.opaque_records &&
        !seg.plain_app_records)
        seg.alert = -1;
    ewsflow_tracker_tls(tr, fr, frame, &t, src_port, &seg);
    return fr;
}

static ewsflow_tls_segment_t
hello(const char *sni, const char *from)
{
    ewsflow_tls_segment_t s = { .client_hello = TRUE, .sni = sni, .src_addr = from, .dst_addr = "10.9.9.9", .alert = -1, .len = 300 };
    return s;
}

static ewsflow_tls_segment_t
server_hello(guint16 version)
{
    ewsflow_tls_segment_t s = { .server_hello = TRUE, .certificate = version != 0x0304, .version = version, .alert = -1, .len = 1300,
                                .opaque_records = version == 0x0304 ? 4 : 0 };
    return s;
}

static ewsflow_tls_segment_t
records(guint n, guint32 len, gboolean tls13)
{
    ewsflow_tls_segment_t s = { .alert = -1, .len = len };
    if (tls13)
        s.opaque_records = n;
    else
        s.plain_app_records = n;
    return s;
}

/* An encrypted TLS 1.2 request: the handshake, the client's CCS and `bytes` of application
 * data, one millisecond apart from `ms`, in frames from `frame`. */
static void
tls_request(ewsflow_tracker_t *tr, guint32 stream, guint32 frame, double ms, guint16 port, const char *sni, const char *from,
            guint32 bytes)
{
    ewsflow_tls_segment_t ccs = { .ccs = TRUE, .alert = -1, .len = 100 };
    tls_seg(tr, stream, frame, ms, port, hello(sni, from));
    tls_seg(tr, stream, frame + 1, ms + 1, 443, server_hello(0x0303));
    tls_seg(tr, stream, frame + 2, ms + 2, port, ccs);
    tls_seg(tr, stream, frame + 3, ms + 3, port, records(1, bytes, FALSE));
}

static void
test_tls_without_keys(void)
{
    current = "TLS 1.2, request unanswered";
    ewsflow_tracker_t *tr = new_tracker(&LIMITS);
    nstime_t t;
    tls_seg(tr, 7, 1, 0, 50000, hello("mail.fabrikam.com", "10.0.0.10"));
    tls_seg(tr, 7, 2, 1, 443, server_hello(0x0303));
    ewsflow_tls_segment_t ccs = { .ccs = TRUE, .alert = -1, .len = 100 };
    tls_seg(tr, 7, 3, 2, 50000, ccs);
    tls_seg(tr, 7, 4, 3, 50000, records(1, 2000, FALSE));
    ewsflow_frame_t *fr = frame_on(tr, 7);
    t = at(6);
    ewsflow_tracker_reset(tr, fr, 5, &t, 443);
    CHECK(fr->tls_ended && fr->tls_ended->outcome == EWSFLOW_TLS_UNANSWERED && fr->tls_ended->client_records == 1 &&
          fr->tls_ended->end_by_server && fr->tls_ended->end_reset);
    CHECK(strcmp(fr->tls_ended->sni, "mail.fabrikam.com") == 0 && strcmp(ewsflow_tls_version_name(fr->tls_ended->version), "TLS 1.2") == 0);
    fr = frame_on(tr, 7);
    ewsflow_tracker_reset(tr, fr, 6, &t, 443);   /* a second RST says nothing new */
    CHECK(!fr->tls_ended);

    current = "TLS 1.3: the client's Finished and the server's session tickets are no request or answer";
    tls_seg(tr, 8, 10, 10, 50001, hello("mail.fabrikam.com", "10.0.0.10"));
    tls_seg(tr, 8, 11, 11, 443, server_hello(0x0304));             /* its encrypted handshake flight: not an answer */
    tls_seg(tr, 8, 12, 12, 50001, records(2, 2200, TRUE));         /* Finished + the request */
    static const guint32 tickets[] = { 282, 282 };
    ewsflow_tls_segment_t tk = records(2, 574, TRUE);
    tk.rec_len = tickets;
    tk.n_rec_len = 2;
    tls_seg(tr, 8, 13, 12.5, 443, tk);
    fr = frame_on(tr, 8);
    t = at(15);
    ewsflow_tracker_reset(tr, fr, 14, &t, 443);
    CHECK(fr->tls_ended && fr->tls_ended->outcome == EWSFLOW_TLS_UNANSWERED && fr->tls_ended->tickets_skipped &&
          fr->tls_ended->client_records == 1 && fr->tls_ended->server_records == 0);
    /* tickets and the answer in one segment, then the client's close_notify (19 bytes): answered */
    tls_seg(tr, 9, 20, 20, 50002, hello("mail.northwind.com", "10.0.0.10"));
    tls_seg(tr, 9, 21, 21, 443, server_hello(0x0304));
    tls_seg(tr, 9, 22, 22, 50002, records(2, 2200, TRUE));
    static const guint32 mixed[] = { 282, 282, 494 };
    ewsflow_tls_segment_t tr_ = records(3, 1073, TRUE);
    tr_.rec_len = mixed;
    tr_.n_rec_len = 3;
    tls_seg(tr, 9, 23, 23, 443, tr_);
    static const guint32 alert_len[] = { 19 };
    ewsflow_tls_segment_t cn = records(1, 24, TRUE);
    cn.rec_len = alert_len;
    cn.n_rec_len = 1;
    tls_seg(tr, 9, 24, 24, 50002, cn);
    fr = frame_on(tr, 9);
    t = at(25);
    ewsflow_tracker_fin(tr, fr, 25, &t, 443);
    CHECK(fr->tls_ended && fr->tls_ended->outcome == EWSFLOW_TLS_ANSWERED && fr->tls_ended->server_records == 1);

    current = "TLS handshake failures";
    tls_seg(tr, 10, 30, 30, 50003, hello("mail.litware.com", "10.0.0.10"));
    ewsflow_tls_segment_t al = { .alert = 70, .len = 7 };
    fr = tls_seg(tr, 10, 31, 31, 443, al);
    CHECK(fr->tls_ended && fr->tls_ended->outcome == EWSFLOW_TLS_ALERT && fr->tls_ended->alert == 70 && fr->tls_ended->alert_by_server);
    CHECK(strcmp(ewsflow_tls_alert_name(70), "protocol_version") == 0);
    tls_seg(tr, 11, 40, 40, 50004, hello("mail.adatum.com", "10.0.0.10"));
    tls_seg(tr, 11, 41, 41, 443, server_hello(0x0303));
    tls_seg(tr, 11, 42, 42, 50004, ccs);
    fr = frame_on(tr, 11);
    t = at(43);
    ewsflow_tracker_fin(tr, fr, 43, &t, 50004);   /* the client leaves without a request */
    CHECK(fr->tls_ended && fr->tls_ended->outcome == EWSFLOW_TLS_CLIENT_LEFT);
    tls_seg(tr, 12, 50, 50, 50005, hello("mail.adatum.com", "10.0.0.10"));
    fr = frame_on(tr, 12);
    t = at(51);
    ewsflow_tracker_reset(tr, fr, 51, &t, 443);   /* reset right after the ClientHello */
    CHECK(fr->tls_ended && fr->tls_ended->outcome == EWSFLOW_TLS_HANDSHAKE_CUT);

    current = "decrypted connections are the HTTP tracker's";
    tls_seg(tr, 13, 60, 60, 50006, hello("mail.contoso.com", "10.0.0.1"));
    fr = frame_on(tr, 13);
    t = at(61);
    ewsflow_tracker_request(tr, fr, 61, &t, 443, http("/EWS/Exchange.asmx", OUTLOOK, NULL, NULL), NULL, TRUE);
    fr = frame_on(tr, 13);
    ewsflow_tracker_reset(tr, fr, 62, &t, 443);
    CHECK(!fr->tls_ended && count(fr->killed) == 1);

    current = "the story names the encrypted hop the error points at";
    tr = new_tracker(&LIMITS);
    ews_msg_info_t *cb;
    ewsflow_req_t *c = client_lookup(tr, 4, 100, Y1, &cb, NULL);
    ewsflow_tracker_set_server_addr(tr, c, "10.0.0.10");
    tls_request(tr, 20, 5, 50, 50010, "mail.fabrikam.com", "10.0.0.10", 900);        /* before the lookup: a distractor */
    fr = frame_on(tr, 20);
    t = at(54);
    ewsflow_tracker_reset(tr, fr, 9, &t, 443);
    tls_request(tr, 21, 10, 101, 50011, "mail.fabrikam.com", "10.0.0.99", 900);      /* opened by another server */
    fr = frame_on(tr, 21);
    t = at(105);
    ewsflow_tracker_reset(tr, fr, 14, &t, 443);
    tls_request(tr, 22, 15, 101, 50012, "mail.fabrikam.com", "10.0.0.10", 2100);      /* the hop */
    fr = frame_on(tr, 22);
    t = at(107);
    ewsflow_tracker_reset(tr, fr, 19, &t, 443);
    ewsflow_tls_t *hop_tls = fr->tls_ended;
    fr = frame_on(tr, 1);
    t = at(110);
    const char *const fail1[] = { "ErrorProxyRequestProcessingFailed", NULL };
    ews_msg_info_t *rsp = gua_response(20, cb, fail1);
    rsp->results[0].proxy_failure = TRUE;
    rsp->results[0].response_source = "https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity";
    ewsflow_tracker_response(tr, fr, 20, &t, 200, NULL, rsp);
    ewsflow_tracker_explain(tr, fr, 20, rsp);
    ewsflow_story_t *st = first(fr->stories);
    CHECK(st && strstr(st->happened, "encrypted connection from 10.0.0.10 to mail.fabrikam.com (frame 15, TLS 1.2)"));
    CHECK(st && strstr(st->why, "2100 bytes") && strstr(st->why, "forcibly closed") && !strstr(st->why, "link uncertain"));
    CHECK(hop_tls && hop_tls->story_frame == 20);
    /* the latest earlier connection to that host (frame 10) failed the same way */
    CHECK(st && strstr(st->why, "an earlier encrypted connection to mail.fabrikam.com (frame 10) failed the same way"));

    current = "the story says that an earlier connection to the same host was answered";
    tr = new_tracker(&LIMITS);
    tls_request(tr, 30, 1, 10, 50020, "mail.fabrikam.com", "10.0.0.10", 1500);       /* another lookup, answered */
    tls_seg(tr, 30, 5, 14, 443, records(1, 1200, FALSE));
    c = client_lookup(tr, 6, 100, Y1, &cb, NULL);
    ewsflow_tracker_set_server_addr(tr, c, "10.0.0.10");
    tls_request(tr, 31, 7, 101, 50021, "mail.fabrikam.com", "10.0.0.10", 2100);      /* this lookup's hop, reset */
    fr = frame_on(tr, 31);
    t = at(105);
    ewsflow_tracker_reset(tr, fr, 11, &t, 443);
    fr = frame_on(tr, 1);
    t = at(110);
    rsp = gua_response(12, cb, fail1);
    rsp->results[0].proxy_failure = TRUE;
    rsp->results[0].response_source = "https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity";
    ewsflow_tracker_response(tr, fr, 12, &t, 200, NULL, rsp);
    ewsflow_tracker_explain(tr, fr, 12, rsp);
    st = first(fr->stories);
    CHECK(st && strstr(st->why, "an earlier encrypted connection to mail.fabrikam.com (frame 1) was answered (1200 bytes back)"));
    CHECK(st && strstr(st->why, "what differs is this lookup's path or requester"));
    current = "";
}

int
main(void)
{
    wmem_init();
    A = wmem_allocator_new(WMEM_ALLOCATOR_STRICT);
    trackers = g_ptr_array_new_with_free_func((GDestroyNotify)ewsflow_tracker_free);
    test_resets();
    test_fin_and_partial();
    test_pipelining_and_http2();
    test_hop_linking();
    test_stories();
    test_story_cases();
    test_h2_headers_and_handshakes();
    test_tls_without_keys();
    test_requester();
    test_bounds();
    test_headers();
    g_ptr_array_free(trackers, TRUE);
    wmem_destroy_allocator(A);
    wmem_cleanup();
    return check_report();
}
