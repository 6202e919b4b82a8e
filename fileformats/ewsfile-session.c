/* ewsfile-session.c
 * Sessions into packets: each session's request and response become TCP segments of a
 * connection between the client and the server, in time order across the archive, with the
 * archive's failures as the resets, closes and refusals they stand for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <wsutil/inet_addr.h>
#include <wsutil/exported_pdu_tlvs.h>

#include "ewsfile-session.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define US 1000                              /* one microsecond in nanoseconds */

ewsfile_t *
ewsfile_new(guint8 format)
{
    ewsfile_t *f = g_new0(ewsfile_t, 1);
    f->format = format;
    f->sessions = g_ptr_array_new();
    f->packets = g_array_new(FALSE, FALSE, sizeof(ewsfile_packet_t));
    return f;
}

static void
session_free(ewsfile_session_t *s)
{
    if (s->request)
        g_byte_array_unref(s->request);
    if (s->response)
        g_byte_array_unref(s->response);
    g_byte_array_unref(s->meta);
    g_free(s->conn_key);
    g_free(s);
}

void
ewsfile_free(ewsfile_t *f)
{
    if (!f)
        return;
    for (guint i = 0; i < f->sessions->len; i++)
        session_free(g_ptr_array_index(f->sessions, i));
    g_ptr_array_free(f->sessions, TRUE);
    g_array_free(f->packets, TRUE);
    g_free(f);
}

ewsfile_session_t *
ewsfile_add_session(ewsfile_t *f, guint32 id)
{
    if (f->sessions->len >= EWSFILE_MAX_SESSIONS)
        return NULL;
    ewsfile_session_t *s = g_new0(ewsfile_session_t, 1);
    s->id = id;
    s->meta = g_byte_array_new();
    s->end = EWSFILE_END_NO_RESPONSE;
    g_ptr_array_add(f->sessions, s);
    return s;
}

/* ---- TLVs ---- */

void
ewsfile_tlv(GByteArray *meta, guint16 tag, const void *value, gsize len)
{
    if (len > 0xffff)
        len = 0xffff;                        /* a longer value is cut, never split */
    guint8 h[4] = { tag >> 8, tag & 0xff, (guint8)(len >> 8), (guint8)(len & 0xff) };
    g_byte_array_append(meta, h, 4);
    if (len)
        g_byte_array_append(meta, value, (guint)len);
}

void
ewsfile_tlv_str(GByteArray *meta, guint16 tag, const char *s)
{
    if (s && *s)
        ewsfile_tlv(meta, tag, s, strlen(s));
}

void
ewsfile_tlv_u8(GByteArray *meta, guint16 tag, guint8 v)
{
    ewsfile_tlv(meta, tag, &v, 1);
}

void
ewsfile_tlv_u16(GByteArray *meta, guint16 tag, guint16 v)
{
    guint8 b[2] = { v >> 8, v & 0xff };
    ewsfile_tlv(meta, tag, b, 2);
}

void
ewsfile_tlv_u32(GByteArray *meta, guint16 tag, guint32 v)
{
    guint32 be = GUINT32_TO_BE(v);
    ewsfile_tlv(meta, tag, &be, 4);
}

void
ewsfile_tlv_duration(GByteArray *meta, guint8 kind, gint64 ns)
{
    guint8 b[9];
    guint64 be = GUINT64_TO_BE((guint64)ns);
    b[0] = kind;
    memcpy(b + 1, &be, 8);
    ewsfile_tlv(meta, EWSFILE_T_DURATION, b, sizeof b);
}

/* ---- addresses, URLs, times ---- */

int
ewsfile_parse_addr(const char *s, guint8 out[16])
{
    char buf[64];
    gsize n;

    if (!s)
        return 0;
    while (*s == ' ')
        s++;
    if (*s == '[')
        s++;
    n = strcspn(s, "]% ");
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (ws_inet_pton4(buf, (ws_in4_addr *)(void *)out))
        return 4;
    if (ws_inet_pton6(buf, (ws_in6_addr *)(void *)out)) {
        static const guint8 mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };
        if (memcmp(out, mapped, 12) == 0) {  /* ::ffff:10.1.2.3 is an IPv4 peer */
            memmove(out, out + 12, 4);
            return 4;
        }
        return 6;
    }
    return 0;
}

gboolean
ewsfile_url_authority(const char *url, char **host_out, guint16 *port_out, gboolean *https_out)
{
    const char *p = url, *end;
    *host_out = NULL;
    *port_out = 0;
    *https_out = FALSE;
    if (!url)
        return FALSE;
    const char *scheme = strstr(url, "://");
    if (scheme && scheme - url <= 8) {
        *https_out = g_ascii_strncasecmp(url, "https", 5) == 0 || g_ascii_strncasecmp(url, "wss", 3) == 0;
        p = scheme + 3;
    } else if (*url == '/') {
        return FALSE;                        /* origin-form: no authority */
    }
    const char *at = NULL;
    for (end = p; *end && *end != '/' && *end != '?' && *end != '#' && *end != ' '; end++)
        if (*end == '@')
            at = end;
    if (at)
        p = at + 1;
    if (p == end)
        return FALSE;
    const char *colon = NULL;
    if (*p == '[') {
        const char *close = memchr(p, ']', (gsize)(end - p));
        if (!close)
            return FALSE;
        *host_out = g_strndup(p + 1, (gsize)(close - p - 1));
        if (close + 1 < end && close[1] == ':')
            colon = close + 1;
    } else {
        colon = memchr(p, ':', (gsize)(end - p));
        *host_out = g_strndup(p, (gsize)((colon ? colon : end) - p));
    }
    if (colon) {
        guint v = 0;
        for (const char *d = colon + 1; d < end && g_ascii_isdigit(*d) && v <= 65535; d++)
            v = v * 10 + (guint)(*d - '0');
        if (v <= 65535)
            *port_out = (guint16)v;
    }
    return **host_out != '\0';
}

void
ewsfile_set_addresses(ewsfile_session_t *s, const char *client_ip, const char *server_ip,
                      const char *host, guint16 client_port, guint16 server_port)
{
    guint8 c[16] = { 0 }, v[16] = { 0 };
    int cf = ewsfile_parse_addr(client_ip, c);
    int sf = ewsfile_parse_addr(server_ip, v);

    if (!sf) {
        /* No server address: one from 198.18.0.0/15 (set aside for tests), the same for
         * the same host name, so one server stays one endpoint. */
        guint h = g_str_hash(host ? host : "");
        v[0] = 198; v[1] = 18 | ((h >> 16) & 1); v[2] = (h >> 8) & 0xff; v[3] = h & 0xff;
        if (v[3] == 0 || v[3] == 255)
            v[3] = 1;
        sf = 4;
        s->addr_made_up = TRUE;
    }
    if (!cf) {
        static const guint8 doc4[4] = { 192, 0, 2, 10 };               /* RFC 5737 */
        static const guint8 doc6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };  /* RFC 3849 */
        cf = sf;
        memcpy(c, sf == 4 ? doc4 : doc6, sf == 4 ? 4 : 16);
        s->addr_made_up = TRUE;
    }
    if (cf != sf) {                          /* one IPv6 peer: the other as ::ffff:a.b.c.d */
        guint8 *four = cf == 4 ? c : v;
        guint8 tmp[4];
        memcpy(tmp, four, 4);
        memset(four, 0, 16);
        four[10] = four[11] = 0xff;
        memcpy(four + 12, tmp, 4);
        cf = sf = 6;
    }
    s->family = (guint8)cf;
    memcpy(s->client, c, 16);
    memcpy(s->server, v, 16);
    if (!client_port) {
        client_port = (guint16)(49152 + (s->id * 7u) % 16000u);
        s->addr_made_up = TRUE;
    }
    s->client_port = client_port;
    s->server_port = server_port ? server_port : 80;
}

gint64
ewsfile_parse_time(const char *s)
{
    if (!s || !*s || g_str_has_prefix(s, "0001-01-01"))
        return 0;
    GTimeZone *utc = g_time_zone_new_utc();
    GDateTime *dt = g_date_time_new_from_iso8601(s, utc);
    g_time_zone_unref(utc);
    if (!dt)
        return 0;
    gint64 secs = g_date_time_to_unix(dt);
    gint64 us = g_date_time_get_microsecond(dt);
    g_date_time_unref(dt);
    if (secs <= 0 || secs > G_GINT64_CONSTANT(8589934591))    /* before 1970 or after 2242: not a capture time */
        return 0;
    gint64 ns = secs * G_GINT64_CONSTANT(1000000000) + us * 1000;
    /* .NET writes 100 ns ticks: keep the seventh fractional digit GLib drops */
    const char *dot = strchr(s, '.');
    if (dot && strlen(dot) > 7 && g_ascii_isdigit(dot[1]) && g_ascii_isdigit(dot[7]))
        ns += (dot[7] - '0') * 100;
    return ns;
}

/* ---- packets ---- */

typedef struct {
    guint32 number;
    guint32 seq_c, seq_s;                    /* next sequence number each way */
    gint64  last;                            /* time of its last packet */
    gboolean closed;
    int     last_end;                        /* how its latest session ended */
    guint32 last_session;
} conn_t;

static gint64
later(gint64 t, const conn_t *c)
{
    return t > c->last ? t : c->last + US;
}

static void
emit(ewsfile_t *f, conn_t *c, guint32 si, guint8 role, gboolean from_server, guint8 flags,
     gint64 t, const guint8 *payload, guint32 len, gboolean full)
{
    ewsfile_packet_t p = { 0 };
    p.time = c ? later(t, c) : t;
    p.session = si;
    p.conn = c ? c->number : 0;
    p.role = role;
    p.from_server = from_server;
    p.tcp_flags = flags;
    p.full_meta = full;
    p.payload = payload;
    p.payload_len = len;
    if (c) {
        p.seq = from_server ? c->seq_s : c->seq_c;
        p.ack = (flags & TCP_ACK) ? (from_server ? c->seq_c : c->seq_s) : 0;
        guint32 used = len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
        if (from_server)
            c->seq_s += used;
        else
            c->seq_c += used;
        c->last = p.time;
    }
    g_array_append_val(f->packets, p);
}

/* Data in segments, spread evenly from t0 to t1; the last carries the session's TLVs. */
static void
emit_data(ewsfile_t *f, conn_t *c, guint32 si, guint8 role, gboolean from_server,
          const GByteArray *data, gint64 t0, gint64 t1)
{
    guint32 n = data->len ? (data->len + EWSFILE_SEGMENT - 1) / EWSFILE_SEGMENT : 1;
    if (t1 < t0)
        t1 = t0;
    for (guint32 i = 0; i < n; i++) {
        guint32 off = i * EWSFILE_SEGMENT;
        guint32 len = MIN(EWSFILE_SEGMENT, data->len - off);
        gint64 t = n > 1 ? t0 + (gint64)((double)(t1 - t0) * i / (n - 1)) : t0;
        emit(f, c, si, role, from_server, TCP_ACK | (i == n - 1 ? TCP_PSH : 0), t,
             data->len ? data->data + off : NULL, data->len ? len : 0, i == n - 1);
    }
}

static void
emit_close(ewsfile_t *f, conn_t *c, guint32 si, gboolean server_first, guint8 first_role, gint64 t)
{
    emit(f, c, si, first_role, server_first, TCP_FIN | TCP_ACK, t, NULL, 0, first_role == EWSFILE_ROLE_FAILURE);
    emit(f, c, si, EWSFILE_ROLE_CLOSE, !server_first, TCP_FIN | TCP_ACK, t, NULL, 0, FALSE);
    emit(f, c, si, EWSFILE_ROLE_CLOSE, server_first, TCP_ACK, t, NULL, 0, FALSE);
    c->closed = TRUE;
}

static gint64
first_time(const ewsfile_session_t *s)
{
    gint64 t[] = { s->t_connect, s->t_request, s->t_response, s->t_response_end, s->t_done };
    for (gsize i = 0; i < G_N_ELEMENTS(t); i++)
        if (t[i])
            return t[i];
    return 0;
}

static gint64
request_time(const ewsfile_session_t *s)
{
    return s->t_request ? s->t_request : first_time(s);
}

static gint
by_request_time(gconstpointer a, gconstpointer b, gpointer user)
{
    const ewsfile_session_t *const *sa = a, *const *sb = b;
    gint64 ta = request_time(*sa), tb = request_time(*sb);
    if (ta != tb)
        return ta < tb ? -1 : 1;
    return (*sa)->id < (*sb)->id ? -1 : (*sa)->id > (*sb)->id;
}

static gint
by_time(gconstpointer a, gconstpointer b)
{
    const ewsfile_packet_t *pa = a, *pb = b;
    if (pa->time != pb->time)
        return pa->time < pb->time ? -1 : 1;
    return 0;
}

void
ewsfile_build(ewsfile_t *f)
{
    GHashTable *by_key = g_hash_table_new(g_str_hash, g_str_equal);   /* conns owns the values */
    GPtrArray *conns = g_ptr_array_new_with_free_func(g_free);
    guint32 next_conn = 1;

    /* A session without any timestamp goes one millisecond after the one before it in the
     * archive: its place in the archive is all that is known. */
    gint64 known = G_GINT64_CONSTANT(946684800) * 1000000000;    /* 2000-01-01, if nothing is */
    for (guint32 si = 0; si < f->sessions->len; si++) {
        ewsfile_session_t *s = g_ptr_array_index(f->sessions, si);
        if (first_time(s))
            known = request_time(s);
        else
            s->t_request = known += 1000000;
    }
    /* sessions in the order their requests went out (the archive's own order on ties) */
    g_ptr_array_sort_with_data(f->sessions, by_request_time, NULL);

    for (guint32 si = 0; si < f->sessions->len; si++) {
        ewsfile_session_t *s = g_ptr_array_index(f->sessions, si);
        gint64 t_req = request_time(s);

        if (s->end == EWSFILE_END_NOT_SENT || !s->request) {
            emit(f, NULL, si, EWSFILE_ROLE_NOTE, FALSE, 0, t_req, NULL, 0, TRUE);
            continue;
        }
        conn_t *c = s->conn_key ? g_hash_table_lookup(by_key, s->conn_key) : NULL;
        if (!c || c->closed) {
            c = g_new0(conn_t, 1);
            c->number = next_conn++;
            c->seq_c = 0x10000000u + c->number * 0x10000u;
            c->seq_s = 0x50000000u + c->number * 0x10000u;
            c->last = G_MININT64;
            g_ptr_array_add(conns, c);
            if (s->conn_key)
                g_hash_table_replace(by_key, s->conn_key, c);
            gint64 t0 = s->t_connect && s->t_connect <= t_req ? s->t_connect : t_req;
            emit(f, c, si, s->end == EWSFILE_END_CONNECT_TIMEOUT ? EWSFILE_ROLE_FAILURE : EWSFILE_ROLE_SETUP, FALSE, TCP_SYN, t0,
                 NULL, 0, s->end == EWSFILE_END_REFUSED || s->end == EWSFILE_END_CONNECT_TIMEOUT);
            if (s->end == EWSFILE_END_CONNECT_TIMEOUT) {
                c->closed = TRUE;            /* the SYN above, carrying the story */
                continue;
            }
            if (s->end == EWSFILE_END_REFUSED) {
                emit(f, c, si, EWSFILE_ROLE_FAILURE, TRUE, TCP_RST | TCP_ACK, t0, NULL, 0, TRUE);
                c->closed = TRUE;
                continue;
            }
            emit(f, c, si, EWSFILE_ROLE_SETUP, TRUE, TCP_SYN | TCP_ACK, t0, NULL, 0, FALSE);
            emit(f, c, si, EWSFILE_ROLE_SETUP, FALSE, TCP_ACK, t0, NULL, 0, FALSE);
        }
        c->last_session = si;
        c->last_end = s->end;
        emit_data(f, c, si, EWSFILE_ROLE_REQUEST, FALSE, s->request, t_req, t_req);

        gint64 t_fail = s->t_response_end ? s->t_response_end : s->t_response ? s->t_response :
                        s->t_done ? s->t_done : t_req;
        switch (s->end) {
        case EWSFILE_END_ANSWERED:
            if (s->response)
                emit_data(f, c, si, EWSFILE_ROLE_RESPONSE, TRUE, s->response,
                          s->t_response ? s->t_response : t_req, s->t_response_end ? s->t_response_end : t_req);
            break;
        case EWSFILE_END_RESET:
            emit(f, c, si, EWSFILE_ROLE_FAILURE, TRUE, TCP_RST | TCP_ACK, t_fail, NULL, 0, TRUE);
            c->closed = TRUE;
            break;
        case EWSFILE_END_CLOSED:
            emit_close(f, c, si, TRUE, EWSFILE_ROLE_FAILURE, t_fail);
            break;
        case EWSFILE_END_CLIENT_ABORT:
            emit_close(f, c, si, FALSE, EWSFILE_ROLE_FAILURE, t_fail);
            break;
        default:                             /* no response: the connection is left as it was */
            break;
        }
    }
    /* connections whose last exchange was answered are closed by the client afterwards */
    for (guint i = 0; i < conns->len; i++) {
        conn_t *c = g_ptr_array_index(conns, i);
        if (!c->closed && c->last_end == EWSFILE_END_ANSWERED) {
            const ewsfile_session_t *s = g_ptr_array_index(f->sessions, c->last_session);
            emit_close(f, c, c->last_session, FALSE, EWSFILE_ROLE_CLOSE, s->t_done ? s->t_done : c->last);
        }
    }
    g_array_sort(f->packets, by_time);      /* g_array_sort is stable since GLib 2.32 */
    g_ptr_array_free(conns, TRUE);
    g_hash_table_destroy(by_key);
}

/* ---- record bytes ---- */

static void
put16(GByteArray *b, guint16 v)
{
    guint8 x[2] = { v >> 8, v & 0xff };
    g_byte_array_append(b, x, 2);
}

static void
put32(GByteArray *b, guint32 v)
{
    guint32 be = GUINT32_TO_BE(v);
    g_byte_array_append(b, (const guint8 *)&be, 4);
}

static guint32
sum16(const guint8 *p, gsize n, guint32 acc)
{
    for (gsize i = 0; i + 1 < n; i += 2)
        acc += (guint32)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        acc += (guint32)p[n - 1] << 8;
    return acc;
}

static guint16
fold(guint32 acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (guint16)~acc;
}

void
ewsfile_record(const ewsfile_t *f, guint i, GByteArray *out)
{
    const ewsfile_packet_t *p = &g_array_index(f->packets, ewsfile_packet_t, i);
    const ewsfile_session_t *s = g_ptr_array_index(f->sessions, p->session);
    guint alen = s->family == 6 ? 16 : 4;
    const guint8 *src = p->from_server ? s->server : s->client;
    const guint8 *dst = p->from_server ? s->client : s->server;
    guint16 sport = p->from_server ? s->server_port : s->client_port;
    guint16 dport = p->from_server ? s->client_port : s->server_port;

    g_byte_array_set_size(out, 0);

    /* exported PDU: hand the payload to the "ewsfile" dissector */
    static const char name[8] = EWSFILE_DISSECTOR;
    put16(out, EXP_PDU_TAG_PROTO_NAME);
    put16(out, sizeof name);
    g_byte_array_append(out, (const guint8 *)name, sizeof name);
    put16(out, EXP_PDU_TAG_END_OF_OPT);
    put16(out, 0);

    /* ewsfile header and TLVs */
    guint hdr = out->len;
    g_byte_array_append(out, (const guint8 *)EWSFILE_MAGIC, 4);
    guint8 vr[4] = { EWSFILE_VERSION, p->role, 0, 0 };
    g_byte_array_append(out, vr, 4);
    put32(out, 0);                           /* TLV length, filled below */
    guint tlv0 = out->len;
    ewsfile_tlv_u8(out, EWSFILE_T_FORMAT, f->format);
    ewsfile_tlv_u32(out, EWSFILE_T_SESSION, s->id);
    guint8 tuple[1 + 32 + 4];
    tuple[0] = s->family;
    memcpy(tuple + 1, s->client, alen);
    memcpy(tuple + 1 + alen, s->server, alen);
    tuple[1 + 2 * alen] = s->client_port >> 8;
    tuple[2 + 2 * alen] = s->client_port & 0xff;
    tuple[3 + 2 * alen] = s->server_port >> 8;
    tuple[4 + 2 * alen] = s->server_port & 0xff;
    ewsfile_tlv(out, EWSFILE_T_TUPLE, tuple, 5 + 2 * alen);
    if (p->full_meta) {
        ewsfile_tlv_u8(out, EWSFILE_T_END_KIND, (guint8)s->end);
        if (s->addr_made_up)
            ewsfile_tlv_u8(out, EWSFILE_T_ADDR_MADE_UP, 1);
        g_byte_array_append(out, s->meta->data, s->meta->len);
    }
    put16(out, EWSFILE_T_END);
    put16(out, 0);
    guint32 tlv_len = GUINT32_TO_BE(out->len - tlv0);
    memcpy(out->data + hdr + 8, &tlv_len, 4);

    if (p->role == EWSFILE_ROLE_NOTE)
        return;

    /* Ethernet */
    guint8 mac_c[6] = { 0x02, 0xe5, 0xf0, 0, 0, 1 }, mac_s[6] = { 0x02, 0xe5, 0xf0, 0, 0, 2 };
    g_byte_array_append(out, p->from_server ? mac_c : mac_s, 6);
    g_byte_array_append(out, p->from_server ? mac_s : mac_c, 6);
    put16(out, s->family == 6 ? 0x86dd : 0x0800);

    /* IP */
    guint tcp_len = 20 + p->payload_len;
    guint ip = out->len;
    if (s->family == 6) {
        put32(out, 0x60000000u);
        put16(out, (guint16)tcp_len);
        guint8 nh[2] = { 6, 64 };
        g_byte_array_append(out, nh, 2);
    } else {
        guint8 v[2] = { 0x45, 0 };
        g_byte_array_append(out, v, 2);
        put16(out, (guint16)(20 + tcp_len));
        put16(out, (guint16)i);              /* identification */
        put16(out, 0x4000);                  /* don't fragment */
        guint8 tp[2] = { p->from_server ? 128 : 64, 6 };
        g_byte_array_append(out, tp, 2);
        put16(out, 0);                       /* checksum, below */
    }
    g_byte_array_append(out, src, alen);
    g_byte_array_append(out, dst, alen);
    if (s->family == 4) {
        guint16 ck = fold(sum16(out->data + ip, 20, 0));
        out->data[ip + 10] = ck >> 8;
        out->data[ip + 11] = ck & 0xff;
    }

    /* TCP */
    guint tcp = out->len;
    put16(out, sport);
    put16(out, dport);
    put32(out, p->seq);
    put32(out, p->ack);
    guint8 of[2] = { 5 << 4, p->tcp_flags };
    g_byte_array_append(out, of, 2);
    put16(out, (p->tcp_flags & TCP_RST) ? 0 : 64240);
    put16(out, 0);                           /* checksum, below */
    put16(out, 0);
    if (p->payload_len)
        g_byte_array_append(out, p->payload, p->payload_len);
    guint32 acc = sum16(src, alen, 0);
    acc = sum16(dst, alen, acc);
    acc += 6 + tcp_len;
    guint16 ck = fold(sum16(out->data + tcp, tcp_len, acc));
    out->data[tcp + 16] = ck >> 8;
    out->data[tcp + 17] = ck & 0xff;
}

/* ---- HTTP text ---- */

static gsize
header_block_len(const guint8 *m, gsize len)
{
    for (gsize i = 0; i + 1 < len; i++) {
        if (m[i] == '\n' && (m[i + 1] == '\n' || (m[i + 1] == '\r' && i + 2 < len && m[i + 2] == '\n')))
            return i + 1;
    }
    return len;
}

char *
ewsfile_http_header(const GByteArray *msg, const char *name)
{
    if (!msg || !msg->len)
        return NULL;
    gsize hl = header_block_len(msg->data, msg->len), nl = strlen(name);
    const guint8 *p = msg->data, *end = msg->data + hl;
    p = memchr(p, '\n', hl);                 /* skip the first line */
    while (p && ++p < end) {
        const guint8 *eol = memchr(p, '\n', (gsize)(end - p));
        gsize ll = (gsize)((eol ? eol : end) - p);
        if (ll > nl && p[nl] == ':' && g_ascii_strncasecmp((const char *)p, name, nl) == 0) {
            const guint8 *v = p + nl + 1, *ve = p + ll;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                ve--;
            return g_strndup((const char *)v, (gsize)(ve - v));
        }
        p = eol;
    }
    return NULL;
}

char *
ewsfile_http_first_line(const GByteArray *msg)
{
    if (!msg || !msg->len)
        return NULL;
    const guint8 *eol = memchr(msg->data, '\n', MIN(msg->len, 65536));
    gsize n = eol ? (gsize)(eol - msg->data) : MIN(msg->len, 65536);
    while (n && msg->data[n - 1] == '\r')
        n--;
    return g_utf8_make_valid((const char *)msg->data, (gssize)n);
}
