/* packet-ewsfile.c
 * "ewsfile": the frames the file reader plugin makes from Fiddler archives and HAR files.
 * Shows what the archive said about the session (process, timers, flags, failures) and hands
 * the packet it stands for to Ethernet, so HTTP, ews and ewsflow see it as captured. The
 * session's connection is given to HTTP whatever its port: the original may have been HTTPS
 * on 443, but the archive holds it decrypted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/conversation.h>
#include <epan/to_str.h>

#include "ewsfile-record.h"
#include "packet-ewsfile.h"

static int proto_ewsfile = -1;
static int hf_role = -1, hf_format = -1, hf_session = -1, hf_sid = -1, hf_url = -1, hf_tls = -1,
           hf_tls_version = -1, hf_http_version = -1, hf_process = -1, hf_client_ip = -1,
           hf_client_port = -1, hf_server_ip = -1, hf_egress_port = -1, hf_comment = -1,
           hf_flag = -1, hf_bitflags = -1, hf_end = -1, hf_failure = -1, hf_generated = -1,
           hf_connection = -1, hf_note = -1, hf_made_up = -1, hf_tunnel = -1, hf_tunnel_up = -1,
           hf_tunnel_down = -1, hf_tuple = -1;
static int hf_bf_https = -1, hf_bf_client_reused = -1, hf_bf_server_reused = -1,
           hf_bf_request_generated = -1, hf_bf_response_generated = -1, hf_bf_loaded = -1,
           hf_bf_blind = -1, hf_bf_decrypting = -1, hf_bf_violation_req = -1,
           hf_bf_violation_resp = -1, hf_bf_websocket = -1;
static int hf_dur[EWSFILE_DUR_GATEWAY + 1];
static gint ett_ewsfile = -1, ett_bitflags = -1, ett_times = -1;
static expert_field ei_failure = EI_INIT, ei_note = EI_INIT, ei_bad_record = EI_INIT,
                    ei_not_sent = EI_INIT, ei_generated = EI_INIT;
static dissector_handle_t eth_handle, http_handle;

static const value_string format_vals[] = {
    { EWSFILE_FORMAT_SAZ, "Fiddler session archive" },
    { EWSFILE_FORMAT_HAR, "HAR" },
    { 0, NULL }
};

static const value_string role_vals[] = {
    { EWSFILE_ROLE_SETUP,    "connection set-up" },
    { EWSFILE_ROLE_REQUEST,  "request" },
    { EWSFILE_ROLE_RESPONSE, "response" },
    { EWSFILE_ROLE_CLOSE,    "connection close" },
    { EWSFILE_ROLE_FAILURE,  "the failure the archive recorded" },
    { EWSFILE_ROLE_NOTE,     "note (nothing went on the wire)" },
    { 0, NULL }
};

/* How a session ended, and what the packet standing for it means */
static const value_string end_vals[] = {
    { EWSFILE_END_ANSWERED,        "answered" },
    { EWSFILE_END_NO_RESPONSE,     "no response recorded" },
    { EWSFILE_END_RESET,           "connection reset after the request (shown as the server's RST)" },
    { EWSFILE_END_CLOSED,          "connection closed without a response (shown as the server's FIN)" },
    { EWSFILE_END_CLIENT_ABORT,    "the client gave up (shown as the client's FIN)" },
    { EWSFILE_END_REFUSED,         "connection refused (shown as SYN answered by RST)" },
    { EWSFILE_END_CONNECT_TIMEOUT, "connection never answered (shown as a lone SYN)" },
    { EWSFILE_END_NOT_SENT,        "nothing sent to the server" },
    { 0, NULL }
};

/* TLVs shown as a field of their own, by tag */
static const struct { int tag; int *hf; } simple_tlvs[] = {
    { EWSFILE_T_FORMAT, &hf_format }, { EWSFILE_T_SESSION, &hf_session }, { EWSFILE_T_SID, &hf_sid },
    { EWSFILE_T_URL, &hf_url }, { EWSFILE_T_TLS, &hf_tls }, { EWSFILE_T_TLS_VERSION, &hf_tls_version },
    { EWSFILE_T_HTTP_VERSION, &hf_http_version }, { EWSFILE_T_PROCESS, &hf_process },
    { EWSFILE_T_CLIENT_IP, &hf_client_ip }, { EWSFILE_T_CLIENT_PORT, &hf_client_port },
    { EWSFILE_T_SERVER_IP, &hf_server_ip }, { EWSFILE_T_EGRESS_PORT, &hf_egress_port },
    { EWSFILE_T_COMMENT, &hf_comment }, { EWSFILE_T_FLAG, &hf_flag }, { EWSFILE_T_END_KIND, &hf_end },
    { EWSFILE_T_FAILURE, &hf_failure }, { EWSFILE_T_GENERATED, &hf_generated },
    { EWSFILE_T_CONNECTION, &hf_connection }, { EWSFILE_T_NOTE, &hf_note },
    { EWSFILE_T_ADDR_MADE_UP, &hf_made_up }, { EWSFILE_T_TUNNEL, &hf_tunnel },
};

static int *const bitflag_fields[] = {
    &hf_bf_https, &hf_bf_client_reused, &hf_bf_server_reused, &hf_bf_request_generated,
    &hf_bf_response_generated, &hf_bf_loaded, &hf_bf_blind, &hf_bf_decrypting,
    &hf_bf_violation_req, &hf_bf_violation_resp, &hf_bf_websocket, NULL
};

/* Gives the session's TCP connection to HTTP, whatever its port. */
static void
claim_connection(tvbuff_t *tvb, int off, int len, packet_info *pinfo)
{
    guint8 family = tvb_get_guint8(tvb, off);
    int alen = family == 6 ? 16 : 4;
    if ((family != 4 && family != 6) || len != 5 + 2 * alen)
        return;
    address a, b;
    set_address_tvb(&a, family == 6 ? AT_IPv6 : AT_IPv4, alen, tvb, off + 1);
    set_address_tvb(&b, family == 6 ? AT_IPv6 : AT_IPv4, alen, tvb, off + 1 + alen);
    guint16 pa = tvb_get_ntohs(tvb, off + 1 + 2 * alen), pb = tvb_get_ntohs(tvb, off + 3 + 2 * alen);
    conversation_t *conv = find_conversation(pinfo->num, &a, &b, CONVERSATION_TCP, pa, pb, 0);
    if (!conv)
        conv = conversation_new(pinfo->num, &a, &b, CONVERSATION_TCP, pa, pb, 0);
    if (conversation_get_dissector(conv, pinfo->num) != http_handle)
        conversation_set_dissector(conv, http_handle);
}

static int
dissect_ewsfile(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (tvb_captured_length(tvb) < EWSFILE_HEADER_LEN || tvb_memeql(tvb, 0, (const guint8 *)EWSFILE_MAGIC, 4) != 0)
        return 0;
    guint8 role = tvb_get_guint8(tvb, 5);
    guint32 tlv_len = tvb_get_ntohl(tvb, 8);
    proto_item *ti = proto_tree_add_item(tree, proto_ewsfile, tvb, 0, -1, ENC_NA);
    proto_tree *t = proto_item_add_subtree(ti, ett_ewsfile);
    proto_tree *times = NULL;
    proto_tree_add_item(t, hf_role, tvb, 5, 1, ENC_NA);

    int off = EWSFILE_HEADER_LEN, end = EWSFILE_HEADER_LEN + (int)MIN(tlv_len, (guint32)tvb_reported_length_remaining(tvb, EWSFILE_HEADER_LEN));
    guint32 session = 0, end_kind = G_MAXUINT32, tunnel = 0;
    const char *failure = NULL, *note = NULL, *generated = NULL, *url = NULL;
    gboolean bad = tlv_len > (guint32)tvb_reported_length_remaining(tvb, EWSFILE_HEADER_LEN);
    while (off + 4 <= end) {
        guint16 tag = tvb_get_ntohs(tvb, off), len = tvb_get_ntohs(tvb, off + 2);
        off += 4;
        if (tag == EWSFILE_T_END)
            break;
        if (off + len > end) {
            bad = TRUE;
            break;
        }
        gboolean shown = FALSE;
        for (gsize i = 0; i < G_N_ELEMENTS(simple_tlvs); i++) {
            if (simple_tlvs[i].tag != tag)
                continue;
            header_field_info *hfi = proto_registrar_get_nth(*simple_tlvs[i].hf);
            if (hfi->type == FT_STRING) {
                const guint8 *s;
                proto_tree_add_item_ret_string(t, *simple_tlvs[i].hf, tvb, off, len, ENC_UTF_8, pinfo->pool, &s);
                if (tag == EWSFILE_T_FAILURE)
                    failure = (const char *)s;
                else if (tag == EWSFILE_T_NOTE)
                    note = (const char *)s;
                else if (tag == EWSFILE_T_GENERATED)
                    generated = (const char *)s;
                else if (tag == EWSFILE_T_URL)
                    url = (const char *)s;
            } else if (len == 1 || len == 2 || len == 4) {
                guint32 v;
                proto_tree_add_item_ret_uint(t, *simple_tlvs[i].hf, tvb, off, len, ENC_BIG_ENDIAN, &v);
                if (tag == EWSFILE_T_SESSION)
                    session = v;
                else if (tag == EWSFILE_T_END_KIND)
                    end_kind = v;
                else if (tag == EWSFILE_T_TUNNEL)
                    tunnel = v;
            } else {
                bad = TRUE;
            }
            shown = TRUE;
            break;
        }
        if (!shown) {
            if (tag == EWSFILE_T_BITFLAGS && len == 4) {
                proto_tree_add_bitmask(t, tvb, off, hf_bitflags, ett_bitflags, bitflag_fields, ENC_BIG_ENDIAN);
            } else if (tag == EWSFILE_T_DURATION && len == 9) {
                guint8 kind = tvb_get_guint8(tvb, off);
                gint64 ns = (gint64)tvb_get_ntoh64(tvb, off + 1);
                if (kind <= EWSFILE_DUR_GATEWAY && kind >= EWSFILE_DUR_BLOCKED) {
                    nstime_t d = { (time_t)(ns / 1000000000), (int)(ns % 1000000000) };
                    if (!times)
                        times = proto_tree_add_subtree(t, tvb, off, 0, ett_times, NULL, "Timings");
                    proto_tree_add_time(times, hf_dur[kind], tvb, off, len, &d);
                }
            } else if (tag == EWSFILE_T_TUPLE) {
                proto_tree_add_item(t, hf_tuple, tvb, off, len, ENC_NA);
                if (!PINFO_FD_VISITED(pinfo))
                    claim_connection(tvb, off, len, pinfo);
            } else if (tag == EWSFILE_T_TUNNEL_BYTES && len == 16) {
                proto_tree_add_item(t, hf_tunnel_up, tvb, off, 8, ENC_BIG_ENDIAN);
                proto_tree_add_item(t, hf_tunnel_down, tvb, off + 8, 8, ENC_BIG_ENDIAN);
            }
        }
        off += len;
    }
    if (bad)
        expert_add_info(pinfo, ti, &ei_bad_record);
    proto_item_set_len(ti, MIN(off, end));
    proto_item_append_text(ti, ", session %u, %s", session, val_to_str_const(role, role_vals, "?"));

    if (role == EWSFILE_ROLE_NOTE && tunnel) {
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "EWSFILE");
        col_add_fstr(pinfo->cinfo, COL_INFO, "Session %u: CONNECT tunnel%s%s (between the client and the proxy; "
                     "its decrypted requests are the sessions that follow)", session, url ? " to " : "", url ? url : "");
        return tvb_captured_length(tvb);
    }
    if (role == EWSFILE_ROLE_NOTE) {
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "EWSFILE");
        col_add_fstr(pinfo->cinfo, COL_INFO, "Session %u: %s%s%s", session,
                     val_to_str_const(end_kind, end_vals, "nothing sent"), failure ? ": " : "", failure ? failure : "");
        if (note && !failure)
            col_append_fstr(pinfo->cinfo, COL_INFO, " (%s)", note);
        expert_add_info_format(pinfo, ti, &ei_not_sent, "Session %u never reached the server: %s", session,
                               failure ? failure : note ? note : "the archive holds no request");
        return tvb_captured_length(tvb);
    }

    tvbuff_t *next = tvb_new_subset_remaining(tvb, off);
    call_dissector(eth_handle, next, pinfo, tree);

    if (role == EWSFILE_ROLE_FAILURE) {
        col_append_fstr(pinfo->cinfo, COL_INFO, " [session %u: %s]", session, failure ? failure : val_to_str_const(end_kind, end_vals, "failed"));
        expert_add_info_format(pinfo, ti, &ei_failure, "Session %u: %s%s%s", session,
                               val_to_str_const(end_kind, end_vals, "failed"), failure ? ": " : "", failure ? failure : "");
    } else if (generated) {
        expert_add_info_format(pinfo, ti, &ei_generated, "Session %u: the proxy wrote this response itself (%s)", session, generated);
    }
    if (note && role != EWSFILE_ROLE_FAILURE)
        expert_add_info_format(pinfo, ti, &ei_note, "Session %u: %s", session, note);
    return tvb_captured_length(tvb);
}

void
proto_register_ewsfile(void)
{
    static hf_register_info hf[] = {
        { &hf_role, { "Packet role", "ewsfile.role", FT_UINT8, BASE_DEC, VALS(role_vals), 0, "What this packet stands for in the session", HFILL } },
        { &hf_format, { "Archive", "ewsfile.format", FT_UINT8, BASE_DEC, VALS(format_vals), 0, NULL, HFILL } },
        { &hf_session, { "Session", "ewsfile.session", FT_UINT32, BASE_DEC, NULL, 0, "The session's number in the archive (raw/N_c.txt; HAR entry from 1)", HFILL } },
        { &hf_sid, { "Fiddler session id", "ewsfile.sid", FT_UINT32, BASE_DEC, NULL, 0, "SID in the session's _m.xml", HFILL } },
        { &hf_url, { "URL", "ewsfile.url", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_tls, { "Was HTTPS", "ewsfile.tls", FT_UINT8, BASE_DEC, NULL, 0, "1: the original exchange was encrypted; the archive holds it decrypted", HFILL } },
        { &hf_tls_version, { "TLS version", "ewsfile.tls_version", FT_STRING, BASE_NONE, NULL, 0, "As the archive states it (https-server-version, https-client-version)", HFILL } },
        { &hf_http_version, { "HTTP version", "ewsfile.http_version", FT_STRING, BASE_NONE, NULL, 0, "The protocol the original exchange used (shown as HTTP/1.1)", HFILL } },
        { &hf_process, { "Process", "ewsfile.process", FT_STRING, BASE_NONE, NULL, 0, "x-processinfo: the client process and its id", HFILL } },
        { &hf_client_ip, { "Client address (archive)", "ewsfile.client_ip", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_client_port, { "Client port towards the proxy", "ewsfile.client_port", FT_UINT16, BASE_DEC, NULL, 0, "x-clientport", HFILL } },
        { &hf_server_ip, { "Server address (archive)", "ewsfile.server_ip", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_egress_port, { "Egress port", "ewsfile.egress_port", FT_UINT16, BASE_DEC, NULL, 0, "x-egressport: the proxy's port towards the server; the TCP source port shown, to match a capture of the same moment", HFILL } },
        { &hf_comment, { "Comment", "ewsfile.comment", FT_STRING, BASE_NONE, NULL, 0, "ui-comments", HFILL } },
        { &hf_flag, { "Session flag", "ewsfile.flag", FT_STRING, BASE_NONE, NULL, 0, "Every session flag, as \"name: value\"", HFILL } },
        { &hf_bitflags, { "BitFlags", "ewsfile.bitflags", FT_UINT32, BASE_HEX, NULL, 0, "Fiddler's session flags", HFILL } },
        { &hf_bf_https, { "HTTPS", "ewsfile.bitflags.https", FT_BOOLEAN, 32, NULL, 0x1, NULL, HFILL } },
        { &hf_bf_client_reused, { "Client connection reused", "ewsfile.bitflags.client_reused", FT_BOOLEAN, 32, NULL, 0x8, NULL, HFILL } },
        { &hf_bf_server_reused, { "Server connection reused", "ewsfile.bitflags.server_reused", FT_BOOLEAN, 32, NULL, 0x10, NULL, HFILL } },
        { &hf_bf_request_generated, { "Request generated by Fiddler", "ewsfile.bitflags.request_generated", FT_BOOLEAN, 32, NULL, 0x80, NULL, HFILL } },
        { &hf_bf_response_generated, { "Response generated by Fiddler", "ewsfile.bitflags.response_generated", FT_BOOLEAN, 32, NULL, 0x100, NULL, HFILL } },
        { &hf_bf_loaded, { "Loaded from an archive", "ewsfile.bitflags.loaded", FT_BOOLEAN, 32, NULL, 0x200, NULL, HFILL } },
        { &hf_bf_blind, { "Blind tunnel", "ewsfile.bitflags.blind_tunnel", FT_BOOLEAN, 32, NULL, 0x1000, NULL, HFILL } },
        { &hf_bf_decrypting, { "Decrypting tunnel", "ewsfile.bitflags.decrypting_tunnel", FT_BOOLEAN, 32, NULL, 0x2000, NULL, HFILL } },
        { &hf_bf_violation_req, { "Protocol violation in request", "ewsfile.bitflags.request_violation", FT_BOOLEAN, 32, NULL, 0x8000, NULL, HFILL } },
        { &hf_bf_violation_resp, { "Protocol violation in response", "ewsfile.bitflags.response_violation", FT_BOOLEAN, 32, NULL, 0x10000, NULL, HFILL } },
        { &hf_bf_websocket, { "WebSocket", "ewsfile.bitflags.websocket", FT_BOOLEAN, 32, NULL, 0x40000, NULL, HFILL } },
        { &hf_end, { "Session ended", "ewsfile.end", FT_UINT8, BASE_DEC, VALS(end_vals), 0, "How the session ended, as the reader understood the archive", HFILL } },
        { &hf_failure, { "Failure", "ewsfile.failure", FT_STRING, BASE_NONE, NULL, 0, "The failure as the archive states it (Fiddler's error text, the browser's net:: error)", HFILL } },
        { &hf_generated, { "Response made by the proxy", "ewsfile.generated", FT_STRING, BASE_NONE, NULL, 0, "Status line of a response Fiddler wrote itself (not the server's answer)", HFILL } },
        { &hf_connection, { "Browser connection id", "ewsfile.connection", FT_STRING, BASE_NONE, NULL, 0, "HAR connection", HFILL } },
        { &hf_note, { "Reader's note", "ewsfile.note", FT_STRING, BASE_NONE, NULL, 0, "What the reader had to infer or leave out", HFILL } },
        { &hf_made_up, { "Addresses made up", "ewsfile.addr_made_up", FT_UINT8, BASE_DEC, NULL, 0, "1: an address or port shown was not in the archive (HAR never holds the client's)", HFILL } },
        { &hf_tunnel, { "CONNECT tunnel", "ewsfile.tunnel", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL } },
        { &hf_tunnel_up, { "Tunnel bytes, client to server", "ewsfile.tunnel.bytes_up", FT_UINT64, BASE_DEC, NULL, 0, NULL, HFILL } },
        { &hf_tunnel_down, { "Tunnel bytes, server to client", "ewsfile.tunnel.bytes_down", FT_UINT64, BASE_DEC, NULL, 0, NULL, HFILL } },
        { &hf_tuple, { "Connection", "ewsfile.tuple", FT_BYTES, BASE_NONE, NULL, 0, "Addresses and ports of the packet below", HFILL } },
        { &hf_dur[EWSFILE_DUR_BLOCKED], { "Blocked", "ewsfile.time.blocked", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "Waiting for a connection (HAR blocked)", HFILL } },
        { &hf_dur[EWSFILE_DUR_DNS], { "DNS", "ewsfile.time.dns", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_dur[EWSFILE_DUR_CONNECT], { "TCP connect", "ewsfile.time.connect", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_dur[EWSFILE_DUR_TLS], { "TLS handshake", "ewsfile.time.tls", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, NULL, HFILL } },
        { &hf_dur[EWSFILE_DUR_SEND], { "Send", "ewsfile.time.send", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "Sending the request to the server", HFILL } },
        { &hf_dur[EWSFILE_DUR_WAIT], { "Wait", "ewsfile.time.wait", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "From the request sent to the first byte of the response", HFILL } },
        { &hf_dur[EWSFILE_DUR_RECEIVE], { "Receive", "ewsfile.time.receive", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "Receiving the response", HFILL } },
        { &hf_dur[EWSFILE_DUR_TOTAL], { "Total", "ewsfile.time.total", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "The whole session as the client saw it", HFILL } },
        { &hf_dur[EWSFILE_DUR_GATEWAY], { "Gateway", "ewsfile.time.gateway", FT_RELATIVE_TIME, BASE_NONE, NULL, 0, "Time spent on an upstream proxy (Fiddler GatewayTime)", HFILL } },
    };
    static gint *ett[] = { &ett_ewsfile, &ett_bitflags, &ett_times };
    static ei_register_info ei[] = {
        { &ei_failure, { "ewsfile.failure.expert", PI_RESPONSE_CODE, PI_WARN, "Failure recorded in the archive", EXPFILL } },
        { &ei_not_sent, { "ewsfile.not_sent", PI_RESPONSE_CODE, PI_WARN, "Session never reached the server", EXPFILL } },
        { &ei_note, { "ewsfile.note.expert", PI_COMMENTS_GROUP, PI_NOTE, "Reader's note on this session", EXPFILL } },
        { &ei_generated, { "ewsfile.generated.expert", PI_RESPONSE_CODE, PI_NOTE, "A response the proxy made itself", EXPFILL } },
        { &ei_bad_record, { "ewsfile.bad_record", PI_MALFORMED, PI_ERROR, "The record from the file reader is damaged", EXPFILL } },
    };
    proto_ewsfile = proto_register_protocol("Session from a Fiddler archive or HAR file", "EWSFILE", "ewsfile");
    proto_register_field_array(proto_ewsfile, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto_ewsfile);
    expert_register_field_array(em, ei, array_length(ei));
    register_dissector(EWSFILE_DISSECTOR, dissect_ewsfile, proto_ewsfile);
}

void
proto_reg_handoff_ewsfile(void)
{
    eth_handle = find_dissector_add_dependency("eth_withoutfcs", proto_ewsfile);
    http_handle = find_dissector_add_dependency("http", proto_ewsfile);
}
