/* fuzz_owa_json.c: libFuzzer harness for the OWA JSON decoder (wsjson tokens, table walk).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include "ews-owa-json.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    ews_parse_limits_t lim = { 20000, 65536, 64, 64 };
    ews_doc_t doc;
    ews_owa_json_parse(a, data, size, size & 1, &lim, &doc);
    (void)ews_node_find(&doc.root, EK_EMAIL_ADDRESS);
    wmem_destroy_allocator(a);
    return 0;
}
