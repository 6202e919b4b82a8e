/* ewsflow-report.c
 * tshark -z ewsflow,lookups[,filter]: every availability lookup and proxy hop of the capture
 * with its path, endpoint, outcome and latency, printed at the end of the run, so a
 * single-pass run still shows every reset.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-report.h"

#include <stdio.h>
#include <string.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>

#include "ewsflow-tap.h"

typedef struct {
    GPtrArray  *reqs;   /* ewsflow_req_t*, in order of first appearance */
    GHashTable *seen;
} report_t;

static void
report_reset(void *p)
{
    report_t *rp = (report_t *)p;
    g_ptr_array_set_size(rp->reqs, 0);
    g_hash_table_remove_all(rp->seen);
}

static tap_packet_status
report_packet(void *p, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    report_t *rp = (report_t *)p;
    const ewsflow_tap_info_t *ti = (const ewsflow_tap_info_t *)data;
    tap_packet_status st = TAP_PACKET_DONT_REDRAW;
    for (wmem_list_frame_t *f = ti->started ? wmem_list_head(ti->started) : NULL; f; f = wmem_list_frame_next(f)) {
        ewsflow_req_t *r = (ewsflow_req_t *)wmem_list_frame_data(f);
        if (!ewsflow_req_is_lookup(r) || g_hash_table_contains(rp->seen, r))
            continue;
        g_hash_table_add(rp->seen, r);
        g_ptr_array_add(rp->reqs, r);
        st = TAP_PACKET_REDRAW;
    }
    return st;
}

static char *
outcome_text(const ewsflow_req_t *r)
{
    if (r->reset_frame) {
        nstime_t d;
        nstime_delta(&d, &r->reset_ts, &r->ts);
        return g_strdup_printf("RESET by %s %.0f ms after the request (frame %u)%s", r->reset_by_server ? "server" : "client",
                               nstime_to_msec(&d), r->reset_frame, r->complete ? "" : ", body never sent");
    }
    if (r->closed_frame)
        return g_strdup_printf("closed unanswered (frame %u)", r->closed_frame);
    if (r->response_frame)
        return g_strdup_printf("HTTP %u%s%s", r->status ? r->status : 200, r->outcome ? " " : "", r->outcome ? r->outcome : "");
    return g_strdup("no response in capture");
}

static void
report_draw(void *p)
{
    report_t *rp = (report_t *)p;
    printf("=====================================================================================================\n");
    printf("EWS free/busy lookups (ewsflow): %u\n", rp->reqs->len);
    printf("%-6s %-20s %-28s %-27s %-8s %s\n", "Frame", "Requester", "Target", "Path", "Latency", "Endpoint / Outcome");
    for (guint i = 0; i < rp->reqs->len; i++) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)g_ptr_array_index(rp->reqs, i);
        char latency[32] = "-";
        if (r->response_frame) {
            nstime_t d;
            nstime_delta(&d, &r->response_ts, &r->ts);
            snprintf(latency, sizeof(latency), "%.1f ms", nstime_to_msec(&d));
        }
        char *outcome = outcome_text(r);
        printf("%-6u %-20s %-28s %-27s %-8s %s%s\n       %s\n", r->frame, r->requester ? r->requester : "-",
               r->mailboxes ? r->mailboxes : "-", ewsflow_path_name(r->path), latency, r->host ? r->host : "",
               r->uri ? r->uri : "", outcome);
        g_free(outcome);
    }
    printf("=====================================================================================================\n");
}

static void
report_finish(void *p)
{
    report_t *rp = (report_t *)p;
    g_ptr_array_free(rp->reqs, TRUE);
    g_hash_table_destroy(rp->seen);
    g_free(rp);
}

static void
report_init(const char *opt_arg, void *userdata _U_)
{
    const char *filter = NULL;
    if (opt_arg && strncmp(opt_arg, "ewsflow,lookups,", 16) == 0)
        filter = opt_arg + 16;
    report_t *rp = g_new0(report_t, 1);
    rp->reqs = g_ptr_array_new();
    rp->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    GString *err = register_tap_listener("ewsflow", rp, filter, TL_REQUIRES_NOTHING, report_reset, report_packet,
                                         report_draw, report_finish);
    if (err) {
        fprintf(stderr, "tshark: couldn't register ewsflow,lookups tap: %s\n", err->str);
        g_string_free(err, TRUE);
        report_finish(rp);
        exit(1);
    }
}

void
ewsflow_register_report(void)
{
    static stat_tap_ui ui = { REGISTER_STAT_GROUP_GENERIC, NULL, "ewsflow,lookups", report_init, 0, NULL };
    register_stat_tap_ui(&ui, NULL);
}
