/* ews-owa-json.h
 * Outlook on the web's JSON availability messages (GetUserAvailabilityInternal and
 * GetUserAvailability) decoded into the same items as the SOAP form, so one field
 * (ews.response.code, ews.mailbox, ...) finds both. Uses Wireshark's JSON tokenizer (wsjson).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_OWA_JSON_H
#define EWS_OWA_JSON_H

#include "ews-soap-parse.h"

#define EWS_JSON_MAX_DEPTH 256   /* hard cap; limits->max_depth may set less */

/* Decode `len` bytes of JSON. `is_request` says which way the message goes when the
 * body's __type does not. doc->root gets EK_JSON_MESSAGE > EK_HEADER/EK_BODY > EK_GUA_*. */
void ews_owa_json_parse(wmem_allocator_t *scope, const guint8 *buf, gsize len, gboolean is_request,
                        const ews_parse_limits_t *limits, ews_doc_t *doc);

#include <wsutil/jsmn.h>
/* Index of the token after the subtree rooted at token i (iterative, no recursion). */
int ews_json_skip(const jsmntok_t *t, int n, int i);

/* TRUE when the JSON text names an availability operation (cheap check before parsing). */
gboolean ews_owa_json_is_availability(const guint8 *buf, gsize len);

#endif
