/* fuzz_har.c: libFuzzer harness for the HAR reader (wsjson tokens, iterative walk) and the
 * packets and records its sessions become.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <string.h>
#include "fuzz-ewsfile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = g_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    ewsfile_error_t err;
    char *why = NULL;
    ewsfile_t *f = ewsfile_read_har(text, size, TRUE, &err, &why);
    fuzz_records(f, why);
    g_free(text);
    return 0;
}
