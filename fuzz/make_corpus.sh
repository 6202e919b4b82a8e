#!/usr/bin/env bash
# Seed corpora for the harnesses, taken from the bodies in the bundled test captures
# (tshark --export-objects http) plus a few hand-made seeds. Usage: make_corpus.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make_corpus.sh OUTDIR}
mkdir -p "$out"/{soap,errchain,mergedfb,rules,owa_json,auth,tracker,har,saz}
# the file reader: the bundled archives themselves
cp "$here"/../test-captures/*.har "$out/har/"
cp "$here"/../test-captures/*.saz "$here"/../test-captures/saz/*.saz "$out/saz/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in "$here"/../test-captures/*.pcap "$here"/../test-captures/*.pcapng; do
    tshark -r "$c" -q --export-objects "http,$tmp/$(basename "$c")" >/dev/null 2>&1 || true
    tshark -r "$c" -T fields -e http.authorization -e http.www_authenticate -Y "http.authorization || http.www_authenticate" \
        2>/dev/null | tr '\t' '\n' | grep -v '^$' >> "$tmp/auth-lines" || true
done
python3 - "$tmp" "$out" <<'PY'
import hashlib, html, os, re, sys
src, out = sys.argv[1], sys.argv[2]
def put(kind, data):
    with open(os.path.join(out, kind, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)
for root, _, files in os.walk(src):
    for name in files:
        if name == "auth-lines":
            continue
        body = open(os.path.join(root, name), "rb").read()
        for cs in (0, 1, 2):                      # the harness's first byte picks the charset
            put("soap", bytes([cs]) + body)
        for m in re.findall(rb"<MessageText>(.*?)</MessageText>", body, re.S):
            put("errchain", html.unescape(m.decode("utf-8", "replace")).encode())
        if body.lstrip().startswith(b"{"):
            put("owa_json", body)
        for m in re.findall(rb"<(?:\w+:)?MergedFreeBusy[^>]*>(\d*)<", body):
            put("mergedfb", b"2026-11-25T00:00:00\n" + m + b"\nExchange2013")
for seed in (b"POST\0/EWS/Exchange.asmx/WSSecurity\0ASProxy/CrossForest/Directory/https/15.02\0\0\0CrossForest\0Exchange2012\0\x34",
             b"POST\0/EWS/Exchange.asmx\0ASProxy/CrossSite/Directory/EXCH/15\0Negotiate x\0\0CrossSite\0\0\x8c",
             b"POST\0/owa/service.svc?action=GetUserAvailabilityInternal\0Mozilla/5.0\0\0GetUserAvailabilityInternal\0\0\0\x01",
             b"POST\0/autodiscover/autodiscover.xml\0ASAutoDiscover/CrossForest/EmailDomain//15\0Basic x\0\0\0\0\x00"):
    put("rules", seed)
if os.path.exists(os.path.join(src, "auth-lines")):
    for line in open(os.path.join(src, "auth-lines"), "rb"):
        put("auth", line.rstrip(b"\n"))
put("auth", b'2000003;reason="The audience claim value is invalid";error_category="invalid_resource"')
put("errchain", b"Microsoft.Exchange.InfoWorker.Common.Availability.NoFreeBusyAccessException: The caller does not have access to free/busy data.\r\n. Name of the server where exception originated: SERVER01. LID: 44348")
put("mergedfb", b"2026-11-25T08:00:00-08:00\n0123450123\nV2_23")
# tracker: the seed story as events (request, hops, reset, answers), and a pipelining burst
put("tracker", bytes([0, 1, 0x02, 0, 2, 0xc6, 0, 3, 0x46, 5, 2, 0x01, 3, 3, 0x00, 3, 1, 0x08]))
put("tracker", bytes([0, 1, 0x02]) * 20 + bytes([3, 1, 0x00]) * 5 + bytes([5, 1, 0x01]))
PY
echo "corpora in $out: $(find "$out" -type f | wc -l) files"
