#!/usr/bin/env python3
"""Writes every plaintext test capture in this folder, byte for byte the same on every run.

    python3 test-captures/generate.py [--out DIR]

The TLS capture (ews-tls-h2.pcapng) is made from real sockets by make_tls_capture.sh."""
import argparse
import os

import ewsbodies as B
from pcapgen import Flow, Pcap, http_request, http_response

T0 = 1795000000.0     # 2026-11-18, fixed so captures are reproducible

CLIENT_UA = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)"
EWS_UA = "ExchangeServicesClient/15.00.0913.015"


def ews_req_headers(host, ua=CLIENT_UA, extra=()):
    return [("Host", host), ("User-Agent", ua), ("Content-Type", "text/xml; charset=utf-8"),
            ("SOAPAction", '"%s"' % B.GUA_ACTION), ("Authorization", "Negotiate YIIHPgYGKwYBBQUCoIIHMjCCBy6gMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg==")] + list(extra)


def rsp_headers(extra=()):
    return [("Cache-Control", "private"), ("Content-Type", "text/xml; charset=utf-8"), ("Server", "Microsoft-IIS/10.0"),
            ("request-id", "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"), ("X-FEServer", "EXA01"), ("X-BEServer", "EXA02")] + list(extra)


def exchange(pcap, t, cport, req, rsp, srv="10.0.0.10", cli="10.0.0.50", sport=80, think=0.045):
    f = Flow(pcap, cli, cport, srv, sport, t)
    f.send(True, req)
    f.send(False, rsp, dt=think)
    f.fin()
    return f


def basic(out):
    """One Outlook lookup of three mailboxes: one failed at the proxy hop, two answered."""
    p = Pcap(os.path.join(out, "ews-basic.pcap"))
    req = B.client_request(["y1@fabrikam.com", ("y2@fabrikam.com", "Yvonne Two", "Optional", True), "x2@contoso.com"],
                           view="DetailedMerged", suggestions=True)
    rsp = B.response([
        B.fb_error(),
        B.fb_success(merged="000000002222000000001111", events=[("2026-11-25T08:00:00", "2026-11-25T10:00:00", "Busy", "Budget review", "Room 4"),
                                                              ("2026-11-25T18:00:00", "2026-11-25T20:00:00", "Tentative", "Dinner &amp; drinks", "Pier 39")]),
        B.fb_success(merged="000000000000333300000000", events=[("2026-11-25T12:00:00", "2026-11-25T16:00:00", "OOF", None, None)],
                     view="FreeBusyMerged"),
    ], suggestions=True)
    exchange(p, T0, 50001, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com"), req),
             http_response(200, rsp_headers(), rsp), think=0.120)
    p.close()


def variants(out):
    """The same operation as other senders write it, and the transports HTTP gives it."""
    p = Pcap(os.path.join(out, "ews-variants.pcap"))
    t = T0 + 10
    # 1. Exchange proxy hop: exm/ext prefixes, RequestTypeHeader, SerializedSecurityContext, chunked+gzip answer
    req = B.proxy_request(["y2@contoso.com"], request_type="CrossSite", rsv="Exchange2012")
    rsp = B.response([B.fb_success(merged="000044440000555500002222", events=[], working_hours=False)])
    exchange(p, t, 50101, http_request("/EWS/Exchange.asmx", ews_req_headers("exb02.contoso.com:444", ua="ASProxy/CrossSite/Directory/EXCH/15.02.1118.040",
                                                                            extra=[("X-AnchorMailbox", "y2@contoso.com"), ("Accept-Encoding", "gzip")]), req),
             http_response(200, rsp_headers(), rsp, chunked=True, gzip_body=True), srv="10.0.0.12", cli="10.0.0.10")
    # 2. Federated hop with WS-Security and SharingSecurity, Exchange2009 schema (digit 4 = NoData)
    req = B.proxy_request(["y1@fabrikam.com"], request_type="CrossForest", rsv="Exchange2009", ssc_sids=(), federated=True, sharing=True,
                          message_id="urn:uuid:0b7f1c2e-9a43-4f5e-8d21-3c4b5a697887")
    rsp = B.response([B.fb_success(merged="0000444400002222", events=[], view="FreeBusyMerged", working_hours=False)])
    exchange(p, t + 1, 50102, http_request("/EWS/Exchange.asmx/WSSecurity", [("Host", "mail.fabrikam.com"), ("User-Agent", "ASProxy/CrossForest/Directory/https/15.02.1118.040"),
                                                                            ("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", '"%s"' % B.GUA_ACTION),
                                                                            ("X-AnchorMailbox", "y1@fabrikam.com")], req),
             http_response(200, rsp_headers(), rsp), srv="10.1.0.20", cli="10.0.0.10")
    # 3. SOAP 1.2, default namespaces, action in the Content-Type
    req = B.soap12_request(["room1@contoso.com", "room2@contoso.com"])
    rsp = B.soap12_response("00220000")
    exchange(p, t + 2, 50103, http_request("/ews/exchange.asmx", [("Host", "mail.contoso.com"), ("User-Agent", "curl/7.88.1"),
                                                                ("Content-Type", 'application/soap+xml; charset=utf-8; action="%s"' % B.GUA_ACTION)], req),
             http_response(200, [("Content-Type", "application/soap+xml; charset=utf-8")], rsp))
    # 4. Whole-request failure: SOAP fault with HTTP 500
    req = B.client_request(["x1@contoso.com"], view="FreeBusy", rsv="Exchange2010_SP2")
    exchange(p, t + 3, 50104, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", ua=EWS_UA), req),
             http_response(500, rsp_headers(), B.fault_server_busy()))
    # 5. UTF-16 (with BOM) both ways
    req = B.client_request(["y2@fabrikam.com"], view="FreeBusy").replace(b'encoding="utf-8"', b'encoding="utf-16"').decode().encode("utf-16")
    rsp = B.response([B.fb_success(merged="0220", events=[], view="FreeBusy", working_hours=False)]).replace(b'encoding="utf-8"', b'encoding="utf-16"').decode().encode("utf-16")
    exchange(p, t + 4, 50105, http_request("/EWS/Exchange.asmx", [h if h[0] != "Content-Type" else ("Content-Type", "text/xml; charset=utf-16")
                                                                for h in ews_req_headers("mail.contoso.com", ua=EWS_UA)], req),
             http_response(200, [("Content-Type", "text/xml; charset=utf-16")], rsp))
    # 6. Two pipelined requests on one connection, answered in order
    r1 = http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", ua=EWS_UA), B.client_request(["p1@contoso.com"], view="FreeBusy"))
    r2 = http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", ua=EWS_UA), B.client_request(["p2@contoso.com", "p3@contoso.com"], view="FreeBusy"))
    a1 = http_response(200, rsp_headers(), B.response([B.fb_success(merged="00", events=[], view="FreeBusy", working_hours=False)]))
    a2 = http_response(200, rsp_headers(), B.response([B.fb_success(merged="22", events=[], view="FreeBusy", working_hours=False),
                                                         B.fb_error(code="ErrorMailRecipientNotFound", exc_type="MailRecipientNotFoundException", exc_code=5009,
                                                                    text="Microsoft.Exchange.InfoWorker.Common.Availability.MailRecipientNotFoundException: Unable to resolve e-mail address p3@contoso.com to an Active Directory object.\r\n. Name of the server where exception originated: EXA02. LID: 47292",
                                                                    server="EXA02", response_source=None)]))
    f = Flow(p, "10.0.0.51", 50106, "10.0.0.10", 80, t + 5)
    f.send(True, r1 + r2)
    f.send(False, a1, dt=0.03)
    f.send(False, a2, dt=0.03)
    f.fin()
    # 7. Not EWS: other SOAP and plain XML stay Wireshark's XML dissection
    finditem = (b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
                b'xmlns:m="%s" xmlns:t="%s"><soap:Body><m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>'
                b'</m:ItemShape></m:FindItem></soap:Body></soap:Envelope>' % (B.M.encode(), B.T.encode()))
    exchange(p, t + 6, 50107, http_request("/EWS/Exchange.asmx", [("Host", "mail.contoso.com"), ("Content-Type", "text/xml; charset=utf-8"),
                                                                ("SOAPAction", '"%s/FindItem"' % B.M)], finditem),
             http_response(200, [("Content-Type", "text/xml")], b'<?xml version="1.0"?><note><to>Tove</to><from>Jani</from></note>'))
    # 8. Impersonation and the 2007-era ProxyRequestTypeHeader name
    req = B.client_request(["y1@fabrikam.com"], view="FreeBusy", rsv="Exchange2013_SP1", extra_headers=(
        '<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>x1@contoso.com</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>'
        '<t:ProxyRequestTypeHeader>CrossForest</t:ProxyRequestTypeHeader>'))
    exchange(p, t + 7, 50108, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", ua=EWS_UA), req),
             http_response(200, rsp_headers(), B.response([B.fb_success(merged="0", events=[], view="FreeBusy", working_hours=False)])))
    p.close()


def hostile(out):
    """Bodies a dissector must survive: each gets an expert info and a bounded cost."""
    p = Pcap(os.path.join(out, "ews-hostile.pcap"))
    t = T0 + 100
    good = B.client_request(["y1@fabrikam.com", "y2@fabrikam.com"], view="Detailed")
    cases = [
        # truncated in the middle of the second MailboxData
        good[:good.index(b"y2@fabrikam.com") + 5],
        # billion laughs: must not be expanded
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
        b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
        b'<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
        b'<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
        + good[good.index(b"<soap:Envelope"):].replace(b"y1@fabrikam.com", b"&lol9;"),
        # external entity: must not be fetched
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "http://203.0.113.9/secret">]>'
        + good[good.index(b"<soap:Envelope"):].replace(b"y1@fabrikam.com", b"&xxe;"),
        # 10,000-deep nesting inside the request
        good.replace(b"<m:MailboxDataArray>", b"<m:MailboxDataArray>" + b"<x>" * 10000 + b"</x>" * 10000),
        # an enormous attribute value
        good.replace(b'Version="Exchange2013"', b'Version="' + b"A" * 200000 + b'"'),
        # a charset libxml2 has never heard of
        good,
        # not XML at all, but it says it is a GetUserAvailability request
        b"GetUserAvailability \x00\x01\x02 garbage",
        # wrong type in a typed element
        good.replace(b"<t:MergedFreeBusyIntervalInMinutes>60<", b"<t:MergedFreeBusyIntervalInMinutes>sixty<"),
    ]
    for i, body in enumerate(cases):
        ctype = "text/xml; charset=x-klingon" if i == 5 else "text/xml; charset=utf-8"
        hdrs = [h if h[0] != "Content-Type" else ("Content-Type", ctype) for h in ews_req_headers("mail.contoso.com", ua=EWS_UA)]
        f = Flow(p, "10.0.0.60", 50200 + i, "10.0.0.10", 80, t + i)
        f.send(True, http_request("/EWS/Exchange.asmx", hdrs, body))
        f.fin()
    p.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    basic(a.out)
    variants(a.out)
    hostile(a.out)


if __name__ == "__main__":
    main()
