#!/usr/bin/env python3
"""Integration tests: the freshly built plugin, loaded by the real tshark, on the bundled
captures, compared with golden outputs and with stock tshark.

Runs as root too: tshark ignores personal plugins and WIRESHARK_PLUGIN_DIR for uid 0, so
tshark runs in a user namespace as uid 4242 with WIRESHARK_PLUGIN_DIR pointing at a
private copy of the plugin. That also keeps any installed copy out of the way.

    run_tshark_tests.py --plugin build/ews.so --captures test-captures --golden tests/golden [--update] [-k NAME]
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ARGS = None
ENV = {}
WRAP = []
STOCK_ENV = {}


def setup(plugin):
    tmp = tempfile.mkdtemp(prefix="ewsfb-test-")
    os.chmod(tmp, 0o755)
    for d in ("plugins/4.0/epan", "stock/4.0/epan", "extcap", "home"):
        os.makedirs(os.path.join(tmp, d))
    shutil.copy(plugin, os.path.join(tmp, "plugins/4.0/epan/ews.so"))
    base = dict(os.environ)
    base.update({"HOME": os.path.join(tmp, "home"), "WIRESHARK_EXTCAP_DIR": os.path.join(tmp, "extcap"),
                 "WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1", "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    ENV.update(base, WIRESHARK_PLUGIN_DIR=os.path.join(tmp, "plugins"))
    # "stock": the same tshark with an empty plugin folder, for like-for-like comparisons
    STOCK_ENV.update(base, WIRESHARK_PLUGIN_DIR=os.path.join(tmp, "stock"))
    if os.geteuid() == 0 or os.getegid() == 0:
        WRAP.extend(["unshare", "--user", "--map-user=4242", "--map-group=4242"])
    return tmp


def tshark(args, stock=False, check=True):
    cmd = WRAP + ["tshark"] + args
    p = subprocess.run(cmd, env=STOCK_ENV if stock else ENV, capture_output=True, text=True, errors="replace", timeout=600)
    if check and p.returncode != 0:
        raise AssertionError("tshark %s exited %d\n%s" % (" ".join(args), p.returncode, p.stderr[-3000:]))
    bad = [l for l in p.stderr.splitlines() if re.search(r"Dissector bug, protocol EWS|CRITICAL|ERROR|assertion|AddressSanitizer|runtime error", l)]
    if bad:
        raise AssertionError("tshark %s printed:\n%s" % (" ".join(args), "\n".join(bad[:20])))
    return p.stdout


def cap(name):
    return os.path.join(ARGS.captures, name)


def golden(name, text):
    path = os.path.join(ARGS.golden, name)
    if ARGS.update or not os.path.exists(path):
        with open(path, "w") as f:
            f.write(text)
        if not ARGS.update:
            raise AssertionError("golden file %s was missing; written now, review it and commit" % name)
        return
    with open(path) as f:
        want = f.read()
    if want != text:
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "golden/" + name, "tshark", n=1))
        raise AssertionError("output differs from golden/%s:\n%s" % (name, diff[:6000]))


def fields(capture, filt, names, extra=()):
    args = ["-r", cap(capture), "-T", "fields", "-E", "header=y", "-E", "occurrence=a", "-E", "aggregator=|"] + list(extra)
    if filt:
        args += ["-Y", filt]
    for n in names:
        args += ["-e", n]
    return tshark(args)


def rows(text):
    lines = text.splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def without_ewsflow(text):
    """Drops the ewsflow post-dissector's block (a generated top-level tree) from -V output."""
    out, skipping = [], False
    for line in text.splitlines(True):
        if line.startswith("[Exchange Free/Busy Routing"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def per_frame(text):
    frames, cur = {}, None
    for line in text.splitlines(True):
        m = re.match(r"Frame (\d+): ", line)
        if m:
            cur = int(m.group(1))
            frames[cur] = []
        if cur is not None:
            frames[cur].append(line)
    return {k: "".join(v) for k, v in frames.items()}


# ---- tests -----------------------------------------------------------------------------

def test_readme_documents_every_field_and_preference():
    root = os.path.dirname(os.path.abspath(ARGS.captures))
    with open(os.path.join(root, "README.md")) as f:
        readme = f.read()
    gen = subprocess.run([sys.executable, os.path.join(root, "tools", "field_reference.py")], input=tshark(["-G", "fields"]),
                         capture_output=True, text=True, check=True).stdout
    start, end = readme.index("<!-- fields:begin -->\n") + len("<!-- fields:begin -->\n"), readme.index("<!-- fields:end -->")
    assert readme[start:end] == gen, "README field reference is stale: regenerate it with tools/field_reference.py"
    prefs = [l.split(":")[0].lstrip("#") for l in tshark(["-G", "defaultprefs"]).splitlines() if l.startswith("#ews.")]
    assert prefs, "no ews preferences found"
    for p in prefs:
        assert "`%s`" % p in readme, "preference %s missing from README" % p


def test_captures_come_from_the_generator():
    """The plaintext captures are exactly what generate.py writes (deterministic)."""
    out = tempfile.mkdtemp(prefix="ewsfb-gen-")
    try:
        subprocess.run([sys.executable, os.path.join(ARGS.captures, "generate.py"), "--out", out], check=True)
        made = sorted(f for f in os.listdir(out) if f.endswith(".pcap"))
        assert made, "generator wrote nothing"
        for f in made:
            with open(os.path.join(out, f), "rb") as a, open(cap(f), "rb") as b:
                assert a.read() == b.read(), "%s differs from what generate.py writes now: run it and commit" % f
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_plugin_is_the_fresh_build():
    out = tshark(["-G", "plugins"])
    line = [l for l in out.splitlines() if l.startswith("ews.so")]
    assert line, "ews.so not loaded:\n" + out
    assert ENV["WIRESHARK_PLUGIN_DIR"] in line[0], "loaded from elsewhere: " + line[0]
    assert len(line) == 1, "loaded twice: %s" % line


def test_basic_fields():
    golden("basic-fields.txt", fields("ews-basic.pcap", "ews", [
        "frame.number", "ews.operation", "ews.message_type", "ews.soap_version", "ews.mailbox_count", "ews.mailbox",
        "ews.mailbox.attendee_type", "ews.mailbox.exclude_conflicts", "ews.view.requested", "ews.window.start", "ews.interval",
        "ews.hdr.request_server_version", "ews.response.class", "ews.response.code", "ews.error.exception_type",
        "ews.error.exception_code", "ews.error.server", "ews.error.response_source", "ews.error.outer", "ews.error.inner",
        "ews.view.type", "ews.merged_freebusy", "ews.merged_freebusy.run", "ews.event.busy_type", "ews.event.subject",
        "ews.working_hours.day", "ews.suggestion.quality", "ews.hdr.server_version", "ews.request_in", "ews.time"]))


def test_basic_summary_and_pairing():
    golden("basic-summary.txt", tshark(["-r", cap("ews-basic.pcap")]))
    # single pass: the response knows its request; the request cannot know its response yet
    r = rows(fields("ews-basic.pcap", "ews", ["frame.number", "ews.request_in", "ews.response_in"]))
    assert r == [{"frame.number": "5", "ews.request_in": "", "ews.response_in": ""},
                 {"frame.number": "11", "ews.request_in": "5", "ews.response_in": ""}], r
    # two passes: both directions
    r = rows(fields("ews-basic.pcap", "ews", ["frame.number", "ews.request_in", "ews.response_in"], extra=["-2"]))
    assert r == [{"frame.number": "5", "ews.request_in": "", "ews.response_in": "11"},
                 {"frame.number": "11", "ews.request_in": "5", "ews.response_in": ""}], r


def test_basic_tree():
    golden("basic-tree.txt", tshark(["-r", cap("ews-basic.pcap"), "-Y", "ews", "-O", "ews", "-o", "ews.xml_tree:never"]))


def test_filters_find_the_failure():
    r = rows(fields("ews-basic.pcap", 'ews.response.code == "ErrorProxyRequestProcessingFailed"', ["frame.number"]))
    assert [x["frame.number"] for x in r] == ["11"], r
    r = rows(fields("ews-basic.pcap", 'ews.error.inner contains "forcibly closed"', ["frame.number"]))
    assert [x["frame.number"] for x in r] == ["11"], r
    r = rows(fields("ews-basic.pcap", 'ews.mailbox == "y1@fabrikam.com"', ["frame.number"]))
    assert [x["frame.number"] for x in r] == ["5", "11"], r


def test_variants_fields():
    golden("variants-fields.txt", fields("ews-variants.pcap", "ews", [
        "frame.number", "_ws.col.Info", "ews.message_type", "ews.soap_version", "ews.soapaction", "ews.mailbox",
        "ews.hdr.request_type", "ews.hdr.message_id", "ews.hdr.serialized_security_context", "ews.hdr.ssc.form",
        "ews.hdr.ssc.user_sid", "ews.hdr.ssc.group.sid", "ews.hdr.sharing_security", "ews.hdr.wsse", "ews.hdr.wsse.kind",
        "ews.hdr.wsa_action", "ews.hdr.wsa_to", "ews.hdr.timezone_id", "ews.hdr.request_server_version",
        "ews.hdr.impersonation.smtp", "ews.merged_freebusy.digit4", "ews.merged_freebusy.run", "ews.fault.code",
        "ews.fault.string", "ews.response.code", "ews.error.value.name", "ews.error.value", "ews.error.origin_server",
        "ews.request_in"]))


def test_non_ews_bodies_are_stock_xml():
    """Every frame the plugin does not claim dissects exactly as without the plugin (the
    routing post-dissector's own block aside)."""
    for c in ("ews-variants.pcap", "ews-basic.pcap", "ews-tls-h2.pcapng"):
        mine = per_frame(without_ewsflow(tshark(["-r", cap(c), "-V"])))
        stock = per_frame(tshark(["-r", cap(c), "-V"], stock=True))
        assert mine.keys() == stock.keys()
        other = [n for n in mine if "Exchange Web Services Availability" not in mine[n]]
        assert other, c
        for n in other:
            assert mine[n] == stock[n], "%s frame %d differs from stock:\n%s" % (c, n, "".join(
                difflib.unified_diff(stock[n].splitlines(True), mine[n].splitlines(True), n=1))[:3000])
    # and the generic XML tree of an EWS body is stock's too, one level down
    mine = without_ewsflow(tshark(["-r", cap("ews-basic.pcap"), "-Y", "frame.number==5", "-V"]))
    stock = tshark(["-r", cap("ews-basic.pcap"), "-Y", "frame.number==5", "-V"], stock=True)
    xml_mine = [l.strip() for l in mine[mine.index("eXtensible Markup Language"):].splitlines()]
    xml_stock = [l.strip() for l in stock[stock.index("eXtensible Markup Language"):].splitlines()]
    assert xml_mine == xml_stock


def test_xml_tree_only_when_looked_at():
    proto = lambda extra: [x["frame.protocols"] for x in rows(fields("ews-basic.pcap", "ews", ["frame.protocols"] + extra))]
    assert all(not p.endswith(":xml") for p in proto([])), proto([])
    assert all(p.endswith(":xml") for p in proto(["xml.cdata"]))
    r = rows(fields("ews-basic.pcap", "xml.tag", ["frame.number"]))
    assert [x["frame.number"] for x in r] == ["5", "11"], r
    assert tshark(["-r", cap("ews-basic.pcap"), "-V"]).count("eXtensible Markup Language") == 2
    assert tshark(["-r", cap("ews-basic.pcap"), "-T", "pdml"]).count('<proto name="xml"') == 2
    assert tshark(["-r", cap("ews-basic.pcap"), "-V", "-o", "ews.xml_tree:never"]).count("eXtensible Markup Language") == 0


def test_decode_as_and_claim_preference():
    off = rows(fields("ews-basic.pcap", "ews", ["frame.number"], extra=["-o", "ews.claim_media_types:FALSE"]))
    assert off == [], off
    r = rows(fields("ews-basic.pcap", "ews", ["frame.number"], extra=["-o", "ews.claim_media_types:FALSE", "-d", "media_type==text/xml,ews"]))
    assert [x["frame.number"] for x in r] == ["5", "11"], r
    r = rows(fields("ews-basic.pcap", "xml", ["frame.number"], extra=["-o", "ews.claim_media_types:FALSE"]))
    assert [x["frame.number"] for x in r] == ["5", "11"], r
    # disabling the protocol gives stock dissection back, frame by frame
    assert tshark(["-r", cap("ews-basic.pcap"), "-V", "--disable-protocol", "ews", "--disable-protocol", "ewsflow"]) == \
        tshark(["-r", cap("ews-basic.pcap"), "-V"], stock=True)


def test_tls_http2():
    golden("tls-h2-fields.txt", fields("ews-tls-h2.pcapng", "ews", [
        "frame.number", "frame.protocols", "_ws.col.Info", "ews.mailbox", "ews.response.code", "ews.error.inner",
        "ews.merged_freebusy.run", "ews.request_in"]))
    r = rows(fields("ews-tls-h2.pcapng", "ews", ["frame.protocols"]))
    assert any(":http2:" in x["frame.protocols"] for x in r) and any(":tls:http:" in x["frame.protocols"] for x in r), r


def test_hostile_bodies():
    golden("hostile-fields.txt", fields("ews-hostile.pcap", "ews", ["frame.number", "_ws.col.Info", "ews.mailbox", "_ws.expert.message"]))
    # every view of the capture survives, including the full trees
    tshark(["-r", cap("ews-hostile.pcap"), "-V"])
    tshark(["-r", cap("ews-hostile.pcap"), "-2", "-V", "-o", "ews.xml_tree:always"])


def test_limits_are_preferences():
    r = rows(fields("ews-basic.pcap", "ews", ["frame.number", "_ws.expert.message"], extra=["-o", "ews.max_body_size:2000"]))
    assert len(r) == 2 and all("exceeds the 2000-byte limit" in x["_ws.expert.message"] for x in r), r
    r = rows(fields("ews-basic.pcap", "ews", ["frame.number", "ews.mailbox", "_ws.expert.message"], extra=["-o", "ews.max_items:20"]))
    assert "More than 20 decoded items" in r[0]["_ws.expert.message"], r


def test_stock_tshark_untouched_in_batch_output():
    """Frames without EWS keep their summary lines exactly."""
    for c in ("ews-variants.pcap", "ews-hostile.pcap"):
        mine = tshark(["-r", cap(c)]).splitlines()
        stock = tshark(["-r", cap(c)], stock=True).splitlines()
        assert len(mine) == len(stock)
        for a, b in zip(mine, stock):
            if " EWS " not in a:
                assert a == b, (a, b)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--update", action="store_true", help="rewrite the golden files from this run")
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ARGS = ap.parse_args()
    tmp = setup(ARGS.plugin)
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f) and ARGS.k in n]
    passed = failed = 0
    try:
        for name, fn in tests:
            try:
                fn()
                passed += 1
                print("PASS", name)
            except Exception as e:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                print("FAIL", name, "\n   ", str(e).replace("\n", "\n    "))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
