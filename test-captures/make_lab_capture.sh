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
#   make_lab_capture.sh serverside [OUT] -> ews-lab-serverside.pcapng, the same over TLS with a hop whose
#                                         certificate is not trusted and two distractors, and only the
#                                         client leg's keys embedded (the CAS's), as on an Exchange server
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=plain
case "${1:-}" in tls|serverside) mode=$1; shift ;; esac
case $mode in
    tls) out=${1:-$here/ews-lab-tls.pcapng} ;;
    serverside) out=${1:-$here/ews-lab-serverside.pcapng} ;;
    *) out=${1:-$here/ews-lab.pcapng} ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $mode != plain ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=mail.example.com" \
      -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
fi
(cd "$here/lab" && npm ci --no-audit --no-fund >/dev/null)
dumpcap -q -i lo -f "tcp and net 127.0.0.0/24 and host 127.0.0.10" -w "$work/raw.pcapng" 2>/dev/null &
cap_pid=$!
sleep 2
if [ $mode = tls ]; then
    LAB_TLS=1 SSLKEYLOGFILE="$work/keylog.txt" node --tls-keylog="$work/keylog.txt" "$here/lab/forests.js" "$work"
elif [ $mode = serverside ]; then
    LAB_TLS=1 LAB_SERVERSIDE=1 SSLKEYLOGFILE="$work/curl.keys" node "$here/lab/forests.js" "$work"
else
    node "$here/lab/forests.js" "$work"
fi
sleep 1
kill "$cap_pid"
wait "$cap_pid" || true
if [ $mode = tls ]; then
    editcap --inject-secrets "tls,$work/keylog.txt" "$work/raw.pcapng" "$out"
elif [ $mode = serverside ]; then
    cat "$work/curl.keys" >> "$work/client-leg.keys"   # curl is a client of the CAS: its keys are the client leg's too
    editcap --inject-secrets "tls,$work/client-leg.keys" "$work/raw.pcapng" "$out"
else
    cp "$work/raw.pcapng" "$out"
fi
echo "wrote $out"
