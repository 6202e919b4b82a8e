/* fuzz-common.h: one-time setup shared by the harnesses.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
#include <wsutil/wmem/wmem.h>
#include <libxml/parser.h>

static inline void
fuzz_init(void)
{
    static int done;
    if (!done) {
        wmem_init();
        xmlInitParser();
        done = 1;
    }
}
#endif
