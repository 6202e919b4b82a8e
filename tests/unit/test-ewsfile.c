/* test-ewsfile.c: the file reader's core (Fiddler archives, HAR) without wiretap or tshark:
 * times, addresses, URLs, how failures become packets, bounds on hostile JSON.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "ewsfile-read.h"
#include "check.h"

static ewsfile_t *
har(const char *json)
{
    char *text = g_strdup(json);
    ewsfile_error_t err;
    char *why = NULL;
    ewsfile_t *f = ewsfile_read_har(text, strlen(text), TRUE, &err, &why);
    g_free(text);
    g_free(why);
    return f;
}

static const ewsfile_packet_t *
pkt(const ewsfile_t *f, guint i)
{
    return &g_array_index(f->packets, ewsfile_packet_t, i);
}

static void
test_times(void)
{
    current = "times";
    /* .NET round-trip with seven digits and an offset: 100 ns kept */
    gint64 t = ewsfile_parse_time("2025-08-30T11:33:40.2713745-07:00");
    CHECK(t == G_GINT64_CONSTANT(1756578820271374500));
    CHECK(ewsfile_parse_time("2025-08-30T18:33:40.2713745+00:00") == t);
    CHECK(ewsfile_parse_time("2026-11-24T09:15:02.123Z") == G_GINT64_CONSTANT(1795511702123000000));
    CHECK(ewsfile_parse_time("0001-01-01T00:00:00") == 0);           /* a timer that did not fire */
    CHECK(ewsfile_parse_time("1000-01-01T00:00:00Z") == 0);          /* before 1970: not a capture time */
    CHECK(ewsfile_parse_time("yesterday") == 0);
    CHECK(ewsfile_parse_time("") == 0 && ewsfile_parse_time(NULL) == 0);
}

static void
test_addresses(void)
{
    current = "addresses";
    guint8 a[16];
    CHECK(ewsfile_parse_addr("10.1.2.3", a) == 4 && a[0] == 10 && a[3] == 3);
    CHECK(ewsfile_parse_addr("::ffff:127.0.0.1", a) == 4 && a[0] == 127 && a[3] == 1);   /* Fiddler's x-clientip */
    CHECK(ewsfile_parse_addr("[2001:db8::5]", a) == 6 && a[0] == 0x20 && a[15] == 5);    /* HAR serverIPAddress */
    CHECK(ewsfile_parse_addr("", a) == 0 && ewsfile_parse_addr("host.example", a) == 0);

    char *host;
    guint16 port;
    gboolean https;
    CHECK(ewsfile_url_authority("https://mail.contoso.com/EWS/Exchange.asmx", &host, &port, &https) && https && port == 0);
    CHECK_STR(host, "mail.contoso.com");
    g_free(host);
    CHECK(ewsfile_url_authority("http://user@[2001:db8::1]:8080/x?y", &host, &port, &https) && !https && port == 8080);
    CHECK_STR(host, "2001:db8::1");
    g_free(host);
    CHECK(!ewsfile_url_authority("/owa/service.svc", &host, &port, &https));     /* origin-form */
    g_free(host);

    ewsfile_t *f = ewsfile_new(EWSFILE_FORMAT_SAZ);
    ewsfile_session_t *s = ewsfile_add_session(f, 1);
    ewsfile_set_addresses(s, "::ffff:127.0.0.1", "2001:db8::25", "mail.contoso.com", 0, 443);
    CHECK(s->family == 6 && s->client[10] == 0xff && s->client[15] == 1);   /* the IPv4 side mapped */
    CHECK(s->addr_made_up && s->client_port >= 49152);                         /* no port in the archive */
    s = ewsfile_add_session(f, 2);
    ewsfile_set_addresses(s, NULL, NULL, "mail.fabrikam.com", 50000, 443);
    ewsfile_session_t *again = ewsfile_add_session(f, 3);
    ewsfile_set_addresses(again, NULL, NULL, "mail.fabrikam.com", 50001, 443);
    CHECK(s->family == 4 && s->server[0] == 198 && memcmp(s->server, again->server, 4) == 0);   /* one host, one address */
    ewsfile_free(f);
}

static void
test_headers(void)
{
    current = "headers";
    GByteArray *m = g_byte_array_new();
    const char *msg = "POST /x HTTP/1.1\r\nhost:  mail.contoso.com \r\nContent-Length: 3\r\n\r\nHost: body\r\n";
    g_byte_array_append(m, (const guint8 *)msg, (guint)strlen(msg));
    char *v = ewsfile_http_header(m, "Host");
    CHECK_STR(v, "mail.contoso.com");
    g_free(v);
    CHECK(ewsfile_http_header(m, "X-Missing") == NULL);
    v = ewsfile_http_first_line(m);
    CHECK_STR(v, "POST /x HTTP/1.1");
    g_free(v);
    g_byte_array_set_size(m, 0);
    CHECK(ewsfile_http_header(m, "Host") == NULL && ewsfile_http_first_line(m) == NULL);
    g_byte_array_unref(m);
}

#define ENTRY(started, extra) "{\"startedDateTime\":\"" started "\",\"time\":20," extra "}"
#define REQ(url) "\"request\":{\"method\":\"POST\",\"url\":\"" url "\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[{\"name\":\"Host\",\"value\":\"mail.contoso.com\"}],\"postData\":{\"text\":\"{}\"}}"

static void
test_har_failures(void)
{
    current = "har failures";
    /* a reset: the request, then the server's RST (no response) */
    ewsfile_t *f = har("{\"log\":{\"entries\":[" ENTRY("2026-11-24T09:15:02.000Z",
                       REQ("https://mail.contoso.com/owa/service.svc") ",\"response\":{\"status\":0,\"_error\":\"net::ERR_CONNECTION_RESET\",\"headers\":[]},"
                       "\"timings\":{\"blocked\":19}") "]}}");
    CHECK(f && f->sessions->len == 1);
    if (f) {
        const ewsfile_session_t *s = g_ptr_array_index(f->sessions, 0);
        CHECK(s->end == EWSFILE_END_RESET && s->response == NULL && s->server_port == 443);
        const ewsfile_packet_t *last = pkt(f, f->packets->len - 1);
        CHECK(last->role == EWSFILE_ROLE_FAILURE && last->from_server && (last->tcp_flags & 0x04));
        CHECK(pkt(f, 3)->role == EWSFILE_ROLE_REQUEST && pkt(f, 3)->full_meta);
        /* the failure comes at the end of "time", after the request */
        CHECK(last->time == G_GINT64_CONSTANT(1795511702020000000));
        ewsfile_free(f);
    }
    /* refused: SYN answered by RST, nothing else */
    f = har("{\"log\":{\"entries\":[" ENTRY("2026-11-24T09:15:02.000Z",
            REQ("http://a.example/x") ",\"response\":{\"status\":0,\"_error\":\"net::ERR_CONNECTION_REFUSED\"}") "]}}");
    CHECK(f && f->packets->len == 2 && pkt(f, 0)->tcp_flags == 0x02 && pkt(f, 1)->tcp_flags == 0x14);
    ewsfile_free(f);
    /* not resolved: a note, no packet */
    f = har("{\"log\":{\"entries\":[" ENTRY("2026-11-24T09:15:02.000Z",
            REQ("http://a.example/x") ",\"response\":{\"status\":0,\"_error\":\"net::ERR_NAME_NOT_RESOLVED\"}") "]}}");
    CHECK(f && f->packets->len == 1 && pkt(f, 0)->role == EWSFILE_ROLE_NOTE);
    ewsfile_free(f);
    /* answered h2: HTTP/1.1 text, pseudo-headers and encodings dropped, the decoded length set */
    f = har("{\"log\":{\"entries\":[" ENTRY("2026-11-24T09:15:02.000Z",
            "\"request\":{\"method\":\"GET\",\"url\":\"https://m.example/p?q=1\",\"httpVersion\":\"h2\",\"headers\":["
            "{\"name\":\":authority\",\"value\":\"m.example\"},{\"name\":\":path\",\"value\":\"/p?q=1\"}]},"
            "\"response\":{\"status\":200,\"statusText\":\"\",\"headers\":[{\"name\":\"content-encoding\",\"value\":\"gzip\"},"
            "{\"name\":\"content-length\",\"value\":\"999\"}],\"content\":{\"text\":\"aGk=\",\"encoding\":\"base64\"}},"
            "\"timings\":{\"send\":1,\"wait\":5,\"receive\":2}") "]}}");
    CHECK(f && f->sessions->len == 1);
    if (f) {
        const ewsfile_session_t *s = g_ptr_array_index(f->sessions, 0);
        char *req = g_strndup((const char *)s->request->data, s->request->len);
        char *resp = g_strndup((const char *)s->response->data, s->response->len);
        CHECK(g_str_has_prefix(req, "GET /p?q=1 HTTP/1.1\r\n") && strstr(req, "\r\nHost: m.example\r\n") && !strstr(req, ":path"));
        CHECK(g_str_has_prefix(resp, "HTTP/1.1 200 \r\n") && strstr(resp, "Content-Length: 2\r\n\r\nhi") && !strstr(resp, "gzip"));
        CHECK(s->t_response == G_GINT64_CONSTANT(1795511702006000000) && s->t_response_end == s->t_response + 2000000);
        g_free(req);
        g_free(resp);
        ewsfile_free(f);
    }
}

static void
test_har_hostile(void)
{
    current = "har hostile";
    GString *deep = g_string_new("{\"log\":");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(deep, '[');
    for (int i = 0; i < 100000; i++)
        g_string_append_c(deep, ']');
    g_string_append_c(deep, '}');
    ewsfile_error_t err;
    char *why = NULL;
    CHECK(ewsfile_read_har(deep->str, deep->len, TRUE, &err, &why) == NULL && err == EWSFILE_DAMAGED && strstr(why, "nested"));
    g_free(why);
    g_string_free(deep, TRUE);
    char text[] = "{\"log\":{\"entries\":[{\"request\":";
    CHECK(ewsfile_read_har(text, strlen(text), FALSE, &err, &why) == NULL && err == EWSFILE_NOT_MINE);
    g_free(why);
    /* a header value or URL with CR/LF never starts a line of its own */
    ewsfile_t *f = har("{\"log\":{\"entries\":[" ENTRY("2026-11-24T09:15:02.000Z",
                       "\"request\":{\"method\":\"GET\",\"url\":\"http://a/x\\r\\nX-Evil: 1\",\"headers\":[{\"name\":\"A\",\"value\":\"b\\r\\nX-Evil: 2\"}]},"
                       "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"text\":\"\"}}") "]}}");
    CHECK(f != NULL);
    if (f) {
        const ewsfile_session_t *s = g_ptr_array_index(f->sessions, 0);
        CHECK(!g_strstr_len((const char *)s->request->data, s->request->len, "X-Evil"));
        ewsfile_free(f);
    }
    /* an entry without any time goes right after the one before it */
    f = har("{\"log\":{\"entries\":[" ENTRY("2026-11-24T09:15:02.000Z", REQ("http://a/1") ",\"response\":{\"status\":204}")
            ",{\"time\":1," REQ("http://a/2") ",\"response\":{\"status\":204}}]}}");
    CHECK(f && f->sessions->len == 2);
    if (f) {
        const ewsfile_session_t *b = g_ptr_array_index(f->sessions, 1);
        CHECK(b->t_request == G_GINT64_CONSTANT(1795511702000000000) + 1000000);
        ewsfile_free(f);
    }
}

static void
test_connections(void)
{
    current = "connections";
    /* two sessions on one kept-alive connection: one handshake, sequence numbers continue, one close */
    ewsfile_t *f = ewsfile_new(EWSFILE_FORMAT_SAZ);
    for (guint32 i = 1; i <= 2; i++) {
        ewsfile_session_t *s = ewsfile_add_session(f, i);
        s->request = g_byte_array_new();
        g_byte_array_append(s->request, (const guint8 *)"GET / HTTP/1.1\r\n\r\n", 18);
        s->response = g_byte_array_new();
        g_byte_array_append(s->response, (const guint8 *)"HTTP/1.1 204 No Content\r\n\r\n", 27);
        s->end = EWSFILE_END_ANSWERED;
        s->t_request = G_GINT64_CONSTANT(1795511702000000000) + i * 1000000000;
        s->t_response = s->t_response_end = s->t_request + 1000000;
        s->conn_key = g_strdup("same");
        ewsfile_set_addresses(s, "10.0.0.1", "10.0.0.2", "h", 50000, 80);
    }
    ewsfile_build(f);
    guint syn = 0, fin = 0;
    for (guint i = 0; i < f->packets->len; i++) {
        syn += (pkt(f, i)->tcp_flags & 0x02) != 0;
        fin += (pkt(f, i)->tcp_flags & 0x01) != 0;
    }
    CHECK(syn == 2 && fin == 2 && f->packets->len == 3 + 4 + 3);
    CHECK(pkt(f, 5)->seq == pkt(f, 3)->seq + 18);                   /* the second request follows the first */
    for (guint i = 1; i < f->packets->len; i++)
        CHECK(pkt(f, i)->time > pkt(f, i - 1)->time);
    GByteArray *rec = g_byte_array_new();
    ewsfile_record(f, 3, rec);
    CHECK(rec->len > 12 + EWSFILE_HEADER_LEN + 14 + 20 + 20 && memcmp(rec->data + 16, EWSFILE_MAGIC, 4) == 0);
    g_byte_array_unref(rec);
    ewsfile_free(f);
}

int
main(void)
{
    test_times();
    test_addresses();
    test_headers();
    test_har_failures();
    test_har_hostile();
    test_connections();
    return check_report();
}
