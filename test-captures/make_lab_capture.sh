#!/usr/bin/env bash
# Makes ews-lab.pcapng: real client software (the EWS JavaScript API with Basic, NTLM and
# Bearer; curl with NTLM, HTTP/2 and an OWA-style JSON POST) against lab/forests.js, which
# plays contoso's Exchange and the servers its availability proxy reaches, on loopback,
# captured by dumpcap. Needs root (ports 80/444, dumpcap on lo), node, npm, curl.
# Not deterministic (timing, NTLM nonces): the committed capture is one run of this script.
#
#   make_lab_capture.sh [OUT]          -> ews-lab.pcapng, plain HTTP
#   make_lab_capture.sh tls [OUT]      -> ews-lab-tls.pcapng, everything over TLS (1.3 and 1.2),
#                                         keys from node --tls-keylog and curl's SSLKEYLOGFILE embedded
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=plain
if [ "${1:-}" = tls ]; then mode=tls; shift; fi
if [ $mode = tls ]; then out=${1:-$here/ews-lab-tls.pcapng}; else out=${1:-$here/ews-lab.pcapng}; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $mode = tls ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mail.example.com" \
      -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
fi
(cd "$here/lab" && npm ci --no-audit --no-fund >/dev/null)
dumpcap -q -i lo -f "tcp and net 127.0.0.0/24 and host 127.0.0.10" -w "$work/raw.pcapng" 2>/dev/null &
cap_pid=$!
sleep 2
if [ $mode = tls ]; then
    LAB_TLS=1 SSLKEYLOGFILE="$work/keylog.txt" node --tls-keylog="$work/keylog.txt" "$here/lab/forests.js" "$work"
else
    node "$here/lab/forests.js" "$work"
fi
sleep 1
kill "$cap_pid"
wait "$cap_pid" || true
if [ $mode = tls ]; then
    editcap --inject-secrets "tls,$work/keylog.txt" "$work/raw.pcapng" "$out"
else
    cp "$work/raw.pcapng" "$out"
fi
echo "wrote $out"
