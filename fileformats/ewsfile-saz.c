/* ewsfile-saz.c
 * Fiddler session archives (.saz): a ZIP holding raw/N_c.txt (the request), raw/N_s.txt (the
 * response, absent for some aborted sessions) and raw/N_m.xml (timers, flags) per session.
 * The ZIP is read with libzip (minizip 1.1, as Debian ships it, cannot read the Zip64 extra
 * fields current Fiddler writes on every entry: its 0xFFFFFFFF test is wrong where long has
 * 64 bits), the metadata with libxml2 without a network, a DTD or entities. Nothing is
 * written anywhere.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <zip.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ewsfile-read.h"

/* Fiddler's Session.BitFlags (Fiddler.SessionFlags), written in hex */
#define FIDDLER_IS_HTTPS           0x1u
#define FIDDLER_RESPONSE_GENERATED 0x100u

/* Responses Fiddler writes itself when the server side failed, and what each stands for.
 * First match wins; "TimedOut" inside a connection failure means the SYN went unanswered. */
static const struct {
    const char *text;           /* in the response body */
    int         end;            /* EWSFILE_END_* */
} fiddler_failures[] = {
    { "[Fiddler] ReadResponse() failed",                               EWSFILE_END_RESET },
    { "[Fiddler] The connection to the upstream proxy/gateway failed", EWSFILE_END_NOT_SENT },
    { "[Fiddler] The connection to '",                                  EWSFILE_END_REFUSED },
    { "[Fiddler] DNS Lookup for",                                       EWSFILE_END_NOT_SENT },
    { "[Fiddler] The socket connection to",                             EWSFILE_END_REFUSED },
    { "did not contain the specified number of bytes",                  EWSFILE_END_CLIENT_ABORT },
};

/* Fiddler's SessionTimers attributes, in the order Fiddler writes them */
enum { T_CLIENT_CONNECTED, T_CLIENT_BEGIN_REQUEST, T_GOT_REQUEST_HEADERS, T_CLIENT_DONE_REQUEST,
       T_SERVER_CONNECTED, T_FIDDLER_BEGIN_REQUEST, T_SERVER_GOT_REQUEST, T_SERVER_BEGIN_RESPONSE,
       T_GOT_RESPONSE_HEADERS, T_SERVER_DONE_RESPONSE, T_CLIENT_BEGIN_RESPONSE,
       T_CLIENT_DONE_RESPONSE, T_COUNT };
static const char *const timer_names[T_COUNT] = {
    "ClientConnected", "ClientBeginRequest", "GotRequestHeaders", "ClientDoneRequest",
    "ServerConnected", "FiddlerBeginRequest", "ServerGotRequest", "ServerBeginResponse",
    "GotResponseHeaders", "ServerDoneResponse", "ClientBeginResponse", "ClientDoneResponse",
};
/* ... and the four it writes as whole milliseconds */
static const struct { const char *name; guint8 kind; } ms_timers[] = {
    { "GatewayTime", EWSFILE_DUR_GATEWAY }, { "DNSTime", EWSFILE_DUR_DNS },
    { "TCPConnectTime", EWSFILE_DUR_CONNECT }, { "HTTPSHandshakeTime", EWSFILE_DUR_TLS },
};
/* Durations from pairs of timers, shown like HAR's timings */
static const struct { guint8 kind; int from, to; } spans[] = {
    { EWSFILE_DUR_SEND,    T_FIDDLER_BEGIN_REQUEST, T_SERVER_GOT_REQUEST },
    { EWSFILE_DUR_WAIT,    T_SERVER_GOT_REQUEST,    T_SERVER_BEGIN_RESPONSE },
    { EWSFILE_DUR_RECEIVE, T_SERVER_BEGIN_RESPONSE, T_SERVER_DONE_RESPONSE },
    { EWSFILE_DUR_TOTAL,   T_CLIENT_BEGIN_REQUEST,  T_CLIENT_DONE_RESPONSE },
};

typedef struct {
    guint32 number;
    gboolean have[3];
    zip_uint64_t index[3];      /* c, s, m */
} entry_t;

/* "raw/123_c.txt" -> number 123, part 0 (c), 1 (s), 2 (m). Other names are not ours. */
static gboolean
parse_entry_name(const char *name, guint32 *number, int *part)
{
    if (g_ascii_strncasecmp(name, "raw/", 4) != 0)
        return FALSE;
    const char *p = name + 4;
    guint64 n = 0;
    int digits = 0;
    for (; g_ascii_isdigit(*p) && digits < 10; p++, digits++)
        n = n * 10 + (guint64)(*p - '0');
    if (!digits || n > G_MAXUINT32)
        return FALSE;
    static const char *const tails[3] = { "_c.txt", "_s.txt", "_m.xml" };
    for (int i = 0; i < 3; i++) {
        if (g_ascii_strcasecmp(p, tails[i]) == 0) {
            *number = (guint32)n;
            *part = i;
            return TRUE;
        }
    }
    return FALSE;
}

/* Reads the current entry, at most EWSFILE_MAX_ENTRY bytes of it. Returns NULL (and sets
 * why) when the data is damaged; *cut when it was longer than kept. */
static GByteArray *
read_entry(zip_t *za, zip_uint64_t index, const char *name, gboolean *cut, char **why)
{
    guint8 buf[65536];
    zip_int64_t r;
    GByteArray *b = g_byte_array_new();
    *cut = FALSE;
    zip_file_t *zf = zip_fopen_index(za, index, 0);
    if (!zf) {
        *why = g_strdup_printf("%s cannot be opened: %s", name, zip_strerror(za));
        g_byte_array_unref(b);
        return NULL;
    }
    while ((r = zip_fread(zf, buf, sizeof buf)) > 0) {
        guint keep = (guint)MIN((gsize)r, EWSFILE_MAX_ENTRY - b->len);
        g_byte_array_append(b, buf, keep);
        if (b->len >= EWSFILE_MAX_ENTRY) {
            *cut = TRUE;                     /* a bomb or a huge body: what is kept is enough */
            break;
        }
    }
    if (r < 0) {
        *why = g_strdup_printf("%s is damaged: %s", name, zip_error_strerror(zip_file_get_error(zf)));
        zip_fclose(zf);
        g_byte_array_unref(b);
        return NULL;
    }
    zip_fclose(zf);
    return b;
}

static char *
attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? g_strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static guint16
parse_port(const char *s)
{
    guint v = 0;
    if (!s)
        return 0;
    for (; *s; s++) {
        if (*s == ',' || *s == '.')
            continue;                        /* thousands separators */
        if (!g_ascii_isdigit(*s) || (v = v * 10 + (guint)(*s - '0')) > 65535)
            return 0;
    }
    return (guint16)v;
}

/* What the session's _m.xml says. */
typedef struct {
    guint32  sid, bitflags;
    gboolean have_bitflags, aborted;
    gint64   t[T_COUNT];
    char    *client_ip, *host_ip, *process, *comments, *tls_version;
    guint16  client_port, egress_port;
    guint64  tunnel_up, tunnel_down;
    gboolean tunnel_info;
} meta_t;

static void
meta_clear(meta_t *m)
{
    g_free(m->client_ip);
    g_free(m->host_ip);
    g_free(m->process);
    g_free(m->comments);
    g_free(m->tls_version);
}

static void
read_meta(const GByteArray *xml, meta_t *m, GByteArray *tlv, GString *notes)
{
    if (!xml->len) {
        g_string_append(notes, "metadata (_m.xml) empty; ");
        return;
    }
    /* No DTD, no entities: Fiddler writes neither, and a hostile one would cost. */
    if (g_strstr_len((const char *)xml->data, (gssize)xml->len, "<!DOCTYPE") ||
        g_strstr_len((const char *)xml->data, (gssize)xml->len, "<!ENTITY")) {
        g_string_append(notes, "metadata ignored: it declares a DTD; ");
        return;
    }
    xmlDocPtr doc = xmlReadMemory((const char *)xml->data, (int)MIN(xml->len, (guint)G_MAXINT), NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || xmlStrcmp(root->name, (const xmlChar *)"Session") != 0) {
        g_string_append(notes, "metadata unreadable (not a Fiddler <Session>); ");
        xmlFreeDoc(doc);
        return;
    }
    char *v;
    if ((v = attr(root, "SID"))) {
        m->sid = (guint32)g_ascii_strtoull(v, NULL, 10);
        g_free(v);
    }
    if ((v = attr(root, "BitFlags"))) {
        char *end;
        m->bitflags = (guint32)g_ascii_strtoull(v, &end, 16);
        m->have_bitflags = end != v;
        g_free(v);
    }
    if ((v = attr(root, "Aborted"))) {
        m->aborted = g_ascii_strcasecmp(v, "true") == 0;
        g_free(v);
    }
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(n->name, (const xmlChar *)"SessionTimers")) {
            for (int i = 0; i < T_COUNT; i++) {
                if ((v = attr(n, timer_names[i]))) {
                    m->t[i] = ewsfile_parse_time(v);
                    g_free(v);
                }
            }
            for (gsize i = 0; i < G_N_ELEMENTS(ms_timers); i++) {
                if ((v = attr(n, ms_timers[i].name))) {
                    gint64 ms = g_ascii_strtoll(v, NULL, 10);
                    if (ms > 0 && ms < G_GINT64_CONSTANT(86400000))
                        ewsfile_tlv_duration(tlv, ms_timers[i].kind, ms * 1000000);
                    g_free(v);
                }
            }
        } else if (!xmlStrcmp(n->name, (const xmlChar *)"TunnelInfo")) {
            char *up = attr(n, "BytesEgress"), *down = attr(n, "BytesIngress");
            m->tunnel_up = up ? g_ascii_strtoull(up, NULL, 10) : 0;
            m->tunnel_down = down ? g_ascii_strtoull(down, NULL, 10) : 0;
            m->tunnel_info = TRUE;
            g_free(up);
            g_free(down);
        } else if (!xmlStrcmp(n->name, (const xmlChar *)"SessionFlags")) {
            for (xmlNodePtr f = n->children; f; f = f->next) {
                if (f->type != XML_ELEMENT_NODE || xmlStrcmp(f->name, (const xmlChar *)"SessionFlag"))
                    continue;
                char *name = attr(f, "N"), *val = attr(f, "V");
                if (name && val) {
                    char *both = g_strdup_printf("%s: %s", name, val);
                    ewsfile_tlv_str(tlv, EWSFILE_T_FLAG, both);
                    g_free(both);
                    /* names are compared without case: writers differ */
                    if (!g_ascii_strcasecmp(name, "x-clientip") && !m->client_ip)
                        m->client_ip = g_strdup(val);
                    else if (!g_ascii_strcasecmp(name, "x-hostip") && !m->host_ip)
                        m->host_ip = g_strdup(val);
                    else if (!g_ascii_strcasecmp(name, "x-processinfo") && !m->process)
                        m->process = g_strdup(val);
                    else if (!g_ascii_strcasecmp(name, "ui-comments") && !m->comments)
                        m->comments = g_strdup(val);
                    else if (!g_ascii_strcasecmp(name, "https-server-version"))
                        g_free(m->tls_version), m->tls_version = g_strdup(val);
                    else if (!g_ascii_strcasecmp(name, "https-client-version") && !m->tls_version)
                        m->tls_version = g_strdup(val);
                    else if (!g_ascii_strcasecmp(name, "x-clientport"))
                        m->client_port = parse_port(val);
                    else if (!g_ascii_strcasecmp(name, "x-egressport"))
                        m->egress_port = parse_port(val);
                }
                g_free(name);
                g_free(val);
            }
        }
    }
    xmlFreeDoc(doc);
}

static gint64
first_of(const meta_t *m, const int *order, gsize n)
{
    for (gsize i = 0; i < n; i++)
        if (m->t[order[i]])
            return m->t[order[i]];
    return 0;
}

/* The failure a Fiddler-generated response stands for; its text goes to *text. */
static int
fiddler_failure(const GByteArray *resp, char **text)
{
    *text = NULL;
    if (!resp || !resp->len)
        return -1;
    gsize hl = 0;
    for (; hl + 3 < resp->len; hl++)
        if (!memcmp(resp->data + hl, "\r\n\r\n", 4))
            break;
    const char *body = (const char *)resp->data + MIN(hl + 4, resp->len);
    gsize blen = resp->len - (gsize)(body - (const char *)resp->data);
    for (gsize i = 0; i < G_N_ELEMENTS(fiddler_failures); i++) {
        const char *hit = g_strstr_len(body, (gssize)blen, fiddler_failures[i].text);
        if (!hit)
            continue;
        const char *start = g_strstr_len(body, (gssize)blen, "[Fiddler]");
        if (!start || start > hit)
            start = body;                    /* the whole text, from its first sentence */
        gsize n = blen - (gsize)(start - body);
        char *t = g_utf8_make_valid(start, (gssize)MIN(n, 400));
        char *br = strstr(t, " <br");
        if (br)
            *br = '\0';
        *text = g_strstrip(t);
        int end = fiddler_failures[i].end;
        if (end == EWSFILE_END_REFUSED && g_strstr_len(body, (gssize)blen, "TimedOut"))
            end = EWSFILE_END_CONNECT_TIMEOUT;
        return end;
    }
    return -1;
}

/* One session from its three parts. */
static void
add_session(ewsfile_t *f, guint32 number, GByteArray *req, GByteArray *resp, GByteArray *xml, GString *notes)
{
    ewsfile_session_t *s = ewsfile_add_session(f, number);
    meta_t m = { 0 };
    GByteArray *tlv = s->meta;

    if (xml)
        read_meta(xml, &m, tlv, notes);
    else
        g_string_append(notes, "no metadata (_m.xml) in the archive; ");

    char *line = ewsfile_http_first_line(req);
    char **parts = line ? g_strsplit(line, " ", 3) : NULL;
    const char *method = parts && parts[0] ? parts[0] : "";
    const char *target = parts && parts[0] && parts[1] ? parts[1] : "";
    char *host = NULL, *host_header = ewsfile_http_header(req, "Host");
    guint16 port = 0;
    gboolean https = FALSE, tunnel = g_ascii_strcasecmp(method, "CONNECT") == 0;

    if (tunnel) {
        char *url = g_strdup_printf("https://%s", target);
        ewsfile_url_authority(url, &host, &port, &https);
        g_free(url);
    } else if (!ewsfile_url_authority(target, &host, &port, &https) && host_header) {
        char *url = g_strdup_printf("http://%s/", host_header);
        g_free(host);
        ewsfile_url_authority(url, &host, &port, &https);
        g_free(url);
    }
    if (m.have_bitflags && (m.bitflags & FIDDLER_IS_HTTPS))
        https = TRUE;
    if (!port)
        port = https ? 443 : 80;

    ewsfile_tlv_u8(tlv, EWSFILE_T_FORMAT, EWSFILE_FORMAT_SAZ);
    if (m.sid)
        ewsfile_tlv_u32(tlv, EWSFILE_T_SID, m.sid);
    if (target[0]) {
        char *url = target[0] == '/' && host ? g_strdup_printf("%s://%s%s", https ? "https" : "http", host, target)
                                            : g_strdup(target);
        ewsfile_tlv_str(tlv, EWSFILE_T_URL, url);
        g_free(url);
    }
    ewsfile_tlv_u8(tlv, EWSFILE_T_TLS, https);
    ewsfile_tlv_str(tlv, EWSFILE_T_TLS_VERSION, m.tls_version);
    ewsfile_tlv_str(tlv, EWSFILE_T_PROCESS, m.process);
    ewsfile_tlv_str(tlv, EWSFILE_T_CLIENT_IP, m.client_ip);
    ewsfile_tlv_str(tlv, EWSFILE_T_SERVER_IP, m.host_ip);
    if (m.client_port)
        ewsfile_tlv_u16(tlv, EWSFILE_T_CLIENT_PORT, m.client_port);
    if (m.egress_port)
        ewsfile_tlv_u16(tlv, EWSFILE_T_EGRESS_PORT, m.egress_port);
    ewsfile_tlv_str(tlv, EWSFILE_T_COMMENT, m.comments);
    if (m.have_bitflags)
        ewsfile_tlv_u32(tlv, EWSFILE_T_BITFLAGS, m.bitflags);
    for (gsize i = 0; i < G_N_ELEMENTS(spans); i++) {
        gint64 a = m.t[spans[i].from], b = m.t[spans[i].to];
        if (a && b && b >= a)
            ewsfile_tlv_duration(tlv, spans[i].kind, b - a);
    }

    /* When things happened on the server side of the proxy */
    static const int req_order[] = { T_FIDDLER_BEGIN_REQUEST, T_SERVER_GOT_REQUEST, T_CLIENT_DONE_REQUEST, T_CLIENT_BEGIN_REQUEST };
    static const int resp_order[] = { T_SERVER_BEGIN_RESPONSE, T_GOT_RESPONSE_HEADERS, T_CLIENT_BEGIN_RESPONSE };
    static const int done_order[] = { T_CLIENT_DONE_RESPONSE, T_CLIENT_BEGIN_RESPONSE };
    s->t_connect = m.t[T_SERVER_CONNECTED];
    s->t_request = first_of(&m, req_order, G_N_ELEMENTS(req_order));
    s->t_response = first_of(&m, resp_order, G_N_ELEMENTS(resp_order));
    s->t_response_end = m.t[T_SERVER_DONE_RESPONSE];
    s->t_done = first_of(&m, done_order, G_N_ELEMENTS(done_order));
    if (!s->t_request && !s->t_response && !s->t_done)
        g_string_append(notes, "no timers: placed after the session before it; ");

    /* How it ended */
    s->request = req;
    char *failure = NULL;
    int end = -1;
    gboolean generated = resp && ((m.have_bitflags && (m.bitflags & FIDDLER_RESPONSE_GENERATED)) ||
                                  (resp->len > 22 && g_strstr_len((const char *)resp->data, MIN(resp->len, 80), " Fiddler - ")));
    if (tunnel) {
        ewsfile_tlv_u8(tlv, EWSFILE_T_TUNNEL, 1);
        if (m.tunnel_info) {
            guint64 b[2] = { GUINT64_TO_BE(m.tunnel_up), GUINT64_TO_BE(m.tunnel_down) };
            ewsfile_tlv(tlv, EWSFILE_T_TUNNEL_BYTES, b, sizeof b);
        }
        /* a CONNECT is between the client and Fiddler; its requests are the sessions after it */
        end = EWSFILE_END_NOT_SENT;
        if (resp)
            g_byte_array_unref(resp);
        resp = NULL;
    } else if (generated && (end = fiddler_failure(resp, &failure)) >= 0) {
        ewsfile_tlv_str(tlv, EWSFILE_T_FAILURE, failure);
        char *status = ewsfile_http_first_line(resp);
        ewsfile_tlv_str(tlv, EWSFILE_T_GENERATED, status);
        g_free(status);
        g_byte_array_unref(resp);        /* Fiddler's text is not the server's answer */
        resp = NULL;
    } else if (resp) {
        end = EWSFILE_END_ANSWERED;
        if (generated) {
            char *status = ewsfile_http_first_line(resp);
            ewsfile_tlv_str(tlv, EWSFILE_T_GENERATED, status);
            g_free(status);
        }
    } else {
        end = m.aborted ? EWSFILE_END_CLIENT_ABORT : EWSFILE_END_NO_RESPONSE;
        g_string_append(notes, "no response (_s.txt) in the archive; ");
    }
    s->end = end;
    s->response = resp;
    g_free(failure);

    s->conn_key = m.egress_port ? g_strdup_printf("%s|%u|%s|%s|%u", m.client_ip ? m.client_ip : "", m.egress_port,
                                                 m.host_ip ? m.host_ip : "", host ? host : "", port)
                                : NULL;
    ewsfile_set_addresses(s, m.client_ip, m.host_ip, host, m.egress_port ? m.egress_port : m.client_port, port);

    g_strfreev(parts);
    g_free(line);
    g_free(host);
    g_free(host_header);
    meta_clear(&m);
}

static gint
by_number(gconstpointer a, gconstpointer b)
{
    const entry_t *ea = a, *eb = b;
    return ea->number < eb->number ? -1 : ea->number > eb->number;
}

static ewsfile_t *read_zip(zip_t *za, gboolean claim, ewsfile_error_t *err, char **why);

static ewsfile_t *
unreadable(zip_error_t *ze, gboolean claim, ewsfile_error_t *err, char **why)
{
    *err = claim ? EWSFILE_DAMAGED : EWSFILE_NOT_MINE;
    if (claim)
        *why = g_strdup_printf("not a readable ZIP archive (%s)", zip_error_strerror(ze));
    return NULL;
}

ewsfile_t *
ewsfile_read_saz(const char *path, gboolean claim, ewsfile_error_t *err, char **why)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    *why = NULL;
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        unreadable(&ze, claim, err, why);
        zip_error_fini(&ze);
        return NULL;
    }
    return read_zip(za, claim, err, why);
}

ewsfile_t *
ewsfile_read_saz_memory(const void *data, gsize len, ewsfile_error_t *err, char **why)
{
    zip_error_t ze;
    zip_error_init(&ze);
    *why = NULL;
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za) {
        if (src)
            zip_source_free(src);
        unreadable(&ze, TRUE, err, why);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_error_fini(&ze);
    return read_zip(za, TRUE, err, why);
}

static ewsfile_t *
read_zip(zip_t *za, gboolean claim, ewsfile_error_t *err, char **why)
{

    /* Index: the raw/N_{c,s,m} entries, by session number. Nothing else is read. */
    GHashTable *index = g_hash_table_new(g_direct_hash, g_direct_equal);
    GArray *entries = g_array_new(FALSE, TRUE, sizeof(entry_t));
    gboolean encrypted = FALSE;
    zip_int64_t count = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < count; i++) {
        zip_stat_t st;
        guint32 number;
        int part;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !parse_entry_name(st.name, &number, &part))
            continue;
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            encrypted = TRUE;
        gpointer slot = g_hash_table_lookup(index, GUINT_TO_POINTER(number + 1));
        if (!slot) {
            if (entries->len >= EWSFILE_MAX_SESSIONS)
                continue;
            entry_t e = { .number = number };
            g_array_append_val(entries, e);
            slot = GUINT_TO_POINTER(entries->len);
            g_hash_table_insert(index, GUINT_TO_POINTER(number + 1), slot);
        }
        entry_t *e = &g_array_index(entries, entry_t, GPOINTER_TO_UINT(slot) - 1);
        e->have[part] = TRUE;
        e->index[part] = (zip_uint64_t)i;
    }
    g_hash_table_destroy(index);

    guint requests = 0;
    for (guint i = 0; i < entries->len; i++)
        requests += g_array_index(entries, entry_t, i).have[0];
    if (!requests) {
        *err = claim ? EWSFILE_DAMAGED : EWSFILE_NOT_MINE;
        if (claim)
            *why = g_strdup("a ZIP archive, but it holds no Fiddler sessions (no raw/N_c.txt)");
        goto fail;
    }
    if (encrypted) {
        *err = EWSFILE_UNSUPPORTED;
        *why = g_strdup("this Fiddler archive is password-protected; save the sessions again from Fiddler "
                        "without a password (File > Save > All Sessions, no password)");
        goto fail;
    }

    g_array_sort(entries, by_number);
    ewsfile_t *f = ewsfile_new(EWSFILE_FORMAT_SAZ);
    for (guint i = 0; i < entries->len; i++) {
        entry_t *e = &g_array_index(entries, entry_t, i);
        GByteArray *part[3] = { NULL, NULL, NULL };
        GString *notes = g_string_new(NULL);
        gboolean damaged = FALSE;
        if (!e->have[0]) {
            g_string_free(notes, TRUE);
            continue;                        /* metadata or a response without a request */
        }
        if (f->bytes >= EWSFILE_MAX_TOTAL) {
            ewsfile_session_t *s = ewsfile_add_session(f, e->number);
            if (s) {
                s->end = EWSFILE_END_NOT_SENT;
                ewsfile_set_addresses(s, NULL, NULL, "", 0, 80);
                char *note = g_strdup_printf("the reader stopped here: the sessions before this one hold %u MiB, "
                                             "the most it keeps; split the archive in Fiddler to see the rest",
                                             EWSFILE_MAX_TOTAL >> 20);
                ewsfile_tlv_str(s->meta, EWSFILE_T_NOTE, note);
                g_free(note);
            }
            g_string_free(notes, TRUE);
            break;
        }
        for (int k = 0; k < 3 && !damaged; k++) {
            gboolean cut;
            char *name = g_strdup_printf("raw/%u_%s", e->number, k == 0 ? "c.txt" : k == 1 ? "s.txt" : "m.xml");
            if (e->have[k]) {
                if (!(part[k] = read_entry(za, e->index[k], name, &cut, why)))
                    damaged = TRUE;
                else if (cut)
                    g_string_append_printf(notes, "%s cut at %u MiB; ", name, EWSFILE_MAX_ENTRY >> 20);
            }
            g_free(name);
        }
        if (damaged) {
            for (int k = 0; k < 3; k++)
                if (part[k])
                    g_byte_array_unref(part[k]);
            g_string_free(notes, TRUE);
            *err = EWSFILE_DAMAGED;
            ewsfile_free(f);
            goto fail;
        }
        f->bytes += part[0]->len + (part[1] ? part[1]->len : 0);
        add_session(f, e->number, part[0], part[1], part[2], notes);
        if (part[2])
            g_byte_array_unref(part[2]);
        if (notes->len) {
            g_string_truncate(notes, notes->len - 2);
            ewsfile_session_t *s = g_ptr_array_index(f->sessions, f->sessions->len - 1);
            ewsfile_tlv_str(s->meta, EWSFILE_T_NOTE, notes->str);
        }
        g_string_free(notes, TRUE);
    }
    g_array_free(entries, TRUE);
    zip_discard(za);
    ewsfile_build(f);
    return f;

fail:
    g_array_free(entries, TRUE);
    zip_discard(za);
    return NULL;
}
