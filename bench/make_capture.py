#!/usr/bin/env python3
"""A deterministic EWS-heavy capture of N availability lookups, mixed like a busy Exchange
server's: Outlook (EWS SOAP) and browser (OWA JSON) lookups, each with the proxy hop it causes
(every routing path in turn), Autodiscover before some cross-forest hops, per-mailbox errors,
SOAP faults, gzip-compressed chunked answers, and hops reset by the far end.

    bench/make_capture.py N OUT.pcap
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-captures"))
import ewsbodies as B  # noqa: E402
from pcapgen import Flow, Pcap, http_request, http_response  # noqa: E402

T0 = 1795000000.0
EXA, FAB, TAIL = "10.0.0.10", "10.1.0.20", "10.2.0.30"
NEG = "Negotiate YIIHPgYGKwYBBQUCoIIHMjCCBy6gMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg=="
HOPS = [  # (server, port, path, user agent, auth, proxy_request kwargs)
    ("10.0.0.12", 80, "/EWS/Exchange.asmx", "ASProxy/CrossSite/Directory/EXCH/15.02.1118.040", NEG, dict(request_type="CrossSite", rsv="Exchange2012")),
    (FAB, 80, "/EWS/Exchange.asmx/WSSecurity", "ASProxy/CrossForest/Directory/https/15.02.1118.040", None,
     dict(request_type="CrossForest", ssc_sids=(), federated=True, rsv="Exchange2012")),
    (TAIL, 80, "/EWS/Exchange.asmx", "ASProxy/CrossForest/EmailDomain/EXCH/15.02.1118.040", NEG, dict(request_type="CrossForest", rsv=None)),
    (FAB, 80, "/EWS/Exchange.asmx/WSSecurity", "ASProxy/CrossForest/Directory/https/15.02.1118.040", None,
     dict(request_type="CrossForest", ssc_sids=(), federated=True, sharing=True, rsv="Exchange2012")),
    ("10.3.0.40", 80, "/EWS/Exchange.asmx", "ASProxy/CrossForest/EmailDomain//15.02.1118.040", "Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln",
     dict(request_type=None, ssc_sids=(), rsv="Exchange2012")),
]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    p = Pcap(out)
    ok = B.fb_success(merged="000000002222000000001111", events=[("2026-11-25T08:00:00", "2026-11-25T10:00:00", "Busy", "Review", "Room 4")])
    err = B.fb_error()
    rsp_hdr = [("Content-Type", "text/xml; charset=utf-8"), ("Server", "Microsoft-IIS/10.0")]
    for i in range(n):
        t = T0 + i * 0.05
        cport, hport = 10000 + (i * 2) % 50000, 10001 + (i * 2) % 50000
        targets = ["y%d@fabrikam.com" % (i % 97), "t%d@tailspin.com" % (i % 89)]
        hop = HOPS[i % len(HOPS)]
        c = Flow(p, "10.0.%d.%d" % (1 + (i >> 8) % 200, i & 255), cport, EXA, 80, t)
        owa = i % 4 == 3
        if owa:
            c.send(True, http_request("/owa/service.svc?action=GetUserAvailabilityInternal",
                                      [("Host", "mail.contoso.com"), ("Content-Type", "application/json; charset=utf-8"),
                                       ("Action", "GetUserAvailabilityInternal"), ("X-OWA-CANARY", "abc")], B.owa_request(targets)))
        else:
            c.send(True, http_request("/EWS/Exchange.asmx", [("Host", "mail.contoso.com"), ("Content-Type", "text/xml; charset=utf-8"),
                                                             ("SOAPAction", '"%s"' % B.GUA_ACTION), ("Authorization", NEG),
                                                             ("User-Agent", "Microsoft Office/16.0 (Outlook)")],
                                      B.client_request(targets, view="DetailedMerged")))
        if i % 10 == 2:   # Autodiscover before an address-space hop
            a = Flow(p, EXA, hport + 50000 if hport < 15000 else hport - 5000, TAIL, 80, c.t + 0.001)
            a.send(True, http_request("/autodiscover/autodiscover.xml", [("Host", "autodiscover.tailspin.com"), ("Content-Type", "text/xml"),
                                                                         ("User-Agent", "ASAutoDiscover/CrossForest/EmailDomain//15.02")],
                                      B.pox_request(targets[1])))
            a.send(False, http_response(200, [("Content-Type", "text/xml")], B.pox_settings("T", "https://mail.tailspin.com/EWS/Exchange.asmx")), dt=0.01)
            a.fin()
        server, port, path, ua, auth, kw = hop
        h = Flow(p, EXA, hport, server, port, c.t + 0.004)
        hdrs = [("Host", "hop.example"), ("User-Agent", ua), ("Content-Type", "text/xml; charset=utf-8"), ("X-AnchorMailbox", targets[0]),
                ("SOAPAction", '"%s"' % B.GUA_ACTION), ("Accept-Encoding", "gzip")] + ([("Authorization", auth)] if auth else [])
        h.send(True, http_request(path, hdrs, B.proxy_request(targets[:1], **kw)))
        reset = i % 13 == 5
        if reset:
            h.rst(False, dt=0.003)
        else:
            h.send(False, http_response(200, rsp_hdr, B.response([ok]), chunked=True, gzip_body=True), dt=0.02)
            h.fin()
        if i % 17 == 9:
            body = B.fault_server_busy()
            status = 500
        elif owa:
            body = B.owa_response([("error", B.PROXY_FAILED_TEXT) if reset else ("ok", "0022", []), ("ok", "0000", [])])
            status = 200
        else:
            body = B.response([err if reset else ok, ok])
            status = 200
        c.t = max(c.t, h.t)
        c.send(False, http_response(status, [("Content-Type", "application/json; charset=utf-8" if owa and status == 200 else "text/xml; charset=utf-8")],
                                    body), dt=0.002)
        c.fin()
    p.close()


if __name__ == "__main__":
    main()
