#!/usr/bin/env bash
# Makes ews-tls-h2.pcapng from real sockets: a Node.js TLS server on loopback speaking
# HTTP/1.1 and HTTP/2, tcpdump capturing it, and editcap embedding the TLS key log so
# Wireshark decrypts it with no extra setup. Needs root (tcpdump), node, openssl, editcap.
# Not deterministic (TLS is not): the committed capture is one run of this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/ews-tls-h2.pcapng}
port=443
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mail.contoso.com" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
HERE=$here python3 - "$work" <<'PY'
import os, sys
sys.path.insert(0, os.environ["HERE"])
import ewsbodies as B
d = sys.argv[1]
open(os.path.join(d, "h1-request.xml"), "wb").write(B.client_request(["tls1@fabrikam.com", "tls2@fabrikam.com"], view="FreeBusy"))
open(os.path.join(d, "h1-response.xml"), "wb").write(B.response([B.fb_success(merged="0022", events=[], view="FreeBusy", working_hours=False),
                                                                  B.fb_error()]))
open(os.path.join(d, "h2-request.xml"), "wb").write(B.client_request(["h2user@fabrikam.com"], view="DetailedMerged"))
open(os.path.join(d, "owa-request.json"), "wb").write(B.owa_request(["owa2@fabrikam.com", "y1@fabrikam.com"]))
open(os.path.join(d, "owa-response.json"), "wb").write(B.owa_response([("ok", "0022", []), ("error", B.PROXY_FAILED_TEXT)]))
open(os.path.join(d, "h2-response.xml"), "wb").write(B.response([B.fb_success(merged="000022220000", events=[("2026-11-25T04:00:00", "2026-11-25T08:00:00", "Busy", "Standup", "Teams")])]))
PY
tcpdump -i lo -U -w "$work/raw.pcap" "tcp port $port" 2>/dev/null &
tcpdump_pid=$!
sleep 1
node "$here/tls_exchange.js" "$work" "$work/keylog.txt" "$port"
sleep 1
kill "$tcpdump_pid"
wait "$tcpdump_pid" || true
editcap --inject-secrets "tls,$work/keylog.txt" "$work/raw.pcap" "$out"
echo "wrote $out"
