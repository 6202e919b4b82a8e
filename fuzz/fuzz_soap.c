/* fuzz_soap.c: libFuzzer harness for the EWS SOAP parser (the code the dissector runs).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <string.h>
#include "ews-soap-parse.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    /* the first byte picks a charset the way HTTP would hand one over */
    static const char *const charsets[] = { NULL, "utf-8", "utf-16", "iso-8859-1", "x-unknown", "windows-1252" };
    const char *cs = size ? charsets[data[0] % 6] : NULL;
    ews_parse_limits_t lim = { 20000, 65536, 64, 64 };
    ews_doc_t doc;
    ews_soap_parse(a, size ? data + 1 : data, size ? size - 1 : 0, cs, &lim, &doc);
    /* walk what was decoded, as the renderer does */
    guint n = 0;
    for (int k = EK_ROOT; k < EK__COUNT; k++) {
        const ews_node_t *f = ews_node_find(&doc.root, (ews_kind_t)k);
        if (f && f->value)
            n += (guint)strlen(f->value);
    }
    (void)n;
    wmem_destroy_allocator(a);
    return 0;
}
