/* ewsfile-har.c
 * HAR 1.2 files (a browser's "Save all as HAR"): log.entries[], each a request and response
 * with bodies as text. Parsed with Wireshark's own JSON tokenizer (wsjson/jsmn), after a
 * depth check that keeps its cost linear; walked without recursion.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <wsutil/wsjson.h>

#include "ewsfile-read.h"

#define MAX_DEPTH   64                      /* HAR nests about 6 deep */
#define MAX_TOKENS  (16u << 20)

/* Chromium's net:: errors (entry._error or response._error) and what each was on the wire. */
static const struct {
    const char *prefix;
    int         end;
} har_errors[] = {
    { "net::ERR_CONNECTION_RESET",       EWSFILE_END_RESET },
    { "net::ERR_CONNECTION_ABORTED",     EWSFILE_END_RESET },
    { "net::ERR_HTTP2_PROTOCOL_ERROR",   EWSFILE_END_RESET },
    { "net::ERR_CONNECTION_REFUSED",     EWSFILE_END_REFUSED },
    { "net::ERR_CONNECTION_CLOSED",      EWSFILE_END_CLOSED },
    { "net::ERR_EMPTY_RESPONSE",         EWSFILE_END_CLOSED },
    { "net::ERR_CONNECTION_TIMED_OUT",   EWSFILE_END_CONNECT_TIMEOUT },
    { "net::ERR_ADDRESS_UNREACHABLE",    EWSFILE_END_CONNECT_TIMEOUT },
    { "net::ERR_TIMED_OUT",              EWSFILE_END_NO_RESPONSE },
    { "net::ERR_ABORTED",                EWSFILE_END_CLIENT_ABORT },
    { "net::ERR_NAME_NOT_RESOLVED",      EWSFILE_END_NOT_SENT },
    { "net::ERR_NAME_RESOLUTION_FAILED", EWSFILE_END_NOT_SENT },
    { "net::ERR_INTERNET_DISCONNECTED",  EWSFILE_END_NOT_SENT },
    { "net::ERR_PROXY_CONNECTION_FAILED", EWSFILE_END_NOT_SENT },
    { "net::ERR_CERT_",                  EWSFILE_END_NOT_SENT },   /* refused before any request */
    { "net::ERR_SSL_",                   EWSFILE_END_NOT_SENT },
    { "net::ERR_BAD_SSL_CLIENT_AUTH_CERT", EWSFILE_END_NOT_SENT },
    { "net::ERR_BLOCKED_BY_CLIENT",      EWSFILE_END_NOT_SENT },
};

/* HAR timings, in the order they happen */
static const struct { const char *name; guint8 kind; } har_timings[] = {
    { "blocked", EWSFILE_DUR_BLOCKED }, { "dns", EWSFILE_DUR_DNS }, { "connect", EWSFILE_DUR_CONNECT },
    { "ssl", EWSFILE_DUR_TLS }, { "send", EWSFILE_DUR_SEND }, { "wait", EWSFILE_DUR_WAIT },
    { "receive", EWSFILE_DUR_RECEIVE },
};

/* Headers not copied from the HAR: the bodies in it are already decoded and whole. */
static const char *const dropped_headers[] = {
    "content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive",
};

typedef struct {
    char *buf;
    jsmntok_t *t;
    int n;
} json_t;

/* The token after the value at i and everything inside it. */
static int
skip(const json_t *j, int i)
{
    int end = j->t[i].end;
    for (i++; i < j->n && j->t[i].start < end; i++)
        ;
    return i;
}

static int
member(const json_t *j, int obj, const char *name)
{
    if (obj < 0 || j->t[obj].type != JSMN_OBJECT)
        return -1;
    gsize nl = strlen(name);
    int i = obj + 1;
    for (int k = 0; k < j->t[obj].size && i + 1 < j->n; k++) {
        const jsmntok_t *key = &j->t[i];
        if (key->type == JSMN_STRING && (gsize)(key->end - key->start) == nl &&
            memcmp(j->buf + key->start, name, nl) == 0)
            return i + 1;
        i = skip(j, i + 1);
    }
    return -1;
}

/* A newly allocated, unescaped copy of a string token; NULL for anything else. */
static char *
str(const json_t *j, int i)
{
    if (i < 0 || j->t[i].type != JSMN_STRING)
        return NULL;
    char *s = g_strndup(j->buf + j->t[i].start, (gsize)(j->t[i].end - j->t[i].start));
    if (!json_decode_string_inplace(s)) {
        g_free(s);
        return NULL;
    }
    return s;
}

static gboolean
num(const json_t *j, int i, double *out)
{
    if (i < 0 || j->t[i].type != JSMN_PRIMITIVE)
        return FALSE;
    char c = j->buf[j->t[i].start];
    if (c != '-' && !g_ascii_isdigit(c))
        return FALSE;
    char tmp[64];
    gsize n = MIN((gsize)(j->t[i].end - j->t[i].start), sizeof tmp - 1);
    memcpy(tmp, j->buf + j->t[i].start, n);
    tmp[n] = '\0';
    *out = g_ascii_strtod(tmp, NULL);
    return TRUE;
}

static char *
member_str(const json_t *j, int obj, const char *name)
{
    return str(j, member(j, obj, name));
}

/* Deepest nesting outside strings; jsmn's cost grows with it. */
static int
max_depth(const char *s, gsize len)
{
    int depth = 0, deepest = 0;
    gboolean in_str = FALSE;
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = FALSE;
        } else if (c == '"') {
            in_str = TRUE;
        } else if (c == '{' || c == '[') {
            if (++depth > deepest)
                deepest = depth;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return deepest;
}

/* Appends "Name: value" lines from a HAR headers array, leaving out HTTP/2 pseudo-headers
 * and what dropped_headers names. Returns the :authority/Host value seen, if any. */
static char *
add_headers(const json_t *j, int arr, GString *out)
{
    char *host = NULL;
    if (arr < 0 || j->t[arr].type != JSMN_ARRAY)
        return NULL;
    int i = arr + 1;
    for (int k = 0; k < j->t[arr].size && i < j->n; k++, i = skip(j, i)) {
        char *name = member_str(j, i, "name"), *value = member_str(j, i, "value");
        if (name && value && !strpbrk(name, "\r\n") && !strpbrk(value, "\r\n")) {
            gboolean drop = name[0] == ':';
            if (!g_ascii_strcasecmp(name, ":authority") || !g_ascii_strcasecmp(name, "host")) {
                if (!host)
                    host = g_strdup(value);
                drop = name[0] == ':';
            }
            for (gsize d = 0; d < G_N_ELEMENTS(dropped_headers) && !drop; d++)
                drop = !g_ascii_strcasecmp(name, dropped_headers[d]);
            if (!drop)
                g_string_append_printf(out, "%s: %s\r\n", name, value);
        }
        g_free(name);
        g_free(value);
    }
    return host;
}

static GByteArray *
finish(GString *head, const guint8 *body, gsize len, gboolean always_length)
{
    if (len || always_length)
        g_string_append_printf(head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", len);
    g_string_append(head, "\r\n");
    GByteArray *b = g_byte_array_sized_new((guint)(head->len + len));
    g_byte_array_append(b, (const guint8 *)head->str, (guint)head->len);
    if (len)
        g_byte_array_append(b, body, (guint)len);
    g_string_free(head, TRUE);
    return b;
}

/* A body: text, or base64 when "encoding" says so. */
static guint8 *
body_of(const json_t *j, int obj, gsize *len)
{
    char *text = member_str(j, obj, "text"), *enc = member_str(j, obj, "encoding");
    *len = 0;
    if (text && enc && !g_ascii_strcasecmp(enc, "base64")) {
        g_base64_decode_inplace(text, len);
    } else if (text) {
        *len = strlen(text);
    }
    g_free(enc);
    if (*len > EWSFILE_MAX_ENTRY)
        *len = EWSFILE_MAX_ENTRY;
    return (guint8 *)text;
}

static void
add_entry(ewsfile_t *f, const json_t *j, int e, guint32 number, GHashTable *ip_of_host)
{
    int req = member(j, e, "request"), resp = member(j, e, "response");
    char *method = member_str(j, req, "method"), *url = member_str(j, req, "url");
    char *version = member_str(j, req, "httpVersion");
    char *started = member_str(j, e, "startedDateTime"), *server_ip = member_str(j, e, "serverIPAddress");
    char *connection = member_str(j, e, "connection");
    char *error = member_str(j, e, "_error");
    char *host = NULL;
    guint16 port = 0;
    gboolean https = FALSE;
    GString *notes = g_string_new(NULL);
    ewsfile_session_t *s = ewsfile_add_session(f, number);
    if (!s)
        goto done;
    if (!error)
        error = member_str(j, resp, "_error");
    GByteArray *tlv = s->meta;

    ewsfile_url_authority(url, &host, &port, &https);
    if (!port)
        port = https ? 443 : 80;
    ewsfile_tlv_u8(tlv, EWSFILE_T_FORMAT, EWSFILE_FORMAT_HAR);
    ewsfile_tlv_str(tlv, EWSFILE_T_URL, url);
    ewsfile_tlv_u8(tlv, EWSFILE_T_TLS, https);
    ewsfile_tlv_str(tlv, EWSFILE_T_HTTP_VERSION, version);
    ewsfile_tlv_str(tlv, EWSFILE_T_SERVER_IP, server_ip);
    ewsfile_tlv_str(tlv, EWSFILE_T_CONNECTION, connection);

    /* Times: startedDateTime, then the timings in order (-1: did not happen) */
    gint64 t = ewsfile_parse_time(started);
    gint64 at[G_N_ELEMENTS(har_timings)] = { 0 };
    int timings = member(j, e, "timings");
    double v;
    if (!t)
        g_string_append(notes, "no startedDateTime: placed after the entry before it; ");
    for (gsize k = 0; k < G_N_ELEMENTS(har_timings); k++) {
        if (!num(j, member(j, timings, har_timings[k].name), &v) || v < 0 || v > 864e5)
            continue;
        ewsfile_tlv_duration(tlv, har_timings[k].kind, (gint64)(v * 1e6));
        at[k] = (gint64)(v * 1e6);
    }
    if (num(j, member(j, e, "time"), &v) && v >= 0 && v < 864e5)
        ewsfile_tlv_duration(tlv, EWSFILE_DUR_TOTAL, (gint64)(v * 1e6));
    else
        v = 0;
    if (t) {
        /* ssl is part of connect in HAR 1.2: not added again */
        s->t_connect = t + at[0] + at[1];
        s->t_request = s->t_connect + at[2];
        s->t_response = s->t_request + at[4] + at[5];
        s->t_response_end = s->t_response + at[6];
        s->t_done = t + (gint64)(v * 1e6);
    }

    /* The request, as HTTP/1.1 text whatever the browser spoke */
    const char *path = "/";
    if (url) {
        const char *p = strstr(url, "://");
        p = p ? strpbrk(p + 3, "/?") : NULL;
        if (p)
            path = p;
    }
    gboolean method_ok = method && *method;
    for (const char *m = method; method_ok && *m; m++)
        method_ok = g_ascii_isalpha(*m) || *m == '-' || *m == '_';
    if (strpbrk(path, " \t\r\n"))
        path = "/";                          /* never let a URL break the request line */
    GString *head = g_string_new(NULL);
    g_string_append_printf(head, "%s %s%s HTTP/1.1\r\n", method_ok ? method : "GET", *path == '?' ? "/" : "", path);
    char *authority = add_headers(j, member(j, req, "headers"), head);
    gboolean has_host = FALSE;
    for (const char *h = head->str; (h = strchr(h, '\n')); h++)
        if (!g_ascii_strncasecmp(h + 1, "host:", 5))
            has_host = TRUE;
    if (!has_host && (authority || host))
        g_string_append_printf(head, "Host: %s\r\n", authority ? authority : host);
    int post = member(j, req, "postData");
    gsize blen = 0;
    guint8 *body = post >= 0 ? body_of(j, post, &blen) : NULL;
    s->request = finish(head, body, blen, post >= 0);
    g_free(body);
    g_free(authority);
    f->bytes += s->request->len;

    /* How it ended */
    double status = 0;
    num(j, member(j, resp, "status"), &status);
    int end = status > 0 ? EWSFILE_END_ANSWERED : EWSFILE_END_NO_RESPONSE;
    if (error && *error) {
        ewsfile_tlv_str(tlv, EWSFILE_T_FAILURE, error);
        if (status <= 0) {
            for (gsize k = 0; k < G_N_ELEMENTS(har_errors); k++) {
                if (g_str_has_prefix(error, har_errors[k].prefix)) {
                    end = har_errors[k].end;
                    break;
                }
            }
        }
    }
    if (end != EWSFILE_END_ANSWERED) {
        s->t_response = s->t_response_end = 0;          /* the failure came at the end of "time" */
    } else {
        int content = member(j, resp, "content");
        char *reason = member_str(j, resp, "statusText");
        head = g_string_new(NULL);
        g_string_append_printf(head, "HTTP/1.1 %d %s\r\n", (int)CLAMP(status, 100, 999),
                               reason && !strpbrk(reason, "\r\n") ? reason : "");
        g_free(add_headers(j, member(j, resp, "headers"), head));
        body = content >= 0 ? body_of(j, content, &blen) : NULL;
        if (content >= 0 && member(j, content, "text") < 0) {
            double size = 0;
            if (num(j, member(j, content, "size"), &size) && size > 0)
                g_string_append(notes, "response body not in the HAR; ");
        }
        s->response = finish(head, body, body ? blen : 0, TRUE);
        f->bytes += s->response->len;
        g_free(body);
        g_free(reason);
    }
    s->end = end;

    /* Where: the browser's address is never in a HAR; the server's usually is, else another
     * entry to the same host may have it. */
    const char *ip = server_ip && *server_ip ? server_ip : host ? g_hash_table_lookup(ip_of_host, host) : NULL;
    gboolean multiplexed = version && (g_ascii_strncasecmp(version, "h2", 2) == 0 || g_ascii_strncasecmp(version, "h3", 2) == 0 ||
                                       g_ascii_strncasecmp(version, "HTTP/2", 6) == 0 || g_ascii_strncasecmp(version, "HTTP/3", 6) == 0);
    guint16 cport = 0;
    if (connection && *connection && !multiplexed) {
        /* one keep-alive connection: one client port */
        s->conn_key = g_strdup_printf("%s|%s|%u", connection, ip ? ip : host ? host : "", port);
        cport = (guint16)(49152 + g_str_hash(s->conn_key) % 16000u);
    }
    ewsfile_set_addresses(s, NULL, ip, host, cport, port);
    s->addr_made_up = TRUE;

done:
    if (s && notes->len) {
        g_string_truncate(notes, notes->len - 2);
        ewsfile_tlv_str(s->meta, EWSFILE_T_NOTE, notes->str);
    }
    g_string_free(notes, TRUE);
    g_free(method);
    g_free(url);
    g_free(version);
    g_free(started);
    g_free(server_ip);
    g_free(connection);
    g_free(error);
    g_free(host);
}

ewsfile_t *
ewsfile_read_har(char *text, gsize len, gboolean claim, ewsfile_error_t *err, char **why)
{
    json_t j = { text, NULL, 0 };
    *why = NULL;
    *err = claim ? EWSFILE_DAMAGED : EWSFILE_NOT_MINE;

    /* Quick look first: a JSON object whose first member is "log" (or that has one). */
    const char *p = text;
    if (len >= 3 && (guint8)p[0] == 0xef && (guint8)p[1] == 0xbb && (guint8)p[2] == 0xbf)
        p += 3;                              /* a UTF-8 byte order mark */
    while (*p && g_ascii_isspace(*p))
        p++;
    if (*p != '{' || !g_strstr_len(p, MIN(4096, (gssize)(len - (gsize)(p - text))), "\"log\"")) {
        if (claim)
            *why = g_strdup("not a HAR file: no JSON object with a \"log\"");
        return NULL;
    }
    if (strlen(p) != len - (gsize)(p - text)) {
        if (claim)
            *why = g_strdup("not a HAR file: it holds NUL bytes");
        return NULL;
    }
    if (max_depth(p, len - (gsize)(p - text)) > MAX_DEPTH) {
        if (claim)
            *why = g_strdup_printf("JSON nested deeper than %d levels; HAR needs about 6", MAX_DEPTH);
        return NULL;
    }
    int count = json_parse(p, NULL, 0);
    if (count <= 0 || (guint)count > MAX_TOKENS) {
        if (claim)
            *why = count <= 0 ? g_strdup("the JSON is broken (truncated, or not JSON)")
                              : g_strdup_printf("more than %u JSON values", MAX_TOKENS);
        return NULL;
    }
    j.buf = (char *)p;
    j.t = g_new(jsmntok_t, count);
    j.n = json_parse(p, j.t, (unsigned)count);
    int log = j.n > 0 ? member(&j, 0, "log") : -1;
    int entries = member(&j, log, "entries");
    if (j.n <= 0 || log < 0 || entries < 0 || j.t[entries].type != JSMN_ARRAY) {
        /* another JSON file with a "log" is left to Wireshark's JSON reader unless it is named .har */
        if (claim)
            *why = g_strdup(j.n <= 0 ? "the JSON is broken (truncated, or not JSON)" : "a JSON file, but not a HAR: no log.entries array");
        g_free(j.t);
        return NULL;
    }

    /* Server addresses by host, for entries that failed before the browser noted one */
    GHashTable *ip_of_host = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    int i = entries + 1;
    for (int k = 0; k < j.t[entries].size && i < j.n; k++, i = skip(&j, i)) {
        char *url = member_str(&j, member(&j, i, "request"), "url"), *ip = member_str(&j, i, "serverIPAddress");
        char *host = NULL;
        guint16 port;
        gboolean https;
        if (ip && *ip && ewsfile_url_authority(url, &host, &port, &https) && !g_hash_table_contains(ip_of_host, host)) {
            g_hash_table_insert(ip_of_host, host, ip);
            host = NULL;
            ip = NULL;
        }
        g_free(host);
        g_free(ip);
        g_free(url);
    }

    ewsfile_t *f = ewsfile_new(EWSFILE_FORMAT_HAR);
    i = entries + 1;
    for (int k = 0; k < j.t[entries].size && i < j.n; k++, i = skip(&j, i)) {
        if (j.t[i].type != JSMN_OBJECT)
            continue;
        if (f->bytes >= EWSFILE_MAX_TOTAL) {
            ewsfile_session_t *s = ewsfile_add_session(f, (guint32)k + 1);
            if (s) {
                s->end = EWSFILE_END_NOT_SENT;
                ewsfile_set_addresses(s, NULL, NULL, "", 0, 80);
                char *note = g_strdup_printf("the reader stopped here: the entries before this one hold %u MiB, "
                                             "the most it keeps", EWSFILE_MAX_TOTAL >> 20);
                ewsfile_tlv_str(s->meta, EWSFILE_T_NOTE, note);
                g_free(note);
            }
            break;
        }
        add_entry(f, &j, i, (guint32)k + 1, ip_of_host);
    }
    g_hash_table_destroy(ip_of_host);
    g_free(j.t);
    ewsfile_build(f);
    return f;
}
