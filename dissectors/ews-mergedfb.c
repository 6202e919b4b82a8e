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

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's
 * days_from_civil / civil_from_days): integer arithmetic, no time zone database. */
static gint64
days_from_civil(gint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    gint64 era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (gint64)doe - 719468;
}

static void
civil_from_days(gint64 z, gint64 *y, unsigned *m, unsigned *d)
{
    z += 719468;
    gint64 era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (gint64)yoe + era * 400 + (*m <= 2);
}

static gboolean
digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (!g_ascii_isdigit(s[i]))
            return FALSE;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return TRUE;
}

gboolean
ews_time_parse(const char *s, ews_time_t *t)
{
    static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned y, mo, d, h, mi, sec = 0;
    if (!s || strlen(s) < 16 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi))
        return FALSE;
    const char *zone = s + 16;
    if (*zone == ':') {                          /* seconds, maybe with a fraction: not shown */
        if (!digits(zone + 1, 2, &sec))
            return FALSE;
        zone += 3;
        if (*zone == '.') {
            zone++;
            while (g_ascii_isdigit(*zone))
                zone++;
        }
    }
    gboolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59)
        return FALSE;
    t->minutes = (days_from_civil(y, mo, d) * 24 + h) * 60 + mi;
    t->zone = ((*zone == 'Z' || *zone == '+' || *zone == '-') && strlen(zone) <= 6) ? zone : "";
    return TRUE;
}

char *
ews_time_format(wmem_allocator_t *scope, const ews_time_t *t, guint64 minutes)
{
    if (minutes > G_GUINT64_CONSTANT(100) * 366 * 24 * 60)
        return NULL;
    gint64 m = t->minutes + (gint64)minutes;
    gint64 days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440);
    unsigned in_day = (unsigned)(m - days * 1440);
    gint64 y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    if (y < 1 || y > 9999)
        return NULL;
    /* by hand: this runs twice per slot run on every response, and printf costs ~30x more */
    size_t zl = strlen(t->zone);
    char *out = (char *)wmem_alloc(scope, 16 + zl + 1), *p = out;
    unsigned yy = (unsigned)y, hh = in_day / 60, mi = in_day % 60;
    *p++ = (char)('0' + yy / 1000); *p++ = (char)('0' + yy / 100 % 10); *p++ = (char)('0' + yy / 10 % 10); *p++ = (char)('0' + yy % 10);
    *p++ = '-'; *p++ = (char)('0' + mo / 10); *p++ = (char)('0' + mo % 10);
    *p++ = '-'; *p++ = (char)('0' + d / 10); *p++ = (char)('0' + d % 10);
    *p++ = 'T'; *p++ = (char)('0' + hh / 10); *p++ = (char)('0' + hh % 10);
    *p++ = ':'; *p++ = (char)('0' + mi / 10); *p++ = (char)('0' + mi % 10);
    memcpy(p, t->zone, zl + 1);
    return out;
}

char *
ews_time_add_minutes(wmem_allocator_t *scope, const char *start, guint64 minutes)
{
    ews_time_t t;
    return ews_time_parse(start, &t) ? ews_time_format(scope, &t, minutes) : NULL;
}
