"""Deterministic pcap writer: Ethernet/IPv4/TCP flows with real handshakes, sequence
numbers, segmentation and checksums, so tshark's TCP and HTTP reassembly run exactly as
they do on a live capture. Standard library only."""
import struct

LINKTYPE_ETHERNET = 1
MSS = 1460


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip(a):
    return bytes(int(x) for x in a.split("."))


class Pcap:
    def __init__(self, path):
        self.path = path
        self.frames = []          # written in time order at close(): flows interleave as on a wire
        self.ip_id = 1

    def frame(self, ts, src, dst, sport, dport, flags, seq, ack, payload=b"", win=65535):
        tcp_len = 20
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          (tcp_len // 4) << 4, flags, win, 0, 0)
        pseudo = _ip(src) + _ip(dst) + struct.pack("!BBH", 0, 6, tcp_len + len(payload))
        c = _csum(pseudo + tcp + payload)
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
        total = 20 + tcp_len + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, self.ip_id & 0xFFFF, 0x4000, 64, 6, 0, _ip(src), _ip(dst))
        self.ip_id += 1
        ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
        eth = b"\x00\x15\x5d\x00\x00\x02" + b"\x00\x15\x5d\x00\x00\x01" + b"\x08\x00"
        pkt = eth + ip + tcp + payload
        usec_total = int(round(ts * 1e6))
        self.frames.append((usec_total, len(self.frames), pkt))

    def close(self):
        with open(self.path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, LINKTYPE_ETHERNET))
            for usec_total, _, pkt in sorted(self.frames):
                f.write(struct.pack("<IIII", usec_total // 1000000, usec_total % 1000000, len(pkt), len(pkt)))
                f.write(pkt)


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class Flow:
    """One TCP connection. Times advance by `step` per segment unless given."""

    def __init__(self, pcap, cli, cport, srv, sport, t0, isn=1000, step=0.0002):
        self.p, self.cli, self.cport, self.srv, self.sport = pcap, cli, cport, srv, sport
        self.t = t0
        self.step = step
        self.cseq, self.sseq = isn, isn * 7 + 12345
        self.p.frame(self.tick(), cli, srv, cport, sport, SYN, self.cseq, 0)
        self.cseq += 1
        self.p.frame(self.tick(), srv, cli, sport, cport, SYN | ACK, self.sseq, self.cseq)
        self.sseq += 1
        self.p.frame(self.tick(), cli, srv, cport, sport, ACK, self.cseq, self.sseq)

    def tick(self, dt=None):
        self.t += self.step if dt is None else dt
        return self.t

    def _ends(self, from_client):
        if from_client:
            return self.cli, self.srv, self.cport, self.sport
        return self.srv, self.cli, self.sport, self.cport

    def send(self, from_client, data, dt=None, ack=True):
        src, dst, sp, dp = self._ends(from_client)
        first = True
        for i in range(0, len(data), MSS):
            chunk = data[i:i + MSS]
            if from_client:
                self.p.frame(self.tick(dt if first else None), src, dst, sp, dp, PSH | ACK, self.cseq, self.sseq, chunk)
                self.cseq += len(chunk)
            else:
                self.p.frame(self.tick(dt if first else None), src, dst, sp, dp, PSH | ACK, self.sseq, self.cseq, chunk)
                self.sseq += len(chunk)
            first = False
        if ack:
            self.ack(not from_client)

    def ack(self, from_client):
        src, dst, sp, dp = self._ends(from_client)
        seq, ack = (self.cseq, self.sseq) if from_client else (self.sseq, self.cseq)
        self.p.frame(self.tick(), src, dst, sp, dp, ACK, seq, ack)

    def fin(self):
        self.p.frame(self.tick(), self.cli, self.srv, self.cport, self.sport, FIN | ACK, self.cseq, self.sseq)
        self.cseq += 1
        self.p.frame(self.tick(), self.srv, self.cli, self.sport, self.cport, FIN | ACK, self.sseq, self.cseq)
        self.sseq += 1
        self.p.frame(self.tick(), self.cli, self.srv, self.cport, self.sport, ACK, self.cseq, self.sseq)

    def fin_from(self, from_client, dt=None):
        """One side closes first (FIN), the other acknowledges and closes too."""
        src, dst, sp, dp = self._ends(from_client)
        if from_client:
            self.p.frame(self.tick(dt), src, dst, sp, dp, FIN | ACK, self.cseq, self.sseq)
            self.cseq += 1
        else:
            self.p.frame(self.tick(dt), src, dst, sp, dp, FIN | ACK, self.sseq, self.cseq)
            self.sseq += 1
        self.ack(not from_client)
        src, dst, sp, dp = self._ends(not from_client)
        if from_client:
            self.p.frame(self.tick(), src, dst, sp, dp, FIN | ACK, self.sseq, self.cseq)
            self.sseq += 1
        else:
            self.p.frame(self.tick(), src, dst, sp, dp, FIN | ACK, self.cseq, self.sseq)
            self.cseq += 1
        self.ack(from_client)

    def rst(self, from_client, dt=None):
        src, dst, sp, dp = self._ends(from_client)
        seq, ack = (self.cseq, self.sseq) if from_client else (self.sseq, self.cseq)
        self.p.frame(self.tick(dt), src, dst, sp, dp, RST | ACK, seq, ack)


def http_request(path, headers, body, method="POST", chunked=False):
    lines = ["%s %s HTTP/1.1" % (method, path)]
    hdrs = list(headers)
    if chunked:
        hdrs.append(("Transfer-Encoding", "chunked"))
        body = _chunk(body)
    else:
        hdrs.append(("Content-Length", str(len(body))))
    lines += ["%s: %s" % h for h in hdrs]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def http_response(status, headers, body, chunked=False, gzip_body=False):
    hdrs = list(headers)
    if gzip_body:
        import gzip
        body = gzip.compress(body, mtime=0)
        hdrs.append(("Content-Encoding", "gzip"))
    if chunked:
        hdrs.append(("Transfer-Encoding", "chunked"))
        body = _chunk(body)
    else:
        hdrs.append(("Content-Length", str(len(body))))
    reason = {200: "OK", 500: "Internal Server Error", 401: "Unauthorized"}.get(status, "Status")
    lines = ["HTTP/1.1 %d %s" % (status, reason)] + ["%s: %s" % h for h in hdrs]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _chunk(body, size=1000):
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"
