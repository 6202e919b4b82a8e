/* ewsflow-text.h
 * Long explanations as tree items that fit: Wireshark cuts an item's label at 240 bytes
 * (ITEM_LABEL_LENGTH), so a story, an evidence list or a hint is shown as one item with a
 * short label (its value is still the whole text, for filters and -T fields) and a subtree
 * of parts, each under the limit.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_TEXT_H
#define EWSFLOW_TEXT_H

#include <epan/packet.h>

/* A piece up to PART_FIT bytes goes whole in one item (its label adds a field name of at most
 * 15 bytes); a longer one is cut into parts of at most PART_MAX at spaces. */
#define EWSFLOW_TEXT_PART_FIT 220
#define EWSFLOW_TEXT_PART_MAX 200

/* Add `text` cut at `sep` (and, where a piece is still too long, at spaces) as items of
 * `hf_part`, in order. */
void ewsflow_add_text_parts(proto_tree *tree, packet_info *pinfo, int hf_part, tvbuff_t *tvb, const char *text, const char *sep);

/* `text` shortened to at most `max` bytes at a character boundary, with "..." when cut. */
const char *ewsflow_text_short(wmem_allocator_t *scope, const char *text, gsize max);

#endif
