#!/usr/bin/env bash
# Makes ews-h2-unended.pcapng from real sockets: Node.js HTTP/2 over TLS on loopback
# (h2_unended.js), responses whose streams never end (one reset, one left open), dumpcap
# capturing and editcap embedding the TLS key log. Needs root (dumpcap on lo), node, openssl.
# Not deterministic (TLS is not): the committed capture is one run of this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/ews-h2-unended.pcapng}
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
open(os.path.join(d, "soap-request.xml"), "wb").write(B.client_request(["h2a@fabrikam.com", "h2b@fabrikam.com"], view="FreeBusyMerged"))
open(os.path.join(d, "soap-response.xml"), "wb").write(B.response([B.fb_success(merged="0022", events=[], view="FreeBusyMerged", working_hours=False),
                                                                    B.fb_error()]))
open(os.path.join(d, "owa-request.json"), "wb").write(B.owa_request(["owa3@fabrikam.com"]))
open(os.path.join(d, "owa-response.json"), "wb").write(B.owa_response([("error", B.PROXY_FAILED_TEXT)]))
PY
dumpcap -q -i lo -f "tcp port $port" -w "$work/raw.pcapng" 2>/dev/null &
cap_pid=$!
sleep 2
node "$here/h2_unended.js" "$work" "$work/keylog.txt" "$port"
sleep 1
kill "$cap_pid"
wait "$cap_pid" || true
editcap --inject-secrets "tls,$work/keylog.txt" "$work/raw.pcapng" "$out"
echo "wrote $out"
