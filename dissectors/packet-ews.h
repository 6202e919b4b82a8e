/* packet-ews.h
 * The "ews" protocol: EWS availability bodies handed over by HTTP and HTTP/2.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_EWS_H
#define PACKET_EWS_H

#include <epan/packet.h>

extern int proto_ews;
extern int ews_tap;   /* "ews": ews_tap_info_t per paired response */

#include "ews-tap.h"

enum { EWS_XML_TREE_AUTO = 0, EWS_XML_TREE_ALWAYS, EWS_XML_TREE_NEVER };

typedef struct {
    guint    max_body;          /* bytes; larger bodies are not parsed */
    guint    max_items;         /* decoded items per body */
    guint    max_depth;         /* element / JSON nesting */
    guint    max_attrs;         /* attributes on one XML start tag */
    gint     xml_tree;          /* EWS_XML_TREE_* */
    gboolean claim_media_types; /* take text/xml & co. from the XML dissector, chaining back */
} ews_prefs_t;

extern ews_prefs_t ews_prefs;
/* TRUE when this process is tshark writing -T fields with no xml/json field among them (set once at hand-off). */
/* tshark -T fields: only these fields (and any a filter references) need tree items. */

/* The protocol's own handle and the ones bodies are chained to; set in the handoff. */
void ews_set_chain_handles(dissector_handle_t ews, dissector_handle_t xml, dissector_handle_t json);
/* Field ids of other protocols read while dissecting; resolved in the handoff. */
void ews_resolve_foreign_fields(void);

/* The media_type hook: claims EWS bodies, passes every other body on untouched. */
int dissect_ews_media(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
/* OWA's X-OWA-UrlPostData header (URL-encoded JSON of a request with no body). */
void ews_dissect_owa_urlpostdata(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const char *value);
/* The "ews" protocol dissector (Decode As target). */
int dissect_ews_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);

#endif
