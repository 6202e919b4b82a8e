/* packet-ews.c
 * EWS GetUserAvailability over HTTP and HTTP/2: decide whether a text/xml body is
 * ours, parse it once, render the decoded items, pair requests and responses,
 * and always hand the body on to Wireshark's XML dissector when anyone looks at it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet-ews.h"

#include <string.h>
#include <epan/expert.h>
#include <epan/tap.h>
#include <epan/proto_data.h>
#include <epan/exceptions.h>
#include <epan/show_exception.h>
#include <epan/dissectors/packet-http.h>
#include <wsutil/str_util.h>

#include "ews-fields.h"
#include "ews-soap-parse.h"
#include "ews-errchain.h"
#include "ews-mergedfb.h"
#include "ews-txn.h"
#include "ews-msginfo.h"
#include "ews-owa-json.h"
#include "ews-intern.h"
#include "ews-keys.h"
#include "ews-h2body.h"

int proto_ews = -1;
int ews_tap = -1;

const value_string ews_op_vals[] = {
    { EWS_OP_GUA,                        "GetUserAvailability" },
    { EWS_OP_GUA_INTERNAL,               "GetUserAvailabilityInternal" },
    { EWS_OP_AUTODISCOVER,               "Autodiscover" },
    { EWS_OP_GET_USER_SETTINGS,          "GetUserSettings" },
    { EWS_OP_GET_DOMAIN_SETTINGS,        "GetDomainSettings" },
    { EWS_OP_GET_FEDERATION_INFORMATION, "GetFederationInformation" },
    { EWS_OP_GET_ORGREL_SETTINGS,        "GetOrganizationRelationshipSettings" },
    { EWS_OP_REQUEST_SECURITY_TOKEN,     "RequestSecurityToken" },
    { 0, NULL }
};
ews_prefs_t ews_prefs = { 16 * 1024 * 1024, 200000, 64, 64, EWS_XML_TREE_AUTO, TRUE };

static dissector_handle_t xml_handle;
static dissector_handle_t json_handle;
static dissector_handle_t ews_handle;
static int proto_xml = -1;
static int proto_json = -1;
static int proto_http = -1;
static int proto_http2 = -1;
static int proto_data = -1;
static int hf_http2_streamid = -1;

#define MAX_INFO_MAILBOXES 3
#define MAX_CHAIN_LEVELS 16
#define MAX_FB_RUNS 512
#define SNIFF_BYTES 65536

static const char GUA[] = "GetUserAvailability";

void
ews_set_chain_handles(dissector_handle_t ews, dissector_handle_t xml, dissector_handle_t json)
{
    ews_handle = ews;
    xml_handle = xml;
    json_handle = json;
}

void
ews_resolve_foreign_fields(void)
{
    proto_xml = proto_get_id_by_filter_name("xml");
    proto_json = proto_get_id_by_filter_name("json");
    proto_http = proto_get_id_by_filter_name("http");
    proto_http2 = proto_get_id_by_filter_name("http2");
    proto_data = proto_get_id_by_filter_name("data");
    hf_http2_streamid = proto_registrar_get_id_byname("http2.streamid");
}

/* ---- what called us -------------------------------------------------------------- */

/* The protocol below us in this frame (HTTP's header map is only valid when it is HTTP).
 * HTTP may leave a "data" layer behind for the first part of a reassembled message, and an
 * earlier body of the same frame (HTTP/2 streams) leaves its ews and xml/json layers. */
static int
caller_proto(packet_info *pinfo)
{
    wmem_list_frame_t *f = wmem_list_tail(pinfo->layers);
    while (f) {
        int p = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (p != proto_ews && p != proto_data && p != proto_xml && p != proto_json)
            break;
        f = wmem_list_frame_prev(f);
    }
    return f ? GPOINTER_TO_INT(wmem_list_frame_data(f)) : -1;
}

static const char *
http_header(const http_message_info_t *hmi, const char *lname)
{
    if (!hmi || !hmi->data)
        return NULL;
    return (const char *)wmem_map_lookup((wmem_map_t *)hmi->data, lname);
}

/* A parameter of the Content-Type (e.g. charset, or SOAP 1.2's action), unquoted. */
static char *
media_param(packet_info *pinfo, const char *params, const char *name)
{
    if (!params)
        return NULL;
    gsize nlen = strlen(name);
    const char *p = params;
    while (*p) {
        while (*p == ';' || *p == ' ' || *p == '\t')
            p++;
        if (g_ascii_strncasecmp(p, name, nlen) == 0 && p[nlen] == '=') {
            const char *v = p + nlen + 1;
            gsize vlen;
            if (*v == '"') {
                v++;
                const char *q = strchr(v, '"');
                vlen = q ? (gsize)(q - v) : strlen(v);
            } else {
                vlen = strcspn(v, "; \t");
            }
            return wmem_strndup(pinfo->pool, v, vlen);
        }
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        p = semi + 1;
    }
    return NULL;
}

static guint32
http2_stream(packet_info *pinfo, proto_tree *tree)
{
    gpointer completed = p_get_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_H2_STREAM);
    if (completed)
        return GPOINTER_TO_UINT(completed);   /* a body ews-h2body.c completed without END_STREAM */
    if (!tree || hf_http2_streamid < 0 || caller_proto(pinfo) != proto_http2)
        return 0;
    guint32 id = 0;
    GPtrArray *a = proto_get_finfo_ptr_array(tree, hf_http2_streamid);
    if (a && a->len) {
        id = fvalue_get_uinteger(&((field_info *)a->pdata[a->len - 1])->value);
    } else if ((a = proto_find_finfo(tree, hf_http2_streamid)) != NULL) {
        if (a->len)
            id = fvalue_get_uinteger(&((field_info *)a->pdata[a->len - 1])->value);
        g_ptr_array_free(a, TRUE);
    }
    return id;
}

/* ---- is this body ours? ---------------------------------------------------------- */

/* Encodings whose bytes a plain substring search cannot see through. */
static gboolean
not_ascii_compatible(const guint8 *p, guint len, const char *charset)
{
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return TRUE;
    if (len >= 2 && (p[0] == 0 || p[1] == 0))
        return TRUE;
    return charset && (g_ascii_strncasecmp(charset, "utf-16", 6) == 0 ||
                       g_ascii_strncasecmp(charset, "utf-32", 6) == 0 ||
                       g_ascii_strncasecmp(charset, "ucs", 3) == 0);
}

static gboolean
contains(const guint8 *p, guint len, const char *needle)
{
    return ws_memmem(p, len, needle, strlen(needle)) != NULL;
}

/* ---- rendering ------------------------------------------------------------------- */

typedef struct {
    tvbuff_t    *tvb;
    packet_info *pinfo;
    guint        len;
    ews_txn_t   *txn;          /* paired transaction (request side for responses) */
    gboolean     schema2013;
    guint        fb_index;
} render_ctx_t;

static void render_children(render_ctx_t *rc, proto_tree *tree, const ews_node_t *node);

static void
node_range(const render_ctx_t *rc, const ews_node_t *n, gint *off, gint *len)
{
    if (n->start >= 0 && n->end > n->start && (guint)n->end <= rc->len) {
        *off = n->start;
        *len = n->end - n->start;
    } else {
        *off = 0;
        *len = 0;
    }
}

static gboolean
parse_bool(const char *v, gboolean *out)
{
    if (g_ascii_strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = TRUE;
        return TRUE;
    }
    if (g_ascii_strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0) {
        *out = FALSE;
        return TRUE;
    }
    return FALSE;
}

/* A decoded value as its field's type. Whether the value fits is decided here, from the value
 * alone: proto_tree_add_* returns NULL (no tree) or a faked item (nobody looks) whatever the
 * value, so what it returns says nothing about the value. */
static proto_item *
add_leaf(render_ctx_t *rc, proto_tree *tree, int hf, const ews_node_t *n)
{
    gint off, len;
    node_range(rc, n, &off, &len);
    const char *v = n->value ? n->value : "";
    gboolean valid = TRUE;
    proto_item *it = NULL;
    switch (proto_registrar_get_ftype(hf)) {
    case FT_UINT32: {
        guint64 u;
        if ((valid = g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT32, &u, NULL)))
            it = proto_tree_add_uint(tree, hf, rc->tvb, off, len, (guint32)u);
        break;
    }
    case FT_INT32: {
        gint64 s;
        if ((valid = g_ascii_string_to_signed(v, 10, G_MININT32, G_MAXINT32, &s, NULL)))
            it = proto_tree_add_int(tree, hf, rc->tvb, off, len, (gint32)s);
        break;
    }
    case FT_BOOLEAN: {
        gboolean b;
        if ((valid = parse_bool(v, &b)))
            it = proto_tree_add_boolean(tree, hf, rc->tvb, off, len, b);
        break;
    }
    default:
        it = proto_tree_add_string(tree, hf, rc->tvb, off, len, v);
        break;
    }
    if (!valid) {
        it = proto_tree_add_string_format(tree, hf_ews_bad_value, rc->tvb, off, len, v, "%s: %s (not a valid %s)",
                                          proto_registrar_get_name(hf), v,
                                          ftype_pretty_name(proto_registrar_get_ftype(hf)));
        expert_add_info_format(rc->pinfo, it, &ei_ews_bad_value, "%s: \"%s\" is not a valid %s",
                               proto_registrar_get_name(hf), v, ftype_pretty_name(proto_registrar_get_ftype(hf)));
    }
    return it;
}

static void
render_error_chain(render_ctx_t *rc, proto_tree *parent, proto_item *it, const ews_node_t *n)
{
    ews_errchain_t ch;
    ews_errchain_split(rc->pinfo->pool, n->value, MAX_CHAIN_LEVELS, &ch);
    if (ch.n_levels == 0)
        return;
    gint off, len;
    node_range(rc, n, &off, &len);
    proto_tree *t = it ? proto_item_add_subtree(it, ett_kind[EK_MESSAGE_TEXT]) : parent;
    proto_item *g;
    if (ch.outer) {
        g = proto_tree_add_string(t, hf_ews_error_outer, rc->tvb, off, len, ch.outer);
        proto_item_set_generated(g);
    }
    if (ch.innermost) {
        g = proto_tree_add_string(t, hf_ews_error_inner, rc->tvb, off, len, ch.innermost);
        proto_item_set_generated(g);
        proto_item_append_text(it, "  [innermost: %s]", ch.innermost);
    }
    if (ch.origin_server) {
        g = proto_tree_add_string(t, hf_ews_error_origin, rc->tvb, off, len, ch.origin_server);
        proto_item_set_generated(g);
    }
    if (ch.n_levels > 1 || ch.outer) {
        proto_tree *lt = proto_tree_add_subtree(t, rc->tvb, off, len, ett_ews_error_chain, NULL, "Exception chain");
        for (guint i = 0; i < ch.n_levels; i++) {
            const ews_exc_level_t *lv = &ch.levels[i];
            g = proto_tree_add_string_format_value(lt, hf_ews_error_level, rc->tvb, off, len,
                                                   lv->type ? lv->type : lv->message, "%s%s%s",
                                                   lv->type ? lv->type : "", lv->type ? ": " : "", lv->message);
            proto_item_set_generated(g);
        }
    }
}

static void
render_merged_fb(render_ctx_t *rc, proto_tree *parent, proto_item *it, const ews_node_t *n)
{
    const char *digits = n->value ? n->value : "";
    gint off, len;
    node_range(rc, n, &off, &len);
    proto_tree *t = it ? proto_item_add_subtree(it, ett_kind[EK_MERGED_FB]) : parent;
    guint nslots = (guint)strlen(digits);
    proto_item *g = proto_tree_add_uint(t, hf_ews_fb_slot_count, rc->tvb, off, len, nslots);
    proto_item_set_generated(g);

    const char *start = rc->txn ? rc->txn->window_start : NULL;
    guint interval = rc->txn && rc->txn->interval ? rc->txn->interval : 0;
    if (rc->txn) {
        g = proto_tree_add_string(t, hf_ews_fb_schema, rc->tvb, off, len,
                                  rc->schema2013 ? "WorkingElsewhere (request schema Exchange 2013 or later)"
                                                 : "NoData (request schema before Exchange 2013)");
        proto_item_set_generated(g);
        /* Exchange's default interval when the request names none */
        if (!interval)
            interval = 30;
        if (start && rc->txn->window_end) {
            ews_time_t st;
            gboolean ok = ews_time_parse(start, &st);
            char *end_probe = ok ? ews_time_format(rc->pinfo->pool, &st, (guint64)nslots * interval) : NULL;
            char *win_end = ews_time_add_minutes(rc->pinfo->pool, rc->txn->window_end, 0);
            char *one_short = ok && nslots ? ews_time_format(rc->pinfo->pool, &st, (guint64)(nslots - 1) * interval) : NULL;
            /* ceil(window / interval) slots: the window must end after slot n-1 starts and no later than slot n ends */
            if (end_probe && win_end && one_short &&
                !(strcmp(one_short, win_end) < 0 && strcmp(win_end, end_probe) <= 0))
                expert_add_info_format(rc->pinfo, it, &ei_ews_fb_length,
                                       "MergedFreeBusy has %u slots of %u minutes from %s; the request window ends %s",
                                       nslots, interval, start, rc->txn->window_end);
        }
    } else {
        expert_add_info(rc->pinfo, it, &ei_ews_no_request);
    }

    ews_time_t base;
    gboolean have_base = ews_time_parse(start, &base);   /* once: each run's times are offsets from it */
    ews_fb_run_t *runs = wmem_alloc_array(rc->pinfo->pool, ews_fb_run_t, MAX_FB_RUNS);
    guint nruns = ews_mergedfb_runs(digits, rc->schema2013, runs, MAX_FB_RUNS);
    for (guint i = 0; i < nruns; i++) {
        const ews_fb_run_t *r = &runs[i];
        const char *state = ews_fb_state_name(r->state);
        char *from = have_base ? ews_time_format(rc->pinfo->pool, &base, (guint64)r->first_slot * interval) : NULL;
        char *to = have_base ? ews_time_format(rc->pinfo->pool, &base, (guint64)(r->first_slot + r->n_slots) * interval) : NULL;
        if (from && to)
            g = proto_tree_add_string_format_value(t, hf_ews_fb_run, rc->tvb, off, len, state,
                                                   "%s to %s: %s (%u slot%s)", from, to, state, r->n_slots,
                                                   plurality(r->n_slots, "", "s"));
        else
            g = proto_tree_add_string_format_value(t, hf_ews_fb_run, rc->tvb, off, len, state,
                                                   "slots %u-%u: %s", r->first_slot,
                                                   r->first_slot + r->n_slots - 1, state);
        proto_item_set_generated(g);
    }
    if (nruns == MAX_FB_RUNS && digits[0])
        expert_add_info_format(rc->pinfo, it, &ei_ews_limit, "Only the first %u runs of slots are listed", MAX_FB_RUNS);
}

/* The ResponseCode that goes with a ResponseClass, by whose result it is. */
static ews_kind_t
result_code_kind(ews_kind_t class_kind)
{
    switch (class_kind) {
    case EK_RESPONSE_CLASS:    return EK_RESPONSE_CODE;
    case EK_SUGG_RESULT_CLASS: return EK_SUGG_RESULT_CODE;
    case EK_OWA_RESULT_CLASS:  return EK_OWA_RESULT_CODE;
    default:                   return EK_NONE;
    }
}

/* MessageXml <Value Name="BackOffMilliseconds">: how long the server asked the caller to wait. */
static gboolean
backoff_ms(const ews_node_t *value, guint32 *ms)
{
    const char *name = ews_node_find_value(value, EK_MSGXML_VALUE_NAME);
    guint64 v;
    if (!name || strcmp(name, "BackOffMilliseconds") != 0 || !value->value ||
        !g_ascii_string_to_unsigned(value->value, 10, 0, G_MAXUINT32, &v, NULL))
        return FALSE;
    *ms = (guint32)v;
    return TRUE;
}

/* The first BackOffMilliseconds below n, or 0. */
static guint32
find_backoff(const ews_node_t *n)
{
    for (const ews_node_t *c = n ? n->first : NULL; c; c = c->next) {
        guint32 ms;
        if (c->kind == EK_MSGXML_VALUE && backoff_ms(c, &ms))
            return ms;
        if ((ms = find_backoff(c)) != 0)
            return ms;
    }
    return 0;
}

static void
render_backoff(render_ctx_t *rc, proto_tree *tree, proto_item *it, const ews_node_t *n)
{
    guint32 ms;
    if (!backoff_ms(n, &ms))
        return;
    gint off, len;
    node_range(rc, n, &off, &len);
    proto_item *g = proto_tree_add_uint(tree, hf_ews_backoff, rc->tvb, off, len, ms);
    proto_item_set_generated(g);
    expert_add_info_format(rc->pinfo, it ? it : g, &ei_ews_backoff, "Throttled: the server asked to back off %u,%03u ms (%.0f s)",
                           ms / 1000, ms % 1000, ms / 1000.0);
}

/* Per-mailbox fields on a response come one per FreeBusyResponse, so that tshark -T fields
 * columns line up: where a response lacks one, an empty generated item stands in. */
static void
add_placeholder(render_ctx_t *rc, proto_tree *tree, const ews_node_t *n, ews_kind_t kind, const char *what)
{
    int hf = hf_kind[kind];
    if (hf < 0)
        return;
    gint off, len;
    node_range(rc, n, &off, &len);
    proto_item *g = proto_tree_add_string_format_value(tree, hf, rc->tvb, off, len, "", "(%s)", what);
    proto_item_set_generated(g);
}

static const char *
wsse_kind(const ews_node_t *wsse)
{
    for (const ews_node_t *c = wsse->first; c; c = c->next) {
        if (c->kind != EK_WSSE_TOKEN || !c->value)
            continue;
        if (strcmp(c->value, "EncryptedData") == 0)
            return "Encrypted token (federation delegation token, SAML encrypted with xmlenc)";
        if (strcmp(c->value, "Assertion") == 0)
            return "SAML assertion";
        if (strcmp(c->value, "BinarySecurityToken") == 0)
            return "Binary security token";
        if (strcmp(c->value, "UsernameToken") == 0)
            return "Username token";
        if (strcmp(c->value, "Signature") == 0)
            return "Timestamp and signature (certificate)";
    }
    return wsse->first ? "Other token" : "Empty Security header";
}

static void
render_container_extras(render_ctx_t *rc, proto_tree *sub, proto_item *it, const ews_node_t *n)
{
    gint off, len;
    node_range(rc, n, &off, &len);
    proto_item *g;
    switch (n->kind) {
    case EK_MAILBOX_DATA: {
        const char *addr = ews_node_find_value(n, EK_EMAIL_ADDRESS);
        const char *att = ews_node_find_value(n, EK_ATTENDEE_TYPE);
        proto_item_append_text(it, ": %s%s%s%s", addr ? addr : "(no address)", att ? " (" : "", att ? att : "",
                               att ? ")" : "");
        break;
    }
    case EK_FB_RESPONSE: {
        guint i = rc->fb_index++;
        g = proto_tree_add_uint(sub, hf_ews_response_index, rc->tvb, off, len, i + 1);
        proto_item_set_generated(g);
        const char *mbx = (rc->txn && i < rc->txn->n_mailboxes) ? rc->txn->mailboxes[i] : NULL;
        if (mbx) {
            g = proto_tree_add_string(sub, hf_kind[EK_EMAIL_ADDRESS], rc->tvb, off, len, mbx);
            proto_item_set_generated(g);
        } else {
            add_placeholder(rc, sub, n, EK_EMAIL_ADDRESS, rc->txn ? "more answers than MailboxData in the request" : "request not in the capture");
        }
        const ews_node_t *rm = ews_node_child(n, EK_RESPONSE_MESSAGE);
        const char *cls = rm ? ews_node_find_value(rm, EK_RESPONSE_CLASS) : NULL;
        const char *code = rm ? ews_node_find_value(rm, EK_RESPONSE_CODE) : NULL;
        if (!cls)
            add_placeholder(rc, sub, n, EK_RESPONSE_CLASS, "no ResponseClass");
        if (!code)
            add_placeholder(rc, sub, n, EK_RESPONSE_CODE, "no ResponseCode");
        if (!ews_node_find(n, EK_FB_VIEW_TYPE))
            add_placeholder(rc, sub, n, EK_FB_VIEW_TYPE, "no FreeBusyViewType");
        proto_item_append_text(it, " %u: %s, %s%s%s%s", i + 1, mbx ? mbx : "(mailbox unknown)", cls ? cls : "?",
                               code ? " (" : "", code ? code : "", code ? ")" : "");
        break;
    }
    case EK_SSC:
        g = proto_tree_add_string(sub, hf_ews_ssc_form, rc->tvb, off, len,
                                  n->ns == EWS_NS_MESSAGES ? "availability proxy (messages namespace)"
                                                           : "EWS server-to-server (types namespace)");
        proto_item_set_generated(g);
        break;
    case EK_WSSE:
        g = proto_tree_add_string(sub, hf_ews_wsse_kind, rc->tvb, off, len, wsse_kind(n));
        proto_item_set_generated(g);
        break;
    case EK_SERVER_VERSION_INFO: {
        const char *maj = ews_node_find_value(n, EK_SVI_MAJOR), *min = ews_node_find_value(n, EK_SVI_MINOR);
        const char *mab = ews_node_find_value(n, EK_SVI_MAJOR_BUILD), *mib = ews_node_find_value(n, EK_SVI_MINOR_BUILD);
        if (maj) {
            char *v = wmem_strdup_printf(rc->pinfo->pool, "%s.%s.%s.%s", maj, min ? min : "?", mab ? mab : "?",
                                         mib ? mib : "?");
            g = proto_tree_add_string(sub, hf_ews_server_version, rc->tvb, off, len, v);
            proto_item_set_generated(g);
            proto_item_append_text(it, ": %s", v);
        }
        break;
    }
    case EK_FAULT: {
        const char *code = ews_node_find_value(n, EK_FAULT_RESPONSE_CODE);
        const char *fcode = ews_node_find_value(n, EK_FAULT_CODE);
        const char *fstr = ews_node_find_value(n, EK_FAULT_STRING);
        expert_add_info_format(rc->pinfo, it, &ei_ews_soap_fault, "SOAP fault %s: %s", code ? code : (fcode ? fcode : "?"),
                               fstr ? fstr : "");
        break;
    }
    default:
        break;
    }
}

static void
render_node(render_ctx_t *rc, proto_tree *tree, const ews_node_t *n)
{
    int hf = hf_kind[n->kind];
    gint ett = ett_kind[n->kind];
    if (hf < 0 && ett < 0) {             /* transparent wrapper */
        render_children(rc, tree, n);
        return;
    }
    proto_item *it;
    gint off, len;
    node_range(rc, n, &off, &len);
    if (n->value) {
        /* with or without a tree: a value that does not fit its type raises an expert info, which
         * the expert tap (Expert Information, tshark -z expert) collects from tree-less passes too */
        it = add_leaf(rc, tree, hf, n);
        if (n->kind == EK_MESSAGE_TEXT)
            render_error_chain(rc, tree, it, n);
        else if (n->kind == EK_MERGED_FB)
            render_merged_fb(rc, tree, it, n);
        else if (n->kind == EK_MSGXML_VALUE)
            render_backoff(rc, tree, it, n);
        else if (result_code_kind(n->kind) != EK_NONE && strcmp(n->value, "Error") == 0) {
            const char *code = ews_node_find_value(n->parent, result_code_kind(n->kind));
            expert_add_info_format(rc->pinfo, it, &ei_ews_response_error, "Availability error%s: %s",
                                   n->kind == EK_SUGG_RESULT_CLASS ? " (suggestions)" : n->kind == EK_OWA_RESULT_CLASS ? " (whole request)" : "",
                                   code ? code : "no ResponseCode");
        }
        else if (result_code_kind(n->kind) != EK_NONE && strcmp(n->value, "Warning") == 0)
            expert_add_info(rc->pinfo, it, &ei_ews_response_warning);
        if (n->first) {
            proto_tree *sub = (it && ett >= 0) ? proto_item_add_subtree(it, ett) : tree;
            render_children(rc, sub, n);
        }
        return;
    }
    if (proto_registrar_get_ftype(hf) == FT_BOOLEAN)
        it = proto_tree_add_boolean(tree, hf, rc->tvb, off, len, TRUE);
    else
        it = proto_tree_add_item(tree, hf, rc->tvb, off, len, ENC_NA);
    proto_tree *sub = ett >= 0 ? proto_item_add_subtree(it, ett) : tree;
    render_children(rc, sub, n);
    render_container_extras(rc, sub, it, n);
}

static void
render_children(render_ctx_t *rc, proto_tree *tree, const ews_node_t *node)
{
    for (const ews_node_t *c = node->first; c; c = c->next)
        render_node(rc, tree, c);
}

/* ---- summaries ------------------------------------------------------------------- */

typedef enum { MSG_NONE, MSG_REQUEST, MSG_RESPONSE, MSG_FAULT } msg_type_t;

/* The SOAP Envelope, or the OWA JSON message that stands for it. */
static const ews_node_t *
doc_envelope(const ews_doc_t *doc)
{
    const ews_node_t *env = ews_node_child(&doc->root, EK_ENVELOPE);
    return env ? env : ews_node_child(&doc->root, EK_JSON_MESSAGE);
}

static const ews_node_t *
soap_body(const ews_doc_t *doc)
{
    return ews_node_child(doc_envelope(doc), EK_BODY);
}

/* The operations this dissector claims: the item that carries each, and its direction. */
static const struct {
    ews_kind_t  kind;
    msg_type_t  mt;
    const char *name;
} operations[] = {
    { EK_GUA_REQUEST,      MSG_REQUEST,  "GetUserAvailability" },
    { EK_GUA_RESPONSE,     MSG_RESPONSE, "GetUserAvailability" },
    { EK_FAULT,            MSG_FAULT,    NULL },
    { EK_AD_REQUEST,       MSG_REQUEST,  "Autodiscover" },
    { EK_AD_RESPONSE,      MSG_RESPONSE, "Autodiscover" },
    { EK_AD_GUS_REQUEST,   MSG_REQUEST,  "GetUserSettings" },
    { EK_AD_GUS_RESPONSE,  MSG_RESPONSE, "GetUserSettings" },
    { EK_AD_GDS_REQUEST,   MSG_REQUEST,  "GetDomainSettings" },
    { EK_AD_GDS_RESPONSE,  MSG_RESPONSE, "GetDomainSettings" },
    { EK_AD_GFI_REQUEST,   MSG_REQUEST,  "GetFederationInformation" },
    { EK_AD_GFI_RESPONSE,  MSG_RESPONSE, "GetFederationInformation" },
    { EK_AD_GORS_REQUEST,  MSG_REQUEST,  "GetOrganizationRelationshipSettings" },
    { EK_AD_GORS_RESPONSE, MSG_RESPONSE, "GetOrganizationRelationshipSettings" },
    { EK_WST_RST,          MSG_REQUEST,  "RequestSecurityToken" },
    { EK_WST_RSTR,         MSG_RESPONSE, "RequestSecurityToken" },
};

/* Words besides GetUserAvailability whose presence makes a body worth parsing. */
static const char *const operation_words[] = {
    "Autodiscover", "autodiscover", "GetUserSettings", "GetDomainSettings",
    "GetFederationInformation", "GetOrganizationRelationshipSettings", "RequestSecurityToken",
};

static msg_type_t
message_type(const ews_doc_t *doc, const ews_node_t **op, const char **opname)
{
    const ews_node_t *body = soap_body(doc);
    if (!body)
        body = ews_node_child(&doc->root, EK_AD_POX);   /* POX Autodiscover has no SOAP body */
    *op = NULL;
    *opname = NULL;
    for (const ews_node_t *c = body ? body->first : NULL; c; c = c->next) {
        for (gsize i = 0; i < G_N_ELEMENTS(operations); i++) {
            if (operations[i].kind == c->kind) {
                *op = c;
                *opname = operations[i].name;
                return operations[i].mt;
            }
        }
    }
    return MSG_NONE;
}

static gboolean
names_an_operation(const guint8 *p, guint len)
{
    for (gsize i = 0; i < G_N_ELEMENTS(operation_words); i++) {
        if (ws_memmem(p, len, operation_words[i], strlen(operation_words[i])))
            return TRUE;
    }
    return FALSE;
}

static void
collect_nodes(const ews_node_t *n, ews_kind_t kind, GPtrArray *out)
{
    for (const ews_node_t *c = n ? n->first : NULL; c; c = c->next) {
        if (c->kind == kind)
            g_ptr_array_add(out, (gpointer)c);
        collect_nodes(c, kind, out);
    }
}

static void
collect_values(const ews_node_t *n, ews_kind_t kind, GPtrArray *out)
{
    for (const ews_node_t *c = n ? n->first : NULL; c; c = c->next) {
        if (c->kind == kind && c->value && *c->value)
            g_ptr_array_add(out, (gpointer)c->value);
        collect_values(c, kind, out);
    }
}

static void
fill_request_txn(ews_txn_t *t, const ews_doc_t *doc, const ews_node_t *req)
{
    if (req->kind != EK_GUA_REQUEST) {   /* Autodiscover: the addresses asked about */
        GPtrArray *v = g_ptr_array_new();
        collect_values(req, EK_AD_EMAIL, v);
        t->mailboxes = wmem_alloc0_array(wmem_file_scope(), const char *, v->len ? v->len : 1);
        for (guint i = 0; i < v->len; i++)
            t->mailboxes[t->n_mailboxes++] = ews_intern((const char *)g_ptr_array_index(v, i));
        g_ptr_array_free(v, TRUE);
        return;
    }
    const ews_node_t *arr = ews_node_child(req, EK_MAILBOX_DATA_ARRAY);
    guint n = ews_node_count(arr, EK_MAILBOX_DATA);
    t->mailboxes = wmem_alloc0_array(wmem_file_scope(), const char *, n ? n : 1);
    for (const ews_node_t *m = arr ? arr->first : NULL; m; m = m->next) {
        if (m->kind != EK_MAILBOX_DATA)
            continue;
        const char *a = ews_node_find_value(m, EK_EMAIL_ADDRESS);
        t->mailboxes[t->n_mailboxes++] = ews_intern(a ? a : "");
    }
    const ews_node_t *hdr = ews_node_child(doc_envelope(doc), EK_HEADER);
    const char *rsv = hdr ? ews_node_find_value(hdr, EK_RSV_VERSION) : NULL;
    t->rsv = ews_intern(rsv);
    const ews_node_t *opts = ews_node_child(req, EK_FB_VIEW_OPTIONS);
    t->freebusy_asked = opts != NULL;
    const ews_node_t *win = ews_node_child(opts, EK_TIME_WINDOW);
    const char *s = ews_node_find_value(win, EK_START_TIME), *e = ews_node_find_value(win, EK_END_TIME);
    t->window_start = ews_intern(s);
    t->window_end = ews_intern(e);
    const char *iv = ews_node_find_value(opts, EK_MERGED_INTERVAL);
    guint64 u;
    if (iv && g_ascii_string_to_unsigned(iv, 10, 1, 1440 * 366, &u, NULL))
        t->interval = (guint)u;
}

/* "label v1, v2" for the first `max` values of `kind` below `n`. */
static void
append_values(wmem_strbuf_t *sb, const ews_node_t *n, ews_kind_t kind, const char *label, guint max)
{
    GPtrArray *v = g_ptr_array_new();
    collect_values(n, kind, v);
    for (guint i = 0; i < v->len && i < max; i++)
        wmem_strbuf_append_printf(sb, "%s%s%s", wmem_strbuf_get_len(sb) ? (i ? ", " : "; ") : "", i ? "" : label,
                                  (const char *)g_ptr_array_index(v, i));
    if (v->len > max)
        wmem_strbuf_append(sb, ", \xe2\x80\xa6");
    g_ptr_array_free(v, TRUE);
}

/* Autodiscover and WS-Trust: what was asked, what came back. */
static char *
discovery_summary(packet_info *pinfo, const ews_node_t *op)
{
    wmem_strbuf_t *sb = wmem_strbuf_new(pinfo->pool, "");
    append_values(sb, op, EK_AD_EMAIL, "", 3);
    append_values(sb, op, EK_AD_DOMAIN, "domain ", 2);
    append_values(sb, op, EK_AD_REQUESTED_SETTING, "asks ", 4);
    append_values(sb, op, EK_AD_ACTION, "", 1);
    append_values(sb, op, EK_AD_REDIRECT_ADDR, "redirect to ", 1);
    append_values(sb, op, EK_AD_REDIRECT_URL, "redirect to ", 1);
    append_values(sb, op, EK_AD_AS_URL, "ASUrl ", 2);
    append_values(sb, op, EK_AD_ORGREL_TARGET_SHARING, "TargetSharingEpr ", 1);
    append_values(sb, op, EK_AD_APPLICATION_URI, "ApplicationUri ", 1);
    GPtrArray *settings = g_ptr_array_new();
    collect_nodes(op, EK_AD_SETTING, settings);
    for (guint i = 0; i < settings->len && i < 4; i++) {
        const ews_node_t *st = (const ews_node_t *)g_ptr_array_index(settings, i);
        const char *name = ews_node_find_value(st, EK_AD_SETTING_NAME), *val = ews_node_find_value(st, EK_AD_SETTING_VALUE);
        wmem_strbuf_append_printf(sb, "%s%s=%s", wmem_strbuf_get_len(sb) ? (i ? ", " : "; ") : "", name ? name : "?", val ? val : "");
    }
    g_ptr_array_free(settings, TRUE);
    const ews_node_t *wrap = ews_node_child(op, EK_AD_SOAP_WRAP);
    const char *top_error = wrap ? ews_node_find_value(wrap, EK_AD_ERROR_CODE) : NULL;
    if (top_error && strcmp(top_error, "NoError") != 0)
        wmem_strbuf_append_printf(sb, "%s%s", wmem_strbuf_get_len(sb) ? "; " : "", top_error);
    const ews_node_t *pox_err = ews_node_find(op, EK_AD_ERROR);
    if (pox_err) {
        append_values(sb, pox_err, EK_AD_ERROR_CODE, "error ", 1);
        append_values(sb, pox_err, EK_AD_ERROR_MESSAGE, "", 1);
    }
    append_values(sb, op, EK_WST_ADDRESS, "AppliesTo ", 1);
    append_values(sb, op, EK_WST_CLAIM, "", 2);
    append_values(sb, op, EK_WST_EXPIRES, "expires ", 1);
    if (!wmem_strbuf_get_len(sb))
        wmem_strbuf_append(sb, "(empty)");
    return wmem_strbuf_finalize(sb);
}

static char *
request_summary(packet_info *pinfo, const ews_node_t *req, guint *count)
{
    const ews_node_t *arr = ews_node_child(req, EK_MAILBOX_DATA_ARRAY);
    wmem_strbuf_t *sb = wmem_strbuf_new(pinfo->pool, "");
    guint n = 0;
    for (const ews_node_t *m = arr ? arr->first : NULL; m; m = m->next) {
        if (m->kind != EK_MAILBOX_DATA)
            continue;
        if (n < MAX_INFO_MAILBOXES) {
            const char *a = ews_node_find_value(m, EK_EMAIL_ADDRESS);
            wmem_strbuf_append_printf(sb, "%s%s", n ? ", " : "", a && *a ? a : "no address");
        } else if (n == MAX_INFO_MAILBOXES) {
            wmem_strbuf_append(sb, ", \xe2\x80\xa6");
        }
        n++;
    }
    *count = n;
    wmem_strbuf_t *out = wmem_strbuf_new(pinfo->pool, "");
    wmem_strbuf_append_printf(out, "%u mailbox%s", n, plurality(n, "", "es"));
    if (n)
        wmem_strbuf_append_printf(out, " (%s)", wmem_strbuf_get_str(sb));
    const ews_node_t *opts = ews_node_child(req, EK_FB_VIEW_OPTIONS);
    for (const ews_node_t *v = opts ? opts->first : NULL; v; v = v->next) {
        if (v->kind == EK_REQUESTED_VIEW && v->value)
            wmem_strbuf_append_printf(out, " %s", v->value);
    }
    if (ews_node_child(req, EK_SUGG_VIEW_OPTIONS))
        wmem_strbuf_append(out, " +Suggestions");
    return wmem_strbuf_finalize(out);
}

static char *
response_summary(packet_info *pinfo, const ews_node_t *rsp, guint *count)
{
    guint ok = 0, warn = 0, err = 0;
    const char *first_code = NULL;
    const ews_node_t *arr = ews_node_child(rsp, EK_FB_RESPONSE_ARRAY);
    for (const ews_node_t *r = arr ? arr->first : NULL; r; r = r->next) {
        if (r->kind != EK_FB_RESPONSE)
            continue;
        const ews_node_t *rm = ews_node_child(r, EK_RESPONSE_MESSAGE);
        const char *cls = rm ? ews_node_find_value(rm, EK_RESPONSE_CLASS) : NULL;
        if (cls && strcmp(cls, "Error") == 0) {
            err++;
            if (!first_code)
                first_code = ews_node_find_value(rm, EK_RESPONSE_CODE);
        } else if (cls && strcmp(cls, "Warning") == 0) {
            warn++;
        } else {
            ok++;
        }
    }
    *count = ok + warn + err;
    wmem_strbuf_t *out = wmem_strbuf_new(pinfo->pool, "");
    wmem_strbuf_append_printf(out, "%u Success", ok);
    if (warn)
        wmem_strbuf_append_printf(out, ", %u Warning", warn);
    if (err)
        wmem_strbuf_append_printf(out, ", %u Error%s%s%s", err, first_code ? " (" : "", first_code ? first_code : "",
                                  first_code ? ")" : "");
    const ews_node_t *sugg = ews_node_child(rsp, EK_SUGG_RESPONSE);
    if (sugg && *count == 0) {   /* a suggestions-only request */
        const char *code = ews_node_find_value(sugg, EK_SUGG_RESULT_CODE);
        wmem_strbuf_truncate(out, 0);
        wmem_strbuf_append_printf(out, "suggestions only (%s)", code ? code : "no ResponseCode");
    } else if (sugg) {
        wmem_strbuf_append(out, " +Suggestions");
    }
    return wmem_strbuf_finalize(out);
}

/* ---- the body dissector ---------------------------------------------------------- */

static int
chain_generic(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    const char *mt = pinfo->match_string;
    dissector_handle_t h = (mt && strstr(mt, "json")) ? json_handle : xml_handle;
    if (h)
        call_dissector_with_data(h, tvb, pinfo, tree, data);
    return tvb_captured_length(tvb);
}

static guint
peek_body_index(packet_info *pinfo)
{
    return GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_BODY_COUNTER));
}

static guint
next_body_index(packet_info *pinfo)
{
    guint n = peek_body_index(pinfo);
    p_add_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_BODY_COUNTER, GUINT_TO_POINTER(n + 1));
    return n;
}

/* Like HTTP's own first lines, end with a space: HTTP appends the next message of the
 * same frame (pipelining) straight after it. */
static void
set_info(packet_info *pinfo, guint index, const char *text)
{
    if (index == 0)
        col_add_str(pinfo->cinfo, COL_INFO, text);
    else
        col_append_sep_str(pinfo->cinfo, COL_INFO, "| ", text);
    col_append_str(pinfo->cinfo, COL_INFO, " ");
}

/* The generic XML (or JSON) tree under an EWS body repeats what the EWS tree decodes and is
 * most of the cost of dissecting EWS traffic. In 'auto' it is built when a filter, column or
 * tap uses xml/json fields (or the protocol); otherwise the preference says always or never.
 * A visible tree alone does not decide it: tshark -T fields marks its tree visible too (and
 * Wireshark 4.0 does not tell a dissector which -e fields it prints), so -e xml.* on EWS
 * bodies needs -o ews.xml_tree:always or a filter that names xml. */
static gboolean
want_generic_tree(proto_tree *tree, int proto_generic)
{
    switch (ews_prefs.xml_tree) {
    case EWS_XML_TREE_ALWAYS:
        return TRUE;
    case EWS_XML_TREE_NEVER:
        return FALSE;
    default:
        break;
    }
    if (!tree || proto_generic < 0)
        return FALSE;
    header_field_info *gen = proto_registrar_get_nth(proto_generic);
    return gen && gen->ref_type != HF_REF_TYPE_NONE;
}

static gboolean want_generic_tree(proto_tree *tree, int proto_generic);

/* What the media-type hook learned about one body, handed to the protocol dissector. */
typedef struct {
    tvbuff_t   *tvb;
    gboolean    is_ews;
    gboolean    too_large;
    ews_doc_t   doc;
    msg_type_t  mt;
    const ews_node_t *op;
    const char *opname;         /* from the operations table; NULL for a fault */
    const char *charset;
    const char *soapaction;     /* SOAPAction, SOAP 1.2 action parameter, or OWA's Action header */
    guint32     stream;
    gboolean    json;           /* OWA JSON rather than SOAP */
} ews_body_t;


static ews_body_t *
prepare_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    ews_body_t *b = wmem_new0(pinfo->pool, ews_body_t);
    guint len = tvb_captured_length(tvb);
    b->tvb = tvb;
    if (len == 0)
        return b;
    b->json = pinfo->match_string && strstr(pinfo->match_string, "json") != NULL;

    int caller = caller_proto(pinfo);
    if (p_get_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_H2_STREAM))
        caller = proto_http2;   /* handed over by ews-h2body.c, from the post-dissector pass */
    const http_message_info_t *hmi = NULL;
    if (data && (caller == proto_http || caller == proto_http2))
        hmi = (const http_message_info_t *)data;
    const http_message_info_t *hdrs = (hmi && caller == proto_http) ? hmi : NULL;

    b->charset = hmi ? media_param(pinfo, hmi->media_str, "charset") : NULL;
    b->soapaction = http_header(hdrs, "soapaction");
    if (b->soapaction) {
        /* SOAPAction is a quoted string on the wire */
        gsize sl = strlen(b->soapaction);
        if (sl >= 2 && b->soapaction[0] == '"' && b->soapaction[sl - 1] == '"')
            b->soapaction = wmem_strndup(pinfo->pool, b->soapaction + 1, sl - 2);
    }
    if (!b->soapaction && hmi)
        b->soapaction = media_param(pinfo, hmi->media_str, "action");
    gboolean action_gua = b->soapaction && strstr(b->soapaction, GUA) != NULL;
    b->stream = http2_stream(pinfo, tree);
    /* A SOAP fault is ours only when it answers an EWS request: on later passes, when this
     * body was paired on the first one. */
    gboolean pending = PINFO_FD_VISITED(pinfo) ? ews_txn_recall(pinfo, peek_body_index(pinfo)) != NULL
                                               : ews_txn_has_pending(pinfo, b->stream);

    guint sniff_len = MIN(len, SNIFF_BYTES);
    const guint8 *sniff = (const guint8 *)tvb_memdup(pinfo->pool, tvb, 0, sniff_len);   /* README.dissector: no tvb_get_ptr */
    gboolean names_gua = contains(sniff, sniff_len, GUA);
    gboolean names_op = names_gua || names_an_operation(sniff, sniff_len);
    if (b->json) {
        /* OWA: the Action header or the body's __type names the operation; a response is known
         * by the request it answers */
        const char *action = http_header(hdrs, "action");
        gboolean action_owa = action && strstr(action, GUA) != NULL;
        if (action_owa)
            b->soapaction = action;
        else if (contains(sniff, sniff_len, "GetUserAvailabilityInternal"))
            b->soapaction = "GetUserAvailabilityInternal";   /* HTTP/2 has no header map: the __type says it */
        if (!(action_owa || names_gua || (pending && contains(sniff, sniff_len, "Respons"))))
            return b;
        if (len > ews_prefs.max_body) {
            b->is_ews = b->too_large = TRUE;
            return b;
        }
        const guint8 *jbuf = (const guint8 *)tvb_memdup(pinfo->pool, tvb, 0, len);
        ews_parse_limits_t jl = { ews_prefs.max_items, 1024 * 1024, ews_prefs.max_depth, ews_prefs.max_attrs };
        gboolean is_request = hmi ? hmi->type == HTTP_REQUEST : !pending;
        if (hmi && hmi->type == HTTP_OTHERS)   /* HTTP/2: no direction; a pending request means a response */
            is_request = !pending;
        ews_owa_json_parse(pinfo->pool, jbuf, len, is_request, &jl, &b->doc);
        b->mt = message_type(&b->doc, &b->op, &b->opname);
        b->is_ews = b->mt == MSG_REQUEST || b->mt == MSG_RESPONSE || (action_owa && !b->doc.well_formed);
        if (b->is_ews && b->mt == MSG_NONE)
            b->mt = MSG_REQUEST;
        return b;
    }
    if (!(action_gua || names_op || (pending && contains(sniff, sniff_len, "Fault")) ||
          not_ascii_compatible(sniff, sniff_len, b->charset)))
        return b;

    if (len > ews_prefs.max_body) {
        b->is_ews = b->too_large = action_gua || names_op;
        return b;
    }

    /* libxml2 must never see a tvb: copy out first so no exception can leak a parser. */
    const guint8 *buf = (const guint8 *)tvb_memdup(pinfo->pool, tvb, 0, len);
    ews_parse_limits_t limits = { ews_prefs.max_items, 1024 * 1024, ews_prefs.max_depth, ews_prefs.max_attrs };
    ews_soap_parse(pinfo->pool, buf, len, b->charset, &limits, &b->doc);

    b->mt = message_type(&b->doc, &b->op, &b->opname);
    b->is_ews = b->mt == MSG_REQUEST || b->mt == MSG_RESPONSE || (b->mt == MSG_FAULT && (pending || action_gua)) ||
                (action_gua && hdrs && hdrs->type == HTTP_REQUEST);
    if (b->is_ews && b->mt == MSG_NONE)
        b->mt = MSG_REQUEST;   /* SOAPAction says so, body too broken to tell */
    return b;
}

static const char *
file_copy(const char *v)
{
    return ews_intern(v);
}

const ews_msg_info_t *
ews_msg_info_get(packet_info *pinfo, guint index)
{
    if (index >= EWS_MAX_BODIES_PER_FRAME)
        return NULL;
    return (const ews_msg_info_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_ews, EWS_KEY_MSGINFO(index));
}

/* First pass only: keep what the routing post-dissector needs from this message. */
static void
remember_msg_info(packet_info *pinfo, guint index, const ews_body_t *b, ews_txn_t *txn)
{
    ews_msg_info_t *mi = wmem_new0(wmem_file_scope(), ews_msg_info_t);
    const ews_node_t *hdr = ews_node_child(doc_envelope(&b->doc), EK_HEADER);
    mi->frame = pinfo->num;
    mi->is_request = b->mt == MSG_REQUEST;
    mi->is_fault = b->mt == MSG_FAULT;
    mi->owa_json = b->json;
    mi->txn = txn;
    if (hdr) {
        mi->request_type = file_copy(ews_node_find_value(hdr, EK_REQUEST_TYPE));
        mi->ssc = ews_node_child(hdr, EK_SSC) != NULL;
        mi->sharing_security = ews_node_child(hdr, EK_SHARING_SECURITY) != NULL;
        mi->wsse = ews_node_child(hdr, EK_WSSE) != NULL;
        mi->impersonation = ews_node_child(hdr, EK_IMPERSONATION) != NULL;
        mi->rsv = file_copy(ews_node_find_value(hdr, EK_RSV_VERSION));
        mi->message_id = file_copy(ews_node_find_value(hdr, EK_WSA_MESSAGE_ID));
        const char *who = ews_node_find_value(hdr, EK_SSC_PRIMARY_SMTP);
        mi->requester_source = who ? "SerializedSecurityContext PrimarySmtpAddress" : NULL;
        if (!who)
            who = ews_node_find_value(hdr, EK_IMP_SMTP);
        if (!who)
            who = ews_node_find_value(hdr, EK_IMP_PRINCIPAL);
        if (who && !mi->requester_source)
            mi->requester_source = "ExchangeImpersonation";
        mi->requester = file_copy(who);
    }
    if (b->mt == MSG_RESPONSE && b->op) {
        const ews_node_t *arr = ews_node_child(b->op, EK_FB_RESPONSE_ARRAY);
        guint n = ews_node_count(arr, EK_FB_RESPONSE);
        mi->results = wmem_alloc0_array(wmem_file_scope(), ews_mailbox_result_t, n ? n : 1);
        for (const ews_node_t *r = arr ? arr->first : NULL; r; r = r->next) {
            if (r->kind != EK_FB_RESPONSE)
                continue;
            ews_mailbox_result_t *res = &mi->results[mi->n_results++];
            const ews_node_t *rm = ews_node_child(r, EK_RESPONSE_MESSAGE);
            res->cls = file_copy(ews_node_find_value(rm, EK_RESPONSE_CLASS));
            res->code = file_copy(ews_node_find_value(rm, EK_RESPONSE_CODE));
            res->response_source = file_copy(ews_node_find_value(rm, EK_RESPONSE_SOURCE));
            res->server = file_copy(ews_node_find_value(rm, EK_EXC_SERVER));
            res->backoff_ms = find_backoff(rm);
            const char *text = ews_node_find_value(rm, EK_MESSAGE_TEXT);
            if (text) {
                ews_errchain_t ch;
                ews_errchain_split(pinfo->pool, text, MAX_CHAIN_LEVELS, &ch);
                res->inner = file_copy(ch.innermost ? ch.innermost : text);
                res->socket_op = ews_errchain_socket_op(text);
            }
            res->proxy_failure = (res->code && g_str_has_prefix(res->code, "ErrorProxy")) ||
                                 (text && ews_errchain_is_proxy_failure(text));
        }
    }
    mi->operation = b->opname;
    if (b->mt == MSG_RESPONSE && b->op && b->op->kind != EK_GUA_RESPONSE) {
        /* URLs an Autodiscover answer hands out: a later hop to one of them came from here */
        GPtrArray *urls = g_ptr_array_new();
        collect_values(b->op, EK_AD_AS_URL, urls);
        collect_values(b->op, EK_AD_EWS_URL, urls);
        collect_values(b->op, EK_AD_ORGREL_TARGET_SHARING, urls);
        GPtrArray *vals = g_ptr_array_new();
        collect_values(b->op, EK_AD_SETTING_VALUE, vals);
        for (guint i = 0; i < vals->len; i++) {
            const char *v = (const char *)g_ptr_array_index(vals, i);
            if (g_str_has_prefix(v, "http") && g_strrstr(v, ".asmx"))
                g_ptr_array_add(urls, (gpointer)v);
        }
        g_ptr_array_free(vals, TRUE);
        mi->discovered = wmem_alloc0_array(wmem_file_scope(), const char *, urls->len ? urls->len : 1);
        for (guint i = 0; i < urls->len; i++)
            mi->discovered[mi->n_discovered++] = file_copy((const char *)g_ptr_array_index(urls, i));
        mi->discovered_by_pox = b->op->kind == EK_AD_RESPONSE;
        g_ptr_array_free(urls, TRUE);
    }
    if (b->mt == MSG_FAULT && b->op) {
        const char *code = ews_node_find_value(b->op, EK_FAULT_RESPONSE_CODE);
        mi->fault_code = file_copy(code ? code : ews_node_find_value(b->op, EK_FAULT_CODE));
        mi->fault_backoff_ms = find_backoff(b->op);
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_ews, EWS_KEY_MSGINFO(index), mi);
}

/* The media_type hook: a handle without a protocol, so a body it passes on reaches the
 * XML/JSON dissector exactly as it would without the plugin, with no "ews" layer left behind. */
int
dissect_ews_media(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (!proto_is_protocol_enabled(find_protocol_by_id(proto_ews)))
        return chain_generic(tvb, pinfo, tree, data);
    if (caller_proto(pinfo) == proto_http2 && !p_get_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_H2_STREAM) &&
        ews_h2body_completed_earlier(pinfo, http2_stream(pinfo, tree)))
        return chain_generic(tvb, pinfo, tree, data);   /* decoded already, when its content-length arrived */
    ews_body_t *b = prepare_body(tvb, pinfo, tree, data);
    if (!b->is_ews)
        return chain_generic(tvb, pinfo, tree, data);
    p_add_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_PREPARED, b);
    call_dissector_with_data(ews_handle, tvb, pinfo, tree, data);
    return tvb_captured_length(tvb);
}

static int render_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, ews_body_t *b, void *data, gboolean chain);

/* OWA can send its JSON URL-encoded in the X-OWA-UrlPostData request header, with no body:
 * HTTP hands no body to anyone, so the routing post-dissector passes the header here. */
void
ews_dissect_owa_urlpostdata(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const char *value)
{
    if (!value || !proto_is_protocol_enabled(find_protocol_by_id(proto_ews)))
        return;
    char *json = g_uri_unescape_string(value, NULL);
    if (!json)
        return;
    ews_body_t *b = wmem_new0(pinfo->pool, ews_body_t);
    b->tvb = tvb;
    b->json = TRUE;
    b->soapaction = "GetUserAvailabilityInternal";
    gsize jlen = strlen(json);
    if (jlen > ews_prefs.max_body || !ews_owa_json_is_availability((const guint8 *)json, jlen)) {
        g_free(json);
        return;
    }
    ews_parse_limits_t jl = { ews_prefs.max_items, 1024 * 1024, ews_prefs.max_depth, ews_prefs.max_attrs };
    ews_owa_json_parse(pinfo->pool, (const guint8 *)json, jlen, TRUE, &jl, &b->doc);
    g_free(json);
    b->mt = message_type(&b->doc, &b->op, &b->opname);
    if (b->mt != MSG_REQUEST && b->doc.well_formed)
        return;
    if (b->mt == MSG_NONE)
        b->mt = MSG_REQUEST;
    b->is_ews = TRUE;
    render_message(tvb, pinfo, tree, b, NULL, FALSE);
}

/* The "ews" protocol dissector: called by the hook above, or directly through Decode As. */
int
dissect_ews_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    guint len = tvb_captured_length(tvb);
    ews_body_t *b = (ews_body_t *)p_get_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_PREPARED);
    if (b && b->tvb == tvb)
        p_remove_proto_data(pinfo->pool, pinfo, proto_ews, EWS_KEY_PREPARED);
    else
        b = prepare_body(tvb, pinfo, tree, data);

    if (!b->is_ews) {
        proto_item *ti = proto_tree_add_item(tree, proto_ews, tvb, 0, -1, ENC_NA);
        proto_item_append_text(ti, ": not a GetUserAvailability body");
        return chain_generic(tvb, pinfo, tree, data);
    }
    if (b->too_large) {
        proto_item *ti = proto_tree_add_item(tree, proto_ews, tvb, 0, -1, ENC_NA);
        expert_add_info_format(pinfo, ti, &ei_ews_too_large,
                               "EWS body of %u bytes exceeds the %u-byte limit (Preferences > Protocols > EWS): not decoded",
                               len, ews_prefs.max_body);
        set_info(pinfo, next_body_index(pinfo),
                 wmem_strdup_printf(pinfo->pool, "GetUserAvailability (body of %u bytes not decoded: size limit)", len));
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "EWS");
        /* the generic tree of a huge body is the costly part: only when someone looks */
        if (want_generic_tree(tree, b->json ? proto_json : proto_xml))
            chain_generic(tvb, pinfo, tree, data);
        return len;
    }
    return render_message(tvb, pinfo, tree, b, data, TRUE);
}

/* Decode, pair and show one prepared message. `chain`: hand the bytes on to the generic
 * XML/JSON dissector (not for a message that came from a header). */
static int
render_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, ews_body_t *b, void *data, gboolean chain)
{
    guint len = tvb_captured_length(tvb);
    const ews_doc_t *docp = &b->doc;
    msg_type_t mt = b->mt;
    const ews_node_t *op = b->op;
    guint32 stream = b->stream;
    const char *soapaction = b->soapaction;
    const char *charset = b->charset;

    /* pairing */
    guint index = next_body_index(pinfo);
    ews_txn_t *txn = NULL;
    gboolean remembered = index < EWS_MAX_BODIES_PER_FRAME;
    if (!remembered) {
        ;   /* decoded, but neither paired nor handed to the routing post-dissector */
    } else if (!PINFO_FD_VISITED(pinfo)) {
        if (mt == MSG_REQUEST) {
            const char *txn_op = b->opname ? b->opname : GUA;
            if (strcmp(txn_op, GUA) == 0 && soapaction && strstr(soapaction, "GetUserAvailabilityInternal"))
                txn_op = "GetUserAvailabilityInternal";
            txn = ews_txn_new_request(pinfo, stream, txn_op);
            if (op)
                fill_request_txn(txn, docp, op);
        } else {
            txn = ews_txn_take_response(pinfo, stream);
        }
        if (txn)
            ews_txn_remember(pinfo, index, txn);
        remember_msg_info(pinfo, index, b, txn);
    } else {
        txn = ews_txn_recall(pinfo, index);
    }

    proto_item *ti = proto_tree_add_item(tree, proto_ews, tvb, 0, -1, ENC_NA);
    proto_tree *et = proto_item_add_subtree(ti, ett_ews);
    const char *opname = b->opname ? b->opname : GUA;
    if (strcmp(opname, GUA) == 0 && soapaction && strstr(soapaction, "GetUserAvailabilityInternal"))
        opname = "GetUserAvailabilityInternal";
    if (mt != MSG_REQUEST && txn && txn->operation)
        opname = txn->operation;    /* a response is for the operation its request named */
    proto_item *g = proto_tree_add_string(et, hf_ews_operation, tvb, 0, 0, opname);
    proto_item_set_generated(g);
    ews_op_t op_code = (ews_op_t)str_to_val(opname, ews_op_vals, EWS_OP_GUA);
    g = proto_tree_add_uint(et, hf_ews_operation_code, tvb, 0, 0, op_code);
    proto_item_set_hidden(g);   /* for filters (Service Response Time's rows); ews.operation says it in words */
    if (mt != MSG_REQUEST && txn && have_tap_listener(ews_tap)) {
        ews_tap_info_t *ti_tap = wmem_new0(pinfo->pool, ews_tap_info_t);
        ti_tap->op = op_code;
        ti_tap->request_frame = txn->req_frame;
        ti_tap->request_time = txn->req_time;
        tap_queue_packet(ews_tap, pinfo, ti_tap);
    }
    g = proto_tree_add_string(et, hf_ews_message_type, tvb, 0, 0,
                              mt == MSG_REQUEST ? "request" : mt == MSG_RESPONSE ? "response" : "fault");
    proto_item_set_generated(g);
    const ews_node_t *env = ews_node_child(&docp->root, EK_ENVELOPE);
    if (env) {
        g = proto_tree_add_string(et, hf_ews_soap_version, tvb, 0, 0, env->ns == EWS_NS_SOAP12 ? "1.2" : "1.1");
        proto_item_set_generated(g);
    }
    if (soapaction) {
        g = proto_tree_add_string(et, hf_ews_soapaction, tvb, 0, 0, soapaction);
        proto_item_set_generated(g);
    }

    char *summary;
    guint count = 0;
    gboolean availability = op && (op->kind == EK_GUA_REQUEST || op->kind == EK_GUA_RESPONSE);
    if (op && !availability && mt != MSG_FAULT) {
        summary = wmem_strdup_printf(pinfo->pool, "%s %s: %s", opname, mt == MSG_REQUEST ? "request" : "response",
                                     discovery_summary(pinfo, op));
    } else if (mt == MSG_REQUEST && op) {
        summary = wmem_strdup_printf(pinfo->pool, "%s request: %s", opname, request_summary(pinfo, op, &count));
    } else if (mt == MSG_RESPONSE) {
        summary = wmem_strdup_printf(pinfo->pool, "%s response: %s", opname, response_summary(pinfo, op, &count));
    } else if (mt == MSG_FAULT) {
        const char *code = ews_node_find_value(op, EK_FAULT_RESPONSE_CODE);
        const char *fcode = ews_node_find_value(op, EK_FAULT_CODE);
        const char *fstr = ews_node_find_value(op, EK_FAULT_STRING);
        summary = wmem_strdup_printf(pinfo->pool, "GetUserAvailability SOAP fault: %s%s%s%s", code ? code : (fcode ? fcode : "?"),
                                     fstr ? " (" : "", fstr ? fstr : "", fstr ? ")" : "");
    } else {
        summary = wmem_strdup_printf(pinfo->pool, "%s request (undecodable)", opname);
    }
    if (mt != MSG_FAULT && availability) {
        g = proto_tree_add_uint(et, hf_ews_mailbox_count, tvb, 0, 0, count);
        proto_item_set_generated(g);
        if (mt == MSG_REQUEST && count > 100)
            expert_add_info_format(pinfo, g, &ei_ews_too_many_mailboxes,
                                   "%u mailboxes: Exchange accepts at most 100 (ErrorMailboxDataArrayTooBig)", count);
        /* a suggestions-only request (no FreeBusyViewOptions) is answered by suggestions alone */
        if (mt == MSG_RESPONSE && txn && txn->n_mailboxes != count && (txn->freebusy_asked || count))
            expert_add_info_format(pinfo, g, &ei_ews_count_mismatch,
                                   "%u FreeBusyResponse for %u MailboxData in the request (frame %u)", count,
                                   txn->n_mailboxes, txn->req_frame);
    }
    if (txn) {
        if (mt == MSG_REQUEST && txn->rsp_frame) {   /* GUI and tshark -2 */
            g = proto_tree_add_uint(et, hf_ews_response_in, tvb, 0, 0, txn->rsp_frame);
            proto_item_set_generated(g);
        } else if (mt != MSG_REQUEST) {
            g = proto_tree_add_uint(et, hf_ews_request_in, tvb, 0, 0, txn->req_frame);
            proto_item_set_generated(g);
            nstime_t delta;
            nstime_delta(&delta, &pinfo->abs_ts, &txn->req_time);
            g = proto_tree_add_time(et, hf_ews_response_time, tvb, 0, 0, &delta);
            proto_item_set_generated(g);
        }
    }
    proto_item_append_text(ti, ", %s", summary);

    const ews_doc_t doc = *docp;
    if (doc.doctype)
        expert_add_info(pinfo, ti, &ei_ews_doctype);
    if (doc.bad_charset)
        expert_add_info_format(pinfo, ti, &ei_ews_charset, "Unknown character set \"%s\": decoded as the XML declaration or UTF-8",
                               charset ? charset : "");
    if (doc.node_limit_hit)
        expert_add_info_format(pinfo, ti, &ei_ews_limit, "More than %u decoded items: the rest of the body is not decoded",
                               ews_prefs.max_items);
    if (doc.value_truncated)
        expert_add_info(pinfo, ti, &ei_ews_limit);
    if (doc.depth_limit_hit)
        expert_add_info_format(pinfo, ti, &ei_ews_limit, "Nested deeper than %u levels (Preferences > Protocols > EWS): the rest is not decoded",
                               ews_prefs.max_depth);
    if (doc.attr_limit_hit)
        expert_add_info_format(pinfo, ti, &ei_ews_limit, "A start tag with more than %u attributes at byte %d "
                               "(Preferences > Protocols > EWS): the rest is not decoded", ews_prefs.max_attrs, doc.error_offset);
    if (doc.n_literal_entities)
        expert_add_info_format(pinfo, ti, &ei_ews_entity_literal, "%u undeclared entity reference%s (first %s) kept as written, not expanded",
                               doc.n_literal_entities, plurality(doc.n_literal_entities, "", "s"), doc.literal_entity);
    if (!doc.well_formed && !doc.node_limit_hit && !doc.attr_limit_hit) {
        gint eo = doc.error_offset >= 0 && (guint)doc.error_offset < len ? doc.error_offset : 0;
        proto_item *mi = proto_tree_add_item(et, proto_ews, tvb, eo, eo ? 1 : 0, ENC_NA);
        proto_item_set_text(mi, "Malformed: %s", doc.error ? doc.error : "XML error");
        expert_add_info_format(pinfo, mi, &ei_ews_malformed, "Malformed EWS body: %s%s",
                               doc.error ? doc.error : "XML error",
                               eo ? wmem_strdup_printf(pinfo->pool, " (at byte %d); fields before it are decoded", eo)
                                  : "; fields before it are decoded");
        summary = wmem_strdup_printf(pinfo->pool, "%s [malformed]", summary);
    }

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "EWS");
    set_info(pinfo, index, summary);

    render_ctx_t rc = { tvb, pinfo, len, txn, FALSE, 0 };
    rc.schema2013 = ews_rsv_is_2013_or_later(txn ? txn->rsv : NULL);
    render_children(&rc, et, &doc.root);

    dissector_handle_t generic = b->json ? json_handle : xml_handle;
    if (chain && generic && want_generic_tree(tree, b->json ? proto_json : proto_xml)) {
        /* The XML/JSON dissector has limits of its own (tree depth): its failure stays its own. */
        TRY {
            call_dissector_with_data(generic, tvb, pinfo, et, data);
        }
        CATCH_NONFATAL_ERRORS {
            show_exception(tvb, pinfo, et, EXCEPT_CODE, GET_MESSAGE);
        }
        ENDTRY;
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "EWS");
    }
    return len;
}
