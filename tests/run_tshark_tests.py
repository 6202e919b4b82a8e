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
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from tshark_sandbox import sandbox  # noqa: E402

ARGS = None
ENV = {}
WRAP = []
STOCK_ENV = {}


def setup(plugin, asan=False):
    tmp, mine, stock, wrap = sandbox(plugin, asan, prefix="ewsfb-test-")
    ENV.update(mine, WIRESHARK_ABORT_ON_DISSECTOR_BUG="1")
    STOCK_ENV.update(stock, WIRESHARK_ABORT_ON_DISSECTOR_BUG="1")
    WRAP.extend(wrap)
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


def test_doc_citations_resolve():
    """Every "protocol-notes.md §N" the code cites is a heading of docs/protocol-notes.md."""
    root = os.path.dirname(os.path.abspath(ARGS.captures))
    with open(os.path.join(root, "docs", "protocol-notes.md")) as f:
        heads = set(re.findall(r"^#+ (\d+(?:\.\d+)?)\.? ", f.read(), re.M))
    cited = set()
    for d in ("dissectors", "plugin", "test-captures", "tests", "fuzz"):
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for n in files:
                if n.endswith((".c", ".h", ".py")) and n != os.path.basename(__file__):
                    with open(os.path.join(dirpath, n), errors="replace") as f:
                        text = f.read()
                    assert "shared/docs" not in text and "ews-protocol.md" not in text, n
                    for m in re.finditer(r"protocol-notes\.md ((?:§[\d.]+(?:, )?)+)", text):
                        cited |= set(re.findall(r"§(\d+(?:\.\d+)?)", m.group(1)))
    assert cited and cited <= heads, (sorted(cited - heads), sorted(heads))


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
    for so in ("ews.so", "ewsfile.so"):     # the dissectors, and the file reader (Fiddler, HAR)
        line = [l for l in out.splitlines() if l.startswith(so)]
        assert line, "%s not loaded:\n%s" % (so, out)
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
        "ews.fault.string", "ews.response.code", "ews.fault.response_code", "ews.error.value.name", "ews.error.value",
        "ews.backoff_ms", "ews.error.origin_server", "ews.request_in"]))


def test_non_ews_bodies_are_stock_xml():
    """Every frame the plugin does not claim dissects exactly as without the plugin (the
    routing post-dissector's own block aside)."""
    for c in ("ews-variants.pcap", "ews-basic.pcap", "ews-tls-h2.pcapng", "ews-owa.pcap"):
        mine = per_frame(without_ewsflow(tshark(["-r", cap(c), "-V"])))
        stock = per_frame(tshark(["-r", cap(c), "-V"], stock=True))
        assert mine.keys() == stock.keys()
        other = [n for n in mine if "Exchange Web Services Availability" not in mine[n]]
        assert other, c
        for n in other:
            assert mine[n] == stock[n], "%s frame %d differs from stock:\n%s" % (c, n, "".join(
                difflib.unified_diff(stock[n].splitlines(True), mine[n].splitlines(True), n=1))[:3000])
    # and the generic XML tree of an EWS body is stock's too, one level down
    mine = without_ewsflow(tshark(["-r", cap("ews-basic.pcap"), "-Y", "frame.number==5", "-V", "-o", "ews.xml_tree:always"]))
    stock = tshark(["-r", cap("ews-basic.pcap"), "-Y", "frame.number==5", "-V"], stock=True)
    xml_mine = [l.strip() for l in mine[mine.index("eXtensible Markup Language"):].splitlines()]
    xml_stock = [l.strip() for l in stock[stock.index("eXtensible Markup Language"):].splitlines()]
    assert xml_mine == xml_stock


def test_xml_tree_when_referenced():
    """The generic XML tree under an EWS body (it repeats the EWS tree and is most of the cost) is
    built when a filter, column or statistic uses xml fields, or when ews.xml_tree says always.
    No guessing at tshark's command line: -T fields -e xml.* needs -o ews.xml_tree:always (or a
    filter naming xml), since Wireshark 4.0 does not tell a dissector which -e fields it prints."""
    r = rows(fields("ews-basic.pcap", "ews", ["frame.protocols", "xml.cdata"]))
    assert len(r) == 2 and all(not x["frame.protocols"].endswith(":xml") and not x["xml.cdata"] for x in r), r
    r = rows(fields("ews-basic.pcap", "ews && xml", ["frame.protocols", "xml.cdata"]))
    assert len(r) == 2 and all(x["frame.protocols"].endswith(":xml") and x["xml.cdata"] for x in r), r
    r = rows(fields("ews-basic.pcap", "ews", ["frame.protocols", "xml.cdata"], extra=["-o", "ews.xml_tree:always"]))
    assert len(r) == 2 and all(x["frame.protocols"].endswith(":xml") and x["xml.cdata"] for x in r), r
    r = rows(fields("ews-basic.pcap", "xml.tag", ["frame.number"]))
    assert [x["frame.number"] for x in r] == ["5", "11"], r
    assert tshark(["-r", cap("ews-basic.pcap"), "-V"]).count("eXtensible Markup Language") == 0
    assert tshark(["-r", cap("ews-basic.pcap"), "-V", "-o", "ews.xml_tree:always"]).count("eXtensible Markup Language") == 2
    assert tshark(["-r", cap("ews-basic.pcap"), "-T", "pdml", "-o", "ews.xml_tree:always"]).count('<proto name="xml"') == 2
    assert tshark(["-r", cap("ews-basic.pcap"), "-V", "-Y", "xml", "-o", "ews.xml_tree:never"]).count("eXtensible Markup Language") == 0
    # nothing reads the command line any more
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugin", "ews-register.c")).read()
    assert "/proc/self" not in src and "cmdline" not in src


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
    # OWA over HTTP/2: HTTP/2 hands no request line to the routing post-dissector; the JSON body says OWA
    r = rows(fields("ews-tls-h2.pcapng", 'ews.operation == "GetUserAvailabilityInternal" && ews.message_type == "request"',
                    ["ewsflow.request.path"]))
    assert [x["ewsflow.request.path"] for x in r] == ["client-owa"], r


ALIGNED = ["ews.mailbox", "ews.response.class", "ews.response.code", "ews.view.type"]


def test_per_mailbox_fields_align():
    """On every response of every bundled capture, the per-mailbox fields come one per
    FreeBusyResponse, so scripts can zip them (the README's -T fields example)."""
    checked = 0
    for c in sorted(os.listdir(ARGS.captures)):
        if not c.endswith((".pcap", ".pcapng")):
            continue
        for r in rows(fields(c, 'ews.message_type == "response" && ews.mailbox_count', ["frame.number", "ews.mailbox_count"] + ALIGNED)):
            n = sum(int(x) for x in r["ews.mailbox_count"].split("|"))   # several responses in one frame
            counts = {f: len(r[f].split("|")) if r[f] or n == 1 else 0 for f in ALIGNED}
            assert all(v == n for v in counts.values()), (c, r, counts)
            checked += 1
    assert checked >= 10, checked


def test_bodies_written_by_other_software():
    """foreign_bodies.py: each sender's layout, and what it must decode to."""
    r = rows(fields("ews-fidelity.pcap", 'ews.message_type == "response"', [
        "frame.number", "ews.mailbox", "ews.response.class", "ews.response.code", "ews.view.type",
        "ews.suggestions.response.class", "ews.suggestions.response.code", "ews.backoff_ms", "ews.mailbox_count", "_ws.expert.message"]))
    assert len(r) == 4, r
    sdk, mac, busy, ent = r
    # the SDK's layout: an answer with only a Path, no ResponseCode; the suggestions' result on its own fields
    assert sdk["ews.mailbox"] == "y1@fabrikam.com|nobody@fabrikam.com", sdk
    assert sdk["ews.response.class"] == "Success|Error" and sdk["ews.response.code"] == "|ErrorMailRecipientNotFound", sdk
    assert sdk["ews.view.type"] == "Detailed|", sdk
    assert sdk["ews.suggestions.response.class"] == "Success" and sdk["ews.suggestions.response.code"] == "NoError", sdk
    # Outlook for Mac: suggestions only, and no count warning for it
    assert mac["ews.mailbox_count"] == "0" and mac["ews.suggestions.response.code"] == "NoError", mac
    assert "FreeBusyResponse for" not in mac["_ws.expert.message"], mac
    # throttling: the back-off as a number, an expert info, and a story that says what it means
    assert busy["ews.response.code"] == "ErrorServerBusy|NoError" and busy["ews.backoff_ms"] == "299984", busy
    assert "back off 299,984 ms" in busy["_ws.expert.message"], busy
    assert busy["ews.view.type"] == "None|FreeBusy Merged", busy
    story = rows(fields("ews-fidelity.pcap", "ewsflow.story", ["frame.number", "ewsflow.story"]))
    assert [x["frame.number"] for x in story] == [busy["frame.number"]], story
    assert "back off 299,984 ms" in story[0]["ewsflow.story"] and "Not a routing fault" in story[0]["ewsflow.story"], story
    # a DOCTYPE'd body: the entity stays as written, the mailbox after it still decodes
    assert ent["ews.response.class"] == "Warning|Success" and ent["ews.response.code"] == "ErrorFreeBusyGenerationFailed|NoError", ent
    assert "DOCTYPE in an EWS body" in ent["_ws.expert.message"] and "(first &lol10;) kept as written" in ent["_ws.expert.message"], ent
    text = rows(fields("ews-fidelity.pcap", 'ews.response.text == "&lol10;"', ["frame.number"]))
    assert [x["frame.number"] for x in text] == [ent["frame.number"]], text
    # "NoError" no longer matches a reply whose every mailbox failed
    assert not rows(fields("ews-fidelity.pcap", 'ews.response.code == "NoError" && !(ews.response.class == "Success")', ["frame.number"]))


def test_http2_bodies_without_end_stream():
    """Real Node.js HTTP/2 over TLS (make_node_capture.sh h2-unended): two responses sent whole in
    interleaved DATA frames, one stream reset and one left open; both decode once their
    content-length has arrived, paired with their requests, in one pass and in two."""
    want_frames = None
    for extra in ([], ["-2"]):
        r = rows(fields("ews-h2-unended.pcapng", 'ews.message_type == "response"',
                        ["frame.number", "ews.operation", "ews.mailbox", "ews.response.code", "ews.h2_completed", "ews.request_in",
                         "_ws.expert.message"], extra))
        assert len(r) == 1 and r[0]["ews.h2_completed"] == "1|3", r
        assert r[0]["ews.operation"] == "GetUserAvailability|GetUserAvailabilityInternal", r
        assert r[0]["ews.mailbox"] == "h2a@fabrikam.com|h2b@fabrikam.com|owa3@fabrikam.com", r
        assert r[0]["ews.response.code"] == "NoError|ErrorProxyRequestProcessingFailed|ErrorProxyRequestProcessingFailed", r
        assert "HTTP/2 stream 1: body of" in r[0]["_ws.expert.message"], r
        req = rows(fields("ews-h2-unended.pcapng", 'ews.message_type == "request"', ["frame.number"]))
        assert r[0]["ews.request_in"] == "|".join([req[0]["frame.number"]] * 2), (r, req)
        want_frames = want_frames or r[0]["frame.number"]
        assert r[0]["frame.number"] == want_frames
    # with the XML tree chained under the first body (-O, the GUI), the second stream is still told apart
    tree = tshark(["-r", cap("ews-h2-unended.pcapng"), "-Y", "frame.number == " + want_frames, "-O", "ews"])
    assert "GetUserAvailabilityInternal response: 0 Success, 1 Error" in tree, tree
    # stock Wireshark never hands these bodies on
    stock = tshark(["-r", cap("ews-h2-unended.pcapng"), "-Y", "xml", "-T", "fields", "-e", "frame.number"], stock=True)
    assert stock.strip() == req[0]["frame.number"], stock
    # bodies that do end normally are decoded once, where HTTP/2 hands them on
    r = rows(fields("ews-tls-h2.pcapng", "ews.h2_completed || ews", ["frame.number", "ews.h2_completed"]))
    assert r and all(not x["ews.h2_completed"] for x in r), r


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


# ---- ewsflow: routing paths, resets, the cross-hop story --------------------------------

PORT444 = ["-d", "tcp.port==444,http"]


def test_every_path_of_the_vocabulary():
    want = {
        "mail.contoso.com/EWS/Exchange.asmx": "client-ews",
        "mail.contoso.com/owa/service.svc?action=GetUserAvailabilityInternal&EP=1&ID=-38&AC=1": "client-owa",
        "exb02.contoso.com:444/EWS/Exchange.asmx": ["frontend-backend", "cross-site"],
        "mail.tailspin.com/EWS/Exchange.asmx": ["address-space-peruser", "address-space-orgwide", "address-space-orgwide-basic"],
        "mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity": ["org-relationship", "personal-relationship"],
        "outlook.office365.com/EWS/Exchange.asmx": "oauth-intraorg",
        "autodiscover.tailspin.com/autodiscover/autodiscover.xml": "autodiscover",
        "mail.contoso.com/ews/services.wsdl": "unknown",
    }
    for passes in ([], ["-2"]):
        r = rows(fields("ews-paths.pcap", "ewsflow.request.path", ["frame.number", "ewsflow.endpoint", "ewsflow.request.path",
                                                                    "ewsflow.mailbox"], extra=PORT444 + passes))
        got = [(x["ewsflow.endpoint"], x["ewsflow.request.path"], x["ewsflow.mailbox"]) for x in r]
        seen = {p for _, p, _ in got}
        assert seen == {"client-ews", "client-owa", "frontend-backend", "cross-site", "address-space-peruser", "address-space-orgwide",
                        "address-space-orgwide-basic", "org-relationship", "personal-relationship", "oauth-intraorg", "autodiscover",
                        "unknown"}, (passes, seen)
        for endpoint, path, _ in got:
            w = want[endpoint]
            assert path in (w if isinstance(w, list) else [w]), (endpoint, path)
    # the completed requests, by target: the exact path each hop took
    r = rows(fields("ews-paths.pcap", "ewsflow.request.path && !ewsflow.request.incomplete",
                    ["ewsflow.mailbox", "ewsflow.request.path"], extra=PORT444 + ["-2"]))
    by_target = {x["ewsflow.mailbox"]: x["ewsflow.request.path"] for x in r if x["ewsflow.mailbox"]}
    assert by_target["t1@tailspin.com"] in ("address-space-peruser", "autodiscover"), by_target
    assert by_target["t2@tailspin.com"] == "address-space-orgwide", by_target
    assert by_target["t3@tailspin.com"] == "address-space-orgwide-basic", by_target
    assert by_target["y1@fabrikam.com"] == "personal-relationship", by_target
    assert by_target["y2@fabrikam.com"] == "org-relationship", by_target
    assert by_target["c1@contoso.mail.onmicrosoft.com"] == "oauth-intraorg", by_target
    golden("paths-evidence.txt", fields("ews-paths.pcap", "ewsflow.request.path && !ewsflow.request.incomplete",
                                        ["frame.number", "ewsflow.request.path", "ewsflow.evidence", "ewsflow.conflict"], extra=PORT444 + ["-2"]))


def test_flow_path_on_every_frame():
    # two passes: every frame of the personal-relationship connection, SYN included
    r = rows(fields("ews-seed.pcap", "tcp.stream == 3", ["frame.number", "ewsflow.path"], extra=["-2"]))
    assert r and all(x["ewsflow.path"] == "personal-relationship" for x in r), r
    # single pass: from the frame that completes the request on (earlier frames knew only its headers)
    r = rows(fields("ews-seed.pcap", "tcp.stream == 3 && frame.number >= 37", ["frame.number", "ewsflow.path"]))
    assert r and all(x["ewsflow.path"] == "personal-relationship" for x in r), r


def test_flow_path_from_the_conversation():
    """A filter or column on ewsflow.path alone (nothing else puts tcp.stream in the tree) finds
    every frame of the flow: the SYNs, the ACKs and the RST too (GUI and tshark -2)."""
    r = rows(fields("ews-seed.pcap", 'ewsflow.path == "personal-relationship"', ["frame.number"], extra=["-2"]))
    s = rows(fields("ews-seed.pcap", "tcp.stream == 3", ["frame.number"]))
    assert [x["frame.number"] for x in r] == [x["frame.number"] for x in s] and len(r) == 7, (r, s)
    out = tshark(["-2", "-r", cap("ews-seed.pcap"), "-o", 'gui.column.format:"No.","%m","Path","%Cus:ewsflow.path:0:R"'])
    paths = dict(l.split(None, 1) if len(l.split(None, 1)) == 2 else (l.strip(), "") for l in out.splitlines())
    assert all(paths[x["frame.number"]].strip() == "personal-relationship" for x in s), paths


def test_info_column_and_links():
    """The diagnosis is visible in one look: the error response says it has one, the hop
    shows its path and fate, and RST <-> hop <-> client error link both ways (GUI, -2)."""
    r = {x["frame.number"]: x for x in rows(fields("ews-seed.pcap", "ewsflow", ["frame.number", "_ws.col.Info", "ewsflow.story_in",
                                                                             "ewsflow.reset_in", "ewsflow.hop_in"], extra=["-2"]))}
    assert r["54"]["_ws.col.Info"].endswith("[y1@fabrikam.com: personal-relationship hop reset (frame 45)]"), r["54"]
    assert "45" in r["54"]["ewsflow.reset_in"].split("|") and "37" in r["54"]["ewsflow.hop_in"].split("|"), r["54"]
    assert r["37"]["_ws.col.Info"].endswith("[personal-relationship hop, reset in frame 45]"), r["37"]
    assert r["37"]["ewsflow.story_in"] == "54" and r["37"]["ewsflow.reset_in"] == "45", r["37"]
    assert r["45"]["ewsflow.story_in"] == "54" and "[personal-relationship request in frame 37 reset]" in r["45"]["_ws.col.Info"], r["45"]
    assert r["12"]["_ws.col.Info"].endswith("[org-relationship hop, answered in frame 15]"), r["12"]
    # single pass: what is known by then
    one = {x["frame.number"]: x for x in rows(fields("ews-seed.pcap", "ewsflow", ["frame.number", "_ws.col.Info"]))}
    assert one["37"]["_ws.col.Info"].endswith("[personal-relationship hop]"), one["37"]
    assert one["54"]["_ws.col.Info"].endswith("[y1@fabrikam.com: personal-relationship hop reset (frame 45)]"), one["54"]


def test_no_label_cut_and_short_experts():
    """Every ews/ewsflow item fits Wireshark's 240-byte label (nothing "[truncated]"), and every
    expert text is short; the story is a subtree of parts whose texts add up to the whole."""
    for c in sorted(os.listdir(ARGS.captures)):
        if not c.endswith((".pcap", ".pcapng")):
            continue
        # (values of the body itself, a MessageText, are shown as Wireshark shows any long string)
        out = tshark(["-2", "-r", cap(c), "-O", "ewsflow"])
        cut = [l for l in out.splitlines() if "[truncated]" in l]
        assert not cut, (c, cut[:3])
        msgs = rows(fields(c, "_ws.expert", ["_ws.expert.message"], extra=["-2"]))
        for m in msgs:
            for text in m["_ws.expert.message"].split("|"):
                assert len(text.encode()) < 200, (c, text)   # "Expert Info (Warning/Sequence): " comes before it
    st = rows(fields("ews-seed.pcap", "ewsflow.story", ["ewsflow.story", "ewsflow.story.happened", "ewsflow.story.why",
                                                        "ewsflow.story.check"], extra=["-2"]))[0]
    assert st["ewsflow.story"].startswith(st["ewsflow.story.happened"].split("|")[0]), st
    assert "sharing subscription" in st["ewsflow.story.check"] and "reset that connection" in st["ewsflow.story.why"], st
    tree = tshark(["-2", "-r", cap("ews-seed.pcap"), "-Y", "frame.number == 54", "-O", "ewsflow"])
    assert "Story: y1@fabrikam.com: personal-relationship hop reset (frame 45)" in tree, tree
    assert "What to check: Check the requester's sharing subscription" in tree, tree


def test_bad_value_only_when_bad():
    """ews.bad_value (and its expert info) only where a value really does not fit its type, in
    every mode: single pass, two passes, -V, -T fields."""
    for c in sorted(os.listdir(ARGS.captures)):
        if not c.endswith((".pcap", ".pcapng")):
            continue
        for extra in ([], ["-2"]):
            bad = [x["frame.number"] for x in rows(fields(c, "ews.bad_value", ["frame.number"], extra=extra))]
            experts = tshark(["-r", cap(c), "-q", "-z", "expert,warn"] + extra)
            verbose = tshark(["-r", cap(c), "-V"] + extra).count("is not a valid")
            if c == "ews-hostile.pcap":
                assert bad == ["251"] and experts.count("is not a valid") == 1 and verbose == 2, (c, extra, bad, verbose)
            else:
                assert not bad and "is not a valid" not in experts and verbose == 0, (c, extra, bad, verbose)


def test_statistics_twins():
    """The Statistics menu entries through their tshark -z twins, single pass and two passes
    alike: the stats tree, the lookup table, Service Response Time and the Flow Graph."""
    for extra in ([], ["-2"]):
        tree = tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,tree"] + extra)
        for want in (r"Lookups and proxy hops, by path\s+5\b", r"personal-relationship\s+1\b", r"reset before a response\s+1\b",
                     r"x1@contoso.com -> y1@fabrikam.com\s+1\b", r"personal-relationship hop reset before a response\s+1\b"):
            assert re.search(want, tree), (want, tree)
        table = tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,table"] + extra)
        assert "37 |x1@contoso.com |y1@fabrikam.com |personal-relationship |3.0 |reset in frame 45 |" in table, table
        assert "30 |x1@contoso.com |y1@fabrikam.com,y2@fabrikam.com |client-ews |51.0 |HTTP 200 ErrorProxyRequestProcessingFailed,NoError (frame 54) |" in table, table
        assert len([l for l in table.splitlines() if re.match(r"\d+ \|", l)]) == 5, table
        flow = tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", "flow,ewsflow,standard"] + extra)
        assert "personal-relationship reset before a response" in flow and "y1@fabrikam.com: personal-relationship hop reset (frame 45)" in flow, flow
    srt = tshark(["-r", cap("ews-discovery.pcap"), "-q", "-z", "ews,srt"])
    assert re.search(r"0\s+GetUserAvailability\s+3\b", srt) and re.search(r"3\s+GetUserSettings\s+1\b", srt), srt
    # a display filter narrows a table like any tap
    table = tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", 'ewsflow,table,ewsflow.request.path == "personal-relationship"'])
    assert [l.split()[0] for l in table.splitlines() if re.match(r"\d+ \|", l)] == ["37"], table
    table = tshark(["-2", "-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,table,ewsflow.reset"])   # known on the request with -2
    assert [l.split()[0] for l in table.splitlines() if re.match(r"\d+ \|", l)] == ["37"], table


def test_profile():
    """The EWS-FreeBusy profile that cmake --install puts in Wireshark's profile folder: its
    columns show path, requester, target and outcome; every coloring rule and filter button
    is a valid display filter that matches something in the seed capture."""
    src = os.path.join(os.path.dirname(os.path.abspath(ARGS.captures)), "profiles", "EWS-FreeBusy")
    dst = os.path.join(ENV["HOME"], ".config", "wireshark", "profiles", "EWS-FreeBusy")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    os.system("chmod -R a+rwX %s" % os.path.join(ENV["HOME"], ".config"))
    out = tshark(["-C", "EWS-FreeBusy", "-2", "-r", cap("ews-seed.pcap")])
    line37 = [l for l in out.splitlines() if l.split()[0] == "37"][0]
    for want in ("personal-relationship", "x1@contoso.com", "y1@fabrikam.com"):
        assert want in line37, line37
    line54 = [l for l in out.splitlines() if l.split()[0] == "54"][0]
    assert "ErrorProxyRequestProcessingFailed" in line54 and "[y1@fabrikam.com: personal-relationship hop reset" in line54, line54
    filters = []
    with open(os.path.join(src, "colorfilters")) as f:
        filters += [l.split("@")[2] for l in f if l.startswith("@")]
    with open(os.path.join(src, "dfilter_buttons")) as f:
        filters += [next(csv.reader([l]))[2].replace("\\x22", '"') for l in f if l.startswith('"')]
    assert len(filters) >= 10, filters
    for flt in filters:
        if flt.startswith("tcp."):
            continue
        hits = tshark(["-2", "-r", cap("ews-seed.pcap"), "-Y", flt, "-T", "fields", "-e", "frame.number"]).split()
        hits += tshark(["-2", "-r", cap("ews-fidelity.pcap"), "-Y", flt, "-T", "fields", "-e", "frame.number"]).split()
        assert hits, flt


# What lab/forests.js routes each target through (its ROUTES table), and who asked.
LAB_PATHS = {"y1@fabrikam.com": "org-relationship", "y2@fabrikam.com": "personal-relationship",
             "t1@tailspin.com": "address-space-peruser", "t2@tailspin.com": "address-space-orgwide-basic",
             "o1@northwind.com": "oauth-intraorg", "s1@contoso.com": "cross-site", "y3@fabrikam.com": "org-relationship",
             "y4@fabrikam.com": "org-relationship", "y5@fabrikam.com": "org-relationship",
             "t3@tailspin.com": "address-space-orgwide"}
LAB_CLIENTS = {  # first target -> (requester, where it was read, client path)
    "y1@fabrikam.com": ("CONTOSO\\alice", "Basic credentials", "client-ews"),
    "t1@tailspin.com": ("CONTOSO\\bob", "NTLM AUTHENTICATE message", "client-ews"),
    "t2@tailspin.com": ("carol@contoso.com", "OAuth token smtp claim", "client-ews"),
    "o1@northwind.com": ("CONTOSO\\dave", "NTLM AUTHENTICATE message", "client-ews"),
    "y3@fabrikam.com": ("erin@contoso.com", "X-AnchorMailbox", "client-ews"),          # HTTP/2 (curl)
    "y2@fabrikam.com": ("frank@contoso.com", "X-AnchorMailbox", "client-owa"),         # OWA JSON (curl)
}


def test_lab_real_clients():
    """ews-lab.pcapng: the EWS JavaScript API (Basic, NTLM, Bearer) and curl (NTLM, HTTP/2, OWA JSON) against
    lab/forests.js on loopback. Paths, requesters, links, resets and stories, in one pass and in two; and the
    same over TLS 1.3/1.2 with the keys embedded (ews-lab-tls.pcapng: HTTP/2 by ALPN, TLS on port 444)."""
    for capture in ("ews-lab.pcapng", "ews-lab-tls.pcapng"):
        try:
            check_lab_capture(capture)
        except AssertionError as e:
            raise AssertionError("%s: %s" % (capture, e))


def check_lab_capture(capture):
    names = ["frame.number", "ip.dst", "ewsflow.request.path", "ewsflow.mailbox", "ewsflow.requester",
             "ewsflow.requester.source", "ewsflow.client_request_in", "ewsflow.client_request_in.uncertain", "ewsflow.reset",
             "ewsflow.reset_in", "ewsflow.request.incomplete", "ews.mailbox"]
    for extra in ([], ["-2"]):
        reqs = rows(fields(capture, "ewsflow.request.path && (ews.mailbox || ewsflow.request.incomplete)", names, extra=extra))
        by_frame = {r["frame.number"]: r for r in reqs}
        clients = [r for r in reqs if r["ip.dst"] == "127.0.0.10"]
        hops = [r for r in reqs if r["ip.dst"] != "127.0.0.10"]
        assert len(clients) == 8 and len(hops) == 12, (len(clients), len(hops), reqs)
        for c in clients:
            first = c["ewsflow.mailbox"].split(",")[0]
            assert c["ewsflow.request.path"] in ("client-ews", "client-owa"), c
            if first in LAB_CLIENTS:
                who, src, path = LAB_CLIENTS[first]
                assert (c["ewsflow.requester"], c["ewsflow.requester.source"], c["ewsflow.request.path"]) == (who, src, path), c
            else:   # the two lookups of y5 in flight together
                assert first == "y5@fabrikam.com" and c["ewsflow.requester"] in ("CONTOSO\\alice", "CONTOSO\\grace"), c
        for h in hops:
            m = h["ewsflow.mailbox"]
            assert h["ewsflow.request.path"] == LAB_PATHS[m], ("path", extra, h)
            link = by_frame.get(h["ewsflow.client_request_in"])
            assert link and m in link["ewsflow.mailbox"].split(","), ("link", h)
            assert h["ewsflow.requester"], ("requester carried to the hop", h)
        # the two lookups of y5: the second hop's link is a guess and says so
        y5 = [h for h in hops if h["ewsflow.mailbox"] == "y5@fabrikam.com"]
        assert [bool(h["ewsflow.client_request_in.uncertain"]) for h in y5] == [False, True], y5
        # only the sharing-subscription hops are personal-relationship
        assert sorted(h["ewsflow.mailbox"] for h in hops if h["ewsflow.request.path"] == "personal-relationship") == \
            ["y2@fabrikam.com", "y2@fabrikam.com"], hops
    # NTLM NEGOTIATE legs on hops carry no body: they are no lookups and take their request's path (-2)
    neg = rows(fields(capture, 'http.authorization contains "NTLM TlRMTVNTUAAB" && ip.dst != 127.0.0.10',
                      ["frame.number", "ewsflow.request.path", "ewsflow.evidence", "ewsflow.client_request_in"], extra=["-2"]))
    assert len(neg) == 2 and all(n["ewsflow.client_request_in"] == "" and "authentication handshake" in n["ewsflow.evidence"]
                                 for n in neg), neg
    assert [n["ewsflow.request.path"] for n in neg] == ["address-space-peruser", "address-space-orgwide"], neg
    # stories: one per failed target, each naming its hop's path and how it ended
    want = {"y2@fabrikam.com": ("personal-relationship", ["'s lookup went", "sharing subscription", "on a receive"]),
            "t1@tailspin.com": ("address-space-peruser", ["CONTOSO\\bob", "Get-AvailabilityAddressSpace", "reset"]),
            "t2@tailspin.com": ("address-space-orgwide-basic", ["before the request body was sent", "on a send"]),
            "o1@northwind.com": ("oauth-intraorg", ["HTTP 401", "x-ms-diagnostics", "audience claim"]),
            "y5@fabrikam.com": ("org-relationship", ["CONTOSO\\grace", "link uncertain: 2 lookups"])}
    for extra in ([], ["-2"]):
        st = rows(fields(capture, "ewsflow.story", ["frame.number", "ewsflow.hop.path", "ewsflow.story"], extra=extra))
        assert len(st) == 6, st
        for s_ in st:
            mbx = s_["ewsflow.story"].split(":")[0]
            path, words = want[mbx]
            assert s_["ewsflow.hop.path"] == path, s_
            for w_ in words:
                assert w_ in s_["ewsflow.story"], (w_, s_["ewsflow.story"])
        assert sorted(s_["ewsflow.story"].split("'s lookup")[0] for s_ in st if s_["ewsflow.story"].startswith("y2@")) == [
            "y2@fabrikam.com: CONTOSO\\alice", "y2@fabrikam.com: frank@contoso.com"], st   # the Basic client and the OWA one
    # resets: every hop reset is attributed to its request; the teardown reset after the last answer is blamed on nothing
    rst = rows(fields(capture, "tcp.flags.reset == 1 && ewsflow", ["frame.number", "ewsflow.request_in", "ewsflow.reset.request_path",
                                                                             "_ws.expert.message"]))
    attributed = [r for r in rst if r["ewsflow.request_in"]]
    assert sorted(r["ewsflow.reset.request_path"] for r in attributed) == sorted(
        ["personal-relationship", "address-space-peruser", "address-space-orgwide-basic", "personal-relationship", "org-relationship"]), rst
    # the servers reset before answering: over TLS a NewSessionTicket after the request is no part of a response
    assert all("before any response" in r["_ws.expert.message"] for r in attributed), attributed
    teardown = [r for r in rst if not r["ewsflow.request_in"]]
    assert len(teardown) >= 1 and all("forcibly" not in r["_ws.expert.message"] for r in teardown), teardown


def test_encrypted_hops():
    """ews-lab-serverside.pcapng: the lab over TLS with only the client leg's keys, as on an Exchange server:
    every hop is encrypted. Unanswered encrypted requests, failed handshakes (an alert, a certificate the
    proxying server rejects), an answered hop carrying the error inside, and distractors (a connection with
    no request, an unrelated host before any lookup) -- on the RST/FIN/alert frames and in the stories."""
    cap_ = "ews-lab-serverside.pcapng"
    for extra in ([], ["-2"]):
        ends = rows(fields(cap_, "ewsflow.tls", ["frame.number", "ewsflow.tls", "ewsflow.tls.sni", "ewsflow.tls.client_records",
                                                 "ewsflow.tls.alert", "ewsflow.tls.story_in", "_ws.expert.message"], extra=extra))
        by = {}
        for e in ends:
            by.setdefault((e["ewsflow.tls.sni"], e["ewsflow.tls"]), []).append(e)
        unanswered = "encrypted request left unanswered"
        assert len(by[("mail.fabrikam.com", unanswered)]) == 3, ends        # y2 twice (Basic and OWA clients), y5
        assert len(by[("mail.tailspin.com", unanswered)]) == 2, ends        # t1 (after its NTLM 401), t2 (Expect, headers only)
        assert [e["ewsflow.tls.alert"] for e in by[("mail.litware.com", "handshake failed: TLS alert")]] == ["protocol_version"], ends
        assert len(by[("mail.adatum.com", "client left after the handshake without a request")]) == 1, ends
        assert by[("mail.northwind.com", "answered (encrypted), then ended")], ends
        for e in by[("mail.fabrikam.com", unanswered)] + by[("mail.tailspin.com", unanswered)]:
            assert "Encrypted request to" in e["_ws.expert.message"] and "with no answer" in e["_ws.expert.message"], e
        # the NTLM hop: two requests on one connection, the second (with the body) unanswered after the first's 401
        assert any(e["ewsflow.tls.client_records"] == "2" for e in by[("mail.tailspin.com", unanswered)]), ends
        # distractors: never named by a story
        for key, es in by.items():
            if key[0] == "updates.example.net":
                assert all(not e["ewsflow.tls.story_in"] for e in es), es
        if extra:   # -2: the ends know which error they explain
            for key in (("mail.litware.com", "handshake failed: TLS alert"), ("mail.adatum.com", "client left after the handshake without a request")):
                assert all(e["ewsflow.tls.story_in"] for e in by[key]), by[key]
        st = rows(fields(cap_, "ewsflow.story", ["frame.number", "ewsflow.story"], extra=extra))
        stories = [x for r in st for x in r["ewsflow.story"].split("|")]
        want = {"y2@fabrikam.com": ["encrypted connection", "mail.fabrikam.com", "reset the connection", "forcibly closed",
                                    "routing path cannot be read",
                                    # other lookups to that host got through: the difference is this lookup's
                                    "an earlier encrypted connection to mail.fabrikam.com", "was answered"],
                "t1@tailspin.com": ["CONTOSO\\bob", "mail.tailspin.com", "2 records"],
                "t2@tailspin.com": ["carol@contoso.com", "mail.tailspin.com", "no answer",
                                    "an earlier encrypted connection to mail.tailspin.com", "failed the same way"],
                "h1@adatum.com": ["mail.adatum.com", "did not accept the certificate", "Could not establish trust"],
                "h2@litware.com": ["mail.litware.com", "TLS alert protocol_version", "TLS versions"],
                "o1@northwind.com": ["mail.northwind.com", "answered it", "HTTP status 401"],
                "y5@fabrikam.com": ["CONTOSO\\grace", "mail.fabrikam.com"]}
        assert len(stories) == 8, stories
        for story in stories:
            for w_ in want[story.split(":")[0]]:
                assert w_ in story, (w_, story)
        assert not any("updates.example.net" in x for x in stories), stories
    # the report still lists every client lookup (the hops are encrypted: none of theirs)
    rep = tshark(["-r", cap(cap_), "-q", "-z", "ewsflow,lookups"])
    assert "EWS free/busy lookups (ewsflow): 9" in rep, rep


def test_seed_single_pass():
    """One pass, the way a script runs it: the reset and the story are on the later frames."""
    r = rows(fields("ews-seed.pcap", "ewsflow.reset", ["frame.number", "ewsflow.request_in", "ewsflow.reset.request_path",
                                                        "ewsflow.mailbox", "ewsflow.reset_after", "ewsflow.reset.by", "_ws.expert.message",
                                                        "ewsflow.hint"]))
    assert len(r) == 1, r
    rst = r[0]
    assert rst["ewsflow.request_in"] == "37" and rst["ewsflow.reset.request_path"] == "personal-relationship", rst
    assert rst["ewsflow.mailbox"] == "y1@fabrikam.com" and rst["ewsflow.reset.by"] == "server", rst
    assert abs(float(rst["ewsflow.reset_after"]) - 0.003) < 0.0005, rst
    assert "forcibly closed" in rst["_ws.expert.message"] and "sharing subscription" in rst["ewsflow.hint"], rst
    r = rows(fields("ews-seed.pcap", "ewsflow.story", ["frame.number", "ewsflow.hop_in", "ewsflow.hop.path", "ewsflow.story"]))
    assert len(r) == 1 and r[0]["frame.number"] == "54", r
    st = r[0]
    assert st["ewsflow.hop_in"] == "37" and st["ewsflow.hop.path"] == "personal-relationship", st
    for words in ("y1@fabrikam.com", "x1@contoso.com", "personal-relationship", "SharingSecurity", "3 ms", "frame 45",
                  "forcibly closed", "sharing subscription", "explicit calendar permission"):
        assert words in st["ewsflow.story"], (words, st["ewsflow.story"])
    # X2's lookup of Y1 went the organization relationship and needs no story. Each hop is linked
    # from its first bytes (Expect: 100-continue headers, frames 10, 35, 41): in one pass those
    # frames show what was known then (headers only cannot tell the relationships apart)
    r = rows(fields("ews-seed.pcap", "ewsflow.client_request_in", ["frame.number", "ewsflow.client_request_in", "ewsflow.request.path"]))
    assert [(x["frame.number"], x["ewsflow.client_request_in"], x["ewsflow.request.path"]) for x in r] == [
        ("10", "5", "org-relationship"), ("12", "5", "org-relationship"), ("35", "30", "org-relationship"),
        ("37", "30", "personal-relationship"), ("41", "30", "org-relationship"), ("43", "30", "org-relationship")], r


def test_seed_two_passes():
    golden("seed-2pass.txt", fields("ews-seed.pcap", "ewsflow.request.path || ewsflow.reset || ewsflow.story", [
        "frame.number", "ewsflow.path", "ewsflow.request.path", "ewsflow.mailbox", "ewsflow.requester", "ewsflow.reset",
        "ewsflow.reset_in", "ewsflow.request_in", "ewsflow.response_in", "ewsflow.hop_in", "ewsflow.client_request_in",
        "ewsflow.story"], extra=["-2"]))
    r = rows(fields("ews-seed.pcap", "frame.number == 37", ["ewsflow.reset", "ewsflow.reset_in", "ewsflow.reset_after"], extra=["-2"]))
    assert r[0]["ewsflow.reset"] == "1" and r[0]["ewsflow.reset_in"] == "45", r
    # and the GUI's view: the tree of the request frame
    tree = tshark(["-2", "-r", cap("ews-seed.pcap"), "-Y", "frame.number == 37", "-O", "ewsflow"])
    assert "This personal-relationship request was reset in frame 45, 3 ms later" in tree, tree


def test_seed_report_single_pass():
    golden("seed-report.txt", tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,lookups"]))
    two = tshark(["-2", "-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,lookups"])
    assert two == tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,lookups"])
    filtered = tshark(["-r", cap("ews-seed.pcap"), "-q", "-z", "ewsflow,lookups,ip.dst==10.1.0.20"])
    assert "lookups (ewsflow): 3" in filtered, filtered


def test_reset_cases():
    r = rows(fields("ews-resets.pcap", "ewsflow.reset || ewsflow.closed_in || ewsflow.request_in",
                    ["frame.number", "tcp.stream", "ewsflow.request_in", "ewsflow.reset.partial_response_bytes",
                     "ewsflow.reset.duplicate_of", "_ws.expert.message"]))
    by_stream = {}
    for x in r:
        by_stream.setdefault(x["tcp.stream"], []).append(x)
    # a. two outstanding requests, one reset
    assert len(by_stream["0"]) == 1 and by_stream["0"][0]["ewsflow.request_in"] == "6|8", by_stream["0"]
    # b. cut off mid-response
    assert by_stream["1"][0]["ewsflow.reset.partial_response_bytes"] == "2920", by_stream["1"]
    assert "after part of the response" in by_stream["1"][0]["_ws.expert.message"]
    # c. reset after a complete response: no request named, a note instead of a warning
    assert by_stream["2"][0]["ewsflow.request_in"] == "" and "no lookup was lost" in by_stream["2"][0]["_ws.expert.message"], by_stream["2"]
    # d. FIN without a response
    assert by_stream["3"][0]["ewsflow.request_in"] == "37" and "without answering" in by_stream["3"][0]["_ws.expert.message"], by_stream["3"]
    # e. a retransmitted reset names the first one and no request
    e = by_stream["4"]
    assert len(e) == 2 and e[0]["ewsflow.request_in"] == "48" and e[1]["ewsflow.reset.duplicate_of"] == e[0]["frame.number"], e
    # f. headers only (Expect: 100-continue), HTTP never completed the request
    f = by_stream["5"]
    assert f[-1]["ewsflow.request_in"] == "54" and "body never sent" in f[-1]["_ws.expert.message"], f
    golden("resets-report.txt", tshark(["-r", cap("ews-resets.pcap"), "-q", "-z", "ewsflow,lookups"]))


def test_resets_from_the_real_tcp_stack():
    r = rows(fields("ews-real-reset.pcap", "ewsflow.reset", ["ewsflow.request_in", "ewsflow.reset.request_path", "ewsflow.mailbox",
                                                               "ewsflow.reset.by"]))
    got = [(x["ewsflow.reset.request_path"], x["ewsflow.mailbox"], x["ewsflow.reset.by"]) for x in r]
    assert ("personal-relationship", "y1@fabrikam.com", "server") in got, got
    assert any(m == "y3@fabrikam.com" for _, m, _ in got), got
    r = rows(fields("ews-real-reset.pcap", "ewsflow.request.path", ["ewsflow.mailbox", "ewsflow.response_in"], extra=["-2"]))
    assert any(x["ewsflow.mailbox"] == "y2@fabrikam.com" and x["ewsflow.response_in"] for x in r), r


def segment_variant_capture(path, variant):
    """Hop requests answered by a bare ACK or part of a response, then reset, on links where a
    segment's length is easy to misread: Ethernet padding after short IPv4 frames, a VLAN tag
    with a trailer, IPv4 options, IPv6, IPv6 with an extension header."""
    sys.path.insert(0, ARGS.captures)
    import struct
    import ewsbodies as B
    from pcapgen import Flow, Pcap, http_request, _ip

    class VariantPcap(Pcap):
        def frame(self, ts, src, dst, sport, dport, flags, seq, ack, payload=b"", win=65535):
            tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, win, 0, 0) + payload
            if variant.startswith("ipv6"):
                body, nh = tcp, 6
                if variant == "ipv6-ext":   # hop-by-hop options, then TCP
                    body, nh = bytes([6, 0]) + b"\x01\x04\x00\x00\x00\x00" + tcp, 0
                ip, et = struct.pack("!IHBB", 0x60000000, len(body), nh, 64) + b"\xfd" + bytes(11) + _ip(src) + b"\xfd" + bytes(11) + _ip(dst) + body, b"\x86\xdd"
            else:
                opts = b"\x01\x01\x01\x00" if variant == "ipv4-options" else b""
                ihl = 5 + len(opts) // 4
                ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(tcp), 1, 0x4000, 64, 6, 0, _ip(src), _ip(dst)) + opts + tcp
                et = b"\x08\x00"
            vlan = b"\x81\x00\x00\x05" if variant == "vlan-trailer" else b""
            pkt = b"\x00\x15\x5d\x00\x00\x02\x00\x15\x5d\x00\x00\x01" + vlan + et + ip
            if variant == "vlan-trailer":
                pkt += b"\xde\xad\xbe\xef"
            pkt += b"\xa5" * max(0, 60 - len(pkt))   # Ethernet padding (not zeros)
            self.frames.append((int(round(ts * 1e6)), len(self.frames), pkt))

    p = VariantPcap(path)
    hop = http_request("/EWS/Exchange.asmx", [("Host", "mail.fabrikam.com"), ("Content-Type", "text/xml; charset=utf-8"),
                                              ("SOAPAction", '"%s"' % B.GUA_ACTION)], B.client_request(["y1@fabrikam.com"]))
    part = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 5000\r\n\r\n" + b"<" * 100
    a = Flow(p, "10.0.0.10", 40001, "10.1.0.20", 80, 1795100000.0)
    a.send(True, hop)                  # the server only acknowledges it (a bare ACK) ...
    a.rst(False, dt=0.01)              # ... and resets
    b = Flow(p, "10.0.0.10", 40002, "10.1.0.20", 80, 1795100001.0)
    b.send(True, hop)
    b.send(False, part, dt=0.01)       # part of a response, then a reset
    b.rst(False, dt=0.01)
    p.close()
    return len(part)


def test_segment_lengths_without_tcp_len():
    """ewsflow takes a segment's length from TCP's tap, or, on a pass that runs no taps (tshark -2's
    first), from the IP header rather than priming tcp.len: padding and trailers are not response
    bytes, IPv6 and IP options are measured right."""
    out = tempfile.mkdtemp(prefix="ewsfb-links-")
    try:
        os.chmod(out, 0o755)
        for variant in ("padded", "vlan-trailer", "ipv4-options", "ipv6", "ipv6-ext"):
            path = os.path.join(out, variant + ".pcap")
            part = segment_variant_capture(path, variant)
            os.chmod(path, 0o644)
            for passes in ([], ["-2"]):
                r = rows(fields(path, "ewsflow.reset", ["tcp.stream", "ewsflow.request_in", "ewsflow.reset.partial_response_bytes",
                                                         "_ws.expert.message"], extra=passes))
                got = {x["tcp.stream"]: x for x in r}
                assert set(got) == {"0", "1"}, (variant, passes, r)
                assert got["0"]["ewsflow.request_in"] and got["0"]["ewsflow.reset.partial_response_bytes"] == "", (variant, passes, got["0"])
                assert "before any response" in got["0"]["_ws.expert.message"], (variant, passes, got["0"])
                assert got["1"]["ewsflow.reset.partial_response_bytes"] == str(part), (variant, passes, part, got["1"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_icmp_quoted_reset_is_no_reset():
    """A router's ICMP error quoting the connection's own TCP header (here with RST set) is no
    segment of the connection: only the server's real reset ends the request, in both modes."""
    sys.path.insert(0, ARGS.captures)
    import struct
    import ewsbodies as B
    from pcapgen import Flow, Pcap, http_request, _ip, RST, ACK
    out = tempfile.mkdtemp(prefix="ewsfb-icmp-")
    try:
        os.chmod(out, 0o755)
        path = os.path.join(out, "icmp.pcap")
        p = Pcap(path)
        hop = http_request("/EWS/Exchange.asmx", [("Host", "mail.fabrikam.com"), ("Content-Type", "text/xml; charset=utf-8"),
                                                  ("SOAPAction", '"%s"' % B.GUA_ACTION)], B.client_request(["y1@fabrikam.com"]))
        f = Flow(p, "10.0.0.10", 40001, "10.1.0.20", 80, 1795100000.0)
        f.send(True, hop)
        # host unreachable from a router, quoting an IPv4 header and a whole TCP header
        quoted_tcp = struct.pack("!HHIIBBHHH", 40001, 80, f.cseq, f.sseq, 5 << 4, RST | ACK, 65535, 0, 0)
        quoted = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 7, 0x4000, 64, 6, 0, _ip("10.0.0.10"), _ip("10.1.0.20")) + quoted_tcp
        icmp = struct.pack("!BBHI", 3, 1, 0, 0) + quoted
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 9, 0, 64, 1, 0, _ip("10.1.0.1"), _ip("10.0.0.10")) + icmp
        p.frames.append((int(round((f.t + 0.005) * 1e6)), len(p.frames),
                         b"\x00\x15\x5d\x00\x00\x01\x00\x15\x5d\x00\x00\x03\x08\x00" + ip))
        f.rst(False, dt=0.02)
        p.close()
        os.chmod(path, 0o644)
        for passes in ([], ["-2"]):
            r = rows(fields(path, "tcp.flags.reset == 1", ["frame.number", "icmp.type", "ewsflow.reset", "ewsflow.request_in"], extra=passes))
            assert [x["icmp.type"] for x in r] == ["3", ""], (passes, r)
            assert r[0]["ewsflow.reset"] == "" and r[1]["ewsflow.reset"] and r[1]["ewsflow.request_in"], (passes, r)
    finally:
        shutil.rmtree(out, ignore_errors=True)


# ---- OWA JSON, Autodiscover, OAuth ---------------------------------------------------------

def test_owa_json():
    golden("owa-fields.txt", fields("ews-owa.pcap", "ews", [
        "frame.number", "_ws.col.Info", "ews.operation", "ews.message_type", "ews.mailbox", "ews.window.start", "ews.interval",
        "ews.view.requested", "ews.hdr.request_server_version", "ews.hdr.timezone_id", "ews.response.class", "ews.response.code",
        "ews.owa.response.class", "ews.owa.response.code",
        "ews.error.exception_type", "ews.error.server", "ews.error.response_source", "ews.error.inner", "ews.view.type",
        "ews.merged_freebusy.run", "ews.event.busy_type", "ews.event.subject", "ews.event.location", "ews.working_hours.day",
        "ews.hdr.server_version", "ews.request_in", "_ws.expert.message"]))
    # one filter finds the failure in SOAP and in JSON alike
    for c in ("ews-basic.pcap", "ews-owa.pcap", "ews-tls-h2.pcapng"):
        r = rows(fields(c, 'ews.response.code == "ErrorProxyRequestProcessingFailed"', ["frame.number", "ews.error.inner"]))
        assert r and all("forcibly closed" in x["ews.error.inner"] for x in r), (c, r)
    # other JSON is Wireshark's, and broken availability JSON says why
    r = rows(fields("ews-owa.pcap", "json && !ews", ["frame.number"]))
    assert len(r) == 2, r
    r = rows(fields("ews-owa.pcap", "ews.malformed", ["frame.number", "_ws.expert.message"]))
    msgs = " ".join(x["_ws.expert.message"] for x in r)
    assert "truncated" in msgs and "nested too deeply" in msgs, r
    assert tshark(["-r", cap("ews-owa.pcap"), "-V"]).count("JavaScript Object Notation") == 2       # the non-EWS JSON bodies
    assert tshark(["-r", cap("ews-owa.pcap"), "-V", "-o", "ews.xml_tree:always"]).count("JavaScript Object Notation") >= 4
    # newer OWA: no body, the JSON URL-encoded in X-OWA-UrlPostData; paired with its response in both modes
    for passes in ([], ["-2"]):
        r = rows(fields("ews-owa.pcap", 'ews.mailbox == "y3@fabrikam.com"', ["frame.number", "ews.message_type", "ews.request_in",
                                                                            "ews.response_in", "ewsflow.request.path"], extra=passes))
        assert [x["ews.message_type"] for x in r] == ["request", "response"], r
        assert r[1]["ews.request_in"] == r[0]["frame.number"] and r[0]["ewsflow.request.path"] == "client-owa", r
        if passes:
            assert r[0]["ews.response_in"] == r[1]["frame.number"], r


def test_autodiscover():
    golden("discovery-fields.txt", fields("ews-discovery.pcap", "ews", [
        "frame.number", "_ws.col.Info", "ews.operation", "ews.autodiscover.email", "ews.autodiscover.action",
        "ews.autodiscover.redirect_addr", "ews.autodiscover.protocol.type", "ews.autodiscover.as_url", "ews.autodiscover.error_code",
        "ews.autodiscover.requested_setting", "ews.autodiscover.setting.name", "ews.autodiscover.setting.value",
        "ews.autodiscover.application_uri", "ews.autodiscover.token_issuer.endpoint", "ews.wstrust.applies_to.address",
        "ews.wstrust.claim", "ews.request_in"]))
    # the hops went to URLs an Autodiscover answer handed out, and say so
    r = rows(fields("ews-discovery.pcap", "ewsflow.autodiscover_in && !ewsflow.request.incomplete",
                    ["frame.number", "ewsflow.request.path", "ewsflow.autodiscover_in", "ewsflow.evidence"]))
    got = {(x["ewsflow.request.path"], x["ewsflow.autodiscover_in"]) for x in r}
    assert ("address-space-peruser", "6") in got and ("org-relationship", "43") in got, r
    assert all("Autodiscover answer in frame" in x["ewsflow.evidence"] for x in r), r


def test_oauth():
    r = {x["frame.number"]: x for x in rows(fields("ews-discovery.pcap", "ewsflow.oauth || ewsflow.oauth.challenge || ewsflow.oauth.diagnostics", [
        "frame.number", "ewsflow.oauth.empty", "ewsflow.oauth.aud", "ewsflow.oauth.iss", "ewsflow.oauth.nii", "ewsflow.oauth.appid",
        "ewsflow.oauth.smtp", "ewsflow.oauth.nbf", "ewsflow.oauth.exp", "ewsflow.oauth.actor", "ewsflow.oauth.s2s", "ewsflow.oauth.alg",
        "ewsflow.oauth.challenge.client_id", "ewsflow.oauth.diagnostics.code", "ewsflow.oauth.diagnostics.category",
        "ewsflow.request.path", "_ws.expert.message"]))}
    assert r["83"]["ewsflow.oauth.empty"] == "1", r["83"]
    assert r["85"]["ewsflow.oauth.challenge.client_id"] == "00000002-0000-0ff1-ce00-000000000000", r["85"]
    assert r["85"]["ewsflow.oauth.diagnostics.code"] == "2000003" and r["85"]["ewsflow.oauth.diagnostics.category"] == "invalid_resource"
    t = r["88"]
    assert t["ewsflow.oauth.aud"].startswith("00000002-0000-0ff1-ce00-000000000000/outlook.office365.com@"), t
    assert t["ewsflow.oauth.actor"] == "1" and t["ewsflow.oauth.s2s"] == "1" and t["ewsflow.oauth.alg"] == "RS256", t
    assert t["ewsflow.oauth.smtp"] == "x1@contoso.com" and t["ewsflow.oauth.nii"] == "urn:federation:MicrosoftOnline", t
    assert t["ewsflow.oauth.nbf"].startswith("Nov 18, 2026") and t["ewsflow.oauth.request.path" if False else "ewsflow.request.path"] == "oauth-intraorg", t
    assert "invalid base64url" in r["94"]["_ws.expert.message"], r["94"]
    # the signature is never shown by the plugin (HTTP itself prints the header line)
    tree = without_ewsflow(tshark(["-r", cap("ews-discovery.pcap"), "-Y", "frame.number == 88", "-V"]))
    full = tshark(["-r", cap("ews-discovery.pcap"), "-Y", "frame.number == 88", "-V"])
    assert full.count("c2lnbmF0dXJlLW5vdC1zaG93bg") == tree.count("c2lnbmF0dXJlLW5vdC1zaG93bg"), "signature shown by ewsflow"


# ---- Fiddler session archives and HAR files (the file reader plugin) ----------------------

def net_time(s):
    """.NET round-trip time ("2025-08-30T11:33:40.2713745-07:00") as epoch seconds."""
    import datetime
    m = re.match(r"(\d+-\d+-\d+T\d+:\d+:\d+)(?:\.(\d+))?([+-]\d\d:\d\d|Z)$", s)
    base = datetime.datetime.fromisoformat(m.group(1) + (m.group(3) if m.group(3) != "Z" else "+00:00"))
    return base.timestamp() + (int((m.group(2) or "0").ljust(7, "0")[:7]) / 1e7)


def test_fiddler_archives_made_by_fiddler():
    """Archives Fiddler itself wrote (joelverhagen/SAZ's test data, MIT; Office-Inspectors-for-Fiddler's WOPI
    trace, MIT): every session becomes a request and its response on a TCP connection, with the archive's
    metadata as ewsfile fields, at the times its timers give, on the proxy's egress port."""
    r = rows(fields("saz/httpbin-test.saz", "http.request", ["frame.number", "frame.time_epoch", "http.request.method",
                                                               "http.request.uri", "ewsfile.session", "ewsfile.sid",
                                                               "ewsfile.process", "ewsfile.egress_port", "tcp.srcport",
                                                               "ewsfile.tls", "ewsfile.tls_version"]))
    assert [x["ewsfile.session"] for x in r] == ["1", "2", "3", "4", "5", "6"], r
    assert [x["ewsfile.sid"] for x in r] == ["2", "72", "76", "79", "83", "99"], r
    assert r[0]["http.request.uri"] == "https://httpbin.org/get" and r[5]["http.request.method"] == "POST", r
    for x in r:
        assert x["ewsfile.process"] == "msedge:12140" and x["ewsfile.tls"] == "1" and x["ewsfile.tls_version"] == "Tls12", x
        assert x["ewsfile.egress_port"] == x["tcp.srcport"], x       # matches a capture of the same moment
    # the first request went out when Fiddler began sending it (FiddlerBeginRequest in raw/1_m.xml)
    assert abs(float(r[0]["frame.time_epoch"]) - net_time("2025-08-30T11:33:40.2713745-07:00")) < 1e-6, r[0]
    resp = rows(fields("saz/httpbin-test.saz", "http.response", ["http.response.code", "ewsfile.time.total", "http.request_in"]))
    assert [x["http.response.code"] for x in resp] == ["200"] * 6, resp
    assert all(x["ewsfile.time.total"] and x["http.request_in"] for x in resp), resp
    # two sessions on one kept-alive server connection share a TCP stream
    streams = rows(fields("saz/httpbin-test.saz", "http.request", ["tcp.stream"]))
    assert len({x["tcp.stream"] for x in streams}) == 4, streams
    img = rows(fields("saz/images.saz", "http.response", ["http.content_type"]))
    assert [x["http.content_type"] for x in img] == ["image/jpeg", "image/png", "image/webp"], img
    # Fiddler 4 and 5 archives with CONNECT tunnels and aborted uploads (408 "Request body incomplete")
    w = rows(fields("saz/office-wopi.saz", "ewsfile.end != 0 || ewsfile.tunnel", ["ewsfile.session", "ewsfile.end",
                                                                                  "ewsfile.tunnel", "ewsfile.failure", "tcp.flags.fin"]))
    tunnels = [x for x in w if x["ewsfile.tunnel"] == "1"]
    aborted = [x for x in w if x["ewsfile.end"] == "4" and x["tcp.flags.fin"] == "1"]
    assert len(tunnels) >= 10 and all(x["ewsfile.end"] == "7" for x in tunnels), w
    assert [x["ewsfile.session"] for x in aborted] == ["39", "41", "43", "45"], w
    assert all(x["ewsfile.failure"].startswith("The request body did not contain") for x in aborted), aborted
    codes = tshark(["-r", cap("saz/office-wopi.saz"), "-Y", "http.response.code == 408 || http.response.code == 502"])
    assert codes.strip() == "", "Fiddler's own 408/502 shown as the server's answer:\n" + codes


def test_fiddler_seed_case():
    """ews-seed-owa.saz (make_saz.py, zipped by Info-ZIP): the seed case as a Fiddler trace of OWA. The proxy
    error's story says the trace holds only the client's side; Fiddler's own 504/502 responses are the reset,
    refused and unanswered connections they stand for, and ewsflow treats them as such, in one pass and in two."""
    for extra in ([], ["-2"]):
        st = rows(fields("ews-seed-owa.saz", "ewsflow.story", ["ewsflow.story"], extra=extra))
        assert len(st) == 1 and st[0]["ewsflow.story"].startswith("y1@fabrikam.com: x1@contoso.com's lookup failed"), st
        assert "records only what the client sent and received" in st[0]["ewsflow.story"], st
        assert "Capture on the Exchange server" in st[0]["ewsflow.story"], st
        rst = rows(fields("ews-seed-owa.saz", "ewsflow.reset && tcp.flags.reset == 1", ["ewsflow.request_in", "ewsflow.mailbox", "ewsfile.session",
                                                               "ewsfile.failure", "tcp.flags.reset"], extra=extra))
        assert len(rst) == 1 and rst[0]["ewsflow.mailbox"] == "y3@fabrikam.com" and rst[0]["ewsfile.session"] == "5", rst
        assert rst[0]["ewsfile.failure"].startswith("[Fiddler] ReadResponse() failed") and rst[0]["tcp.flags.reset"] == "1", rst
        req = rows(fields("ews-seed-owa.saz", "frame.number == %s" % rst[0]["ewsflow.request_in"], ["ews.mailbox"], extra=extra))
        assert req[0]["ews.mailbox"] == "y3@fabrikam.com", req
    ends = rows(fields("ews-seed-owa.saz", "ewsfile.role == 5 || ewsfile.role == 6",
                       ["ewsfile.session", "ewsfile.end", "tcp.flags.syn", "tcp.flags.reset", "tcp.flags.fin", "ewsfile.failure"]))
    by = {x["ewsfile.session"]: x for x in ends}
    assert by["1"]["ewsfile.end"] == "7" and not by["1"]["tcp.flags.syn"], by                 # CONNECT: a note, no packet
    assert by["6"]["ewsfile.end"] == "5" and by["6"]["tcp.flags.reset"] == "1", by             # refused: SYN answered by RST
    assert "The connection to 'autodiscover.fabrikam.com' failed" in by["6"]["ewsfile.failure"], by
    assert by["7"]["ewsfile.end"] == "4" and by["7"]["tcp.flags.fin"] == "1", by               # aborted, no _s.txt
    assert by["8"]["ewsfile.end"] == "6" and by["8"]["tcp.flags.syn"] == "1", by               # TimedOut: a lone SYN
    codes = tshark(["-r", cap("ews-seed-owa.saz"), "-Y", "http.response.code >= 500"])
    assert codes.strip() == "", "Fiddler's own 502/504 shown as the server's answer:\n" + codes
    rep = tshark(["-r", cap("ews-seed-owa.saz"), "-q", "-z", "ewsflow,lookups"])
    assert "EWS free/busy lookups (ewsflow): 4" in rep and "RESET by server" in rep, rep
    # chunked responses decode; the lookups pair
    ok = rows(fields("ews-seed-owa.saz", "ews.response", ["ews.mailbox", "ews.response.code"]))
    assert [x["ews.mailbox"] for x in ok] == ["x2@contoso.com", "y1@fabrikam.com|y2@fabrikam.com"], ok
    # Save As pcapng keeps everything (the records are exported PDUs)
    out = tempfile.mkdtemp(prefix="ewsfb-saz-")
    try:
        os.chmod(out, 0o777)
        tshark(["-r", cap("ews-seed-owa.saz"), "-w", os.path.join(out, "seed.pcapng")])
        a = tshark(["-r", cap("ews-seed-owa.saz"), "-T", "fields", "-e", "ews.mailbox", "-e", "ewsflow.reset", "-e", "ewsfile.session"])
        b = tshark(["-r", os.path.join(out, "seed.pcapng"), "-T", "fields", "-e", "ews.mailbox", "-e", "ewsflow.reset", "-e", "ewsfile.session"])
        assert a == b and "y3@fabrikam.com" in a, (a[:500], b[:500])
        # and the archive is what make_saz.py writes: the same frames from a fresh one
        subprocess.run([sys.executable, cap("make_saz.py"), os.path.join(out, "fresh.saz")], check=True)
        c = tshark(["-r", os.path.join(out, "fresh.saz"), "-T", "fields", "-e", "frame.time_epoch", "-e", "ews.mailbox",
                    "-e", "ewsfile.failure", "-e", "tcp.flags"])
        d = tshark(["-r", cap("ews-seed-owa.saz"), "-T", "fields", "-e", "frame.time_epoch", "-e", "ews.mailbox",
                    "-e", "ewsfile.failure", "-e", "tcp.flags"])
        assert c == d, "ews-seed-owa.saz differs from what make_saz.py writes now: run it and commit"
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_har_recorded_by_chromium():
    """owa-freebusy.har and owa-freebusy-h2.har: Debian's Chromium driven through DevTools (har-lab/), against an
    OWA-like server that resets one lookup's connection. The reset lookup is reset, the proxy error has the
    client-side-only story, the gzip response is decoded, and base64 bodies are bytes again."""
    for har, version in (("owa-freebusy.har", "http/1.1"), ("owa-freebusy-h2.har", "h2")):
        for extra in ([], ["-2"]):
            rst = rows(fields(har, "ewsflow.reset && tcp.flags.reset == 1", ["ewsflow.mailbox", "ewsfile.failure", "ewsflow.reset.by"], extra=extra))
            assert len(rst) == 1 and rst[0]["ewsflow.mailbox"] == "y3@fabrikam.com", (har, rst)
            assert rst[0]["ewsfile.failure"] == "net::ERR_CONNECTION_RESET" and rst[0]["ewsflow.reset.by"] == "server", rst
            st = rows(fields(har, "ewsflow.story", ["ewsflow.story"], extra=extra))
            assert len(st) == 1 and "y1@fabrikam.com" in st[0]["ewsflow.story"] and "only what the client" in st[0]["ewsflow.story"], st
        look = rows(fields(har, "ews.request", ["ews.mailbox", "ewsfile.http_version", "ewsflow.requester", "http.response_in"],
                           extra=["-2"]))
        assert len(look) == 5 and all(x["ewsfile.http_version"] in (version, "") for x in look), look
        assert [x["ewsfile.http_version"] for x in look].count(version) == 4, look      # the reset one has none
        assert all(x["ewsflow.requester"] == "x1@contoso.com" for x in look), look
        assert sum(1 for x in look if x["http.response_in"]) == 4, look                 # all but the reset one
        resp = rows(fields(har, "ews.response", ["ews.mailbox", "http.response.code"]))
        assert ["x4@contoso.com|y2@fabrikam.com" in x["ews.mailbox"] for x in resp].count(True) == 1, resp   # the gzip one
        png = rows(fields(har, "http.content_type == \"image/png\"", ["http.content_length_header", "png.ihdr.width"]))
        assert len(png) == 1 and png[0]["png.ihdr.width"], png
    rep = tshark(["-r", cap("owa-freebusy.har"), "-q", "-z", "ewsflow,lookups"])
    assert "EWS free/busy lookups (ewsflow): 5" in rep and "RESET by server" in rep and "HTTP 500" in rep, rep


def test_hostile_archives():
    """Broken and hostile archives: a clear error naming the cause, bounded memory, nothing written, no crash."""
    work = tempfile.mkdtemp(prefix="ewsfb-hostile-files-")
    os.chmod(work, 0o777)
    try:
        # Fixed times and no extra fields (-X): the same bytes every run. A ZIP holding today's
        # time is now and then taken by stock wiretap's weak "CAM Inspector" heuristic, which
        # would make other.zip open as an empty capture for a reason that is not ours.
        def zipdir(name, files, opts=()):
            d = os.path.join(work, "src-" + name)
            for rel, data in files.items():
                p = os.path.join(d, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "wb") as f:
                    f.write(data)
                os.utime(p, (1795878902, 1795878902))
            subprocess.run(["zip", "-q", "-X", "-r"] + list(opts) + [os.path.join(work, name)] + sorted(files), cwd=d, check=True)
            shutil.rmtree(d)
            return os.path.join(work, name)

        req = b"POST https://mail.contoso.com/EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.contoso.com\r\nContent-Length: 0\r\n\r\n"
        ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        cases = []
        # 300 MiB of zeros in one response: kept to the first 64 MiB, the rest never inflated
        bomb_dir = os.path.join(work, "src-bomb", "raw")
        os.makedirs(bomb_dir)
        with open(os.path.join(bomb_dir, "1_c.txt"), "wb") as f:
            f.write(req)
        with open(os.path.join(bomb_dir, "1_s.txt"), "wb") as f:
            f.write(b"HTTP/1.1 200 OK\r\nContent-Length: 314572800\r\n\r\n")
            chunk = bytes(1 << 20)
            for _ in range(300):
                f.write(chunk)
        subprocess.run(["zip", "-q", "-r", os.path.join(work, "bomb.saz"), "raw"], cwd=os.path.join(work, "src-bomb"), check=True)
        shutil.rmtree(os.path.join(work, "src-bomb"))
        cases.append(("bomb.saz", 0, "cut at 64 MiB"))
        # names that try to leave the folder: only raw/N_c.txt is read, nothing is written
        evil = zipdir("dotdot.saz", {"raw/1_c.txt": req, "raw/1_s.txt": ok})
        import zipfile
        with zipfile.ZipFile(evil, "a") as z:
            z.writestr("../../escaped/2_c.txt", req)
            z.writestr("raw/../../escaped2/3_c.txt", req)
            z.writestr("/tmp/ewsfb-abs/4_c.txt", req)
        cases.append(("dotdot.saz", 0, None))
        whole = zipdir("whole.saz", {"raw/1_c.txt": req, "raw/1_s.txt": ok})
        with open(whole, "rb") as f:
            data = f.read()
        with open(os.path.join(work, "truncated.saz"), "wb") as f:
            f.write(data[: len(data) // 2])
        cases.append(("truncated.saz", 2, "not a readable ZIP archive"))
        zipdir("secret.saz", {"raw/1_c.txt": req, "raw/1_s.txt": ok}, opts=("-P", "hunter2"))
        cases.append(("secret.saz", 2, "password-protected"))
        zipdir("other.zip", {"word/document.xml": b"<x/>"})
        cases.append(("other.zip", 2, "isn't a capture file"))
        zipdir("empty.saz", {"readme.txt": b"hello"})
        cases.append(("empty.saz", 2, "holds no Fiddler sessions"))
        bomb_xml = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
                    b'&lol;&lol;&lol;&lol;&lol;">]><Session SID="&lol2;" BitFlags="0"/>')
        zipdir("xmlbomb.saz", {"raw/1_c.txt": req, "raw/1_s.txt": ok, "raw/1_m.xml": bomb_xml})
        cases.append(("xmlbomb.saz", 0, "metadata ignored: it declares a DTD"))
        har_ok = '{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-11-24T09:15:02.123Z","time":5,'
        for name, text, code, want in (
                ("broken.har", har_ok + '"request":{"method":"GET","url":"http://a/"', 2, "the JSON is broken"),
                ("deep.har", '{"log":' + "[" * 200000 + "]" * 200000 + "}", 2, "nested deeper than 64"),
                ("nolog.har", '{"log":{"version":"1.2"}}', 2, "no log.entries"),
                ("inject.har", har_ok + '"request":{"method":"GET\r\nX-Evil: 1","url":"http://a/x y\r\nX-Evil: 2",'
                 '"httpVersion":"HTTP/1.1","headers":[{"name":"X-Evil\r\nA","value":"b"},{"name":"Ok","value":"v\r\nX-Evil: 3"}]},'
                 '"response":{"status":200,"statusText":"OK\r\nX-Evil: 4","headers":[],"content":{"text":"hi"}},'
                 '"timings":{"send":1,"wait":2,"receive":1}}]}}', 0, None)):
            with open(os.path.join(work, name), "w") as f:
                f.write(text)
            cases.append((name, code, want))
        before = sorted(os.listdir(work))
        # each tshark under a small wrapper whose only child it is: its peak memory, not the test run's
        measure = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
                   "sys.stderr.write('\\nPEAK_KIB %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(p.returncode)")
        peak_mib = 0
        for name, code, want in cases:
            p = subprocess.run([sys.executable, "-c", measure] + WRAP + ["tshark", "-r", os.path.join(work, name), "-T", "fields",
                               "-e", "frame.number", "-e", "ewsfile.note", "-e", "http.request.line", "-e", "http.response.line"],
                               env=ENV, capture_output=True, text=True, errors="replace", cwd=work, timeout=300)
            out, err, rc = p.stdout, p.stderr, p.returncode
            peak_mib = max(peak_mib, int(re.search(r"PEAK_KIB (\d+)", err).group(1)) / 1024)
            assert rc == code, (name, rc, err[-2000:])
            if want:
                assert want in out + err, (name, want, out[-1000:], err[-1000:])
            assert "AddressSanitizer" not in err and "runtime error" not in err, (name, err[-2000:])
            if name == "inject.har":
                assert "X-Evil" not in out, out
            if name == "dotdot.saz":
                assert out.count("\n") == 8, out       # only raw/1: SYN, SYN/ACK, ACK, request, response, FIN, FIN, ACK
        # the bomb dominates: 64 MiB kept, and TCP's reassembly of it (ASan adds its shadow and quarantine)
        limit = 1536 if ARGS.asan else 600
        assert peak_mib < limit, "peak memory %.0f MiB reading the hostile archives (limit %d)" % (peak_mib, limit)
        print("    peak memory over the hostile archives: %.0f MiB" % peak_mib)
        assert sorted(os.listdir(work)) == before, "files appeared: %s" % (set(os.listdir(work)) - set(before))
        for escaped in ("/tmp/ewsfb-abs", os.path.join(os.path.dirname(work), "escaped"), "/escaped"):
            assert not os.path.exists(escaped), escaped
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--update", action="store_true", help="rewrite the golden files from this run")
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("--asan", action="store_true", help="the plugin is an ASan/UBSan build: preload the runtime into tshark")
    ARGS = ap.parse_args()
    tmp = setup(ARGS.plugin, ARGS.asan)
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
