/* fuzz_saz.c: libFuzzer harness for the Fiddler archive reader (libzip from memory, libxml2
 * metadata, failure texts) and the packets and records its sessions become.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include "ewsfile-read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ewsfile_error_t err;
    char *why = NULL;
    ewsfile_t *f = ewsfile_read_saz_memory(data, size, &err, &why);
    if (f) {
        GByteArray *rec = g_byte_array_new();
        for (guint i = 0; i < f->packets->len; i++)
            ewsfile_record(f, i, rec);
        g_byte_array_unref(rec);
        ewsfile_free(f);
    }
    g_free(why);
    return 0;
}
