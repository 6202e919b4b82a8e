/* ews-intern.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-intern.h"

#include <epan/wmem_scopes.h>

static wmem_map_t *pool;

void
ews_intern_init(void)
{
    pool = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_str_hash, g_str_equal);
}

const char *
ews_intern(const char *v)
{
    if (!v)
        return NULL;
    const char *have = (const char *)wmem_map_lookup(pool, v);
    if (have)
        return have;
    char *copy = wmem_strdup(wmem_file_scope(), v);
    wmem_map_insert(pool, copy, copy);
    return copy;
}
