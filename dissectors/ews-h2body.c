/* ews-h2body.c
 * HTTP/2 bodies whose stream never ends. Wireshark 4.0's HTTP/2 dissector hands a body on
 * only when END_STREAM arrives; a response reset with RST_STREAM after its last byte, or a
 * capture that stops before the final empty DATA frame, is never decoded. Run by the ews
 * post-dissector (ews-post.c), this follows each stream's DATA itself (first pass only:
 * HTTP/2's fields are primed then), and once a message's declared content-length has arrived without
 * END_STREAM — or an RST_STREAM ends a message that declared none — it hands the body to
 * the EWS media hook, on this and every later pass. A message completed that way is not
 * decoded a second time if END_STREAM does come later.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-h2body.h"

#include <string.h>
#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/dissectors/packet-http.h>
#include <wsutil/str_util.h>

#include "packet-ews.h"
#include "ews-fields.h"
#include "ews-keys.h"

enum { H2_DATA = 0, H2_HEADERS = 1, H2_RST_STREAM = 3, H2_CONTINUATION = 9 };

typedef enum { W_STREAM, W_TYPE, W_STREAMID, W_END_STREAM, W_DATA, W_HNAME, W_HVALUE, W__COUNT } h2_wanted_t;
static const char *const h2_names[W__COUNT] = {
    "http2.stream", "http2.type", "http2.streamid", "http2.flags.end_stream", "http2.data.data",
    "http2.header.name", "http2.header.value",
};
static int h2_hf[W__COUNT];

/* One message (one direction of one stream) being followed. */
typedef struct {
    gboolean     body_expected;   /* a media type the hook looks at, not yet ended or handed on */
    gboolean     has_length;
    guint64      length;
    const char  *media, *params;
    wmem_array_t *bytes;          /* file scope, at most ews_prefs.max_body */
    guint32      first_data;
} h2msg_t;

/* A body completed in a frame, handed to the hook on every pass. */
typedef struct {
    guint32      stream_id;
    const char  *media, *params;
    const guint8 *bytes;
    guint        len;
    guint32      first_data;
    gboolean     by_reset;        /* RST_STREAM ended a message that declared no length */
} h2body_t;

static wmem_map_t *messages;      /* "conv/stream/direction" -> h2msg_t */
static wmem_map_t *completed;     /* same key -> frame number where the body was handed on */

/* What one HTTP/2 frame in the tree says. */
typedef struct {
    guint32      type, stream_id;
    gboolean     end_stream;
    const guint8 *data;
    guint        data_len;
    const char  *media, *params, *encoding, *length;
    gboolean     starts;          /* HEADERS with :status or :method: a new message */
} h2frame_t;

static void
read_frame_fields(proto_node *n, h2frame_t *f, const char **pending_name, guint depth)
{
    for (proto_node *c = n->first_child; c && depth < 16; c = c->next) {
        field_info *fi = PNODE_FINFO(c);
        if (fi && fi->hfinfo) {
            int id = fi->hfinfo->id;
            if (id == h2_hf[W_TYPE])
                f->type = fvalue_get_uinteger(&fi->value);
            else if (id == h2_hf[W_STREAMID])
                f->stream_id = fvalue_get_uinteger(&fi->value);
            else if (id == h2_hf[W_END_STREAM])
                f->end_stream = fvalue_get_uinteger64(&fi->value) != 0;
            else if (id == h2_hf[W_DATA] && !f->data) {
                f->data = fvalue_get_bytes(&fi->value);
                f->data_len = (guint)fi->length;
            } else if (id == h2_hf[W_HNAME])
                *pending_name = fvalue_get_string(&fi->value);
            else if (id == h2_hf[W_HVALUE] && *pending_name) {
                const char *name = *pending_name, *value = fvalue_get_string(&fi->value);
                *pending_name = NULL;
                if (strcmp(name, ":status") == 0 || strcmp(name, ":method") == 0)
                    f->starts = TRUE;
                else if (strcmp(name, "content-type") == 0)
                    f->media = value;
                else if (strcmp(name, "content-length") == 0)
                    f->length = value;
                else if (strcmp(name, "content-encoding") == 0)
                    f->encoding = value;
            }
        }
        read_frame_fields(c, f, pending_name, depth + 1);
    }
}

/* Every http2.stream item below n, in wire order (interleaved streams included). */
static void
collect_frames(proto_node *n, wmem_array_t *frames, guint depth)
{
    for (proto_node *c = n->first_child; c && depth < 32; c = c->next) {
        field_info *fi = PNODE_FINFO(c);
        if (fi && fi->hfinfo && fi->hfinfo->id == h2_hf[W_STREAM]) {
            h2frame_t f;
            const char *pending_name = NULL;
            memset(&f, 0, sizeof(f));
            f.type = G_MAXUINT32;
            read_frame_fields(c, &f, &pending_name, 0);
            wmem_array_append_one(frames, f);
            continue;
        }
        collect_frames(c, frames, depth + 1);
    }
}

static char *
message_key(packet_info *pinfo, guint32 stream_id)
{
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    int dir = cmp_address(&pinfo->src, &pinfo->dst);
    if (dir == 0)
        dir = pinfo->srcport < pinfo->destport ? -1 : 1;
    return wmem_strdup_printf(pinfo->pool, "%u/%u/%c", conv ? conv->conv_index : 0, stream_id, dir < 0 ? 'a' : 'b');
}

/* Media types the EWS hook looks at (it passes every other body on untouched). */
static gboolean
hook_media(const char *media)
{
    return media && (g_ascii_strcasecmp(media, "text/xml") == 0 || g_ascii_strcasecmp(media, "application/soap+xml") == 0 ||
                     g_ascii_strcasecmp(media, "application/xml") == 0 || g_ascii_strcasecmp(media, "application/json") == 0);
}

/* Stop following a message that is not ours to complete: its bytes are not kept. */
static void
drop_message(h2msg_t *m)
{
    m->body_expected = FALSE;
    if (m->bytes) {
        wmem_destroy_array(m->bytes);
        m->bytes = NULL;
    }
}

static void
start_message(packet_info *pinfo, const char *key, const h2frame_t *f)
{
    h2msg_t *m = wmem_new0(wmem_file_scope(), h2msg_t);
    if (f->media) {
        /* "text/xml; charset=utf-8" -> type "text/xml", parameters "charset=utf-8" */
        gsize n = strcspn(f->media, "; \t");
        m->media = wmem_ascii_strdown(wmem_file_scope(), f->media, (gssize)n);
        const char *p = f->media + n;
        while (*p == ';' || *p == ' ' || *p == '\t')
            p++;
        m->params = *p ? wmem_strdup(wmem_file_scope(), p) : NULL;
    }
    guint64 len;
    m->has_length = f->length && g_ascii_string_to_unsigned(f->length, 10, 0, G_MAXUINT32, &len, NULL);
    m->length = m->has_length ? len : 0;
    /* compressed bodies are left to HTTP/2's own hand-off: the raw DATA here is still encoded */
    gboolean encoded = f->encoding && g_ascii_strcasecmp(f->encoding, "identity") != 0;
    m->body_expected = hook_media(m->media) && !encoded && !f->end_stream &&
                       (!m->has_length || (m->length > 0 && m->length <= ews_prefs.max_body));
    m->bytes = m->body_expected ? wmem_array_new(wmem_file_scope(), 1) : NULL;
    wmem_map_insert(messages, wmem_strdup(wmem_file_scope(), key), m);
}

static void
complete(packet_info *pinfo, const char *key, h2msg_t *m, guint32 stream_id, gboolean by_reset, wmem_list_t **out)
{
    h2body_t *b = wmem_new0(wmem_file_scope(), h2body_t);
    b->stream_id = stream_id;
    b->media = m->media;
    b->params = m->params;
    b->len = wmem_array_get_count(m->bytes);
    b->bytes = (const guint8 *)wmem_array_get_raw(m->bytes);
    b->first_data = m->first_data;
    b->by_reset = by_reset;
    m->body_expected = FALSE;
    m->bytes = NULL;   /* the body owns them now (file scope) */
    wmem_map_insert(completed, wmem_strdup(wmem_file_scope(), key), GUINT_TO_POINTER(pinfo->num));
    if (!*out)
        *out = wmem_list_new(wmem_file_scope());
    wmem_list_append(*out, b);
}

static wmem_list_t *
first_pass(packet_info *pinfo, proto_tree *tree)
{
    wmem_array_t *frames = wmem_array_new(pinfo->pool, sizeof(h2frame_t));
    collect_frames(tree, frames, 0);
    wmem_list_t *done = NULL;
    for (guint i = 0; i < wmem_array_get_count(frames); i++) {
        const h2frame_t *f = (const h2frame_t *)wmem_array_index(frames, i);
        if (f->stream_id == 0 || (f->type != H2_DATA && f->type != H2_HEADERS && f->type != H2_RST_STREAM))
            continue;
        const char *key = message_key(pinfo, f->stream_id);
        h2msg_t *m = (h2msg_t *)wmem_map_lookup(messages, key);
        if (f->type == H2_HEADERS) {
            if (f->starts)
                start_message(pinfo, key, f);
            else if (m && f->end_stream)
                drop_message(m);            /* trailers end it: HTTP/2 hands the body on itself */
            continue;
        }
        if (f->type == H2_RST_STREAM) {
            /* a reset ends both directions: a message with no declared length is whole now */
            const char *other = message_key(pinfo, f->stream_id);
            char *swapped = wmem_strdup(pinfo->pool, other);
            swapped[strlen(swapped) - 1] = other[strlen(other) - 1] == 'a' ? 'b' : 'a';
            const char *keys[2] = { key, swapped };
            for (int k = 0; k < 2; k++) {
                h2msg_t *mm = (h2msg_t *)wmem_map_lookup(messages, keys[k]);
                if (mm && mm->body_expected && !mm->has_length && wmem_array_get_count(mm->bytes) > 0)
                    complete(pinfo, keys[k], mm, f->stream_id, TRUE, &done);
                else if (mm)
                    drop_message(mm);
            }
            continue;
        }
        if (!m || !m->body_expected)
            continue;
        if (f->end_stream) {
            drop_message(m);                 /* HTTP/2 hands this one on itself */
            continue;
        }
        if (f->data && f->data_len) {
            if (!m->first_data)
                m->first_data = pinfo->num;
            guint have = wmem_array_get_count(m->bytes);
            if ((guint64)have + f->data_len > (m->has_length ? m->length : ews_prefs.max_body)) {
                drop_message(m);             /* more than it declared, or than we keep: not ours to judge */
                continue;
            }
            wmem_array_append(m->bytes, f->data, f->data_len);
            if (m->has_length && (guint64)wmem_array_get_count(m->bytes) == m->length)
                complete(pinfo, key, m, f->stream_id, FALSE, &done);
        }
    }
    return done;
}

gboolean
ews_h2body_completed_earlier(packet_info *pinfo, guint32 stream_id)
{
    if (!completed || stream_id == 0)
        return FALSE;
    guint32 frame = GPOINTER_TO_UINT(wmem_map_lookup(completed, message_key(pinfo, stream_id)));
    return frame != 0 && frame < pinfo->num;
}

void
ews_h2body_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    wmem_list_t *bodies = (wmem_list_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_ews, EWS_KEY_H2_BODIES);
    if (!PINFO_FD_VISITED(pinfo) && tree) {
        bodies = first_pass(pinfo, tree);
        if (bodies)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_ews, EWS_KEY_H2_BODIES, bodies);
    }
    for (wmem_list_frame_t *lf = bodies ? wmem_list_head(bodies) : NULL; lf; lf = wmem_list_frame_next(lf)) {
        const h2body_t *b = (const h2body_t *)wmem_list_frame_data(lf);
        tvbuff_t *btvb = tvb_new_child_real_data(tvb, b->bytes, b->len, b->len);
        add_new_data_source(pinfo, btvb, "HTTP/2 body without END_STREAM");
        proto_item *ti = proto_tree_add_uint(tree, hf_ews_h2_completed, btvb, 0, 0, b->stream_id);
        proto_item_set_generated(ti);
        proto_item_append_text(ti, " (%u bytes from frame %u on, %s)", b->len, b->first_data,
                               b->by_reset ? "ended by RST_STREAM, no content-length" : "content-length reached, no END_STREAM");
        expert_add_info_format(pinfo, ti, &ei_ews_h2_completed,
                               "HTTP/2 stream %u: body of %u bytes decoded without END_STREAM (%s)", b->stream_id, b->len,
                               b->by_reset ? "the stream was reset; no content-length to check it against" : "its content-length has arrived");
        col_append_str(pinfo->cinfo, COL_INFO, " ");
        http_message_info_t hmi = { HTTP_OTHERS, (char *)b->params, NULL, NULL };
        const char *saved_match = pinfo->match_string;
        pinfo->match_string = b->media;
        p_add_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_H2_STREAM, GUINT_TO_POINTER(b->stream_id));
        dissect_ews_media(btvb, pinfo, tree, &hmi);
        p_remove_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_H2_STREAM);
        pinfo->match_string = saved_match;
    }
}

void
ews_h2body_wanted(GArray *wanted)
{
    for (int i = 0; i < W__COUNT; i++) {
        if (h2_hf[i] > 0)
            g_array_append_val(wanted, h2_hf[i]);
    }
}

void
ews_h2body_register(void)
{
    messages = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
    completed = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
}

void
ews_h2body_handoff(void)
{
    for (int i = 0; i < W__COUNT; i++)
        h2_hf[i] = proto_registrar_get_id_byname(h2_names[i]);
}
