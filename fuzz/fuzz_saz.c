/* fuzz_saz.c: libFuzzer harness for the Fiddler archive reader (libzip from memory, libxml2
 * metadata, failure texts) and the packets and records its sessions become.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include "fuzz-ewsfile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ewsfile_error_t err;
    char *why = NULL;
    ewsfile_t *f = ewsfile_read_saz_memory(data, size, &err, &why);
    fuzz_records(f, why);
    return 0;
}
