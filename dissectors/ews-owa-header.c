/* ews-owa-header.c
 * Outlook on the web sometimes sends GetUserAvailabilityInternal with no body: the JSON sits
 * URL-encoded in the X-OWA-UrlPostData request header. HTTP calls no media-type dissector
 * for a request without a body, so the "ews" post-dissector (ews-post.c) reads the header
 * from HTTP's request lines (first pass), keeps its value per frame and decodes it on every
 * pass. It runs before the routing post-dissector, which then sees the request like any.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-owa-header.h"

#include <string.h>
#include <epan/packet.h>
#include <epan/proto_data.h>

#include "packet-ews.h"
#include "ews-keys.h"
#include "ews-msginfo.h"
#include "ews-http.h"

static int hf_http_request_line = -1;

void
ews_owa_header_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gboolean http)
{
    const char *value = (const char *)p_get_proto_data(wmem_file_scope(), pinfo, proto_ews, EWS_KEY_URLPOSTDATA);
    if (!PINFO_FD_VISITED(pinfo) && tree && hf_http_request_line > 0 && http &&
        !ews_msg_info_get(pinfo, 0)) {
        GPtrArray *lines = proto_get_finfo_ptr_array(tree, hf_http_request_line);
        ews_http_request_t h;
        memset(&h, 0, sizeof(h));
        for (guint k = 0; lines && k < lines->len && !h.owa_urlpostdata; k++) {
            const char *v = fvalue_get_string(&((field_info *)lines->pdata[k])->value);
            ews_http_take_header(pinfo->pool, &h, v, strlen(v));
        }
        if (h.owa_urlpostdata) {
            value = wmem_strdup(wmem_file_scope(), h.owa_urlpostdata);
            p_add_proto_data(wmem_file_scope(), pinfo, proto_ews, EWS_KEY_URLPOSTDATA, (void *)value);
        }
    }
    if (value)
        ews_dissect_owa_urlpostdata(tvb, pinfo, tree, value);
}

void
ews_owa_header_wanted(GArray *wanted)
{
    if (hf_http_request_line > 0)
        g_array_append_val(wanted, hf_http_request_line);
}

void
ews_owa_header_handoff(void)
{
    hf_http_request_line = proto_registrar_get_id_byname("http.request.line");
}
