#!/usr/bin/env python3
"""Writes ews-seed-owa.saz: the seed case as a Fiddler trace of Outlook on the web, in Fiddler's
archive layout (raw/N_c.txt, raw/N_s.txt, raw/N_m.xml with a UTF-8 BOM, BitFlags in hex, .NET
round-trip timers with an offset, "0001-01-01T00:00:00" for timers that did not fire), zipped
by Info-ZIP's `zip` (a real ZIP tool, not this script).

Sessions (numbers are the raw/ file numbers; SIDs differ, as in archives Fiddler re-saves):
  1 CONNECT mail.contoso.com:443            Fiddler's own "200 Connection Established"
  2 GET  /owa/                              200
  3 POST GetUserAvailabilityInternal x2     200, chunked
  4 POST GetUserAvailabilityInternal y1,y2  200 with the proxy error ("forcibly closed") for y1
  5 POST GetUserAvailabilityInternal y3     Fiddler 504 "ReadResponse() failed ... 0 bytes"
  6 POST autodiscover.fabrikam.com          Fiddler 502 "The connection ... failed" (refused)
  7 POST GetUserAvailabilityInternal y4     no response in the archive, Aborted="true"
  8 POST mail.fabrikam.com EWS              Fiddler 502, TimedOut (nothing answered the SYN)
Sessions 3 and 4 share the proxy's server connection (same x-egressport), as keep-alive does.

Usage: make_saz.py OUT.saz
"""
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ewsbodies as B  # noqa: E402

TZ = timezone(timedelta(hours=-8))
T0 = datetime(2026, 11, 24, 9, 15, 2, 123456, tzinfo=TZ)
ZERO = "0001-01-01T00:00:00"


def ts(ms):
    """.NET round-trip form: seven fractional digits, trailing zeros trimmed, offset."""
    t = T0 + timedelta(milliseconds=ms)
    frac = ("%06d0" % t.microsecond).rstrip("0")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ("." + frac if frac else "") + "-08:00"


def meta(sid, bitflags, start_ms, timers=None, flags=(), aborted=False):
    names = ["ClientConnected", "ClientBeginRequest", "GotRequestHeaders", "ClientDoneRequest", "GatewayTime",
             "DNSTime", "TCPConnectTime", "HTTPSHandshakeTime", "ServerConnected", "FiddlerBeginRequest",
             "ServerGotRequest", "ServerBeginResponse", "GotResponseHeaders", "ServerDoneResponse",
             "ClientBeginResponse", "ClientDoneResponse"]
    offs = dict(ClientConnected=-900, ClientBeginRequest=0, GotRequestHeaders=1, ClientDoneRequest=2, GatewayTime="0",
                DNSTime="0", TCPConnectTime="12", HTTPSHandshakeTime="31", ServerConnected=-850,
                FiddlerBeginRequest=3, ServerGotRequest=4, ServerBeginResponse=60, GotResponseHeaders=61,
                ServerDoneResponse=63, ClientBeginResponse=64, ClientDoneResponse=65)
    offs.update(timers or {})
    attrs = " ".join('%s="%s"' % (n, offs[n] if isinstance(offs[n], str) else ZERO if offs[n] is None else ts(start_ms + offs[n]))
                     for n in names)
    fl = "\n".join('    <SessionFlag N="%s" V="%s" />' % kv for kv in flags)
    return ('\ufeff<?xml version="1.0" encoding="utf-8"?>\n<Session SID="%d" BitFlags="%x"%s>\n  <SessionTimers %s />\n'
            '  <PipeInfo CltReuse="true" />\n  <SessionFlags>\n%s\n  </SessionFlags>\n</Session>'
            % (sid, bitflags, ' Aborted="true"' if aborted else "", attrs, fl)).encode("utf-8")


def std_flags(egress, host_ip, client_port):
    return [("x-clientip", "::ffff:127.0.0.1"), ("x-clientport", str(client_port)), ("x-egressport", str(egress)),
            ("x-hostip", host_ip), ("x-processinfo", "msedge:12140"), ("https-client-version", "Tls12"),
            ("x-responsebodytransferlength", "1,024")]


def owa_post(mailboxes, n, host="mail.contoso.com"):
    body = B.owa_request(mailboxes)
    head = ("POST https://%s/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-%d&AC=1 HTTP/1.1\r\n"
            "Host: %s\r\nConnection: keep-alive\r\nContent-Length: %d\r\nAction: GetUserAvailabilityInternal\r\n"
            "X-OWA-CANARY: Xk2fQ0bLAU6oYbV2m3E-0Q\r\nX-OWA-ActionName: GetUserAvailabilityInternal\r\n"
            "X-Requested-With: XMLHttpRequest\r\nContent-Type: application/json; charset=utf-8\r\n"
            "X-AnchorMailbox: x1@contoso.com\r\nAccept: */*\r\nOrigin: https://%s\r\nReferer: https://%s/owa/\r\n"
            "Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\n"
            "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0\r\n\r\n" % (host, n, host, len(body), host, host))
    return head.encode() + body


def owa_ok(body, chunked=False):
    head = "HTTP/1.1 200 OK\r\nCache-Control: private\r\nContent-Type: application/json; charset=utf-8\r\n"
    head += "Server: Microsoft-IIS/10.0\r\nrequest-id: 4a1c5e0e-1f7a-4b8e-9b0d-3e2f1a6c9d21\r\nX-BEServer: EXA01\r\n"
    head += "X-FEServer: EXA01\r\nX-OWA-Version: 15.2.1118.40\r\nDate: Tue, 24 Nov 2026 17:15:03 GMT\r\n"
    if chunked:
        mid = len(body) // 2
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[:mid], body[mid:])) + b"0\r\n\r\n"
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + chunks
    return (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body


def fiddler_error(status, reason, text, stamp):
    body = text.ljust(512).encode()
    return ("HTTP/1.1 %d %s\r\nDate: Tue, 24 Nov 2026 17:15:09 GMT\r\nContent-Type: text/html; charset=UTF-8\r\n"
            "Connection: close\r\nCache-Control: no-cache, must-revalidate\r\nTimestamp: %s\r\n\r\n"
            % (status, reason, stamp)).encode() + body


def sessions():
    contoso, fabrikam = "203.0.113.25", "198.51.100.40"
    yield 1, 3, None, b"CONNECT mail.contoso.com:443 HTTP/1.1\r\nHost: mail.contoso.com:443\r\nConnection: keep-alive\r\n\r\n", \
        (b"HTTP/1.1 200 Connection Established\r\nFiddlerGateway: Direct\r\nStartTime: 09:15:02.100\r\nConnection: close\r\n\r\n"
         b"Encrypted HTTPS traffic flows through this CONNECT tunnel. HTTPS Decryption is enabled in Fiddler, so decrypted "
         b"sessions running in this tunnel will be shown in the Web Sessions list."), \
        meta(3, 0x2100, -50, {"ServerBeginResponse": None, "GotResponseHeaders": None, "ServerDoneResponse": None},
             [("x-clientip", "::ffff:127.0.0.1"), ("x-clientport", "52110"), ("x-hostip", contoso)])
    html = b"<!DOCTYPE html><html><head><title>Outlook</title></head><body>OWA</body></html>"
    yield 2, 5, None, (b"GET https://mail.contoso.com/owa/ HTTP/1.1\r\nHost: mail.contoso.com\r\nAccept: text/html\r\n"
                       b"Connection: keep-alive\r\n\r\n"), \
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(html), html), \
        meta(5, 0x19, 0, flags=std_flags(52111, contoso, 52110))
    ok = B.owa_response([("ok", "0022", [("2026-11-25T10:00:00", "2026-11-25T11:00:00", "Busy", "Design review", "Room 12")])])
    yield 3, 9, None, owa_post(["x2@contoso.com"], 12), owa_ok(ok, chunked=True), \
        meta(9, 0x19, 800, flags=std_flags(52112, contoso, 52110))
    err = B.owa_response([("error", B.PROXY_FAILED_TEXT), ("ok", "0000", [])])
    yield 4, 11, None, owa_post(["y1@fabrikam.com", "y2@fabrikam.com"], 13), owa_ok(err), \
        meta(11, 0x19, 1600, {"ServerBeginResponse": 2100, "GotResponseHeaders": 2101, "ServerDoneResponse": 2102,
                              "ClientBeginResponse": 2103, "ClientDoneResponse": 2104}, flags=std_flags(52112, contoso, 52110))
    yield 5, 14, None, owa_post(["y3@fabrikam.com"], 14), \
        fiddler_error(504, "Fiddler - Receive Failure", "[Fiddler] ReadResponse() failed: The server did not return a complete "
                      "response for this request. Server returned 0 bytes.", "09:15:06.512"), \
        meta(14, 0x119, 4000, {"ServerBeginResponse": None, "GotResponseHeaders": None, "ServerDoneResponse": None,
                               "ClientBeginResponse": 2500, "ClientDoneResponse": 2501},
             flags=std_flags(52113, contoso, 52110) + [("x-failsession-when", "ReadingResponse"), ("ui-backcolor", "Lavender")])
    pox = B.pox_request("y1@fabrikam.com")
    yield 6, 15, None, (b"POST https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml HTTP/1.1\r\n"
                        b"Host: autodiscover.fabrikam.com\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s" % (len(pox), pox)), \
        fiddler_error(502, "Fiddler - Connection Failed", "[Fiddler] The connection to 'autodiscover.fabrikam.com' failed. <br />"
                      "Error: ConnectionRefused (0x274d). <br />System.Net.Sockets.SocketException No connection could be made "
                      "because the target machine actively refused it 198.51.100.41:443", "09:15:07.020"), \
        meta(15, 0x101, 4900, {"ServerConnected": None, "FiddlerBeginRequest": None, "ServerGotRequest": None,
                               "ServerBeginResponse": None, "GotResponseHeaders": None, "ServerDoneResponse": None,
                               "TCPConnectTime": "1003"},
             [("x-clientip", "::ffff:127.0.0.1"), ("x-clientport", "52114"), ("x-hostip", "198.51.100.41"),
              ("x-failsession-when", "SendingRequest"), ("x-aborted-when", "SendingRequest"), ("ui-comments", "autodiscover refused")])
    yield 7, 18, None, owa_post(["y4@fabrikam.com"], 15), None, \
        meta(18, 0x19, 6000, {"ServerBeginResponse": None, "GotResponseHeaders": None, "ServerDoneResponse": None,
                              "ClientBeginResponse": None, "ClientDoneResponse": None},
             flags=std_flags(52115, contoso, 52110) + [("x-aborted-when", "ReadingResponse")], aborted=True)
    ews = B.client_request(["y5@fabrikam.com"])
    yield 8, 21, None, (b"POST https://mail.fabrikam.com/EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.fabrikam.com\r\n"
                        b"Content-Type: text/xml; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(ews), ews)), \
        fiddler_error(502, "Fiddler - Connection Failed", "[Fiddler] The connection to 'mail.fabrikam.com' failed. <br />"
                      "Error: TimedOut (0x274c). <br />System.Net.Sockets.SocketException A connection attempt failed because "
                      "the connected party did not properly respond after a period of time", "09:15:29.100"), \
        meta(21, 0x101, 7000, {"ServerConnected": None, "FiddlerBeginRequest": None, "ServerGotRequest": None,
                               "ServerBeginResponse": None, "GotResponseHeaders": None, "ServerDoneResponse": None,
                               "TCPConnectTime": "21001", "ClientBeginResponse": 21000, "ClientDoneResponse": 21001},
             [("x-clientip", "::ffff:127.0.0.1"), ("x-clientport", "52116"), ("x-hostip", fabrikam),
              ("x-failsession-when", "SendingRequest"), ("x-dns-failover", "+1")])


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "ews-seed-owa.saz")
    work = tempfile.mkdtemp(prefix="saz-")
    try:
        raw = os.path.join(work, "raw")
        os.makedirs(raw)
        for n, _sid, _x, c, s, m in sessions():
            for suffix, data in (("c.txt", c), ("s.txt", s), ("m.xml", m)):
                if data is not None:
                    with open(os.path.join(raw, "%d_%s" % (n, suffix)), "wb") as f:
                        f.write(data)
        with open(os.path.join(work, "_index.htm"), "w") as f:
            f.write("<html><body>Fiddler-layout archive written by make_saz.py</body></html>")
        for name in os.listdir(raw) + ["_index.htm"]:
            p = os.path.join(raw, name) if name != "_index.htm" else os.path.join(work, name)
            os.utime(p, (1795878902, 1795878902))          # a fixed date: the same archive every run
        if os.path.exists(out):
            os.remove(out)
        subprocess.run(["zip", "-q", "-X", "-r", out, "_index.htm", "raw"], cwd=work, check=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
