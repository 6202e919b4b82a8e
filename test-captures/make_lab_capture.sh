#!/usr/bin/env bash
# Makes ews-lab.pcapng: real client software (the EWS JavaScript API with Basic, NTLM and
# Bearer; curl with NTLM, HTTP/2 and an OWA-style JSON POST) against lab/forests.js, which
# plays contoso's Exchange and the servers its availability proxy reaches, on loopback,
# captured by dumpcap. Needs root (ports 80/444, dumpcap on lo), node, npm, curl.
# Not deterministic (timing, NTLM nonces): the committed capture is one run of this script.
#
#   make_lab_capture.sh [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/ews-lab.pcapng}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here/lab" && npm ci --no-audit --no-fund >/dev/null)
dumpcap -q -i lo -f "tcp and net 127.0.0.0/24 and host 127.0.0.10" -w "$work/raw.pcapng" 2>/dev/null &
cap_pid=$!
sleep 2
node "$here/lab/forests.js" "$work"
sleep 1
kill "$cap_pid"
wait "$cap_pid" || true
cp "$work/raw.pcapng" "$out"
echo "wrote $out"
