/* ews-errchain.c
 * MessageText shapes (protocol-notes.md §4.4):
 *   "<Message>, inner exception: <Inner.ToString()>"  where ToString() nests " ---> " levels
 *   and stack frames ("   at ..."), or
 *   "<FullTypeName>: <Message>\r\n. Name of the server where exception originated: <SERVER>[. LID: <n>]".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-errchain.h"

#include <string.h>

static const char INNER_MARK[] = ", inner exception: ";
static const char LEVEL_MARK[] = " ---> ";
static const char ORIGIN_MARK[] = "Name of the server where exception originated: ";

/* Stack traces and the end-of-inner marker carry no cause: cut at the first of them. */
static gsize
cause_length(const char *s, gsize len)
{
    static const char *const cuts[] = { "\r\n   at ", "\n   at ", "   at System.", "   at Microsoft.",
                                        "--- End of inner exception stack trace ---" };
    gsize best = len;
    for (gsize i = 0; i < G_N_ELEMENTS(cuts); i++) {
        const char *hit = g_strstr_len(s, (gssize)best, cuts[i]);
        if (hit)
            best = (gsize)(hit - s);
    }
    return best;
}

/* A .NET type name: dotted identifier without spaces, e.g. System.Net.WebException. */
static gboolean
looks_like_type(const char *s, gsize len)
{
    if (len == 0 || len > 256 || !memchr(s, '.', len))
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (!(g_ascii_isalnum(c) || c == '.' || c == '_' || c == '`' || c == '+'))
            return FALSE;
    }
    return TRUE;
}

static char *
trimmed(wmem_allocator_t *scope, const char *s, gsize len)
{
    char *v = wmem_strndup(scope, s, len);
    g_strstrip(v);
    return v;
}

static void
parse_level(wmem_allocator_t *scope, const char *s, gsize len, ews_exc_level_t *lv)
{
    len = cause_length(s, len);
    while (len && g_ascii_isspace(*s)) {
        s++;
        len--;
    }
    const char *colon = memchr(s, ':', len);
    if (colon && colon + 1 < s + len && colon[1] == ' ' && looks_like_type(s, (gsize)(colon - s))) {
        lv->type = wmem_strndup(scope, s, (gsize)(colon - s));
        lv->message = trimmed(scope, colon + 2, len - (gsize)(colon + 2 - s));
    } else {
        lv->type = NULL;
        lv->message = trimmed(scope, s, len);
    }
}

void
ews_errchain_split(wmem_allocator_t *scope, const char *text, guint max_levels, ews_errchain_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!text || !*text || max_levels == 0)
        return;

    const char *origin = strstr(text, ORIGIN_MARK);
    if (origin) {
        origin += sizeof(ORIGIN_MARK) - 1;
        gsize n = strcspn(origin, ". \r\n");
        if (n)
            out->origin_server = wmem_strndup(scope, origin, n);
    }

    const char *rest = text;
    gboolean chained = FALSE;
    const char *inner = strstr(text, INNER_MARK);
    if (inner) {
        out->outer = trimmed(scope, text, (gsize)(inner - text));
        rest = inner + sizeof(INNER_MARK) - 1;
        chained = TRUE;
    }
    if (strstr(rest, LEVEL_MARK))
        chained = TRUE;

    out->levels = wmem_alloc0_array(scope, ews_exc_level_t, max_levels);
    const char *p = rest;
    while (p && out->n_levels < max_levels) {
        const char *next = strstr(p, LEVEL_MARK);
        gsize len = next ? (gsize)(next - p) : strlen(p);
        /* Without a chain, the server-origin suffix is not part of the message. */
        if (!chained && origin) {
            const char *dot = g_strstr_len(p, (gssize)len, "\r\n. ");
            if (!dot)
                dot = g_strstr_len(p, (gssize)len, ". Name of the server");
            if (dot)
                len = (gsize)(dot - p);
        }
        parse_level(scope, p, len, &out->levels[out->n_levels++]);
        p = next ? next + sizeof(LEVEL_MARK) - 1 : NULL;
    }

    if (chained && out->n_levels > 0) {
        const ews_exc_level_t *last = &out->levels[out->n_levels - 1];
        out->innermost = last->type ? wmem_strdup_printf(scope, "%s: %s", last->type, last->message)
                                    : last->message;
    }
}

static gboolean
contains_ci(const char *hay, const char *needle)
{
    gsize n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        if (g_ascii_strncasecmp(p, needle, n) == 0)
            return TRUE;
    }
    return FALSE;
}

const char *
ews_errchain_socket_op(const char *text)
{
    if (!text)
        return NULL;
    gboolean send = contains_ci(text, "occurred on a send") || contains_ci(text, "Unable to write data to the transport");
    gboolean recv = contains_ci(text, "occurred on a receive") || contains_ci(text, "Unable to read data from the transport");
    return send && !recv ? "send" : recv && !send ? "receive" : NULL;
}

gboolean
ews_errchain_is_proxy_failure(const char *text)
{
    return text && (contains_ci(text, "Proxy web request failed") || contains_ci(text, "proxy request failed") ||
                    contains_ci(text, "cross-forest request"));
}
