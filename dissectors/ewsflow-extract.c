/* ewsflow-extract.c
 * The fields the routing post-dissector reads, named in one table and primed, and what one
 * frame says in them (transum's extractors.c is the model). Everything read is copied into
 * pinfo->pool: the tracker never sees a tree or a tvb.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-extract.h"

#include <stddef.h>
#include <string.h>
#include <epan/conversation.h>
#include <epan/proto_data.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <epan/ftypes/ftypes.h>
#include <epan/to_str.h>
#include <epan/dissectors/packet-tcp.h>

typedef enum {
    F_HTTP_METHOD, F_HTTP_URI, F_HTTP_LINE, F_HTTP_RESPONSE_CODE, F_HTTP_RESPONSE_LINE,
    F_HTTP2_HEADER_NAME, F_HTTP2_HEADER_VALUE, F_TLS_CONTENT_TYPE,
    F_TLS_OPAQUE_TYPE, F_TLS_HS_TYPE, F_TLS_SNI, F_TLS_ALPN, F_TLS_ALERT, F_TLS_SUPPORTED_VERSION, F_TLS_HS_VERSION,
    F__COUNT
} wanted_t;

/* No TCP field on purpose: a frame in which a primed field appears gets a hash table of field
 * arrays that epan builds and frees, and every TCP segment of every connection would, most of
 * them traffic this plugin has no business with. What TCP says of a segment comes from its tap
 * (tcp_tapped). */
static const char *const wanted_names[F__COUNT] = {
    "http.request.method", "http.request.uri", "http.request.line", "http.response.code", "http.response.line",
    "http2.header.name", "http2.header.value", "tls.record.content_type",
    "tls.record.opaque_type", "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
    "tls.alert_message.desc", "tls.handshake.extensions.supported_version", "tls.handshake.version",
};
static int wanted_hf[F__COUNT];
static int proto_tcp = -1, proto_tls = -1, proto_http = -1, proto_http2 = -1, proto_icmp = -1, proto_icmpv6 = -1;
static int tcp_tap = -1;

#define MAX_PARTIAL_HEAD 16384   /* bytes of a request's first segment read for its headers */

void
ewsflow_extract_handoff(void)
{
    for (int i = 0; i < F__COUNT; i++)
        wanted_hf[i] = proto_registrar_get_id_byname(wanted_names[i]);
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_tls = proto_get_id_by_filter_name("tls");
    proto_http = proto_get_id_by_filter_name("http");
    proto_http2 = proto_get_id_by_filter_name("http2");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    /* TCP queues its summary of each segment (tcp_info_t) only while some tap listener exists:
     * this one, with nothing to do per packet, keeps it queued where the routing post-dissector
     * reads it. A dissector helper: it makes tshark dissect nothing it would not anyway. */
    GString *err = register_tap_listener("tcp", &tcp_tap, NULL, TL_IS_DISSECTOR_HELPER, NULL, NULL, NULL, NULL);
    if (err)
        g_string_free(err, TRUE);
    else
        tcp_tap = find_tap_id("tcp");
}

GArray *
ewsflow_extract_wanted(void)
{
    GArray *wanted = g_array_sized_new(FALSE, FALSE, sizeof(int), F__COUNT);
    for (int i = 0; i < F__COUNT; i++) {
        if (wanted_hf[i] > 0)
            g_array_append_val(wanted, wanted_hf[i]);
    }
    return wanted;
}

static GPtrArray *
finfos(proto_tree *tree, wanted_t w)
{
    return wanted_hf[w] > 0 ? proto_get_finfo_ptr_array(tree, wanted_hf[w]) : NULL;
}

/* Which of the layers whose fields are read this frame has: a field is looked up only where
 * its protocol ran (each lookup is a hash lookup, on every TCP segment). */
typedef struct {
    gboolean http, http2, tls;
    int      tcp;    /* the first TCP layer's number (pinfo->curr_layer_num when TCP ran), or 0 */
    gboolean icmp;   /* an ICMP error quoting a segment, before TCP */
} layers_t;

static void
frame_layers(packet_info *pinfo, layers_t *l)
{
    memset(l, 0, sizeof(*l));
    int n = 0;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        n++;
        if (id <= 0)
            continue;
        if (id == proto_tcp && !l->tcp)
            l->tcp = n;
        l->icmp |= !l->tcp && (id == proto_icmp || id == proto_icmpv6);
        l->http |= id == proto_http;
        l->http2 |= id == proto_http2;
        l->tls |= id == proto_tls;
    }
}

/* Whether the IP header of `ver` (4 or 6) that carries this segment starts at `ip`: its version,
 * its protocol and both addresses must be the ones the IP layer put in pinfo. */
static gboolean
ip_header_at(packet_info *pinfo, tvbuff_t *ds, gint ip, int ver, guint hdr_len)
{
    guint alen = ver == 4 ? 4 : 16, aoff = ver == 4 ? 12 : 8, proto_off = ver == 4 ? 9 : 6;
    if (ip < 0 || !tvb_bytes_exist(ds, ip, (gint)hdr_len) || tvb_get_guint8(ds, ip + proto_off) != 6 ||
        (guint)pinfo->net_src.len != alen || (guint)pinfo->net_dst.len != alen)
        return FALSE;
    guint8 first = tvb_get_guint8(ds, ip);
    if (ver == 4 ? first != (0x40 | (hdr_len / 4)) : (first >> 4) != 6)
        return FALSE;
    return tvb_memeql(ds, ip + aoff, (const guint8 *)pinfo->net_src.data, alen) == 0 &&
           tvb_memeql(ds, ip + aoff + alen, (const guint8 *)pinfo->net_dst.data, alen) == 0;
}

/* The segment's payload length, as TCP computes it (the IP payload less the TCP header), on a
 * pass without TCP's tap data: from the IPv4 or IPv6 header right in front of the TCP header,
 * recognised by its addresses. Anything else (IPv6 extension headers, TCP in reassembled IP
 * fragments, a TSO length of 0) falls back to the end of the data source, which holds exactly
 * the segment there. Ethernet padding only follows short IPv4 frames, which the first case
 * reads exactly. */
static guint32
tcp_segment_length(packet_info *pinfo, tvbuff_t *ds, gint tcp, gint payload)
{
    guint hlen = (guint)(payload - tcp);
    if (pinfo->net_src.type == AT_IPv4) {
        for (guint ihl = 20; ihl <= 60; ihl += 4) {
            if (!ip_header_at(pinfo, ds, tcp - (gint)ihl, 4, ihl))
                continue;
            guint total = tvb_get_ntohs(ds, tcp - (gint)ihl + 2);
            if (total >= ihl + hlen)
                return total - ihl - hlen;
            break;
        }
    } else if (pinfo->net_src.type == AT_IPv6 && ip_header_at(pinfo, ds, tcp - 40, 6, 40)) {
        guint plen = tvb_get_ntohs(ds, tcp - 40 + 4);
        if (plen >= hlen)
            return plen - hlen;
    }
    gint rest = tvb_reported_length_remaining(ds, payload);
    return rest > 0 ? (guint32)rest : 0;
}

/* Where the segment's TCP header and its payload start: under the tree item TCP keeps in its
 * per-packet data (a protocol item on the top of the tree, so a real one even in a tree nobody
 * sees). */
static gboolean
tcp_header_bytes(packet_info *pinfo, int tcp_layer, tvbuff_t **ds, gint *start, gint *payload)
{
    proto_tree *tcp_tree = (proto_tree *)p_get_proto_data(pinfo->pool, pinfo, proto_tcp, tcp_layer);
    field_info *fi = tcp_tree ? PTREE_FINFO(tcp_tree) : NULL;
    if (!fi || !fi->hfinfo || fi->hfinfo->id != proto_tcp || !fi->ds_tvb || !tvb_bytes_exist(fi->ds_tvb, fi->start, 20))
        return FALSE;
    *ds = fi->ds_tvb;
    *start = fi->start;
    *payload = fi->start + (tvb_get_guint8(fi->ds_tvb, fi->start + 12) >> 4) * 4;
    return TRUE;
}

/* What TCP says of the segment, from the summary it queues for its tap: stream, ports, RST,
 * FIN, its length. FALSE for a header TCP could not measure: an ICMP error's quoted one, a
 * short segment, an IP fragment. */
static gboolean
tcp_tapped(const tcp_info_t *th, ewsflow_wire_t *w)
{
    if (!th->th_have_seglen)
        return FALSE;
    w->stream = th->th_stream;
    w->srcport = th->th_sport;
    w->dstport = th->th_dport;
    w->reset = (th->th_flags & TH_RST) != 0;
    w->fin = (th->th_flags & TH_FIN) != 0;
    w->tcp_len = th->th_seglen;
    return TRUE;
}

/* The same on a pass that runs no taps (tshark -2's first, sharkd's): from the header's bytes,
 * and the stream from TCP's conversation. */
static gboolean
tcp_untapped(packet_info *pinfo, const layers_t *layers, ewsflow_wire_t *w, tvbuff_t **ds, gint *payload)
{
    gint start;
    if (!layers->tcp || layers->icmp)
        return FALSE;
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    const struct tcp_analysis *tcpd = conv ? (const struct tcp_analysis *)conversation_get_proto_data(conv, proto_tcp) : NULL;
    if (!tcpd || !tcp_header_bytes(pinfo, layers->tcp, ds, &start, payload))
        return FALSE;
    w->stream = tcpd->stream;
    w->srcport = tvb_get_ntohs(*ds, start);
    w->dstport = tvb_get_ntohs(*ds, start + 2);
    guint8 flags = tvb_get_guint8(*ds, start + 13);
    w->reset = (flags & TH_RST) != 0;
    w->fin = (flags & TH_FIN) != 0;
    w->tcp_len = tcp_segment_length(pinfo, *ds, start, *payload);
    return TRUE;
}

/* Whether the bytes at `offset` begin a request line; looked at in place, so that only a
 * request's head is ever copied (this runs on every TCP segment without an HTTP request). */
static gboolean
starts_request(tvbuff_t *tvb, gint offset, guint len)
{
    return len > 5 && (tvb_memeql(tvb, offset, (const guint8 *)"POST ", 5) == 0 ||
                       tvb_memeql(tvb, offset, (const guint8 *)"GET ", 4) == 0);
}

/* The first bytes of a request HTTP never completed (its body was never sent: Expect:
 * 100-continue, or cut off): the TCP payload, or TLS's decrypted data. */
static const guint8 *
request_start_bytes(packet_info *pinfo, const layers_t *layers, tvbuff_t *ds, gint payload, guint tcp_len, guint *len)
{
    gint start;
    if (!ds && tcp_len > 5)
        (void)tcp_header_bytes(pinfo, layers->tcp, &ds, &start, &payload);   /* ds stays NULL where it is not found */
    if (ds && tcp_len > 5 && tvb_bytes_exist(ds, payload, (gint)MIN(tcp_len, MAX_PARTIAL_HEAD)) &&
        starts_request(ds, payload, tcp_len)) {
        *len = MIN(tcp_len, MAX_PARTIAL_HEAD);
        return (const guint8 *)tvb_memdup(pinfo->pool, ds, payload, *len);
    }
    if (!layers->tls || !pinfo->data_src || !pinfo->data_src->next)
        return NULL;   /* only TLS leaves decrypted sources to look at (the frame's own is always there) */
    for (GSList *s = pinfo->data_src; s; s = s->next) {
        struct data_source *src = (struct data_source *)s->data;
        tvbuff_t *t = get_data_source_tvb(src);
        guint n = MIN(tvb_captured_length(t), MAX_PARTIAL_HEAD);
        if (!starts_request(t, 0, n))
            continue;   /* the bytes first: a source's name is formatted anew on every call */
        char *name = get_data_source_name(src);
        gboolean decrypted = name && g_str_has_prefix(name, "Decrypted TLS");
        wmem_free(NULL, name);
        if (decrypted) {
            *len = n;
            return (const guint8 *)tvb_memdup(pinfo->pool, t, 0, n);
        }
    }
    return NULL;
}

/* What a TLS segment shows without keys: handshake messages, SNI, ALPN, the version chosen,
 * alerts, and how many records carry (encrypted) application data. */
static void
extract_tls(packet_info *pinfo, proto_tree *tree, ewsflow_wire_t *w, guint plain_headers)
{
    GPtrArray *a = finfos(tree, F_TLS_OPAQUE_TYPE);
    for (guint i = 0; a && i < a->len; i++) {
        if (fvalue_get_uinteger(&((field_info *)a->pdata[i])->value) == 23)
            w->tls_opaque_records++;
    }
    /* TLS 1.2 application data records are plaintext-typed: content type 23, not decrypted */
    if (w->tls_app_data && !w->tls_opaque_records)
        w->tls_plain_app_records = 1;
    /* each record's length, when every record of the segment is encrypted: read from the
     * record header the opaque type starts (type, version, length), not primed (one more
     * field present on every record of every TLS connection) */
    for (guint i = 0; a && !plain_headers && i < a->len && w->tls_n_rec_len < G_N_ELEMENTS(w->tls_rec_len); i++) {
        field_info *fi = (field_info *)a->pdata[i];
        if (fvalue_get_uinteger(&fi->value) == 23 && fi->ds_tvb && tvb_bytes_exist(fi->ds_tvb, fi->start, 5))
            w->tls_rec_len[w->tls_n_rec_len++] = tvb_get_ntohs(fi->ds_tvb, fi->start + 3);
    }
    a = finfos(tree, F_TLS_HS_TYPE);
    for (guint i = 0; a && i < a->len; i++) {
        switch (fvalue_get_uinteger(&((field_info *)a->pdata[i])->value)) {
        case 1: w->tls_client_hello = TRUE; break;
        case 2: w->tls_server_hello = TRUE; break;
        case 11: w->tls_certificate = TRUE; break;
        default: break;
        }
    }
    a = finfos(tree, F_TLS_SNI);
    if (a && a->len)
        w->tls_sni = wmem_strdup(pinfo->pool, fvalue_get_string(&((field_info *)a->pdata[0])->value));
    a = finfos(tree, F_TLS_ALPN);
    if (a && a->len && w->tls_server_hello)   /* the protocol the server chose */
        w->tls_alpn = wmem_strdup(pinfo->pool, fvalue_get_string(&((field_info *)a->pdata[0])->value));
    w->tls_alert = -1;
    a = finfos(tree, F_TLS_ALERT);
    if (a && a->len)
        w->tls_alert = (int)fvalue_get_uinteger(&((field_info *)a->pdata[0])->value);
    if (w->tls_server_hello) {
        a = finfos(tree, F_TLS_SUPPORTED_VERSION);   /* TLS 1.3 says its version here */
        GPtrArray *v = a && a->len ? a : finfos(tree, F_TLS_HS_VERSION);
        if (v && v->len)
            w->tls_version = (guint16)fvalue_get_uinteger(&((field_info *)v->pdata[v->len - 1])->value);
    }
    if (w->tls_client_hello) {
        w->src_addr = address_to_str(pinfo->pool, &pinfo->net_src);
        w->dst_addr = address_to_str(pinfo->pool, &pinfo->net_dst);
    }
}

/* A request line and its complete header lines, from raw bytes. */
static ews_http_request_t *
parse_partial(packet_info *pinfo, const guint8 *p, guint len)
{
    const guint8 *eol = memchr(p, '\n', len);
    if (!eol)
        return NULL;
    gchar **parts = g_strsplit(wmem_strndup(pinfo->pool, (const char *)p, (gsize)(eol - p)), " ", 3);
    if (g_strv_length(parts) < 3 || parts[1][0] != '/') {
        g_strfreev(parts);
        return NULL;
    }
    ews_http_request_t *h = wmem_new0(pinfo->pool, ews_http_request_t);
    h->method = wmem_strdup(pinfo->pool, parts[0]);
    h->uri = wmem_strdup(pinfo->pool, parts[1]);
    g_strfreev(parts);
    const guint8 *line = eol + 1, *end = p + len;
    while (line < end) {
        const guint8 *nl = memchr(line, '\n', (gsize)(end - line));
        gsize l = nl ? (gsize)(nl - line) : (gsize)(end - line);
        if (l <= 1 || !nl)
            break;   /* end of headers, or a line cut at the end of the segment */
        ews_http_take_header(pinfo->pool, h, (const char *)line, l);
        line = nl + 1;
    }
    return h;
}

gboolean
ewsflow_extract(packet_info *pinfo, proto_tree *tree, ewsflow_wire_t *w)
{
    tvbuff_t *ds = NULL;
    gint payload = 0;
    layers_t layers;
    memset(w, 0, offsetof(ewsflow_wire_t, tls_rec_len));
    /* Taps are queued on every pass that runs them: tshark's, and Wireshark's first read */
    const tcp_info_t *th = tcp_tap > 0 ? (const tcp_info_t *)fetch_tapped_data(tcp_tap, 0) : NULL;
    if (th) {
        if (!tcp_tapped(th, w))
            return FALSE;
        if (w->tcp_len == 0 && !w->reset && !w->fin)
            return TRUE;   /* a bare ACK (or SYN): nothing more to read, not even the layers */
        frame_layers(pinfo, &layers);
    } else {
        frame_layers(pinfo, &layers);
        if (!tcp_untapped(pinfo, &layers, w, &ds, &payload))
            return FALSE;
        if (w->tcp_len == 0 && !w->reset && !w->fin && !layers.http)
            return TRUE;
    }

    /* HTTP/1.x requests completed in this frame; their header lines follow their method */
    GPtrArray *methods = layers.http ? finfos(tree, F_HTTP_METHOD) : NULL;
    GPtrArray *uris = methods ? finfos(tree, F_HTTP_URI) : NULL, *lines = methods ? finfos(tree, F_HTTP_LINE) : NULL;
    w->n_requests = methods ? methods->len : 0;
    w->requests = w->n_requests ? wmem_alloc0_array(pinfo->pool, ews_http_request_t, w->n_requests) : NULL;
    for (guint i = 0; i < w->n_requests; i++) {
        field_info *mfi = (field_info *)methods->pdata[i];
        field_info *next = i + 1 < w->n_requests ? (field_info *)methods->pdata[i + 1] : NULL;
        ews_http_request_t *h = &w->requests[i];
        h->method = wmem_strdup(pinfo->pool, fvalue_get_string(&mfi->value));
        h->uri = (uris && i < uris->len) ? wmem_strdup(pinfo->pool, fvalue_get_string(&((field_info *)uris->pdata[i])->value)) : NULL;
        for (guint k = 0; lines && k < lines->len; k++) {
            field_info *lfi = (field_info *)lines->pdata[k];
            if (lfi->ds_tvb != mfi->ds_tvb || lfi->start < mfi->start || (next && next->ds_tvb == lfi->ds_tvb && lfi->start > next->start))
                continue;
            const char *v = fvalue_get_string(&lfi->value);
            ews_http_take_header(pinfo->pool, h, v, strlen(v));
        }
    }

    /* responses: status codes in order, and what their headers say about authentication */
    GPtrArray *codes = layers.http ? finfos(tree, F_HTTP_RESPONSE_CODE) : NULL;
    w->n_statuses = codes ? codes->len : 0;
    w->statuses = w->n_statuses ? wmem_alloc_array(pinfo->pool, guint, w->n_statuses) : NULL;
    for (guint i = 0; i < w->n_statuses; i++)
        w->statuses[i] = fvalue_get_uinteger(&((field_info *)codes->pdata[i])->value);
    GPtrArray *rlines = layers.http ? finfos(tree, F_HTTP_RESPONSE_LINE) : NULL;
    for (guint i = 0; rlines && i < rlines->len; i++) {
        const char *v = fvalue_get_string(&((field_info *)rlines->pdata[i])->value);
        if (g_ascii_strncasecmp(v, "WWW-Authenticate:", 17) == 0 && strstr(v, "Bearer"))
            w->challenge = g_strchomp(wmem_strdup(pinfo->pool, v + 17 + strspn(v + 17, " ")));
        else if (g_ascii_strncasecmp(v, "x-ms-diagnostics:", 17) == 0)
            w->diagnostics = g_strchomp(wmem_strdup(pinfo->pool, v + 17 + strspn(v + 17, " ")));
    }

    /* Over TLS, only application data is part of a response (a TLS 1.3 NewSessionTicket after
     * the request is not); records that could not be decrypted say nothing either way. */
    w->tls = layers.tls;
    GPtrArray *ctypes = w->tls ? finfos(tree, F_TLS_CONTENT_TYPE) : NULL;
    guint plain_headers = 0;   /* records with a plaintext type (a decrypted TLS 1.3 record's inner type is generated) */
    for (guint i = 0; ctypes && i < ctypes->len; i++) {
        field_info *fi = (field_info *)ctypes->pdata[i];
        guint32 t = fvalue_get_uinteger(&fi->value);
        if (t == 23)
            w->tls_app_data = TRUE;
        else if (t == 20)
            w->tls_ccs = TRUE;
        plain_headers += !FI_GET_FLAG(fi, FI_GENERATED);
    }
    if (w->tls)
        extract_tls(pinfo, tree, w, plain_headers);

    /* HTTP/2 request header blocks, in order: each starts at its :method pseudo-header */
    GPtrArray *h2n = layers.http2 ? finfos(tree, F_HTTP2_HEADER_NAME) : NULL;
    GPtrArray *h2v = h2n ? finfos(tree, F_HTTP2_HEADER_VALUE) : NULL;
    guint nh = (h2n && h2v) ? MIN(h2n->len, h2v->len) : 0;
    ews_http_request_t *cur = NULL;
    for (guint i = 0; i < nh; i++) {
        const char *name = fvalue_get_string(&((field_info *)h2n->pdata[i])->value);
        const char *value = fvalue_get_string(&((field_info *)h2v->pdata[i])->value);
        if (!name || !value)
            continue;
        if (strcmp(name, ":method") == 0) {
            if (w->n_h2_requests >= G_N_ELEMENTS(w->h2_requests)) {
                cur = NULL;
                continue;
            }
            cur = &w->h2_requests[w->n_h2_requests++];
            memset(cur, 0, sizeof(*cur));
            cur->method = wmem_strdup(pinfo->pool, value);
        } else if (strcmp(name, ":status") == 0) {
            cur = NULL;
        } else if (cur && strcmp(name, ":path") == 0) {
            cur->uri = wmem_strdup(pinfo->pool, value);
        } else if (cur && strcmp(name, ":authority") == 0) {
            cur->host = wmem_strdup(pinfo->pool, value);
        } else if (cur && name[0] != ':') {
            char *line = wmem_strdup_printf(pinfo->pool, "%s: %s", name, value);
            ews_http_take_header(pinfo->pool, cur, line, strlen(line));
        }
    }

    /* a request whose headers were sent but whose body HTTP never completed */
    if (w->n_requests == 0 && w->tcp_len > 0) {
        guint len = 0;
        const guint8 *p = request_start_bytes(pinfo, &layers, ds, payload, w->tcp_len, &len);
        w->starts_request = p != NULL;
        w->partial = p ? parse_partial(pinfo, p, len) : NULL;
    }
    return TRUE;
}
