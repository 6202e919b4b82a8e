/* ews-owa-json.c
 * A JSON walker driven by the same element table as the SOAP parser: an object member
 * named like an element becomes that element's item; rules marked JSON cover OWA's own
 * names (Responses, CalendarView, Items, Start/End/FreeBusyType...). Arrays take their
 * element kind from "__type" or from the one container rule of the array's kind.
 * Navigation is iterative over the token array: nesting cannot exhaust the stack.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-owa-json.h"

#include <string.h>
#include <wsutil/wsjson.h>

typedef struct {
    wmem_allocator_t         *scope;
    const char               *buf;
    jsmntok_t                *t;
    int                       n;
    const ews_parse_limits_t *limits;
    ews_doc_t                *doc;
} jw_t;

int
ews_json_skip(const jsmntok_t *t, int n, int i)
{
    int pending = 1;
    while (pending > 0 && i < n) {
        pending += t[i].size - 1;
        i++;
    }
    return i;
}

static int
skip(const jw_t *j, int i)
{
    return ews_json_skip(j->t, j->n, i);
}

static gboolean
key_is(const jw_t *j, int i, const char *name)
{
    gsize len = (gsize)(j->t[i].end - j->t[i].start);
    return j->t[i].type == JSMN_STRING && strlen(name) == len && strncmp(j->buf + j->t[i].start, name, len) == 0;
}

/* Value token of member `name` of object `obj`, or -1. */
static int
member(const jw_t *j, int obj, const char *name)
{
    if (obj < 0 || obj >= j->n || j->t[obj].type != JSMN_OBJECT)
        return -1;
    int i = obj + 1;
    for (int k = 0; k < j->t[obj].size && i + 1 < j->n; k++) {
        if (key_is(j, i, name))
            return i + 1;
        i = skip(j, i + 1);
    }
    return -1;
}

/* A string or primitive token's text, JSON escapes decoded, cut at the value limit. */
static char *
text(const jw_t *j, int i)
{
    gsize len = (gsize)(j->t[i].end - j->t[i].start);
    if (j->limits && j->limits->max_value && len > j->limits->max_value) {
        len = j->limits->max_value;
        j->doc->value_truncated = TRUE;
    }
    char *v = wmem_strndup(j->scope, j->buf + j->t[i].start, len);
    if (j->t[i].type == JSMN_STRING && !json_decode_string_inplace(v)) {
        j->doc->well_formed = FALSE;
        if (!j->doc->error)
            j->doc->error = "invalid escape in a JSON string";
    }
    return v;
}

/* The rule for member `name` under `parent`. When XML has both an element with children and
 * an element with text by that name (RequestServerVersion: an attribute in SOAP, a string in
 * JSON), the one that fits the JSON value's shape wins. */
static const ews_rule_t *
rule_for(ews_kind_t parent, const char *name, gboolean container)
{
    gsize count;
    const ews_rule_t *r = ews_rules_for(parent, &count), *fallback = NULL;
    for (gsize i = 0; i < count; i++) {
        gboolean attribute = r[i].name[0] == '@';   /* JSON has members where XML has attributes */
        const char *rname = attribute ? r[i].name + 1 : r[i].name;
        if (!attribute && !(r[i].ns & (NSM_EWS | NSM_JSON)))
            continue;
        if (strcmp(rname, name) != 0)
            continue;
        if ((r[i].value == EV_NONE) == container)
            return &r[i];
        if (!fallback)
            fallback = &r[i];
    }
    return fallback;
}

/* The kind of an array element: "__type" names it, else the array's only container child. */
static const ews_rule_t *
element_rule(const jw_t *j, ews_kind_t array_kind, int elem)
{
    int ty = member(j, elem, "__type");
    if (ty >= 0 && j->t[ty].type == JSMN_STRING) {
        char *name = text(j, ty);
        char *colon = strchr(name, ':');
        if (colon)
            *colon = '\0';
        const ews_rule_t *r = rule_for(array_kind, name, TRUE);
        if (r)
            return r;
    }
    gsize count;
    const ews_rule_t *rules = ews_rules_for(array_kind, &count), *only = NULL;
    for (gsize i = 0; i < count; i++) {
        if (rules[i].value != EV_NONE || rules[i].name[0] == '@')
            continue;
        if (only)
            return NULL;
        only = &rules[i];
    }
    return only;
}

static void walk_object(jw_t *j, int obj, ews_node_t *parent, int depth);

static void
add_list(jw_t *j, ews_node_t *parent, ews_kind_t kind, const char *v)
{
    gchar **tok = g_strsplit_set(v, " \t\r\n", -1);
    for (gchar **p = tok; *p; p++) {
        if (**p)
            ews_node_append(j->scope, j->doc, j->limits, parent, kind, wmem_strdup(j->scope, *p));
    }
    g_strfreev(tok);
}

static void
add_value(jw_t *j, int v, ews_node_t *parent, const ews_rule_t *r, int depth)
{
    jsmntok_t *tk = &j->t[v];
    if (r->value == EV_NONE) {
        ews_node_t *n = ews_node_append(j->scope, j->doc, j->limits, parent, r->kind, NULL);
        if (!n)
            return;
        if (tk->type == JSMN_OBJECT) {
            walk_object(j, v, n, depth + 1);
        } else if (tk->type == JSMN_ARRAY) {
            int e = v + 1;
            for (int k = 0; k < tk->size && e < j->n; k++) {
                const ews_rule_t *er = tk->type == JSMN_ARRAY ? element_rule(j, r->kind, e) : NULL;
                if (er && j->t[e].type == JSMN_OBJECT)
                    add_value(j, e, n, er, depth + 1);
                e = skip(j, e);
            }
        } else if (tk->type == JSMN_STRING && r->kind == EK_MESSAGE_XML) {
            /* OWA carries MessageXml as a string holding the XML children */
            ews_soap_parse_into(j->scope, text(j, v), n, j->limits, j->doc);
        }
        return;
    }
    if (tk->type == JSMN_OBJECT) {
        /* Location / EnhancedLocation: { "DisplayName": ... } */
        int dn = member(j, v, "DisplayName");
        if (dn >= 0 && j->t[dn].type != JSMN_OBJECT && j->t[dn].type != JSMN_ARRAY)
            ews_node_append(j->scope, j->doc, j->limits, parent, r->kind, text(j, dn));
        return;
    }
    if (tk->type == JSMN_ARRAY) {   /* a list sent as an array of strings */
        int e = v + 1;
        for (int k = 0; k < tk->size && e < j->n; k++) {
            if (j->t[e].type == JSMN_STRING || j->t[e].type == JSMN_PRIMITIVE)
                ews_node_append(j->scope, j->doc, j->limits, parent, r->kind, text(j, e));
            e = skip(j, e);
        }
        return;
    }
    char *s = text(j, v);
    if (tk->type == JSMN_PRIMITIVE && strcmp(s, "null") == 0)
        return;
    if (r->value == EV_LIST)
        add_list(j, parent, r->kind, s);
    else
        ews_node_append(j->scope, j->doc, j->limits, parent, r->kind, s);
}

static void
walk_object(jw_t *j, int obj, ews_node_t *parent, int depth)
{
    if (depth > EWS_JSON_MAX_DEPTH || j->doc->node_limit_hit)
        return;
    int i = obj + 1;
    for (int k = 0; k < j->t[obj].size && i + 1 < j->n; k++) {
        if (j->t[i].type == JSMN_STRING) {
            char *name = wmem_strndup(j->scope, j->buf + j->t[i].start, (gsize)(j->t[i].end - j->t[i].start));
            jsmntype_t vt = j->t[i + 1].type;
            const ews_rule_t *r = strcmp(name, "__type") ? rule_for(parent->kind, name, vt == JSMN_OBJECT || vt == JSMN_ARRAY) : NULL;
            if (r)
                add_value(j, i + 1, parent, r, depth);
        }
        i = skip(j, i + 1);
    }
}

/* Deepest nesting of the token tree, computed without recursion. */
static int
max_depth(const jw_t *j)
{
    int stack[EWS_JSON_MAX_DEPTH + 2], sp = 0, deepest = 0;
    for (int i = 0; i < j->n; i++) {
        while (sp > 0 && stack[sp - 1] == 0)
            sp--;
        if (sp > 0)
            stack[sp - 1]--;
        jsmntok_t *tk = &j->t[i];
        int children = tk->size;
        if (children > 0) {
            if (sp >= EWS_JSON_MAX_DEPTH + 1)
                return sp + 1;
            stack[sp++] = children;
            deepest = MAX(deepest, sp);
        }
    }
    return deepest;
}

gboolean
ews_owa_json_is_availability(const guint8 *buf, gsize len)
{
    return g_strstr_len((const char *)buf, (gssize)len, "GetUserAvailability") != NULL;
}

void
ews_owa_json_parse(wmem_allocator_t *scope, const guint8 *buf, gsize len, gboolean is_request,
                   const ews_parse_limits_t *limits, ews_doc_t *doc)
{
    memset(doc, 0, sizeof(*doc));
    doc->root.kind = EK_ROOT;
    doc->root.start = doc->root.end = -1;
    doc->error_offset = -1;
    doc->well_formed = TRUE;
    if (len == 0 || len > G_MAXINT32 || memchr(buf, 0, len)) {
        doc->well_formed = FALSE;
        doc->error = len ? "JSON body contains NUL bytes or is too large" : "empty body";
        return;
    }
    char *s = wmem_strndup(scope, (const char *)buf, len);
    int count = json_parse(s, NULL, 0);
    if (count <= 0) {
        doc->well_formed = FALSE;
        doc->error = count == -3 ? "JSON truncated: more bytes expected" : "not valid JSON";
        return;
    }
    guint max_tokens = limits && limits->max_nodes ? limits->max_nodes * 4 : 0;
    if (max_tokens && (guint)count > max_tokens) {
        doc->node_limit_hit = TRUE;
        return;
    }
    jw_t j = { scope, s, wmem_alloc_array(scope, jsmntok_t, count), count, limits, doc };
    int parsed = json_parse(s, j.t, (unsigned)count);
    if (parsed != count) {
        doc->well_formed = FALSE;
        doc->error = parsed == -3 ? "JSON truncated: more bytes expected" : "not valid JSON";
        return;
    }
    if (j.t[0].type != JSMN_OBJECT) {
        doc->well_formed = FALSE;
        doc->error = "JSON body is not an object";
        return;
    }
    int limit = limits && limits->max_depth && limits->max_depth < EWS_JSON_MAX_DEPTH ? (int)limits->max_depth : EWS_JSON_MAX_DEPTH;
    if (max_depth(&j) > limit) {
        doc->well_formed = FALSE;
        doc->depth_limit_hit = TRUE;
        doc->error = wmem_strdup_printf(scope, "JSON nested too deeply (over %d levels): not decoded", limit);
        return;
    }
    /* {"request": {...}} from OWA, or the message itself; responses may sit under "d" */
    int msg = member(&j, 0, "request");
    if (msg < 0)
        msg = member(&j, 0, "d");
    if (msg < 0)
        msg = 0;
    int ty = member(&j, msg, "__type");
    if (ty >= 0) {
        char *tname = text(&j, ty);
        if (strstr(tname, "Request"))
            is_request = TRUE;
        else if (strstr(tname, "Response"))
            is_request = FALSE;
    }
    ews_node_t *m = ews_node_append(scope, doc, limits, &doc->root, EK_JSON_MESSAGE, NULL);
    int hdr = member(&j, msg, "Header");
    if (hdr >= 0 && m) {
        ews_node_t *h = ews_node_append(scope, doc, limits, m, EK_HEADER, NULL);
        if (h)
            walk_object(&j, hdr, h, 1);
    }
    int body = member(&j, msg, "Body");
    if (body < 0 || !m)
        return;
    ews_node_t *b = ews_node_append(scope, doc, limits, m, EK_BODY, NULL);
    ews_node_t *op = b ? ews_node_append(scope, doc, limits, b, is_request ? EK_GUA_REQUEST : EK_GUA_RESPONSE, NULL) : NULL;
    if (op)
        walk_object(&j, body, op, 1);
}
