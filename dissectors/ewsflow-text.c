/* ewsflow-text.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ewsflow-text.h"

#include <string.h>

const char *
ewsflow_text_short(wmem_allocator_t *scope, const char *text, gsize max)
{
    if (!text || strlen(text) <= max)
        return text;
    const char *end = text + max - 3;
    while (end > text && ((guchar)*end & 0xC0) == 0x80)
        end--;   /* never cut inside a UTF-8 sequence */
    return wmem_strdup_printf(scope, "%.*s...", (int)(end - text), text);
}

static void
add_piece(proto_tree *tree, packet_info *pinfo, int hf_part, tvbuff_t *tvb, const char *p, gsize len)
{
    while (len > 0) {
        gsize n = len;
        if (n > EWSFLOW_TEXT_PART_FIT) {   /* a piece that fits whole is never cut: no one-word tails */
            n = EWSFLOW_TEXT_PART_MAX;
            while (n > EWSFLOW_TEXT_PART_MAX / 2 && p[n] != ' ')
                n--;
            if (p[n] != ' ') {   /* no space to cut at: a character boundary will do */
                n = EWSFLOW_TEXT_PART_MAX;
                while (n > 0 && ((guchar)p[n] & 0xC0) == 0x80)
                    n--;
            }
        }
        proto_item *it = proto_tree_add_string(tree, hf_part, tvb, 0, 0, wmem_strndup(pinfo->pool, p, n));
        proto_item_set_generated(it);
        p += n;
        len -= n;
        while (len > 0 && *p == ' ') {
            p++;
            len--;
        }
    }
}

void
ewsflow_add_text_parts(proto_tree *tree, packet_info *pinfo, int hf_part, tvbuff_t *tvb, const char *text, const char *sep)
{
    if (!text)
        return;
    gsize seplen = strlen(sep);
    const char *p = text;
    for (;;) {
        const char *next = strstr(p, sep);
        gsize len = next ? (gsize)(next - p) : strlen(p);
        /* a separator keeps its visible punctuation ("." of a sentence), not its spaces */
        gsize keep = (next && sep[0] != ' ' && sep[0] != ';') ? 1 : 0;
        if (len + keep > 0)
            add_piece(tree, pinfo, hf_part, tvb, p, len + keep);
        if (!next)
            break;
        p = next + seplen;
    }
}
