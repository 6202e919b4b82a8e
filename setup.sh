#!/usr/bin/env bash
# README command 1: install what is needed (Debian 12), build, install the plugin where
# tshark/Wireshark look for it, and show it decoding a bundled capture.
set -euo pipefail
cd "$(dirname "$0")"
. tools/deps.sh
ensure_deps

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
cmake --install build          # root: the global plugin folder; anyone else: ~/.local/lib/wireshark/plugins/4.0/{epan,wiretap}

show() { echo; echo "== tshark $*"; tshark "$@" 2>/dev/null; }
show -r test-captures/ews-seed.pcap -Y "ews || ewsflow.reset"
show -r test-captures/ews-seed.pcap -Y ewsflow.story -T fields -e frame.number -e ewsflow.story
show -r test-captures/ews-seed.pcap -q -z ewsflow,lookups
show -r test-captures/ews-seed-owa.saz -Y "ews || ewsfile.end != 0"      # the same case, as a Fiddler trace of OWA
echo
echo "The decoded trees: tshark -r test-captures/ews-basic.pcap -Y ews -O ews,ewsflow"
echo "In Wireshark: wireshark -C EWS-FreeBusy test-captures/ews-seed.pcap (the profile with path/requester/target/outcome columns)"
