/* ews-soap-parse.h
 * Parse an EWS SOAP body (libxml2 SAX2, namespace-aware) into a small tree of
 * decoded items described by ews-soap-schema.c. No epan dependency: the same
 * code runs in the dissector, the unit tests and the fuzz harnesses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_SOAP_PARSE_H
#define EWS_SOAP_PARSE_H

#include <glib.h>
#include <wsutil/wmem/wmem.h>
#include "ews-soap-schema.h"

typedef struct ews_node {
    ews_kind_t       kind;
    ews_ns_t         ns;       /* namespace the element was found in */
    const char      *value;    /* NULL for containers */
    gint32           start;    /* byte range in the body, -1 when unknown */
    gint32           end;
    struct ews_node *parent, *first, *last, *next;
} ews_node_t;

typedef struct {
    guint max_nodes;   /* decoded items kept per body; 0 = no limit */
    guint max_value;   /* bytes kept of one text value; 0 = no limit */
    guint max_depth;   /* element (or JSON) nesting; 0 = the parser's own limit (libxml2: 256) */
    guint max_attrs;   /* attributes (namespace declarations included) on one start tag; 0 = no limit */
} ews_parse_limits_t;

typedef struct {
    ews_node_t  root;            /* EK_ROOT; children are what was decoded */
    gboolean    well_formed;     /* libxml2 saw no error */
    const char *error;           /* first parser error message, or NULL */
    gint32      error_offset;    /* where it was detected, -1 when unknown */
    gboolean    doctype;         /* a DOCTYPE was present: ignored, nothing expanded */
    gboolean    node_limit_hit;  /* parsing stopped at max_nodes */
    gboolean    value_truncated; /* at least one value was cut at max_value */
    gboolean    bad_charset;     /* the declared charset is unknown to libxml2 */
    gboolean    depth_limit_hit; /* parsing stopped at max_depth */
    gboolean    attr_limit_hit;  /* parsing stopped before a start tag with more than max_attrs attributes */
    guint       n_literal_entities; /* undeclared entity references kept as their literal text */
    const char *literal_entity;  /* the first of them, "&name;" */
    guint       n_nodes;
} ews_doc_t;

/* Parse `len` bytes. `charset` is the HTTP charset parameter or NULL. Never fails:
 * whatever was decoded before an error stays in doc->root. */
void ews_soap_parse(wmem_allocator_t *scope, const guint8 *buf, gsize len,
                    const char *charset, const ews_parse_limits_t *limits, ews_doc_t *doc);

/* Parse an XML fragment (several top-level elements allowed, e.g. an OWA MessageXml string)
 * as children of `parent`, by the rules for parent->kind. Byte ranges are not kept. */
void ews_soap_parse_into(wmem_allocator_t *scope, const char *fragment, ews_node_t *parent,
                         const ews_parse_limits_t *limits, ews_doc_t *doc);

/* Append a decoded item (used by the JSON decoder); NULL when doc's item limit is reached. */
ews_node_t *ews_node_append(wmem_allocator_t *scope, ews_doc_t *doc, const ews_parse_limits_t *limits,
                            ews_node_t *parent, ews_kind_t kind, const char *value);

/* First descendant (depth-first, pre-order) of `n` with the given kind, or NULL. */
const ews_node_t *ews_node_find(const ews_node_t *n, ews_kind_t kind);
/* First direct child of `n` with the given kind, or NULL. */
const ews_node_t *ews_node_child(const ews_node_t *n, ews_kind_t kind);
/* Value of the first descendant with the given kind, or NULL. */
const char *ews_node_find_value(const ews_node_t *n, ews_kind_t kind);
/* Number of direct children with the given kind. */
guint ews_node_count(const ews_node_t *n, ews_kind_t kind);

#endif
