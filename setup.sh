#!/usr/bin/env bash
# README command 1: install what is needed (Debian 12), build, install the plugin where
# tshark/Wireshark look for it, and show it decoding a bundled capture.
set -euo pipefail
cd "$(dirname "$0")"
. tools/deps.sh
ensure_deps

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
cmake --install build          # root: the global plugin folder; anyone else: ~/.local/lib/wireshark/plugins/4.0/epan

echo
echo "== tshark -r test-captures/ews-basic.pcap -Y ews -O ews"
tshark -r test-captures/ews-basic.pcap -Y ews -O ews -o ews.xml_tree:never 2>/dev/null
