#!/usr/bin/env python3
"""Writes the large hostile captures (deterministic, too big to commit) into a folder:

  body-50mib.pcap       one GetUserAvailability request of 50 MiB (100,000 mailboxes and a 33 MiB name)
  mailboxes-100k.pcap   a request for 100,000 mailboxes and its response
  json-20mib.pcap       an OWA JSON request whose one string is 20 MiB
  flows-1m.pcap         1,000,000 one-packet flows, each a tiny EWS GET (per-flow state must stay bounded)
  bomb.pcap / bomb-control.pcap   an entity bomb, and a benign body of the same size (memory is compared)
  attrs-100k.pcap       a request whose MailboxData start tag carries 100,000 attributes (libxml2 is quadratic there)
  attrs-1m.pcap         the same with 1,000,000 attributes (12 MB)
  pending-200k.pcap     200,000 pipelined requests on one connection, none answered, then an RST
  jwt-dots.pcap         a Bearer token of 10,000 dots and a JWE-shaped one
  jwt-1mib.pcap         a well-formed 1 MiB Bearer JWT

    fuzz/hostile_corpus.py OUTDIR [--flows N]
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-captures"))
import ewsbodies as B  # noqa: E402
from pcapgen import Flow, Pcap, _csum, _ip, http_request, http_response  # noqa: E402

T0 = 1795000000.0
HDRS = [("Host", "mail.contoso.com"), ("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", '"%s"' % B.GUA_ACTION)]


def mailboxes(n):
    return ["m%06d@fabrikam.com" % i for i in range(n)]


def one_exchange(path, req, rsp=None):
    p = Pcap(path)
    f = Flow(p, "10.0.0.50", 50001, "10.0.0.10", 80, T0)
    f.send(True, req)
    if rsp is not None:
        f.send(False, rsp, dt=0.05)
    f.fin()
    p.close()


def body_50mib(out):
    body = B.client_request(mailboxes(100000), view="FreeBusy")
    pad = 50 * 1024 * 1024 - len(body)
    body = body.replace(b"<t:Address>m000000@", b"<t:Name>" + b"N" * (pad - 17) + b"</t:Name><t:Address>m000000@", 1)
    one_exchange(os.path.join(out, "body-50mib.pcap"), http_request("/EWS/Exchange.asmx", HDRS, body))


def mailboxes_100k(out):
    n = 100000
    req = B.client_request(mailboxes(n), view="FreeBusy")
    rsp = B.response([B.fb_success(merged="0", events=[], view="FreeBusy", working_hours=False)] * n)
    one_exchange(os.path.join(out, "mailboxes-100k.pcap"), http_request("/EWS/Exchange.asmx", HDRS, req),
                 http_response(200, [("Content-Type", "text/xml; charset=utf-8")], rsp))


def json_20mib(out):
    body = B.owa_request(["y1@fabrikam.com"]).replace(b'"Address":"y1@fabrikam.com"', b'"Address":"' + b"y" * (20 * 1024 * 1024) + b'"')
    one_exchange(os.path.join(out, "json-20mib.pcap"),
                 http_request("/owa/service.svc?action=GetUserAvailabilityInternal", [("Host", "mail.contoso.com"),
                              ("Content-Type", "application/json; charset=utf-8"), ("Action", "GetUserAvailabilityInternal")], body))


def flows(out, n):
    """n one-packet flows written straight to disk (no per-flow handshake: tshark still makes a stream of each)."""
    payload = b"GET /ews/x HTTP/1.1\r\nHost: m\r\n\r\n"
    with open(os.path.join(out, "flows-1m.pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        dst = _ip("10.0.0.10")
        for i in range(n):
            src = bytes([10, 100 + (i >> 16) % 100, (i >> 8) & 255, i & 255])
            sport = 1024 + (i % 60000)
            tcp = struct.pack("!HHIIBBHHH", sport, 80, 1, 1, 5 << 4, 0x18, 65535, 0, 0)
            pseudo = src + dst + struct.pack("!BBH", 0, 6, 20 + len(payload))
            tcp = tcp[:16] + struct.pack("!H", _csum(pseudo + tcp + payload)) + tcp[18:]
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), i & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
            ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
            pkt = b"\x00\x15\x5d\x00\x00\x02\x00\x15\x5d\x00\x00\x01\x08\x00" + ip + tcp + payload
            usec = i * 10
            f.write(struct.pack("<IIII", int(T0) + usec // 1000000, usec % 1000000, len(pkt), len(pkt)))
            f.write(pkt)


def bomb(out):
    levels = "".join('<!ENTITY l%d "%s">' % (k, "&l%d;" % (k - 1) * 10) for k in range(1, 10))
    evil = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lollollollol">%s]>' % levels).encode()
    good = B.client_request(["y1@fabrikam.com"], view="FreeBusy")
    env = good[good.index(b"<soap:Envelope"):]
    bomb_body = evil + env.replace(b"y1@fabrikam.com", b"&l9;")
    control = b'<?xml version="1.0"?>' + b"<!-- " + b"x" * (len(bomb_body) - len(env) - 30) + b" -->" + env
    one_exchange(os.path.join(out, "bomb.pcap"), http_request("/EWS/Exchange.asmx", HDRS, bomb_body))
    one_exchange(os.path.join(out, "bomb-control.pcap"), http_request("/EWS/Exchange.asmx", HDRS, control))


class StreamPcap(Pcap):
    """A Pcap that writes each frame at once (one flow, frames already in time order)."""

    def __init__(self, path):
        super().__init__(path)
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))

    def frame(self, *a, **k):
        super().frame(*a, **k)
        usec, _, pkt = self.frames.pop()
        self.f.write(struct.pack("<IIII", usec // 1000000, usec % 1000000, len(pkt), len(pkt)))
        self.f.write(pkt)

    def close(self):
        self.f.close()


def attrs(out, n, name):
    body = B.client_request(["y1@fabrikam.com", "y2@fabrikam.com"], view="FreeBusy")
    tag = b"<t:MailboxData>"
    first = body.index(tag)
    second = body.index(tag, first + 1)
    many = b"<t:MailboxData" + b"".join(b' a%d="1"' % i for i in range(n)) + b">"
    body = body[:second] + many + body[second + len(tag):]
    one_exchange(os.path.join(out, name), http_request("/EWS/Exchange.asmx", HDRS, body))


def pending(out, n=200000):
    p = StreamPcap(os.path.join(out, "pending-200k.pcap"))
    f = Flow(p, "10.0.0.50", 50002, "10.0.0.10", 80, T0, step=0.00001)
    req = b"POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.contoso.com\r\nContent-Length: 0\r\n\r\n"
    for _ in range(n):
        f.send(True, req, ack=False)
    f.rst(False)
    p.close()


def jwt(out):
    import base64
    import json

    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    hdr = b64({"alg": "RS256", "typ": "JWT"})
    p = Pcap(os.path.join(out, "jwt-dots.pcap"))
    for k, token in enumerate([hdr + "." + b64({"aud": "x"}) + "." * 10000 + "sig",
                               ".".join([hdr, "a", "b", "c", "d"])]):
        f = Flow(p, "10.0.0.50", 50010 + k, "10.0.0.10", 80, T0 + k)
        f.send(True, http_request("/EWS/Exchange.asmx", HDRS + [("Authorization", "Bearer " + token)],
                                  B.client_request(["y1@fabrikam.com"], view="FreeBusy")))
        f.fin()
    p.close()
    big = ".".join([hdr, b64({"aud": "00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.com",
                              "pad": "p" * (1024 * 1024)}), "sig"])
    one_exchange(os.path.join(out, "jwt-1mib.pcap"),
                 http_request("/EWS/Exchange.asmx", HDRS + [("Authorization", "Bearer " + big)],
                              B.client_request(["y1@fabrikam.com"], view="FreeBusy")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--flows", type=int, default=1000000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for fn in (body_50mib, mailboxes_100k, json_20mib, bomb, pending, jwt):
        fn(a.out)
    attrs(a.out, 100000, "attrs-100k.pcap")
    attrs(a.out, 1000000, "attrs-1m.pcap")
    flows(a.out, a.flows)


if __name__ == "__main__":
    main()
