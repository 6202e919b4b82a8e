/* ews-errchain.h
 * Split an availability MessageText ("<msg>, inner exception: <Type>: <msg> ---> <Type>: <msg> ...")
 * into its exception levels, so the innermost cause (the one that names the real fault,
 * e.g. "connection forcibly closed") becomes a field of its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_ERRCHAIN_H
#define EWS_ERRCHAIN_H

#include <glib.h>
#include <wsutil/wmem/wmem.h>

typedef struct {
    const char *type;     /* .NET type name, or NULL when the level has none */
    const char *message;  /* the level's message, stack trace removed */
} ews_exc_level_t;

typedef struct {
    const char      *outer;          /* text before ", inner exception: ", or NULL */
    ews_exc_level_t *levels;         /* outermost first */
    guint            n_levels;
    const char      *innermost;      /* "Type: message" of the deepest inner level, or NULL without a chain */
    const char      *origin_server;  /* from "Name of the server where exception originated: X", or NULL */
} ews_errchain_t;

void ews_errchain_split(wmem_allocator_t *scope, const char *text, guint max_levels, ews_errchain_t *out);
/* "send" or "receive" when the text says where .NET's connection failed ("An unexpected error
 * occurred on a send", "Unable to write data to the transport connection", and the receive
 * forms), else NULL. */
const char *ews_errchain_socket_op(const char *text);
/* Whether the text says the proxy request failed (the availability service's own wordings). */
gboolean ews_errchain_is_proxy_failure(const char *text);

#endif
