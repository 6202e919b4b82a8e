/* ewsflow-extract.h
 * What one frame says, read from the fields the routing post-dissector primes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_EXTRACT_H
#define EWSFLOW_EXTRACT_H

#include <epan/packet.h>
#include "ewsflow-tracker.h"

typedef struct {
    guint32                 stream, srcport, dstport, tcp_len;
    gboolean                reset, fin;
    guint                   n_requests;
    ews_http_request_t *requests;     /* HTTP/1.x requests completed in this frame, with their headers */
    guint                   n_statuses;
    guint                  *statuses;     /* HTTP/1.x response codes, in order (1xx included) */
    gboolean                starts_request; /* the payload begins a request HTTP has not completed */
    ews_http_request_t *partial;      /* ... its request line and complete header lines */
    const char             *challenge;    /* WWW-Authenticate: Bearer ... of a response */
    const char             *diagnostics;  /* x-ms-diagnostics of a response */
    gboolean                tls, tls_app_data;   /* a TLS segment; with (decrypted) application data */
    gboolean                tls_ccs, tls_client_hello, tls_server_hello, tls_certificate;
    guint                   tls_opaque_records;     /* TLS 1.3 records not decrypted (all look like application data) */
    guint                   tls_plain_app_records;  /* TLS 1.2 application data records, not decrypted */
    guint                   tls_n_rec_len;          /* entries of tls_rec_len */
    const char             *tls_sni, *tls_alpn;
    guint16                 tls_version;            /* chosen by the ServerHello */
    int                     tls_alert;              /* a readable alert's description, or -1 */
    const char             *src_addr, *dst_addr;    /* on a ClientHello, and on a frame with HTTP requests */
    guint                   n_h2_requests;  /* entries of h2_requests */
    /* Arrays last, read only up to their counts and not cleared: this is filled on every TCP
     * segment of every capture. */
    guint32                 tls_rec_len[16];        /* the encrypted records' lengths, when they line up */
    ews_http_request_t      h2_requests[8]; /* HTTP/2 request header blocks of this frame, in order */
} ewsflow_wire_t;

/* In the handoff: resolve the field table. In the init routine: the fields to prime. */
void ewsflow_extract_handoff(void);
GArray *ewsflow_extract_wanted(void);

/* FALSE when the frame is no TCP segment TCP could measure (no TCP, an ICMP error's quoted
 * header, a short segment). Everything is copied into pinfo->pool. */
gboolean ewsflow_extract(packet_info *pinfo, proto_tree *tree, ewsflow_wire_t *w);

#endif
