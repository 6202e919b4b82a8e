/* ews-http.h
 * One way of reading an HTTP request's line and headers, for both protocols: the routing
 * post-dissector (from HTTP's request lines, or a request's first bytes) and the ews
 * protocol's X-OWA-UrlPostData decoder. No epan dependency.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_HTTP_H
#define EWS_HTTP_H

#include <glib.h>
#include <wsutil/wmem/wmem.h>

/* The HTTP request line and the headers the plugin reads. */
typedef struct {
    const char *method, *uri;
    const char *host, *user_agent, *authorization, *action, *anchor, *client_request_id;
    const char *owa_urlpostdata;  /* X-OWA-UrlPostData: a body-less OWA request's URL-encoded JSON */
    gboolean    owa;              /* X-OWA-* headers */
    gboolean    cafe;             /* front-end (CAFE) headers */
} ews_http_request_t;

/* Read one "Name: value" header line (CR/LF optional) into `h`; values are copied into `scope`. */
void ews_http_take_header(wmem_allocator_t *scope, ews_http_request_t *h, const char *line, gsize len);

#endif
