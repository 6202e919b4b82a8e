/* ews-stats.c
 * Statistics > Service Response Time > EWS (tshark -z ews,srt): the time from each request
 * to its response, per operation. Rows are the operations in ews_op_vals, so "Apply as
 * Filter" on a row gives ews.operation_code == <row>.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-stats.h"

#include <epan/tap.h>
#include <epan/srt_table.h>

#include "ews-tap.h"

static void
srt_init(struct register_srt *srt _U_, GArray *srt_array)
{
    srt_stat_table *t = init_srt_table("EWS operations", NULL, srt_array, EWS_OP__COUNT, "Operation", "ews.operation_code", NULL);
    for (int i = 0; i < EWS_OP__COUNT; i++)
        init_srt_table_row(t, i, val_to_str_const((guint32)i, ews_op_vals, "?"));
}

static tap_packet_status
srt_packet(void *pss, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    const ews_tap_info_t *t = (const ews_tap_info_t *)data;
    srt_data_t *d = (srt_data_t *)pss;
    if (!t || t->op >= EWS_OP__COUNT)
        return TAP_PACKET_DONT_REDRAW;
    add_srt_table_data(g_array_index(d->srt_array, srt_stat_table *, 0), t->op, &t->request_time, pinfo);
    return TAP_PACKET_REDRAW;
}

int
ews_stats_register(int proto)
{
    int tap = register_tap("ews");
    register_srt_table(proto, "ews", 1, srt_packet, srt_init, NULL);
    return tap;
}
