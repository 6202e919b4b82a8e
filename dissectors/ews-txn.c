/* ews-txn.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-txn.h"
#include "ews-keys.h"

#include <epan/conversation.h>
#include <epan/proto_data.h>

static int txn_proto = -1;   /* the protocol whose per-frame data holds the transactions */

void
ews_txn_init(int proto)
{
    txn_proto = proto;
}

/* Per-frame keys start here so they never collide with the per-packet counter key. */

typedef struct {
    wmem_list_t *pending0;  /* HTTP/1.x (stream 0): ews_txn_t*, oldest first */
    wmem_map_t  *pending;   /* HTTP/2 stream id -> wmem_list_t of ews_txn_t*, made on first use */
} ews_conv_t;

static wmem_list_t *
pending_list(packet_info *pinfo, guint32 stream, gboolean create)
{
    conversation_t *conv = create ? find_or_create_conversation(pinfo) : find_conversation_pinfo(pinfo, 0);
    if (!conv)
        return NULL;
    ews_conv_t *ec = (ews_conv_t *)conversation_get_proto_data(conv, txn_proto);
    if (!ec) {
        if (!create)
            return NULL;
        ec = wmem_new0(wmem_file_scope(), ews_conv_t);
        conversation_add_proto_data(conv, txn_proto, ec);
    }
    if (stream == 0) {      /* HTTP/1.x: no map, most connections never need one */
        if (!ec->pending0 && create)
            ec->pending0 = wmem_list_new(wmem_file_scope());
        return ec->pending0;
    }
    if (!ec->pending) {
        if (!create)
            return NULL;
        ec->pending = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    }
    wmem_list_t *l = (wmem_list_t *)wmem_map_lookup(ec->pending, GUINT_TO_POINTER(stream));
    if (!l && create) {
        l = wmem_list_new(wmem_file_scope());
        wmem_map_insert(ec->pending, GUINT_TO_POINTER(stream), l);
    }
    return l;
}

ews_txn_t *
ews_txn_new_request(packet_info *pinfo, guint32 stream, const char *operation)
{
    ews_txn_t *t = wmem_new0(wmem_file_scope(), ews_txn_t);
    t->req_frame = pinfo->num;
    t->req_time = pinfo->abs_ts;
    t->operation = operation;
    wmem_list_append(pending_list(pinfo, stream, TRUE), t);
    return t;
}

ews_txn_t *
ews_txn_take_response(packet_info *pinfo, guint32 stream)
{
    wmem_list_t *l = pending_list(pinfo, stream, FALSE);
    wmem_list_frame_t *head = l ? wmem_list_head(l) : NULL;
    if (!head)
        return NULL;
    ews_txn_t *t = (ews_txn_t *)wmem_list_frame_data(head);
    wmem_list_remove_frame(l, head);
    t->rsp_frame = pinfo->num;
    return t;
}

gboolean
ews_txn_has_pending(packet_info *pinfo, guint32 stream)
{
    wmem_list_t *l = pending_list(pinfo, stream, FALSE);
    return l && wmem_list_count(l) > 0;
}

void
ews_txn_remember(packet_info *pinfo, guint index, ews_txn_t *txn)
{
    p_add_proto_data(wmem_file_scope(), pinfo, txn_proto, EWS_KEY_TXN(index), txn);
}

ews_txn_t *
ews_txn_recall(packet_info *pinfo, guint index)
{
    if (index >= EWS_MAX_BODIES_PER_FRAME)
        return NULL;
    return (ews_txn_t *)p_get_proto_data(wmem_file_scope(), pinfo, txn_proto, EWS_KEY_TXN(index));
}
