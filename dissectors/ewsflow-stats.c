/* ewsflow-stats.c
 * The Statistics menu for free/busy routing, each entry with its tshark twin:
 *   Statistics > EWS > Free-busy lookups      tshark -z ewsflow,tree     (stats tree)
 *   Statistics > EWS free/busy lookup table    tshark -z ewsflow,table    (one row per lookup and hop)
 *   Statistics > Flow Graph, "EWS free/busy"   tshark -z flow,ewsflow,standard
 * All three listen to the "ewsflow" tap (ewsflow_tap_info_t): a lookup is counted where it
 * starts and its outcome where it is decided, so single-pass tshark and the GUI's re-taps
 * agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-stats.h"

#include <string.h>
#include <epan/stats_tree.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "ewsflow-tap.h"
#include "ws-seqanalysis.h"

/* ---- how a request ended, in words shared by the three views ------------------------ */

/* HTTP said no, or a mailbox's ResponseCode is anything but NoError ("NoError,ErrorXyz"). */
static gboolean
answered_with_error(const ewsflow_req_t *r)
{
    if (r->status >= 400)
        return TRUE;
    for (const char *p = r->outcome; p && *p;) {
        gsize n = strcspn(p, ",");
        if (!(n == 7 && strncmp(p, "NoError", 7) == 0))
            return TRUE;
        p += n;
        if (*p == ',')
            p++;
    }
    return FALSE;
}

/* Counted once: where the request completes, or where it dies if it never did (Expect:
 * 100-continue headers whose body was never sent). */
static gboolean
counted_here(const ewsflow_req_t *r, packet_info *pinfo, gboolean ending)
{
    if (!ewsflow_req_is_lookup(r))
        return FALSE;
    return ending ? !r->complete : (r->complete && r->frame == pinfo->num);
}

static const char *
fate(const ewsflow_req_t *r)
{
    if (r->reset_frame)
        return "reset before a response";
    if (r->closed_frame)
        return "closed unanswered";
    if (r->response_frame)
        return answered_with_error(r) ? "answered with an error" : "answered";
    return "no response in the capture";
}

static gchar *
requester_to_target(const ewsflow_req_t *r)
{
    return g_strdup_printf("%s -> %s", r->requester ? r->requester : "(requester unknown)",
                           r->mailboxes ? r->mailboxes : "(target unknown)");
}

/* ---- stats tree ------------------------------------------------------------------------ */

static const char ST_LOOKUPS[] = "Lookups and proxy hops, by path";
static const char ST_OUTCOMES[] = "Outcomes";
static const char ST_PAIRS[] = "Requester -> target";
static const char ST_DIAGNOSES[] = "Diagnoses written";
static int st_lookups = -1, st_outcomes = -1, st_pairs = -1, st_diagnoses = -1;

static void
tree_init(stats_tree *st)
{
    st_lookups = stats_tree_create_node(st, ST_LOOKUPS, 0, STAT_DT_INT, TRUE);
    st_outcomes = stats_tree_create_node(st, ST_OUTCOMES, 0, STAT_DT_INT, TRUE);
    st_pairs = stats_tree_create_node(st, ST_PAIRS, 0, STAT_DT_INT, TRUE);
    st_diagnoses = stats_tree_create_node(st, ST_DIAGNOSES, 0, STAT_DT_INT, TRUE);
}

static void
tick_outcome(stats_tree *st, const ewsflow_req_t *r)
{
    if (!ewsflow_req_is_lookup(r))
        return;
    tick_stat_node(st, ST_OUTCOMES, 0, TRUE);
    int o = tick_stat_node(st, fate(r), st_outcomes, TRUE);
    tick_stat_node(st, ewsflow_path_name(r->path), o, FALSE);
}

static void
tick_lookup(stats_tree *st, const ewsflow_req_t *r)
{
    tick_stat_node(st, ST_LOOKUPS, 0, TRUE);
    tick_stat_node(st, ewsflow_path_name(r->path), st_lookups, FALSE);
    tick_stat_node(st, ST_PAIRS, 0, TRUE);
    gchar *pair = requester_to_target(r);
    tick_stat_node(st, pair, st_pairs, FALSE);
    g_free(pair);
}

static tap_packet_status
tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    const ewsflow_tap_info_t *ti = (const ewsflow_tap_info_t *)data;
    tap_packet_status status = TAP_PACKET_DONT_REDRAW;
    for (wmem_list_frame_t *f = ti->started ? wmem_list_head(ti->started) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
        if (counted_here(r, pinfo, FALSE)) {
            tick_lookup(st, r);
            status = TAP_PACKET_REDRAW;
        }
    }
    wmem_list_t *ended[] = { ti->answered, ti->killed, ti->closed };
    for (gsize k = 0; k < G_N_ELEMENTS(ended); k++) {
        for (wmem_list_frame_t *f = ended[k] ? wmem_list_head(ended[k]) : NULL; f; f = wmem_list_frame_next(f)) {
            const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
            if (counted_here(r, pinfo, TRUE))
                tick_lookup(st, r);
            tick_outcome(st, r);
            status = TAP_PACKET_REDRAW;
        }
    }
    for (wmem_list_frame_t *f = ti->stories ? wmem_list_head(ti->stories) : NULL; f; f = wmem_list_frame_next(f)) {
        const ewsflow_story_t *s = (const ewsflow_story_t *)wmem_list_frame_data(f);
        tick_stat_node(st, ST_DIAGNOSES, 0, TRUE);
        gchar *kind = s->hop ? g_strdup_printf("%s hop %s", ewsflow_path_name(s->hop->path), fate(s->hop))
                             : g_strdup("throttled (back off)");
        tick_stat_node(st, kind, st_diagnoses, FALSE);
        g_free(kind);
        status = TAP_PACKET_REDRAW;
    }
    return status;
}

/* ---- lookup table ------------------------------------------------------------------------ */

enum { COL_FRAME, COL_REQUESTER, COL_TARGET, COL_PATH, COL_LATENCY, COL_OUTCOME, COL__COUNT };

static stat_tap_table_item table_columns[COL__COUNT] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Frame",        "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Requester",    "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Target",       "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Path",         "%s" },
    { TABLE_ITEM_FLOAT,  TAP_ALIGN_RIGHT, "Latency (ms)", "%.1f" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Outcome",      "%s" },
};

static const char TABLE_NAME[] = "EWS free/busy lookups and hops";
static GHashTable *row_of;   /* ewsflow_req_t* -> row + 1, for the table being filled */

static void
set_string(stat_tap_table *t, guint row, guint col, const char *v)
{
    stat_tap_table_item_type *it = stat_tap_get_field_data(t, row, col);
    g_free((gchar *)it->value.string_value);
    it->value.string_value = g_strdup(v ? v : "-");
    stat_tap_set_field_data(t, row, col, it);
}

static void
fill_outcome(stat_tap_table *t, guint row, const ewsflow_req_t *r)
{
    stat_tap_table_item_type *lat = stat_tap_get_field_data(t, row, COL_LATENCY);
    if (r->response_frame || r->reset_frame) {   /* until the answer, or until the reset */
        nstime_t d;
        nstime_delta(&d, r->response_frame ? &r->response_ts : &r->reset_ts, &r->ts);
        lat->value.float_value = (float)nstime_to_msec(&d);
    }
    stat_tap_set_field_data(t, row, COL_LATENCY, lat);
    gchar *o;
    if (r->reset_frame)
        o = g_strdup_printf("reset in frame %u", r->reset_frame);
    else if (r->closed_frame)
        o = g_strdup_printf("closed unanswered in frame %u", r->closed_frame);
    else if (r->response_frame)
        o = g_strdup_printf("HTTP %u%s%s (frame %u)", r->status ? r->status : 200, r->outcome ? " " : "",
                            r->outcome ? r->outcome : "", r->response_frame);
    else
        o = g_strdup("no response in the capture");
    set_string(t, row, COL_OUTCOME, o);
    g_free(o);
}

static void
table_free_item(stat_tap_table *table _U_, guint row _U_, guint column, stat_tap_table_item_type *field)
{
    if (table_columns[column].type == TABLE_ITEM_STRING)
        g_free((gchar *)field->value.string_value);
}

static void
table_reset(stat_tap_table *table)
{
    for (guint r = 0; r < table->num_elements; r++) {
        for (guint c = 0; c < table->num_fields; c++)
            table_free_item(table, r, c, &table->elements[r][c]);
        g_free(table->elements[r]);
    }
    table->num_elements = 0;
    if (row_of)
        g_hash_table_remove_all(row_of);
}

static void
table_init(stat_tap_table_ui *ui)
{
    if (!row_of)
        row_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    stat_tap_table *t = stat_tap_find_table(ui, TABLE_NAME);
    if (t) {   /* the GUI calls this again on every refill */
        table_reset(t);
        return;
    }
    stat_tap_add_table(ui, stat_tap_init_table(TABLE_NAME, COL__COUNT, 0, NULL));
}

static void
add_row(stat_tap_table *t, const ewsflow_req_t *r)
{
    stat_tap_table_item_type items[COL__COUNT];
    memset(items, 0, sizeof(items));
    for (int c = 0; c < COL__COUNT; c++)
        items[c].type = table_columns[c].type;
    items[COL_FRAME].value.uint_value = r->frame;
    items[COL_REQUESTER].value.string_value = g_strdup(r->requester ? r->requester : "-");
    items[COL_TARGET].value.string_value = g_strdup(r->mailboxes ? r->mailboxes : "-");
    items[COL_PATH].value.string_value = g_strdup(ewsflow_path_name(r->path));
    items[COL_OUTCOME].value.string_value = g_strdup("no response in the capture");
    guint row = t->num_elements;
    stat_tap_init_table_row(t, row, COL__COUNT, items);
    g_hash_table_insert(row_of, (gpointer)r, GUINT_TO_POINTER(row + 1));
    fill_outcome(t, row, r);   /* on a re-tap the outcome is already known */
}

static tap_packet_status
table_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    const ewsflow_tap_info_t *ti = (const ewsflow_tap_info_t *)data;
    stat_tap_table *t = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    tap_packet_status status = TAP_PACKET_DONT_REDRAW;
    wmem_list_t *lists[] = { ti->started, ti->answered, ti->killed, ti->closed };
    for (gsize k = 0; k < G_N_ELEMENTS(lists); k++) {
        for (wmem_list_frame_t *f = lists[k] ? wmem_list_head(lists[k]) : NULL; f; f = wmem_list_frame_next(f)) {
            const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
            if (counted_here(r, pinfo, k > 0) && !g_hash_table_contains(row_of, r)) {
                add_row(t, r);
                status = TAP_PACKET_REDRAW;
            }
        }
    }
    wmem_list_t *ended[] = { ti->answered, ti->killed, ti->closed };
    for (gsize k = 0; k < G_N_ELEMENTS(ended); k++) {
        for (wmem_list_frame_t *f = ended[k] ? wmem_list_head(ended[k]) : NULL; f; f = wmem_list_frame_next(f)) {
            const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
            guint row = GPOINTER_TO_UINT(g_hash_table_lookup(row_of, r));
            if (row) {
                fill_outcome(t, row - 1, r);
                status = TAP_PACKET_REDRAW;
            }
        }
    }
    return status;
}

static tap_param table_params[] = { { PARAM_FILTER, "filter", "Filter", NULL, TRUE } };

static stat_tap_table_ui table_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "EWS free/busy lookup table",
    "ewsflow",
    "ewsflow,table",
    table_init,
    table_packet,
    table_reset,
    table_free_item,
    NULL,
    COL__COUNT, table_columns,
    G_N_ELEMENTS(table_params), table_params,
    NULL,
    0
};

/* ---- flow graph ---------------------------------------------------------------------------- */

static tap_packet_status
flow_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    ews_seq_info_t *sainfo = (ews_seq_info_t *)tapdata;
    const ewsflow_tap_info_t *ti = (const ewsflow_tap_info_t *)data;
    gchar *label = NULL, *comment = NULL;

    /* the one thing this frame means for a lookup, most telling first */
    const ewsflow_story_t *story = ti->stories ? (const ewsflow_story_t *)wmem_list_frame_data(wmem_list_head(ti->stories)) : NULL;
    const ewsflow_req_t *killed = ti->killed ? (const ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(ti->killed)) : NULL;
    const ewsflow_req_t *closed = ti->closed ? (const ewsflow_req_t *)wmem_list_frame_data(wmem_list_head(ti->closed)) : NULL;
    const ewsflow_req_t *started = NULL, *answered = NULL;
    for (wmem_list_frame_t *f = ti->started ? wmem_list_head(ti->started) : NULL; f && !started; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
        if (counted_here(r, pinfo, FALSE))
            started = r;
    }
    for (wmem_list_frame_t *f = ti->answered ? wmem_list_head(ti->answered) : NULL; f && !answered; f = wmem_list_frame_next(f)) {
        const ewsflow_req_t *r = (const ewsflow_req_t *)wmem_list_frame_data(f);
        if (ewsflow_req_is_lookup(r))
            answered = r;
    }
    if (story) {
        label = g_strdup_printf("error: %s", story->summary);
        comment = g_strdup(story->summary);
    } else if (killed && ewsflow_req_is_lookup(killed)) {
        label = g_strdup_printf("RST: %s request (frame %u) lost", ewsflow_path_name(killed->path), killed->frame);
        comment = g_strdup_printf("%s reset before a response", ewsflow_path_name(killed->path));
    } else if (closed && ewsflow_req_is_lookup(closed)) {
        label = g_strdup_printf("FIN: %s request (frame %u) unanswered", ewsflow_path_name(closed->path), closed->frame);
        comment = g_strdup_printf("%s closed unanswered", ewsflow_path_name(closed->path));
    } else if (started) {
        label = g_strdup_printf("%s %s", ewsflow_path_is_server_hop(started->path) ? "hop" : "lookup",
                                started->mailboxes ? started->mailboxes : "");
        gchar *pair = requester_to_target(started);
        comment = g_strdup_printf("%s: %s", ewsflow_path_name(started->path), pair);
        g_free(pair);
    } else if (answered) {
        label = g_strdup_printf("HTTP %u%s%s", answered->status ? answered->status : 200, answered->outcome ? " " : "",
                                answered->outcome ? answered->outcome : "");
        comment = g_strdup_printf("%s answered (request in frame %u)", ewsflow_path_name(answered->path), answered->frame);
    } else {
        return TAP_PACKET_DONT_REDRAW;
    }
    ews_seq_item_t *sai = sequence_analysis_create_sai_with_addresses(pinfo, sainfo);
    if (!sai) {
        g_free(label);
        g_free(comment);
        return TAP_PACKET_DONT_REDRAW;
    }
    sai->frame_number = pinfo->num;
    sai->port_src = (guint16)pinfo->srcport;
    sai->port_dst = (guint16)pinfo->destport;
    sai->frame_label = label;
    sai->comment = comment;
    sai->line_style = 1;
    sai->display = TRUE;
    sequence_analysis_use_color_filter(pinfo, sai);
    g_queue_push_tail(sainfo->items, sai);
    return TAP_PACKET_REDRAW;
}

/* ---- registration ---------------------------------------------------------------------------- */

void
ewsflow_stats_register(int proto)
{
    stats_tree_register_plugin("ewsflow", "ewsflow", "EWS/Free-busy lookups", 0, tree_packet, tree_init, NULL);
    register_stat_tap_table_ui(&table_ui);
    register_seq_analysis("ewsflow", "EWS free/busy", proto, "ewsflow", TL_REQUIRES_NOTHING, flow_packet);
}
