/* ews-soap-parse.c
 * SAX2 walk of an EWS SOAP body. Only elements named by the schema table are
 * kept; everything else is skipped with a depth counter, so cost is one pass
 * and memory is proportional to what is decoded.
 *
 * Hostile input: no DTD is loaded, no entity is declared or expanded (only the
 * five predefined ones resolve; any other reference stays as its own text, "&name;"),
 * nothing is fetched (XML_PARSE_NONET), depth is bounded by libxml2 (256 without
 * XML_PARSE_HUGE), the number of kept items and the size of each value are bounded by
 * the caller's limits, and so is the number of attributes on one start tag: libxml2
 * checks each attribute against all earlier ones of its tag (quadratic), so tags over
 * the bound are found by a linear scan first and the parse ends before them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-soap-parse.h"

#include <ws_attributes.h>

#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/entities.h>

#define MAX_KEPT_DEPTH 48

typedef struct {
    wmem_allocator_t         *scope;
    const ews_parse_limits_t *limits;
    ews_doc_t                *doc;
    xmlParserCtxtPtr          ctxt;
    const guint8             *buf;
    gsize                     len;
    ews_node_t               *stack[MAX_KEPT_DEPTH];
    guint                     depth;       /* kept elements open */
    guint                     skip_depth;  /* unmatched elements open inside the top kept one */
    ews_node_t               *collecting;  /* leaf whose text is being gathered */
    ews_value_t               collect_kind;
    wmem_strbuf_t            *text;
    gboolean                  offsets;
    gint32                    last_pos;
    ews_node_t               *into;        /* fragment mode: the wrapper element stands for this node */
    xmlEntity                 literal;     /* stands for any undeclared entity in content: "&name;" */
    xmlEntity                 literal_attr; /* the same in an attribute value: kept unexpanded */
    GString                  *literal_text, *literal_name;
    struct { const xmlChar *uri; ews_ns_t ns; } ns_seen[4];   /* namespaces met, by address */
    guint                     ns_next;
} parse_state_t;

/* The namespace of a URI libxml2 hands over: from its parser dictionary, so one address all
 * through one document and never freed before this parse ends; the address is the key. */
static ews_ns_t
uri_ns(parse_state_t *st, const xmlChar *uri)
{
    if (!uri)
        return EWS_NS_NONE;
    for (guint i = 0; i < G_N_ELEMENTS(st->ns_seen); i++) {
        if (st->ns_seen[i].uri == uri)
            return st->ns_seen[i].ns;
    }
    ews_ns_t ns = ews_ns_from_uri((const char *)uri);
    guint k = st->ns_next++ % G_N_ELEMENTS(st->ns_seen);
    st->ns_seen[k].uri = uri;
    st->ns_seen[k].ns = ns;
    return ns;
}

static gint32
current_pos(parse_state_t *st)
{
    if (!st->offsets)
        return -1;
    long pos = xmlByteConsumed(st->ctxt);
    return (pos < 0 || pos > G_MAXINT32) ? -1 : (gint32)pos;
}

static ews_node_t *
new_node(parse_state_t *st, ews_node_t *parent, ews_kind_t kind, ews_ns_t ns, const char *value)
{
    ews_node_t *n = ews_node_append(st->scope, st->doc, st->limits, parent, kind, value);
    if (!n) {
        xmlStopParser(st->ctxt);
        return NULL;
    }
    n->ns = ns;
    return n;
}

static const ews_rule_t *
match_rule(ews_kind_t parent, ews_ns_t ns, const char *name, gboolean attribute)
{
    gsize count;
    const ews_rule_t *r = ews_rules_for(parent, &count);
    for (gsize i = 0; i < count; i++) {
        const char *rname = r[i].name;
        if ((rname[0] == '@') != attribute)
            continue;
        if (attribute)
            rname++;
        if (!(r[i].ns & NSB(ns)))
            continue;
        if ((rname[0] == '*' && rname[1] == '\0') || strcmp(rname, name) == 0)
            return &r[i];
    }
    return NULL;
}

static void
add_attributes(parse_state_t *st, ews_node_t *node, int nb_attributes, const xmlChar **attrs)
{
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar **a = attrs + 5 * i;   /* localname, prefix, URI, value, end */
        ews_ns_t ns = uri_ns(st, a[2]);
        const ews_rule_t *r = match_rule(node->kind, ns, (const char *)a[0], TRUE);
        if (!r)
            continue;
        gsize vlen = (gsize)(a[4] - a[3]);
        if (st->limits && st->limits->max_value && vlen > st->limits->max_value) {
            vlen = st->limits->max_value;
            st->doc->value_truncated = TRUE;
        }
        char *v = g_strstrip(wmem_strndup(st->scope, (const char *)a[3], vlen));
        ews_node_t *an = new_node(st, node, r->kind, ns, v);
        if (an) {
            an->start = node->start;
            an->end = current_pos(st);
        }
    }
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix _U_, const xmlChar *uri,
         int nb_namespaces _U_, const xmlChar **namespaces _U_,
         int nb_attributes, int nb_defaulted _U_, const xmlChar **attributes)
{
    parse_state_t *st = (parse_state_t *)ctx;
    gint32 start = st->last_pos;
    /* libxml2 reports a start tag before consuming its closing '>' or '/>' */
    gint32 pos = current_pos(st);
    if (pos >= 0 && (gsize)pos < st->len) {
        if (st->buf[pos] == '>')
            pos += 1;
        else if (st->buf[pos] == '/' && (gsize)pos + 1 < st->len && st->buf[pos + 1] == '>')
            pos += 2;
    }
    st->last_pos = pos;

    if (st->limits && st->limits->max_depth && st->depth + st->skip_depth >= st->limits->max_depth) {
        st->doc->depth_limit_hit = TRUE;
        if (!st->doc->error) {
            st->doc->error = wmem_strdup_printf(st->scope, "elements nested deeper than %u", st->limits->max_depth);
            st->doc->error_offset = st->last_pos;
        }
        xmlStopParser(st->ctxt);
        return;
    }
    if (st->skip_depth > 0 || st->collecting || st->depth >= MAX_KEPT_DEPTH) {
        st->skip_depth++;
        return;
    }
    if (st->into && st->depth == 0) {   /* the fragment's wrapper: its children belong to `into` */
        st->stack[st->depth++] = st->into;
        return;
    }
    ews_node_t *parent = st->depth ? st->stack[st->depth - 1] : &st->doc->root;
    ews_ns_t ns = uri_ns(st, uri);
    const ews_rule_t *r = match_rule(parent->kind, ns, (const char *)localname, FALSE);
    if (!r) {
        st->skip_depth++;
        return;
    }
    ews_node_t *n = new_node(st, parent, r->kind, ns,
                             r->value == EV_NAME ? wmem_strdup(st->scope, (const char *)localname) : NULL);
    if (!n) {
        st->skip_depth++;
        return;
    }
    n->start = start;
    st->stack[st->depth++] = n;
    add_attributes(st, n, nb_attributes, attributes);
    if (r->value == EV_TEXT || r->value == EV_LIST) {
        st->collecting = n;
        st->collect_kind = r->value;
        wmem_strbuf_truncate(st->text, 0);
    }
}

static void
finish_text(parse_state_t *st, ews_node_t *n)
{
    char *v = g_strstrip(wmem_strdup(st->scope, wmem_strbuf_get_str(st->text)));
    if (st->collect_kind != EV_LIST) {
        n->value = v;
        return;
    }
    /* xs:list: first token stays on n, each further token becomes a sibling of the same kind */
    char **tokens = g_strsplit_set(v, " \t\r\n", -1);
    gboolean first = TRUE;
    for (char **t = tokens; *t; t++) {
        if (!**t)
            continue;
        if (first) {
            n->value = wmem_strdup(st->scope, *t);
            first = FALSE;
            continue;
        }
        ews_node_t *sib = new_node(st, n->parent, n->kind, n->ns, wmem_strdup(st->scope, *t));
        if (!sib)
            break;
        sib->start = n->start;
        sib->end = n->end;
    }
    if (first)
        n->value = v;   /* empty list */
    g_strfreev(tokens);
}

static void
on_end(void *ctx, const xmlChar *localname _U_, const xmlChar *prefix _U_, const xmlChar *uri _U_)
{
    parse_state_t *st = (parse_state_t *)ctx;
    st->last_pos = current_pos(st);
    if (st->skip_depth > 0) {
        st->skip_depth--;
        return;
    }
    if (st->depth == 0)
        return;
    ews_node_t *n = st->stack[--st->depth];
    if (n == st->into)
        return;
    n->end = st->last_pos;
    if (st->collecting == n) {
        finish_text(st, n);
        st->collecting = NULL;
    }
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
    parse_state_t *st = (parse_state_t *)ctx;
    st->last_pos = current_pos(st);
    if (!st->collecting || st->skip_depth > 0 || len <= 0)
        return;
    gsize have = wmem_strbuf_get_len(st->text);
    gsize add = (gsize)len;
    if (st->limits && st->limits->max_value) {
        if (have >= st->limits->max_value) {
            st->doc->value_truncated = TRUE;
            return;
        }
        if (have + add > st->limits->max_value) {
            add = st->limits->max_value - have;
            st->doc->value_truncated = TRUE;
        }
    }
    wmem_strbuf_append_len(st->text, (const char *)ch, add);
}

/* DTDs are never honoured: note that one was there, declare nothing, resolve nothing. */
static void
on_internal_subset(void *ctx, const xmlChar *name _U_, const xmlChar *eid _U_, const xmlChar *sid _U_)
{
    ((parse_state_t *)ctx)->doc->doctype = TRUE;
}

static void
on_entity_decl(void *ctx _U_, const xmlChar *name _U_, int type _U_, const xmlChar *pid _U_,
               const xmlChar *sid _U_, xmlChar *content _U_)
{
}

/* A general entity: the five predefined ones resolve; any other reference (declared in an
 * ignored DOCTYPE or not declared at all) stays as its own text, "&name;", so the rest of
 * the body still decodes. In content libxml2 copies a predefined entity's content as soon
 * as this returns, so one entity whose content is rewritten per reference serves them all;
 * in an attribute value, an entity it must not expand is written back as the reference.
 * Inside the DOCTYPE libxml2 asks only whether a name is already declared: never. */
static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
    xmlEntityPtr e = xmlGetPredefinedEntity(name);
    parse_state_t *st = (parse_state_t *)ctx;
    if (e || !name || st->ctxt->inSubset)
        return e;
    g_string_printf(st->literal_text, "&%s;", (const char *)name);
    if (st->doc->n_literal_entities++ == 0)
        st->doc->literal_entity = wmem_strdup(st->scope, st->literal_text->str);
    if (st->ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE) {
        g_string_assign(st->literal_name, (const char *)name);
        st->literal_attr.name = (const xmlChar *)st->literal_name->str;
        return &st->literal_attr;
    }
    st->literal.content = (xmlChar *)st->literal_text->str;
    st->literal.length = (int)st->literal_text->len;
    return &st->literal;
}

/* Parameter entities only matter inside a DTD, which is never read. */
static xmlEntityPtr
on_get_parameter_entity(void *ctx _U_, const xmlChar *name _U_)
{
    return NULL;
}

static xmlParserInputPtr
on_resolve_entity(void *ctx _U_, const xmlChar *pid _U_, const xmlChar *sid _U_)
{
    return NULL;
}

static void
on_error(void *ctx, xmlErrorPtr err)
{
    parse_state_t *st = (parse_state_t *)ctx;
    if (!err || err->level < XML_ERR_ERROR)
        return;
    if (!st->doc->error) {
        char *msg = wmem_strdup(st->scope, err->message ? err->message : "XML error");
        g_strchomp(msg);
        st->doc->error = msg;
        st->doc->error_offset = current_pos(st);
    }
    /* Stop at the first error: what came before is trustworthy, what follows may not be
     * (libxml2 carries on after some errors, e.g. an undeclared entity, with odd events). */
    xmlStopParser(st->ctxt);
}

/* libxml2 reports some faults (encoding conversion) through its generic error channel, which
 * prints to stderr: while we parse, that channel only notes that something went wrong. */
static _Thread_local gboolean generic_error_seen;

static void
on_generic_error(void *ctx _U_, const char *msg _U_, ...)
{
    generic_error_seen = TRUE;
}

static gboolean
has_bom(const guint8 *buf, gsize len)
{
    return (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) ||
           (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF);
}

/* Just past the next `mark` (2 or 3 bytes), or `end`. */
static const guint8 *
skip_past(const guint8 *p, const guint8 *end, const char *mark)
{
    gsize n = strlen(mark);
    while (end - p >= (gssize)n) {
        const guint8 *q = memchr(p, mark[0], (gsize)(end - p) - n + 1);
        if (!q)
            break;
        if (memcmp(q, mark, n) == 0)
            return q + n;
        p = q + 1;
    }
    return end;
}

/* Where the first start tag with more than `max` attributes (namespace declarations
 * included) begins, or `len` when there is none. One pass: comments, CDATA sections,
 * processing instructions and declarations are stepped over whole; quoted values may hold
 * '=' and '>'. */
static gsize
attribute_bound(const guint8 *buf, gsize len, guint max)
{
    const guint8 *p = buf, *end = buf + len;
    /* a body with no more '=' in all than one tag may have is fine as it is: the usual case,
     * decided at memchr speed */
    guint eq = 0;
    for (const guint8 *q = buf; q < end && eq <= max; q++) {
        q = memchr(q, '=', (gsize)(end - q));
        if (!q)
            break;
        eq++;
    }
    if (eq <= max)
        return len;
    while (p < end) {
        const guint8 *lt = memchr(p, '<', (gsize)(end - p));
        if (!lt || lt + 1 >= end)
            break;
        p = lt + 1;
        if (*p == '/')
            continue;
        if (*p == '?') {
            p = skip_past(p, end, "?>");
            continue;
        }
        if (*p == '!') {
            if (end - p >= 3 && memcmp(p, "!--", 3) == 0) {
                p = skip_past(p + 3, end, "-->");
                continue;
            }
            if (end - p >= 8 && memcmp(p, "![CDATA[", 8) == 0) {
                p = skip_past(p + 8, end, "]]>");
                continue;
            }
        }
        gboolean decl = *p == '!';   /* <!DOCTYPE, <!ENTITY, <!ATTLIST ...: not counted */
        guint n = 0;
        while (p < end && *p != '>' && *p != '<') {
            if (*p == '"' || *p == '\'') {
                const guint8 *q = memchr(p + 1, *p, (gsize)(end - p - 1));
                p = q ? q + 1 : end;
                continue;
            }
            if (*p == '=' && !decl && ++n > max)
                return (gsize)(lt - buf);
            p++;
        }
    }
    return len;
}

static void parse_run(wmem_allocator_t *scope, const guint8 *buf, gsize len, const char *charset,
                      const ews_parse_limits_t *limits, ews_doc_t *doc, ews_node_t *into);

void
ews_soap_parse(wmem_allocator_t *scope, const guint8 *buf, gsize len, const char *charset,
               const ews_parse_limits_t *limits, ews_doc_t *doc)
{
    memset(doc, 0, sizeof(*doc));
    doc->root.kind = EK_ROOT;
    doc->root.start = 0;
    doc->root.end = (gint32)MIN(len, (gsize)G_MAXINT32);
    doc->error_offset = -1;
    parse_run(scope, buf, len, charset, limits, doc, NULL);
}

void
ews_soap_parse_into(wmem_allocator_t *scope, const char *fragment, ews_node_t *parent,
                    const ews_parse_limits_t *limits, ews_doc_t *doc)
{
    if (!fragment)
        return;
    char *wrapped = wmem_strdup_printf(scope, "<x>%s</x>", fragment);
    ews_doc_t frag;
    memset(&frag, 0, sizeof(frag));
    frag.root.kind = EK_ROOT;
    frag.error_offset = -1;
    frag.n_nodes = doc->n_nodes;
    parse_run(scope, (const guint8 *)wrapped, strlen(wrapped), NULL, limits, &frag, parent);
    doc->n_nodes = frag.n_nodes;
    doc->node_limit_hit |= frag.node_limit_hit;
    doc->value_truncated |= frag.value_truncated;
    doc->doctype |= frag.doctype;
    /* a broken fragment inside a well-formed JSON body is still a malformed body */
    if (frag.error && !doc->error)
        doc->error = frag.error;
    if (frag.error)
        doc->well_formed = FALSE;
    for (ews_node_t *n = parent->first; n; n = n->next)
        n->start = n->end = -1;
    parent->start = parent->end = -1;
}

ews_node_t *
ews_node_append(wmem_allocator_t *scope, ews_doc_t *doc, const ews_parse_limits_t *limits, ews_node_t *parent,
                ews_kind_t kind, const char *value)
{
    if (limits && limits->max_nodes && doc->n_nodes >= limits->max_nodes) {
        doc->node_limit_hit = TRUE;
        return NULL;
    }
    ews_node_t *n = wmem_new0(scope, ews_node_t);
    n->kind = kind;
    n->ns = EWS_NS_JSON;
    n->value = value;
    n->start = n->end = -1;
    n->parent = parent;
    if (parent->last)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
    doc->n_nodes++;
    return n;
}

static void
parse_run(wmem_allocator_t *scope, const guint8 *buf, gsize len, const char *charset,
          const ews_parse_limits_t *limits, ews_doc_t *doc, ews_node_t *into)
{
    if (len == 0 || len > G_MAXINT32) {
        doc->error = len ? "body too large for the XML parser" : "empty body";
        return;
    }

    gsize bound = limits && limits->max_attrs ? attribute_bound(buf, len, limits->max_attrs) : len;
    if (bound < len) {
        doc->attr_limit_hit = TRUE;
        doc->error = wmem_strdup_printf(scope, "a start tag with more than %u attributes", limits->max_attrs);
        doc->error_offset = (gint32)bound;
        if (bound == 0)
            return;
        len = bound;   /* what comes before it is still decoded */
    }

    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt((const char *)buf, (int)len);
    if (!ctxt) {
        doc->error = "XML parser could not be created";
        return;
    }
    xmlSAXHandlerPtr sax = (xmlSAXHandlerPtr)xmlMalloc(sizeof(xmlSAXHandler));
    if (!sax) {
        xmlFreeParserCtxt(ctxt);
        doc->error = "out of memory";
        return;
    }
    memset(sax, 0, sizeof(*sax));
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = on_start;
    sax->endElementNs = on_end;
    sax->characters = on_characters;
    sax->cdataBlock = on_characters;
    sax->ignorableWhitespace = on_characters;
    sax->internalSubset = on_internal_subset;
    sax->entityDecl = on_entity_decl;
    sax->getEntity = on_get_entity;
    sax->getParameterEntity = on_get_parameter_entity;
    sax->resolveEntity = on_resolve_entity;
    sax->serror = on_error;
    if (ctxt->sax)
        xmlFree(ctxt->sax);
    ctxt->sax = sax;

    parse_state_t st;
    memset(&st, 0, sizeof(st));
    st.scope = scope;
    st.limits = limits;
    st.doc = doc;
    st.ctxt = ctxt;
    st.buf = buf;
    st.len = len;
    st.into = into;
    st.text = wmem_strbuf_new(scope, "");
    st.literal.type = XML_ENTITY_DECL;
    st.literal.etype = XML_INTERNAL_PREDEFINED_ENTITY;
    st.literal.name = (const xmlChar *)"literal";
    st.literal_text = g_string_new(NULL);
    st.literal_attr.type = XML_ENTITY_DECL;
    st.literal_attr.etype = XML_INTERNAL_GENERAL_ENTITY;
    st.literal_attr.content = (xmlChar *)"";   /* nothing to expand, nothing to check */
    st.literal_attr.checked = 2;                /* libxml2: already checked, holds no '<' */
    st.literal_name = g_string_new(NULL);
    ctxt->userData = &st;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ctxt->replaceEntities = 0;
    ctxt->loadsubset = 0;
    ctxt->validate = 0;

    if (charset && *charset && !has_bom(buf, len) && g_ascii_strcasecmp(charset, "utf-8") != 0 &&
        g_ascii_strcasecmp(charset, "utf8") != 0) {
        xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(charset);
        if (h)
            xmlSwitchToEncoding(ctxt, h);
        else
            doc->bad_charset = TRUE;
    }
    /* Offsets are exact only while libxml2 reads the bytes as they are (UTF-8/ASCII);
     * under a converter xmlByteConsumed is costly, so ranges fall back to the body. */
    st.offsets = !(ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder) && !has_bom(buf, len);

    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    generic_error_seen = FALSE;
    xmlSetGenericErrorFunc(NULL, on_generic_error);
    xmlParseDocument(ctxt);
    xmlSetGenericErrorFunc(saved_ctx, saved_handler);
    if (generic_error_seen && !doc->error)
        doc->error = "character encoding conversion failed";
    /* libxml2 may build a document of its own even for SAX users (expat-compatible entity
     * handling inside a DOCTYPE): it is ours to free (found by fuzz_soap). */
    if (ctxt->myDoc) {
        xmlFreeDoc(ctxt->myDoc);
        ctxt->myDoc = NULL;
    }

    if (st.offsets && ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder)
        st.offsets = FALSE;   /* a declaration switched encodings mid-way: offsets are unreliable */
    doc->well_formed = ctxt->wellFormed && !doc->error;
    if (!ctxt->wellFormed && !doc->error)
        doc->error = "XML is not well-formed";
    /* Close whatever the fault left open so ranges run to where the parse stopped. */
    while (st.depth > 0) {
        ews_node_t *n = st.stack[--st.depth];
        if (n == into)
            continue;
        n->end = doc->error_offset >= 0 ? doc->error_offset : (gint32)len;
        if (st.collecting == n) {
            finish_text(&st, n);
            st.collecting = NULL;
        }
    }
    if (!st.offsets)
        doc->error_offset = -1;
    ctxt->userData = ctxt;
    xmlFreeParserCtxt(ctxt);
    g_string_free(st.literal_text, TRUE);
    g_string_free(st.literal_name, TRUE);
}

const ews_node_t *
ews_node_child(const ews_node_t *n, ews_kind_t kind)
{
    for (const ews_node_t *c = n ? n->first : NULL; c; c = c->next) {
        if (c->kind == kind)
            return c;
    }
    return NULL;
}

const ews_node_t *
ews_node_find(const ews_node_t *n, ews_kind_t kind)
{
    for (const ews_node_t *c = n ? n->first : NULL; c; c = c->next) {
        if (c->kind == kind)
            return c;
        const ews_node_t *d = ews_node_find(c, kind);
        if (d)
            return d;
    }
    return NULL;
}

const char *
ews_node_find_value(const ews_node_t *n, ews_kind_t kind)
{
    const ews_node_t *f = ews_node_find(n, kind);
    return f ? f->value : NULL;
}

guint
ews_node_count(const ews_node_t *n, ews_kind_t kind)
{
    guint k = 0;
    for (const ews_node_t *c = n ? n->first : NULL; c; c = c->next) {
        if (c->kind == kind)
            k++;
    }
    return k;
}
