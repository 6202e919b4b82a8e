/* ews-mergedfb.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-mergedfb.h"

#include <stdio.h>
#include <string.h>

gboolean
ews_rsv_is_2013_or_later(const char *rsv)
{
    if (!rsv)
        return FALSE;
    if (rsv[0] == 'V' && rsv[1] == '2')        /* internal V2_nn and OWA's V2016_06_24 style */
        return TRUE;
    if (strncmp(rsv, "Exchange", 8) == 0 && g_ascii_isdigit(rsv[8])) {
        int year = atoi(rsv + 8);
        return year >= 2012;                    /* Exchange2012 is the server-side name of 2013 */
    }
    return FALSE;
}

ews_fb_state_t
ews_mergedfb_state(char digit, gboolean schema2013)
{
    switch (digit) {
    case '0': return EWS_FB_FREE;
    case '1': return EWS_FB_TENTATIVE;
    case '2': return EWS_FB_BUSY;
    case '3': return EWS_FB_OOF;
    case '4': return schema2013 ? EWS_FB_WORKING_ELSEWHERE : EWS_FB_NO_DATA;
    case '5': return EWS_FB_NO_DATA;
    default:  return EWS_FB_INVALID;
    }
}

const char *
ews_fb_state_name(ews_fb_state_t s)
{
    static const char *const names[] = { "Free", "Tentative", "Busy", "OOF", "WorkingElsewhere",
                                         "NoData", "Invalid" };
    return (s <= EWS_FB_INVALID) ? names[s] : "Invalid";
}

guint
ews_mergedfb_runs(const char *digits, gboolean schema2013, ews_fb_run_t *runs, guint max_runs)
{
    guint n = 0;
    if (!digits)
        return 0;
    for (guint i = 0; digits[i] && n < max_runs; i++) {
        ews_fb_state_t s = ews_mergedfb_state(digits[i], schema2013);
        if (n > 0 && runs[n - 1].state == s && runs[n - 1].first_slot + runs[n - 1].n_slots == i) {
            runs[n - 1].n_slots++;
            continue;
        }
        runs[n].first_slot = i;
        runs[n].n_slots = 1;
        runs[n].state = s;
        n++;
    }
    return n;
}

char *
ews_time_add_minutes(wmem_allocator_t *scope, const char *start, guint64 minutes)
{
    int y, mo, d, h, mi, consumed = 0;
    double sec = 0;
    if (!start || sscanf(start, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &consumed) != 5 || consumed == 0)
        return NULL;
    const char *zone = start + consumed;
    if (*zone == ':') {                         /* seconds, maybe with a fraction */
        char *end = NULL;
        sec = g_ascii_strtod(zone + 1, &end);
        zone = end;
    }
    if (minutes > G_GUINT64_CONSTANT(100) * 366 * 24 * 60)
        return NULL;
    GDateTime *t = g_date_time_new_utc(y, mo, d, h, mi, sec);
    if (!t)
        return NULL;
    GDateTime *u = g_date_time_add_minutes(t, (gint)minutes);
    g_date_time_unref(t);
    if (!u)
        return NULL;
    char *s = wmem_strdup_printf(scope, "%04d-%02d-%02dT%02d:%02d%s", g_date_time_get_year(u),
                                 g_date_time_get_month(u), g_date_time_get_day_of_month(u),
                                 g_date_time_get_hour(u), g_date_time_get_minute(u),
                                 ((*zone == 'Z' || *zone == '+' || *zone == '-') && strlen(zone) <= 6) ? zone : "");
    g_date_time_unref(u);
    return s;
}
