/* ews-register.c
 * Registration of the "ews" protocol, its preferences, and the hand-off that
 * places it in front of Wireshark's XML dissector for SOAP media types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-register.h"

#include <epan/packet.h>
#include <epan/prefs.h>
#include <string.h>

#include "packet-ews.h"
#include "ews-fields.h"
#include "packet-ewsflow.h"
#include "ews-intern.h"
#include "ews-h2body.h"
#include "ews-txn.h"
#include "ews-owa-header.h"
#include "ews-post.h"
#include "ews-stats.h"

/* Media types EWS SOAP travels as. Each one stays Wireshark's XML dissection for every
 * body that is not EWS: the body dissector chains to the handle that owned the type. */
static const char *const soap_media_types[] = {
    "text/xml",
    "application/soap+xml",
    "application/xml",
    "application/json",      /* Outlook on the web; other JSON bodies go on to the JSON dissector */
};

static dissector_handle_t ews_handle;
static dissector_handle_t ews_media_handle;
static gboolean claimed;

static const enum_val_t xml_tree_vals[] = {
    { "auto",   "When a filter, column or statistic uses xml or json fields", EWS_XML_TREE_AUTO },
    { "always", "Always (as fast as stock Wireshark, no faster)", EWS_XML_TREE_ALWAYS },
    { "never",  "Never for EWS bodies", EWS_XML_TREE_NEVER },
    { NULL, NULL, 0 }
};

void
proto_register_ews(void)
{
    proto_ews = proto_register_protocol("Exchange Web Services Availability", "EWS", "ews");
    ews_register_fields(proto_ews);
    ews_txn_init(proto_ews);
    ews_post_register(proto_ews);
    ews_tap = ews_stats_register(proto_ews);
    ews_intern_init();
    ews_handle = register_dissector("ews", dissect_ews_body, proto_ews);
    /* No protocol on the hook: a body it passes on leaves no "ews" layer behind. */
    ews_media_handle = create_dissector_handle_with_name(dissect_ews_media, -1, "ews_media");

    module_t *m = prefs_register_protocol(proto_ews, proto_reg_handoff_ews);
    prefs_register_uint_preference(m, "max_body_size", "Largest body decoded (bytes)",
                                   "EWS bodies larger than this are not parsed; an expert info says so",
                                   10, &ews_prefs.max_body);
    prefs_register_uint_preference(m, "max_items", "Most items decoded per body",
                                   "Decoding stops after this many elements and attributes; an expert info says so",
                                   10, &ews_prefs.max_items);
    prefs_register_uint_preference(m, "max_depth", "Deepest nesting decoded",
                                   "XML elements or JSON levels nested deeper than this stop the decoding; an expert info says so "
                                   "(EWS messages nest about 12 levels)",
                                   10, &ews_prefs.max_depth);
    prefs_register_uint_preference(m, "max_attributes", "Most attributes per XML element",
                                   "A start tag with more attributes (namespace declarations included) ends the decoding before it; "
                                   "an expert info says so (EWS elements carry a handful; the XML parser's cost grows with the square)",
                                   10, &ews_prefs.max_attrs);
    prefs_register_enum_preference(m, "xml_tree", "Show the generic XML tree under EWS bodies",
                                   "The EWS tree decodes the body; Wireshark's generic XML/JSON tree under it repeats it and is most of the "
                                   "cost of dissecting EWS traffic. 'auto' builds it when a filter, column or statistic uses xml/json "
                                   "fields; choose 'always' to see it in the packet details or to print xml.* fields with tshark -T fields",
                                   &ews_prefs.xml_tree, xml_tree_vals, FALSE);
    prefs_register_bool_preference(m, "claim_media_types", "Decode SOAP bodies as EWS automatically",
                                   "Look at every text/xml, application/soap+xml, application/xml and application/json body; "
                                   "bodies that are not EWS/OWA availability go on to the XML or JSON dissector unchanged. "
                                   "When off, use Decode As (media_type) to pick EWS",
                                   &ews_prefs.claim_media_types);
}


void
proto_reg_handoff_ews(void)
{
    static gboolean initialized;

    if (!initialized) {
        /* Both by name: the XML/JSON handles are what the media types map to before we claim them. */
        ews_set_chain_handles(ews_handle, find_dissector_add_dependency("xml", proto_ews),
                              find_dissector_add_dependency("json", proto_ews));
        ews_resolve_foreign_fields();
        ews_h2body_handoff();
        ews_owa_header_handoff();
        dissector_add_for_decode_as("media_type", ews_handle);
        initialized = TRUE;
    }

    if (ews_prefs.claim_media_types && !claimed) {
        for (gsize i = 0; i < G_N_ELEMENTS(soap_media_types); i++)
            dissector_add_string("media_type", soap_media_types[i], ews_media_handle);
        claimed = TRUE;
    } else if (!ews_prefs.claim_media_types && claimed) {
        /* Only where the hook still sits: a Decode As choice made meanwhile stays. */
        for (gsize i = 0; i < G_N_ELEMENTS(soap_media_types); i++) {
            dissector_handle_t owner = find_dissector(strstr(soap_media_types[i], "json") ? "json" : "xml");
            if (dissector_get_string_handle(find_dissector_table("media_type"), soap_media_types[i]) == ews_media_handle)
                dissector_change_string("media_type", soap_media_types[i], owner);
        }
        claimed = FALSE;
    }
}
