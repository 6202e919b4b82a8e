/* ewsfile-record.h
 * The record the file reader (Fiddler SAZ, HAR) hands to the "ewsfile" dissector, shared by
 * both plugins. Each record is a Wireshark "exported PDU" (LINKTYPE_WIRESHARK_UPPER_PDU, so a
 * file opened this way can be saved as pcapng) whose only tag names the "ewsfile" dissector;
 * its payload is:
 *
 *   "EWSF"  u8 version  u8 role  u16 reserved  u32 tlv_length
 *   TLVs:   u16 tag  u16 length  value      (big-endian; strings UTF-8 without NUL)
 *   an Ethernet frame (IPv4 or IPv6, TCP), absent for a note
 *
 * The Ethernet frame is what the session would have looked like on the wire between the
 * client and the server; the TLVs are what the archive said about it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFILE_RECORD_H
#define EWSFILE_RECORD_H

#define EWSFILE_MAGIC        "EWSF"
#define EWSFILE_VERSION      1
#define EWSFILE_HEADER_LEN   12
#define EWSFILE_DISSECTOR    "ewsfile"

/* Which archive the record came from */
enum { EWSFILE_FORMAT_SAZ = 1, EWSFILE_FORMAT_HAR = 2 };

/* What the record's packet is */
enum {
    EWSFILE_ROLE_SETUP = 1,     /* SYN, SYN/ACK, ACK */
    EWSFILE_ROLE_REQUEST,       /* a segment of the request */
    EWSFILE_ROLE_RESPONSE,      /* a segment of the response */
    EWSFILE_ROLE_CLOSE,         /* FIN or ACK closing a connection that ended normally */
    EWSFILE_ROLE_FAILURE,       /* the RST/FIN the archive's failure stands for */
    EWSFILE_ROLE_NOTE,          /* no packet: the session never reached the wire */
};

/* How a session ended, as the reader understood the archive */
enum {
    EWSFILE_END_ANSWERED = 0,   /* a response was recorded */
    EWSFILE_END_NO_RESPONSE,    /* the request, and nothing after it */
    EWSFILE_END_RESET,          /* the server reset the connection after the request */
    EWSFILE_END_CLOSED,         /* the server closed the connection without a response */
    EWSFILE_END_CLIENT_ABORT,   /* the client gave up and closed the connection */
    EWSFILE_END_REFUSED,        /* the connection was refused (SYN answered by RST) */
    EWSFILE_END_CONNECT_TIMEOUT,/* the connection was never answered (a SYN, nothing back) */
    EWSFILE_END_NOT_SENT,       /* nothing went on the wire (DNS, TLS, proxy rules...) */
};

/* TLV tags */
enum {
    EWSFILE_T_END = 0,
    EWSFILE_T_FORMAT,           /* u8: EWSFILE_FORMAT_* */
    EWSFILE_T_SESSION,          /* u32: SAZ session number, HAR entry number (from 1) */
    EWSFILE_T_URL,              /* str */
    EWSFILE_T_TLS,              /* u8: the original exchange was HTTPS */
    EWSFILE_T_TUPLE,            /* u8 family (4|6), client addr, server addr, u16 client port, u16 server port */
    EWSFILE_T_PROCESS,          /* str: x-processinfo */
    EWSFILE_T_CLIENT_IP,        /* str: as the archive wrote it */
    EWSFILE_T_CLIENT_PORT,      /* u16: the client's port towards the proxy (x-clientport) */
    EWSFILE_T_SERVER_IP,        /* str: as the archive wrote it */
    EWSFILE_T_EGRESS_PORT,      /* u16: the proxy's port towards the server (x-egressport) */
    EWSFILE_T_TLS_VERSION,      /* str: https-client-version and the like */
    EWSFILE_T_COMMENT,          /* str: ui-comments */
    EWSFILE_T_FLAG,             /* str: "name: value", every session flag as written */
    EWSFILE_T_BITFLAGS,         /* u32: Fiddler's BitFlags */
    EWSFILE_T_DURATION,         /* u8 EWSFILE_DUR_*, i64 nanoseconds */
    EWSFILE_T_END_KIND,         /* u8: EWSFILE_END_* */
    EWSFILE_T_FAILURE,          /* str: the failure as the archive stated it */
    EWSFILE_T_HTTP_VERSION,     /* str: the protocol the original exchange used */
    EWSFILE_T_CONNECTION,       /* str: HAR connection id */
    EWSFILE_T_NOTE,             /* str: what the reader had to make up or leave out */
    EWSFILE_T_ADDR_MADE_UP,     /* u8: addresses or ports were not in the archive */
    EWSFILE_T_GENERATED,        /* str: first line of a response the proxy generated itself */
    EWSFILE_T_TUNNEL,           /* u8: a CONNECT tunnel session */
    EWSFILE_T_SID,              /* u32: Fiddler's own session id (SID) */
    EWSFILE_T_TUNNEL_BYTES,     /* u64 client to server, u64 server to client */
    EWSFILE_T_COUNT
};

/* EWSFILE_T_DURATION kinds: Fiddler's timers and HAR's timings, as durations */
enum {
    EWSFILE_DUR_BLOCKED = 1, EWSFILE_DUR_DNS, EWSFILE_DUR_CONNECT, EWSFILE_DUR_TLS,
    EWSFILE_DUR_SEND, EWSFILE_DUR_WAIT, EWSFILE_DUR_RECEIVE, EWSFILE_DUR_TOTAL,
    EWSFILE_DUR_GATEWAY,
};

#endif
