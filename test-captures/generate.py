#!/usr/bin/env python3
"""Writes every plaintext test capture in this folder, byte for byte the same on every run.

    python3 test-captures/generate.py [--out DIR]

The TLS capture (ews-tls-h2.pcapng) is made from real sockets by make_node_capture.sh tls-h2."""
import argparse
import os

import ewsbodies as B
import foreign_bodies as F
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


FABRIKAM = "10.1.0.20"        # forest B's published front end (mail.fabrikam.com)
EXA = "10.0.0.10"             # forest A's Exchange server (CAS + mailbox)
ASPROXY_HTTPS = "ASProxy/CrossForest/Directory/https/15.02.1118.040"
WSSEC_URL = "https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity"


def hop_headers(host, ua, anchor, auth=None, extra=()):
    h = [("Host", host), ("User-Agent", ua), ("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", '"%s"' % B.GUA_ACTION),
         ("X-AnchorMailbox", anchor), ("Accept-Encoding", "gzip")]
    if auth:
        h.append(("Authorization", auth))
    return h + list(extra)


def federated_hop(p, t, port, mailbox, client_request_id, message_id, sharing=False, interval=60):
    """Forest A's Exchange asking forest B for one mailbox over WS-Security (/WSSecurity)."""
    f = Flow(p, EXA, port, FABRIKAM, 80, t)
    f.send(True, http_request("/EWS/Exchange.asmx/WSSecurity", hop_headers("mail.fabrikam.com", ASPROXY_HTTPS, mailbox,
                                                                           extra=[("client-request-id", client_request_id)]),
                              B.proxy_request([mailbox], request_type="CrossForest", rsv="Exchange2012", ssc_sids=(), federated=True,
                                              sharing=sharing, wsa_to=WSSEC_URL, message_id=message_id, view="FreeBusyMerged",
                                              interval=interval)), ack=not sharing)
    return f


def seed(out):
    """The case this tool exists for (docs/seed-case.md): X2 sees Y1, X1 does not.

    X2 -> EXA -> forest B goes the organization relationship and works. X1 -> EXA -> forest B
    goes the personal relationship (a stale sharing subscription: SharingSecurity header) and
    forest B resets that connection; EXA answers X1 with the 'Proxy web request failed ...
    forcibly closed' error for Y1 while Y2 (organization relationship) is fine."""
    p = Pcap(os.path.join(out, "ews-seed.pcap"))
    t = T0 + 200
    fb_y = B.fb_success(merged="000022220000", events=[], view="FreeBusyMerged", working_hours=False)

    # X2 asks for Y1: organization relationship, answered
    c2 = Flow(p, "10.0.0.102", 51001, EXA, 80, t)
    c2.send(True, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", extra=[("X-AnchorMailbox", "x2@contoso.com"),
                                                                                            ("client-request-id", "7d1f0b2a-x2")]),
                               B.client_request(["y1@fabrikam.com"], view="FreeBusyMerged", interval=60)))
    h2 = federated_hop(p, c2.t + 0.004, 52001, "y1@fabrikam.com", "7d1f0b2a-x2", "urn:uuid:2a0c6a9e-5d7b-4b43-9a0e-000000000002")
    h2.send(False, http_response(200, rsp_headers(), B.response([fb_y])), dt=0.038)
    h2.fin()
    c2.t = h2.t
    c2.send(False, http_response(200, rsp_headers(), B.response([fb_y])), dt=0.002)
    c2.fin()

    # X1 asks for Y1 and Y2
    t = c2.t + 1.5
    c1 = Flow(p, "10.0.0.101", 51002, EXA, 80, t)
    c1.send(True, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", extra=[("X-AnchorMailbox", "x1@contoso.com"),
                                                                                            ("client-request-id", "5c9e4d11-x1")]),
                               B.client_request(["y1@fabrikam.com", "y2@fabrikam.com"], view="FreeBusyMerged", interval=60)))
    # ... Y1 through X1's stale sharing subscription: personal relationship, reset by forest B
    h1 = federated_hop(p, c1.t + 0.004, 52002, "y1@fabrikam.com", "5c9e4d11-x1", "urn:uuid:2a0c6a9e-5d7b-4b43-9a0e-000000000001",
                       sharing=True)
    h1.rst(False, dt=0.003)
    # ... Y2 through the organization relationship: answered
    h3 = federated_hop(p, c1.t + 0.005, 52003, "y2@fabrikam.com", "5c9e4d11-x1", "urn:uuid:2a0c6a9e-5d7b-4b43-9a0e-000000000003")
    h3.send(False, http_response(200, rsp_headers(), B.response([fb_y])), dt=0.041)
    h3.fin()
    c1.t = h3.t
    c1.send(False, http_response(200, rsp_headers(), B.response([B.fb_error(server="EXA01", response_source=WSSEC_URL), fb_y])), dt=0.002)
    c1.fin()
    p.close()


def paths(out):
    """One flow per routing path of the vocabulary (protocol-notes.md §12)."""
    p = Pcap(os.path.join(out, "ews-paths.pcap"))
    t = T0 + 300
    ok = lambda: http_response(200, rsp_headers(), B.response([B.fb_success(merged="0000", events=[], view="FreeBusy", working_hours=False)]))
    neg = "Negotiate YIIHPgYGKwYBBQUCoIIHMjCCBy6gMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg=="
    flows = [
        # client-ews: Outlook
        ("10.0.0.101", EXA, 80, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", extra=[("X-AnchorMailbox", "x1@contoso.com")]),
                                            B.client_request(["x2@contoso.com"], view="FreeBusy")), ok()),
        # client-owa: Outlook on the web (JSON)
        ("10.0.0.101", EXA, 80, http_request("/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-38&AC=1",
                                            [("Host", "mail.contoso.com"), ("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/131.0"),
                                             ("Content-Type", "application/json; charset=utf-8"), ("Action", "GetUserAvailabilityInternal"),
                                             ("X-OWA-CANARY", "X2f7Zg8yQkW1"), ("X-OWA-ActionName", "GetUserAvailabilityInternalAction"),
                                             ("X-Requested-With", "XMLHttpRequest")],
                                            b'{"request":{"__type":"GetUserAvailabilityInternalJsonRequest:#Exchange","Body":{"MailboxDataArray":[{"Email":{"Address":"x2@contoso.com"}}]}}}'),
         http_response(200, [("Content-Type", "application/json; charset=utf-8")], b'{"Body":{"ResponseClass":"Success","ResponseCode":"NoError"}}')),
        # frontend-backend: CAFE to the mailbox server's back end
        (EXA, "10.0.0.12", 444, http_request("/EWS/Exchange.asmx", ews_req_headers("exb02.contoso.com:444", extra=[
            ("X-IsFromCafe", "1"), ("X-SourceCafeServer", "EXA01.contoso.com"), ("X-CommonAccessToken", "VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9z"),
            ("msExchProxyUri", "https://mail.contoso.com/EWS/Exchange.asmx"), ("X-Forwarded-For", "10.0.0.101")]),
            B.client_request(["x2@contoso.com"], view="FreeBusy")), ok()),
        # cross-site: availability proxy to another mailbox server of the forest
        (EXA, "10.0.0.12", 444, http_request("/EWS/Exchange.asmx", hop_headers("exb02.contoso.com:444", "ASProxy/CrossSite/Directory/EXCH/15.02.1118.040",
                                                                                "x2@contoso.com", auth=neg),
                                            B.proxy_request(["x2@contoso.com"], request_type="CrossSite", rsv="Exchange2012")), ok()),
        # address-space-peruser: CrossForest with the requester's SIDs
        (EXA, "10.2.0.30", 80, http_request("/EWS/Exchange.asmx", hop_headers("mail.tailspin.com", "ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040",
                                                                              "t1@tailspin.com", auth=neg),
                                           B.proxy_request(["t1@tailspin.com"], request_type="CrossForest", rsv=None)), ok()),
        # address-space-orgwide: CrossForest, no SIDs
        (EXA, "10.2.0.30", 80, http_request("/EWS/Exchange.asmx", hop_headers("mail.tailspin.com", "ASProxy/CrossForest/EmailDomain/EXPR/15.02.1118.040",
                                                                              "t2@tailspin.com", auth=neg),
                                           B.proxy_request(["t2@tailspin.com"], request_type="CrossForest", rsv=None, ssc_sids=())), ok()),
        # address-space-orgwide-basic: CrossForest with Basic
        (EXA, "10.2.0.30", 80, http_request("/EWS/Exchange.asmx", hop_headers("mail.tailspin.com", "ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040",
                                                                              "t3@tailspin.com", auth="Basic c3ZjLWZiQHRhaWxzcGluLmNvbTpQYXNzdzByZA=="),
                                           B.proxy_request(["t3@tailspin.com"], request_type="CrossForest", rsv=None, ssc_sids=())), ok()),
        # org-relationship: federated (DAuth)
        (EXA, FABRIKAM, 80, http_request("/EWS/Exchange.asmx/WSSecurity", hop_headers("mail.fabrikam.com", ASPROXY_HTTPS, "y2@fabrikam.com"),
                                        B.proxy_request(["y2@fabrikam.com"], request_type="CrossForest", ssc_sids=(), federated=True, wsa_to=WSSEC_URL)), ok()),
        # personal-relationship: federated with SharingSecurity
        (EXA, FABRIKAM, 80, http_request("/EWS/Exchange.asmx/WSSecurity", hop_headers("mail.fabrikam.com", ASPROXY_HTTPS, "y1@fabrikam.com"),
                                        B.proxy_request(["y1@fabrikam.com"], request_type="CrossForest", ssc_sids=(), federated=True, sharing=True,
                                                        wsa_to=WSSEC_URL)), ok()),
        # oauth-intraorg: Bearer, no RequestTypeHeader
        (EXA, "10.3.0.40", 80, http_request("/EWS/Exchange.asmx", hop_headers("outlook.office365.com", "ASProxy/CrossForest/EmailDomain//15.02.1118.040",
                                                                              "c1@contoso.mail.onmicrosoft.com",
                                                                              auth="Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIwMDAwMDAwMi0wMDAwLTBmZjEtY2UwMC0wMDAwMDAwMDAwMDAifQ.c2ln"),
                                           B.proxy_request(["c1@contoso.mail.onmicrosoft.com"], request_type=None, ssc_sids=(), rsv="Exchange2012")), ok()),
        # autodiscover: POX, by the availability service
        (EXA, "10.2.0.30", 80, http_request("/autodiscover/autodiscover.xml", [("Host", "autodiscover.tailspin.com"),
                                                                               ("User-Agent", "ASAutoDiscover/CrossForest/EmailDomain//15.02.1118.040"),
                                                                               ("Content-Type", "text/xml"), ("X-AnchorMailbox", "t1@tailspin.com"),
                                                                               ("Authorization", neg)],
                                           b'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">'
                                           b'<Request><EMailAddress>t1@tailspin.com</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>'),
         http_response(200, [("Content-Type", "text/xml; charset=utf-8")], b'<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"/>')),
        # unknown: an EWS URL and nothing else to go by
        ("10.0.0.103", EXA, 80, http_request("/ews/services.wsdl", [("Host", "mail.contoso.com")], b"", method="GET"),
         http_response(200, [("Content-Type", "text/xml")], b'<?xml version="1.0"?><definitions/>')),
    ]
    for i, (cli, srv, port, req, rsp) in enumerate(flows):
        f = Flow(p, cli, 53000 + i, srv, port, t + i)
        f.send(True, req)
        f.send(False, rsp, dt=0.02)
        f.fin()
    p.close()


def resets(out):
    """The ways a connection can end with a request unanswered, and ways it ends harmlessly."""
    p = Pcap(os.path.join(out, "ews-resets.pcap"))
    t = T0 + 400
    hop = lambda mbx: http_request("/EWS/Exchange.asmx/WSSecurity", hop_headers("mail.fabrikam.com", ASPROXY_HTTPS, mbx),
                                   B.proxy_request([mbx], request_type="CrossForest", ssc_sids=(), federated=True, wsa_to=WSSEC_URL))
    big = http_response(200, rsp_headers(), B.response([B.fb_success(merged="0" * 400, events=[
        ("2026-11-25T%02d:00:00" % h, "2026-11-25T%02d:30:00" % h, "Busy", "Meeting %d" % h, "Room") for h in range(24)])]))
    # a. two requests outstanding on one connection, then the server resets it
    f = Flow(p, EXA, 54001, FABRIKAM, 80, t)
    f.send(True, hop("r1@fabrikam.com") + hop("r2@fabrikam.com"))
    f.rst(False, dt=0.010)
    # b. the response starts, then the connection is reset mid-body
    f = Flow(p, EXA, 54002, FABRIKAM, 80, t + 1)
    f.send(True, hop("r3@fabrikam.com"))
    f.send(False, big[:2920], dt=0.030, ack=False)
    f.rst(False, dt=0.001)
    # c. a complete answer, then the pooled connection is reset: nothing lost
    f = Flow(p, EXA, 54003, FABRIKAM, 80, t + 2)
    f.send(True, hop("r4@fabrikam.com"))
    f.send(False, http_response(200, rsp_headers(), B.response([B.fb_success(merged="00", events=[], view="FreeBusy", working_hours=False)])), dt=0.02)
    f.rst(True, dt=0.5)
    # d. the server closes (FIN) without answering
    f = Flow(p, EXA, 54004, FABRIKAM, 80, t + 3)
    f.send(True, hop("r5@fabrikam.com"))
    f.fin_from(False, dt=0.015)
    # e. a reset, retransmitted
    f = Flow(p, EXA, 54005, FABRIKAM, 80, t + 4)
    f.send(True, hop("r6@fabrikam.com"), ack=False)
    f.rst(False, dt=0.004)
    f.rst(False, dt=0.0002)
    # f. Expect: 100-continue: only the headers went out before the reset (HTTP never completes it)
    f = Flow(p, EXA, 54006, FABRIKAM, 80, t + 5)
    req = hop("r7@fabrikam.com")
    head = req[:req.index(b"\r\n\r\n")] + b"\r\nExpect: 100-continue\r\n\r\n"
    f.send(True, head, ack=False)
    f.rst(False, dt=0.003)
    p.close()


OWA_HEADERS = [("Host", "mail.contoso.com"), ("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edge/131.0"),
               ("Content-Type", "application/json; charset=utf-8"), ("Action", "GetUserAvailabilityInternal"),
               ("X-OWA-CANARY", "X2f7Zg8yQkW1Jd0c"), ("X-OWA-ActionName", "GetUserAvailabilityInternalAction"),
               ("X-Requested-With", "XMLHttpRequest"), ("X-AnchorMailbox", "x1@contoso.com")]


def owa(out):
    """Outlook on the web: the seed's failure as the browser saw it, and JSON that is not ours."""
    p = Pcap(os.path.join(out, "ews-owa.pcap"))
    t = T0 + 500
    path = "/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-38&AC=1"
    jrsp = lambda body: http_response(200, [("Content-Type", "application/json; charset=utf-8"), ("X-FEServer", "EXA01")], body)
    # 1. the seed's failure in the browser
    f = Flow(p, "10.0.0.101", 55001, EXA, 80, t)
    f.send(True, http_request(path, OWA_HEADERS, B.owa_request(["y1@fabrikam.com", "y2@fabrikam.com"])))
    f.send(False, jrsp(B.owa_response([("error", B.PROXY_FAILED_TEXT),
                                       ("ok", "000022220000000000000000000000000000000000000000",
                                        [("2026-11-25T02:00:00-08:00", "2026-11-25T04:00:00-08:00", "Busy", "Design review", "Room 12")])])), dt=0.06)
    f.fin()
    # 2. other OWA JSON stays Wireshark's JSON dissection
    f = Flow(p, "10.0.0.101", 55002, EXA, 80, t + 1)
    f.send(True, http_request("/owa/service.svc?action=FindPeople", [h if h[0] != "Action" else ("Action", "FindPeople") for h in OWA_HEADERS],
                              b'{"__type":"FindPeopleJsonRequest:#Exchange","Body":{"QueryString":"yvonne"}}'))
    f.send(False, jrsp(b'{"Body":{"ResultSet":[{"DisplayName":"Yvonne One"}],"ResponseClass":"Success"}}'), dt=0.02)
    f.fin()
    # 3. truncated JSON that says it is an availability request
    f = Flow(p, "10.0.0.101", 55003, EXA, 80, t + 2)
    body = B.owa_request(["y1@fabrikam.com"])
    f.send(True, http_request(path, OWA_HEADERS, body[:len(body) // 2]))
    f.fin()
    # 5. newer OWA: the JSON URL-encoded in X-OWA-UrlPostData, no body
    from urllib.parse import quote
    f = Flow(p, "10.0.0.101", 55005, EXA, 80, t + 4)
    hdrs = OWA_HEADERS + [("X-OWA-UrlPostData", quote(B.owa_request(["y3@fabrikam.com"]).decode(), safe=""))]
    f.send(True, http_request(path, hdrs, b""))
    f.send(False, jrsp(B.owa_response([("ok", "0220", [])])), dt=0.03)
    f.fin()
    # 4. absurdly deep JSON that says it is an availability request
    f = Flow(p, "10.0.0.101", 55004, EXA, 80, t + 3)
    f.send(True, http_request(path, OWA_HEADERS, b'{"request":' + b'{"a":' * 5000 + b'1' + b'}' * 5000 + b'}'))
    f.fin()
    p.close()


def b64url(obj):
    import base64
    import json
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


def discovery(out):
    """What precedes a cross-forest hop: Autodiscover (POX and SOAP), the federation gateway, OAuth."""
    p = Pcap(os.path.join(out, "ews-discovery.pcap"))
    t = T0 + 600
    xml = [("Content-Type", "text/xml; charset=utf-8")]
    neg = "Negotiate YIIHPgYGKwYBBQUCoIIHMjCCBy6gMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg=="
    # 1. POX Autodiscover for an address space, then the hop to the ASUrl it gave
    asurl = "https://mail.tailspin.com/EWS/Exchange.asmx"
    f = Flow(p, EXA, 56001, "10.2.0.30", 80, t)
    f.send(True, http_request("/autodiscover/autodiscover.xml", [("Host", "autodiscover.tailspin.com"),
                                                                 ("User-Agent", "ASAutoDiscover/CrossForest/EmailDomain//15.02.1118.040"),
                                                                 ("Content-Type", "text/xml"), ("X-AnchorMailbox", "t1@tailspin.com"),
                                                                 ("Authorization", neg)], B.pox_request("t1@tailspin.com")))
    f.send(False, http_response(200, xml, B.pox_settings("Tara One", asurl)), dt=0.03)
    f.fin()
    f = Flow(p, EXA, 56002, "10.2.0.30", 80, t + 0.2)
    f.send(True, http_request("/EWS/Exchange.asmx", hop_headers("mail.tailspin.com", "ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040",
                                                                "t1@tailspin.com", auth=neg),
                              B.proxy_request(["t1@tailspin.com"], request_type="CrossForest", rsv=None)))
    f.send(False, http_response(200, rsp_headers(), B.response([B.fb_success(merged="0000", events=[], view="FreeBusy", working_hours=False)])), dt=0.02)
    f.fin()
    # 2. POX redirect and POX error
    f = Flow(p, EXA, 56003, "10.2.0.30", 80, t + 1)
    f.send(True, http_request("/autodiscover/autodiscover.xml", [("Host", "autodiscover.tailspin.com"), ("Content-Type", "text/xml"),
                                                                 ("User-Agent", "ASAutoDiscover/CrossForest/EmailDomain//15.02.1118.040")],
                              B.pox_request("old@tailspin.com")))
    f.send(False, http_response(200, xml, B.pox_redirect("new@tailspin.com")), dt=0.02)
    f.send(True, http_request("/autodiscover/autodiscover.xml", [("Host", "autodiscover.tailspin.com"), ("Content-Type", "text/xml")], b"<Autodiscover/>"))
    f.send(False, http_response(200, xml, B.pox_error()), dt=0.02)
    f.fin()
    # 3. SOAP Autodiscover (federated), then the hop to the ExternalEwsUrl it gave
    ext = "https://mail.fabrikam.com/EWS/Exchange.asmx"
    f = Flow(p, EXA, 56004, FABRIKAM, 80, t + 2)
    f.send(True, http_request("/autodiscover/autodiscover.svc/WSSecurity", [("Host", "autodiscover.fabrikam.com"),
                                                                            ("User-Agent", "ASAutoDiscover/CrossForest/EmailDomain//15.02.1118.040"),
                                                                            ("Content-Type", "text/xml; charset=utf-8"), ("X-AnchorMailbox", "y2@fabrikam.com"),
                                                                            ("SOAPAction", '"http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings"')],
                              B.get_user_settings_request("y2@fabrikam.com")))
    f.send(False, http_response(200, xml, B.get_user_settings_response(ext)), dt=0.04)
    f.fin()
    f = Flow(p, EXA, 56005, FABRIKAM, 80, t + 2.3)
    f.send(True, http_request("/EWS/Exchange.asmx/WSSecurity", hop_headers("mail.fabrikam.com", "ASProxy/CrossForest/EmailDomain//15.02.1118.040", "y2@fabrikam.com"),
                              B.proxy_request(["y2@fabrikam.com"], request_type="CrossForest", ssc_sids=(), federated=True, wsa_to=ext + "/WSSecurity")))
    f.send(False, http_response(200, rsp_headers(), B.response([B.fb_success(merged="0220", events=[], view="FreeBusy", working_hours=False)])), dt=0.03)
    f.fin()
    # 4. GetFederationInformation, and the WS-Trust token request to the federation gateway
    f = Flow(p, EXA, 56006, FABRIKAM, 80, t + 3)
    f.send(True, http_request("/autodiscover/autodiscover.svc", [("Host", "autodiscover.fabrikam.com"), ("Content-Type", "text/xml; charset=utf-8")],
                              B.soap_ad('<GetFederationInformationRequestMessage xmlns="%s"><Request><Domain>fabrikam.com</Domain></Request>'
                                        '</GetFederationInformationRequestMessage>' % B.ADS, "https://autodiscover.fabrikam.com/autodiscover/autodiscover.svc",
                                        "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetFederationInformation")))
    f.send(False, http_response(200, xml, B.federation_info_response()), dt=0.03)
    f.fin()
    f = Flow(p, EXA, 56007, "10.9.0.1", 80, t + 3.5)
    f.send(True, http_request("/extSTS.srf", [("Host", "login.microsoftonline.com"), ("Content-Type", "application/soap+xml; charset=utf-8")],
                              B.wstrust_rst("http://FYDIBOHF25SPDLT.fabrikam.com")))
    f.fin()
    # 5. OAuth: the empty Bearer, the challenge, a refused token, then an accepted app-act-as token
    aud = "00000002-0000-0ff1-ce00-000000000000/outlook.office365.com@fabrikam.onmicrosoft.com"
    tok = lambda claims: "Bearer %s.%s.c2lnbmF0dXJlLW5vdC1zaG93bg" % (b64url({"typ": "JWT", "alg": "RS256", "x5t": "7x7Qm5k2v4G6"}), b64url(claims))
    claims = {"aud": aud, "iss": "00000002-0000-0ff1-ce00-000000000000@contoso.com", "nbf": 1795000000, "exp": 1795003600,
              "nii": "urn:federation:MicrosoftOnline", "appid": "00000002-0000-0ff1-ce00-000000000000", "smtp": "x1@contoso.com",
              "actortoken": tok({"aud": aud})[7:]}
    body = B.proxy_request(["c2@fabrikam.mail.onmicrosoft.com"], request_type=None, ssc_sids=(), rsv="Exchange2012")
    ua = "ASProxy/CrossForest/EmailDomain//15.02.1118.040"
    f = Flow(p, EXA, 56008, "10.3.0.40", 80, t + 4)
    f.send(True, http_request("/EWS/Exchange.asmx", hop_headers("outlook.office365.com", ua, "c2@fabrikam.mail.onmicrosoft.com", auth="Bearer"), body))
    f.send(False, http_response(401, [("WWW-Authenticate", 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", '
                                                           'trusted_issuers="00000001-0000-0000-c000-000000000000@*", '
                                                           'authorization_uri="https://login.windows.net/common/oauth2/authorize", error="invalid_token"'),
                                      ("x-ms-diagnostics", '2000003;reason="The hostname component of the audience claim value is invalid.";error_category="invalid_resource"'),
                                      ("Content-Length", "0")][:2], b""), dt=0.01)
    f.send(True, http_request("/EWS/Exchange.asmx", hop_headers("outlook.office365.com", ua, "c2@fabrikam.mail.onmicrosoft.com", auth=tok(claims)), body))
    f.send(False, http_response(200, rsp_headers(), B.response([B.fb_success(merged="2200", events=[], view="FreeBusy", working_hours=False)])), dt=0.05)
    # ... and a token that is not base64url at all
    f.send(True, http_request("/EWS/Exchange.asmx", hop_headers("outlook.office365.com", ua, "c2@fabrikam.mail.onmicrosoft.com",
                                                                auth="Bearer e%%%.not*base64.x"), body))
    f.send(False, http_response(401, [("WWW-Authenticate", "Bearer")], b""), dt=0.01)
    f.fin()
    p.close()


def fidelity(out):
    """Bodies as other software writes them (foreign_bodies.py): per-mailbox fields must stay one per mailbox."""
    p = Pcap(os.path.join(out, "ews-fidelity.pcap"))
    t = T0 + 500
    sdk_ua = "ExchangeServicesClient/15.00.0847.030"
    exchange(p, t, 50101, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com", sdk_ua),
                                       F.sdk_request(["y1@fabrikam.com", "nobody@fabrikam.com"])),
             http_response(200, rsp_headers(), F.sdk_response()))
    mac = [("Host", "mail.contoso.com"), ("User-Agent", "MacOutlook/16.80.23121017 (Intelx64 Mac OS X 14.1.2 (Build 23B92))"),
           ("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", "\"%s\"" % B.GUA_ACTION)]
    exchange(p, t + 1, 50102, http_request("/EWS/Exchange.asmx", mac, F.mac_suggestions_request("y2@fabrikam.com")),
             http_response(200, rsp_headers(), F.mac_suggestions_response()))
    exchange(p, t + 2, 50103, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com"),
                                           B.client_request(["y1@fabrikam.com", "y2@fabrikam.com"], view="FreeBusyMerged")),
             http_response(200, rsp_headers(), F.throttled_response(299984)))
    exchange(p, t + 3, 50104, http_request("/EWS/Exchange.asmx", ews_req_headers("mail.contoso.com"),
                                           B.client_request(["y1@fabrikam.com", "y2@fabrikam.com"], view="MergedOnly")),
             http_response(200, rsp_headers(), F.entity_response()))
    p.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    basic(a.out)
    variants(a.out)
    hostile(a.out)
    seed(a.out)
    paths(a.out)
    resets(a.out)
    owa(a.out)
    discovery(a.out)
    fidelity(a.out)


if __name__ == "__main__":
    main()
