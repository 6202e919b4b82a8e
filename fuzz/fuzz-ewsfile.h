/* fuzz-ewsfile.h: what the file reader harnesses do with what a reader returns: every record
 * its sessions become, then everything freed.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FUZZ_EWSFILE_H
#define FUZZ_EWSFILE_H

#include "ewsfile-read.h"

static void
fuzz_records(ewsfile_t *f, char *why)
{
    if (f) {
        GByteArray *rec = g_byte_array_new();
        for (guint i = 0; i < f->packets->len; i++)
            ewsfile_record(f, i, rec);
        g_byte_array_unref(rec);
        ewsfile_free(f);
    }
    g_free(why);
}

#endif
