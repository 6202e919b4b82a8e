#!/usr/bin/env bash
# Makes the captures recorded from real sockets with Node.js over TLS on loopback, dumpcap
# capturing and editcap embedding the TLS key log so Wireshark decrypts them with no setup.
# Needs root (dumpcap on lo), node, openssl, editcap. Not deterministic (TLS is not): the
# committed captures are one run of this script.
#
#   make_node_capture.sh tls-h2 [OUT]       -> ews-tls-h2.pcapng: HTTP/1.1 and HTTP/2 (ALPN), EWS SOAP and OWA JSON
#   make_node_capture.sh h2-unended [OUT]   -> ews-h2-unended.pcapng: HTTP/2 responses whose streams never end
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scenario=${1:?usage: make_node_capture.sh tls-h2|h2-unended [OUT]}
case "$scenario" in
    tls-h2)     script=tls_exchange.js ;;
    h2-unended) script=h2_unended.js ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
out=${2:-$here/ews-$scenario.pcapng}
port=443
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mail.contoso.com" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
HERE=$here python3 - "$work" "$scenario" <<'PY'
import os, sys
sys.path.insert(0, os.environ["HERE"])
import ewsbodies as B
d, scenario = sys.argv[1], sys.argv[2]
def put(name, data):
    open(os.path.join(d, name), "wb").write(data)
if scenario == "tls-h2":
    put("h1-request.xml", B.client_request(["tls1@fabrikam.com", "tls2@fabrikam.com"], view="FreeBusy"))
    put("h1-response.xml", B.response([B.fb_success(merged="0022", events=[], view="FreeBusy", working_hours=False), B.fb_error()]))
    put("h2-request.xml", B.client_request(["h2user@fabrikam.com"], view="DetailedMerged"))
    put("h2-response.xml", B.response([B.fb_success(merged="000022220000", events=[("2026-11-25T04:00:00", "2026-11-25T08:00:00", "Busy", "Standup", "Teams")])]))
    put("owa-request.json", B.owa_request(["owa2@fabrikam.com", "y1@fabrikam.com"]))
    put("owa-response.json", B.owa_response([("ok", "0022", []), ("error", B.PROXY_FAILED_TEXT)]))
else:
    put("soap-request.xml", B.client_request(["h2a@fabrikam.com", "h2b@fabrikam.com"], view="FreeBusyMerged"))
    put("soap-response.xml", B.response([B.fb_success(merged="0022", events=[], view="FreeBusyMerged", working_hours=False), B.fb_error()]))
    put("owa-request.json", B.owa_request(["owa3@fabrikam.com"]))
    put("owa-response.json", B.owa_response([("error", B.PROXY_FAILED_TEXT)]))
PY
dumpcap -q -i lo -f "tcp port $port" -w "$work/raw.pcapng" 2>/dev/null &
cap_pid=$!
sleep 2
node "$here/$script" "$work" "$work/keylog.txt" "$port"
sleep 1
kill "$cap_pid"
wait "$cap_pid" || true
editcap --inject-secrets "tls,$work/keylog.txt" "$work/raw.pcapng" "$out"
echo "wrote $out"
