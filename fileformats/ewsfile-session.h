/* ewsfile-session.h
 * The sessions a Fiddler archive or a HAR file holds, and the packets they become.
 * No wiretap here: the readers (ewsfile-saz.c, ewsfile-har.c) fill sessions, this file turns
 * them into a time-ordered list of records, and the wiretap glue hands those records out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFILE_SESSION_H
#define EWSFILE_SESSION_H

#include <glib.h>
#include "ewsfile-record.h"

/* Bounds: what one archive may cost, whatever it claims. */
#define EWSFILE_MAX_ENTRY     (64u << 20)    /* one request or response body kept (bytes) */
#define EWSFILE_MAX_TOTAL     (512u << 20)   /* all sessions together (bytes) */
#define EWSFILE_MAX_SESSIONS  200000
#define EWSFILE_SEGMENT       1460           /* TCP payload per packet */

typedef struct {
    guint32     id;             /* SAZ session number, HAR entry number (from 1) */
    GByteArray *request;        /* the request as sent (HTTP/1.x text), or NULL */
    GByteArray *response;       /* the response as received, or NULL */
    int         end;            /* EWSFILE_END_* */
    /* When things happened, in nanoseconds since the epoch; 0 when the archive does not say. */
    gint64      t_connect, t_request, t_response, t_response_end, t_done;
    /* The connection on the wire */
    guint8      family;         /* 4 or 6 */
    guint8      client[16], server[16];
    guint16     client_port, server_port;
    gboolean    addr_made_up;   /* some address or port above was not in the archive */
    char       *conn_key;       /* sessions with the same key share one TCP connection; NULL: its own */
    GByteArray *meta;           /* TLVs shown on the session's main packets */
} ewsfile_session_t;

typedef struct {
    gint64      time;           /* nanoseconds since the epoch */
    guint32     session;        /* index into the session array */
    guint32     conn;           /* connection number, for ports, sequence numbers, ordering */
    guint8      role;           /* EWSFILE_ROLE_* */
    guint8      from_server;
    guint8      tcp_flags;
    guint8      full_meta;      /* carry the session's TLVs, not only its number and role */
    guint32     seq, ack;
    const guint8 *payload;
    guint32     payload_len;
} ewsfile_packet_t;

typedef struct {
    GPtrArray  *sessions;       /* ewsfile_session_t *, owned */
    GArray     *packets;        /* ewsfile_packet_t, in time order */
    guint8      format;         /* EWSFILE_FORMAT_* */
    gsize       bytes;          /* request and response bytes held */
} ewsfile_t;

ewsfile_t *ewsfile_new(guint8 format);
void ewsfile_free(ewsfile_t *f);

/* A new session, appended; NULL when the archive already holds EWSFILE_MAX_SESSIONS. */
ewsfile_session_t *ewsfile_add_session(ewsfile_t *f, guint32 id);

/* Turns the sessions into packets. Call once, after every session is filled. */
void ewsfile_build(ewsfile_t *f);

/* The record for packet i: exported-PDU tags, the ewsfile header and TLVs, the Ethernet
 * frame. Replaces the contents of out. */
void ewsfile_record(const ewsfile_t *f, guint i, GByteArray *out);

/* TLV writers for the readers */
void ewsfile_tlv(GByteArray *meta, guint16 tag, const void *value, gsize len);
void ewsfile_tlv_str(GByteArray *meta, guint16 tag, const char *s);
void ewsfile_tlv_u8(GByteArray *meta, guint16 tag, guint8 v);
void ewsfile_tlv_u16(GByteArray *meta, guint16 tag, guint16 v);
void ewsfile_tlv_u32(GByteArray *meta, guint16 tag, guint32 v);
void ewsfile_tlv_duration(GByteArray *meta, guint8 kind, gint64 ns);

/* Parses an address as archives write it ("10.1.2.3", "::ffff:10.1.2.3", "[2001:db8::1]").
 * Returns 4 or 6, or 0 when it is not an address. */
int ewsfile_parse_addr(const char *s, guint8 out[16]);

/* Host and port of a URL or an absolute-form request target; port 0 when not given.
 * Returns FALSE when there is no authority. host_out gets a newly allocated string. */
gboolean ewsfile_url_authority(const char *url, char **host_out, guint16 *port_out, gboolean *https_out);

/* Fills a session's addresses: the server's from the archive when it has one, else a
 * documentation address made from the host name (flagged as made up). */
void ewsfile_set_addresses(ewsfile_session_t *s, const char *client_ip, const char *server_ip,
                           const char *host, guint16 client_port, guint16 server_port);

/* Timestamps: ISO 8601 / .NET round-trip ("2024-05-01T10:00:00.1234567+02:00"); 0 when
 * absent, unparsable or the .NET zero date. */
gint64 ewsfile_parse_time(const char *s);



/* A header's value in an HTTP message (first match, case-insensitive name), or NULL. */
char *ewsfile_http_header(const GByteArray *msg, const char *name);
/* The request or status line, valid UTF-8. */
char *ewsfile_http_first_line(const GByteArray *msg);
#endif
