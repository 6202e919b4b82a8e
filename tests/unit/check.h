/* check.h: the unit tests' assertion, counting instead of stopping, and their closing line.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef EWSFB_CHECK_H
#define EWSFB_CHECK_H

#include <stdio.h>
#include <string.h>

static int passed, failed;
static const char *current = "";   /* the group of checks running, for failure messages */

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) {                                                                         \
            passed++;                                                                       \
        } else {                                                                            \
            failed++;                                                                       \
            fprintf(stderr, "FAIL %s:%d [%s] %s\n", __FILE__, __LINE__, current, #cond);   \
        }                                                                                   \
    } while (0)
#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

/* "N passed, N failed", the closing line test runners read; exit status to match */
static int
check_report(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif
