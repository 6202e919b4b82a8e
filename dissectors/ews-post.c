/* ews-post.c
 * The "ews" protocol's one post-dissector: HTTP/2 bodies that never ended (ews-h2body.c), then
 * OWA's body-less requests (ews-owa-header.c), in that order and before the routing
 * post-dissector. One handle rather than one each: every post-dissector is called on every
 * frame of every capture, with a protocol layer pushed and popped around it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-post.h"

#include <epan/packet.h>

#include "ews-h2body.h"
#include "ews-owa-header.h"

static dissector_handle_t ews_post_handle;
static int proto_http = -1, proto_http2 = -1;

static int
dissect_ews_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    gboolean http = FALSE, http2 = FALSE;   /* the frame's layers, walked once for both */
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        http |= id == proto_http;
        http2 |= id == proto_http2;
    }
    if (http2)
        ews_h2body_post(tvb, pinfo, tree);
    ews_owa_header_post(tvb, pinfo, tree, http);
    return 0;
}

static void
ews_post_init(void)
{
    proto_http = proto_get_id_by_filter_name("http");
    proto_http2 = proto_get_id_by_filter_name("http2");
    GArray *wanted = g_array_new(FALSE, FALSE, sizeof(int));
    ews_h2body_wanted(wanted);
    ews_owa_header_wanted(wanted);
    set_postdissector_wanted_hfids(ews_post_handle, wanted);
}

static void
ews_post_cleanup(void)
{
    set_postdissector_wanted_hfids(ews_post_handle, NULL);
}

void
ews_post_register(int proto)
{
    ews_h2body_register();
    ews_post_handle = create_dissector_handle_with_name(dissect_ews_post, proto, "ews_post");
    register_postdissector(ews_post_handle);
    register_init_routine(ews_post_init);
    register_cleanup_routine(ews_post_cleanup);
}
