/* ews-http.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-http.h"

#include <string.h>

void
ews_http_take_header(wmem_allocator_t *scope, ews_http_request_t *h, const char *line, gsize len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return;
    gsize nlen = (gsize)(colon - line);
    const char *v = colon + 1;
    gsize vlen = len - nlen - 1;
    while (vlen && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
        vlen--;
#define IS(name) (nlen == sizeof(name) - 1 && g_ascii_strncasecmp(line, name, nlen) == 0)
    if (IS("Host"))
        h->host = wmem_strndup(scope, v, vlen);
    else if (IS("User-Agent"))
        h->user_agent = wmem_strndup(scope, v, vlen);
    else if (IS("Authorization"))
        h->authorization = wmem_strndup(scope, v, vlen);
    else if (IS("Action"))
        h->action = wmem_strndup(scope, v, vlen);
    else if (IS("X-AnchorMailbox"))
        h->anchor = wmem_strndup(scope, v, vlen);
    else if (IS("client-request-id"))
        h->client_request_id = wmem_strndup(scope, v, vlen);
    else if (IS("X-IsFromCafe") || IS("X-CommonAccessToken") || IS("X-SourceCafeServer") || IS("msExchProxyUri"))
        h->cafe = TRUE;
    else if (IS("X-OWA-UrlPostData")) {
        h->owa = TRUE;
        h->owa_urlpostdata = wmem_strndup(scope, v, vlen);
    }
    else if (nlen > 6 && g_ascii_strncasecmp(line, "X-OWA-", 6) == 0)
        h->owa = TRUE;
#undef IS
}

