#!/usr/bin/env python3
"""Real TCP resets from the kernel on loopback (SO_LINGER 0), for make_reset_capture.sh.

A stand-in for forest B's front end on 127.0.0.2:80 answers an organization-relationship hop,
resets a personal-relationship hop after reading it whole, and resets a hop that waits for
'100 Continue' after its headers only, the way .NET's HttpWebRequest sends proxy requests."""
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ewsbodies as B  # noqa: E402

HOST, PORT = "127.0.0.2", 80
WSSEC = "https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity"


def request(mbx, sharing, expect=False):
    body = B.proxy_request([mbx], request_type="CrossForest", rsv="Exchange2012", ssc_sids=(), federated=True, sharing=sharing, wsa_to=WSSEC)
    head = ("POST /EWS/Exchange.asmx/WSSecurity HTTP/1.1\r\nHost: mail.fabrikam.com\r\n"
            "User-Agent: ASProxy/CrossForest/Directory/https/15.02.1118.040\r\nContent-Type: text/xml; charset=utf-8\r\n"
            'SOAPAction: "%s"\r\nX-AnchorMailbox: %s\r\nContent-Length: %d\r\n%s\r\n'
            % (B.GUA_ACTION, mbx, len(body), "Expect: 100-continue\r\n" if expect else "")).encode()
    return head, body


def read_head(c):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def reset(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def server(ls):
    for action in ("answer", "reset-after-body", "reset-after-headers"):
        c, _ = ls.accept()
        data = read_head(c)
        length = int([l for l in data.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
        if action == "reset-after-headers":
            time.sleep(0.003)
            reset(c)
            continue
        while len(data) - data.index(b"\r\n\r\n") - 4 < length:
            data += c.recv(65536)
        if action == "reset-after-body":
            time.sleep(0.003)
            reset(c)
            continue
        body = B.response([B.fb_success(merged="00222200", events=[], view="FreeBusyMerged", working_hours=False)])
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        c.close()


def main():
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, PORT))
    ls.listen()
    t = threading.Thread(target=server, args=(ls,))
    t.start()
    for mbx, sharing, expect in (("y2@fabrikam.com", False, False), ("y1@fabrikam.com", True, False), ("y3@fabrikam.com", False, True)):
        c = socket.create_connection((HOST, PORT))
        head, body = request(mbx, sharing, expect)
        c.sendall(head)
        if not expect:
            c.sendall(body)
        try:
            if expect:
                c.recv(100)          # waits for 100 Continue; gets the reset
            else:
                while c.recv(65536):
                    pass
        except ConnectionResetError:
            pass
        c.close()
        time.sleep(0.05)
    t.join()
    ls.close()


if __name__ == "__main__":
    main()
