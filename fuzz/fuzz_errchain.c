/* fuzz_errchain.c: libFuzzer harness for the MessageText exception-chain splitter.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include "ews-errchain.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    char *text = wmem_strndup(a, (const char *)data, size);
    ews_errchain_t ch;
    ews_errchain_split(a, text, 16, &ch);
    wmem_destroy_allocator(a);
    return 0;
}
