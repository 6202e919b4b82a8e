#!/usr/bin/env python3
"""A deterministic capture shaped like an Exchange server's own: mostly TLS connections to and
from many hosts (no keys), some plain HTTP that is not Exchange, and a small share of EWS
availability lookups. Of the TLS connections some carry several requests, some are reset by
the server after a request (an encrypted request left unanswered), some end in a handshake
alert. The cost target: following every TLS connection must not tax such captures.

    bench/make_serverside.py N OUT.pcap      (N TLS connections; N/10 plain HTTP, N/20 EWS lookups)
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-captures"))
import ewsbodies as B  # noqa: E402
from pcapgen import Flow, Pcap, http_request, http_response  # noqa: E402

T0 = 1795100000.0
HOSTS = ["mail.fabrikam.com", "mail.tailspin.com", "outlook.office365.com", "login.microsoftonline.com",
         "settings-win.data.microsoft.com", "ctldl.windowsupdate.com", "exch02.contoso.com", "autodiscover.fabrikam.com"]


def record(ctype, body):
    return bytes([ctype, 3, 3]) + len(body).to_bytes(2, "big") + body


def handshake(htype, body):
    return bytes([htype]) + len(body).to_bytes(3, "big") + body


def client_hello(rnd, sni):
    name = sni.encode()
    sni_ext = (len(name) + 3).to_bytes(2, "big") + b"\x00" + len(name).to_bytes(2, "big") + name
    ext = b"\x00\x00" + len(sni_ext).to_bytes(2, "big") + sni_ext
    body = b"\x03\x03" + rnd.randbytes(32) + b"\x00" + b"\x00\x04\xc0\x2f\xc0\x30" + b"\x01\x00" + len(ext).to_bytes(2, "big") + ext
    return record(22, handshake(1, body))


def server_hello(rnd):
    body = b"\x03\x03" + rnd.randbytes(32) + b"\x00" + b"\xc0\x2f" + b"\x00" + b"\x00\x00"
    return record(22, handshake(2, body) + handshake(14, b""))


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(7)
    p = Pcap(out)
    for i in range(n):
        t = T0 + i * 0.01
        inbound = i % 3 == 0            # clients reaching the server, or the server reaching out
        cli = "10.%d.%d.%d" % (20 + i % 7, (i >> 8) & 255, i & 255) if inbound else "10.0.0.10"
        srv = "10.0.0.10" if inbound else "10.%d.0.%d" % (40 + i % 9, 1 + i % 200)
        f = Flow(p, cli, 20000 + (i * 3) % 40000, srv, 443, t)
        f.send(True, client_hello(rnd, HOSTS[i % len(HOSTS)]))
        if i % 53 == 11:                # a handshake alert: protocol_version
            f.send(False, record(21, b"\x02\x46"), dt=0.001)
            f.fin()
            continue
        f.send(False, server_hello(rnd), dt=0.001)
        f.send(True, record(22, handshake(16, b"\x20" + rnd.randbytes(32))) + record(20, b"\x01") + record(22, rnd.randbytes(40)), dt=0.001)
        f.send(False, record(20, b"\x01") + record(22, rnd.randbytes(40)), dt=0.001)
        for k in range(1 + i % 3):      # requests and answers
            f.send(True, record(23, rnd.randbytes(300 + (i * 37 + k) % 1500)), dt=0.002)
            if i % 29 == 7 and k == i % 3:
                f.rst(False, dt=0.003)  # the server resets the last request unanswered
                break
            f.send(False, record(23, rnd.randbytes(200 + (i * 53 + k) % 3000)), dt=0.004)
        else:
            f.fin()
        if i % 10 == 5:                 # plain HTTP that is not Exchange
            h = Flow(p, "10.0.0.10", 60000 - i % 5000, "10.5.0.%d" % (1 + i % 100), 80, t + 0.002)
            h.send(True, http_request("/status?i=%d" % i, [("Host", "monitor.contoso.com"), ("User-Agent", "SCOM/10")], b""))
            h.send(False, http_response(200, [("Content-Type", "text/plain")], b"OK " * 20), dt=0.002)
            h.fin()
        if i % 20 == 10:                # a small share of EWS availability lookups
            c = Flow(p, "10.30.%d.%d" % ((i >> 8) & 255, i & 255), 30000 + i % 20000, "10.0.0.10", 80, t + 0.004)
            targets = ["y%d@fabrikam.com" % (i % 97)]
            c.send(True, http_request("/EWS/Exchange.asmx", [("Host", "mail.contoso.com"), ("Content-Type", "text/xml; charset=utf-8"),
                                                             ("SOAPAction", '"%s"' % B.GUA_ACTION), ("User-Agent", "Microsoft Office/16.0 (Outlook)")],
                                      B.client_request(targets, view="FreeBusy")))
            c.send(False, http_response(200, [("Content-Type", "text/xml; charset=utf-8")],
                                        B.response([B.fb_error() if i % 40 == 10 else B.fb_success(merged="0022", events=[], view="FreeBusy",
                                                                                                     working_hours=False)])), dt=0.02)
            c.fin()
    p.close()


if __name__ == "__main__":
    main()
