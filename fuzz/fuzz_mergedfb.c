/* fuzz_mergedfb.c: libFuzzer harness for MergedFreeBusy runs and slot times.
 * Input: "<start time>\n<digits>\n<rsv>" (any bytes).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <string.h>
#include "ews-mergedfb.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    char *s = wmem_strndup(a, (const char *)data, size);
    char *digits = strchr(s, '\n');
    if (digits)
        *digits++ = '\0';
    char *rsv = digits ? strchr(digits, '\n') : NULL;
    if (rsv)
        *rsv++ = '\0';
    gboolean s2013 = ews_rsv_is_2013_or_later(rsv);
    ews_fb_run_t runs[64];
    guint n = ews_mergedfb_runs(digits ? digits : s, s2013, runs, 64);
    for (guint i = 0; i < n; i++) {
        (void)ews_fb_state_name(runs[i].state);
        (void)ews_time_add_minutes(a, s, (guint64)runs[i].first_slot * (size % 1441));
    }
    wmem_destroy_allocator(a);
    return 0;
}
