#!/usr/bin/env bash
# Makes ews-real-reset.pcap: resets made by the Linux TCP stack on loopback (not hand-written),
# captured with tcpdump. Needs root (tcpdump, port 80). Not deterministic: the committed file
# is one run of this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/ews-real-reset.pcap}
tcpdump -i lo -U -w "$out" "host 127.0.0.2 and tcp port 80" 2>/dev/null &
pid=$!
sleep 1
python3 "$here/real_reset_exchange.py"
sleep 1
kill "$pid"
wait "$pid" || true
echo "wrote $out"
