/* ews-mergedfb.h
 * MergedFreeBusy digit strings: one digit per MergedFreeBusyIntervalInMinutes slot from
 * the request's TimeWindow/StartTime. The meaning of '4' depends on the request's
 * RequestServerVersion (protocol-notes.md §3.3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_MERGEDFB_H
#define EWS_MERGEDFB_H

#include <glib.h>
#include <wsutil/wmem/wmem.h>

typedef enum {
    EWS_FB_FREE = 0,
    EWS_FB_TENTATIVE,
    EWS_FB_BUSY,
    EWS_FB_OOF,
    EWS_FB_WORKING_ELSEWHERE,
    EWS_FB_NO_DATA,
    EWS_FB_INVALID
} ews_fb_state_t;

typedef struct {
    guint          first_slot;
    guint          n_slots;
    ews_fb_state_t state;
} ews_fb_run_t;

/* TRUE when a request with this RequestServerVersion gets Exchange 2013 digit semantics. */
gboolean ews_rsv_is_2013_or_later(const char *rsv);
ews_fb_state_t ews_mergedfb_state(char digit, gboolean schema2013);
const char *ews_fb_state_name(ews_fb_state_t s);
/* Runs of equal state; returns how many were written (at most max_runs; the rest is left out). */
guint ews_mergedfb_runs(const char *digits, gboolean schema2013, ews_fb_run_t *runs, guint max_runs);
/* `start` (xs:dateTime, zone kept as written) plus `minutes`, as "YYYY-MM-DDTHH:MM[zone]"; NULL if unparseable. */
char *ews_time_add_minutes(wmem_allocator_t *scope, const char *start, guint64 minutes);
/* The same in two steps, for many offsets from one start: parse once, format each. */
typedef struct {
    gint64      minutes;   /* since 1970-01-01T00:00 as written (the zone is kept, not applied) */
    const char *zone;      /* "Z", "+hh:mm", "-hh:mm" or "": points into the parsed string */
} ews_time_t;
gboolean ews_time_parse(const char *start, ews_time_t *t);
char *ews_time_format(wmem_allocator_t *scope, const ews_time_t *t, guint64 minutes);

#endif
