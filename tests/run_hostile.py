#!/usr/bin/env python3
"""The large hostile corpus (fuzz/hostile_corpus.py) through tshark with the fresh plugin and
without it, in the same run: no crash, no sanitizer or EWS dissector-bug report, the expected
expert infos, and cost bounded against stock tshark on the same input: peak memory within
1.25x (+64 MB) and CPU time within 2x (+1 s), asserted for the plain build only (a sanitized
plugin is slow and large by design).

    tests/run_hostile.py --plugin build/ews.so [--flows N] [--asan]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tshark_sandbox import sandbox  # noqa: E402


def runner(plugin, asan):
    tmp, mine, stock, wrap = sandbox(plugin, asan, prefix="ewsfb-hostile-")

    def run(args, use_plugin=True):
        out = tempfile.TemporaryFile()
        err = tempfile.TemporaryFile()
        p = subprocess.Popen(wrap + ["tshark"] + args, env=mine if use_plugin else stock, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), ru
    return tmp, run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--flows", type=int, default=1000000)
    ap.add_argument("--asan", action="store_true")
    a = ap.parse_args()
    corpus = tempfile.mkdtemp(prefix="ewsfb-corpus-")
    subprocess.run([sys.executable, os.path.join(ROOT, "fuzz", "hostile_corpus.py"), corpus, "--flows", str(a.flows)], check=True)
    tmp, run = runner(a.plugin, a.asan)
    fields = ["-T", "fields", "-e", "frame.number", "-e", "ews.mailbox_count", "-e", "ewsflow.path", "-e", "_ws.expert.message"]
    cases = [
        # capture, extra tshark options, texts the plugin's output must hold, stock's own options
        ("bomb.pcap", [], ["DOCTYPE in an EWS body: ignored", "undeclared entity reference (first &l9;) kept as written"]),
        ("bomb-control.pcap", [], []),
        ("body-50mib.pcap", [], ["exceeds the 16777216-byte limit"]),
        ("body-50mib.pcap", ["-o", "ews.max_body_size:100000000"], ["More than 200000 decoded items"]),
        ("mailboxes-100k.pcap", ["-o", "ews.max_body_size:100000000"], ["Exchange accepts at most 100"]),
        ("json-20mib.pcap", ["-o", "ews.max_body_size:100000000"], ["Decoding limit reached"]),
        ("flows-1m.pcap", [], ["More than 100000 HTTP flows in this capture"] if a.flows > 100000 else []),
        # libxml2 compares each attribute with every earlier one of its tag: the tag is never parsed
        ("attrs-100k.pcap", [], ["A start tag with more than 64 attributes at byte"]),
        ("attrs-1m.pcap", [], ["A start tag with more than 64 attributes at byte"]),
        ("pending-200k.pcap", [], ["More than 1000 requests awaiting an answer on this connection",
                                   "and 199000 more outstanding requests, past the 1000 followed"]),
        ("jwt-dots.pcap", [], ["not a JWT: 10002 parts where a signed token has 3", "encrypted JWT (JWE, five parts)"]),
        ("jwt-1mib.pcap", [], ["over the 16384-byte decoding limit"]),
    ]
    passed = failed = 0
    rss = {}
    print("%-22s %-34s %10s %10s %9s %9s" % ("capture", "options", "plugin MB", "stock MB", "plugin s", "stock s"))
    for cap, extra, want in cases:
        path = os.path.join(corpus, cap)
        rc, out, err, ru = run(["-r", path] + extra + fields)
        src, _, serr, sru = run(["-r", path] + fields[:4], use_plugin=False)
        problems = []
        if rc != 0:
            problems.append("exit %d" % rc)
        for bad in ("AddressSanitizer", "runtime error:", "Dissector bug, protocol EWS"):   # EWS and EWSFLOW
            if bad in err:
                problems.append(bad)
        for w in want:
            if w not in out:
                problems.append("missing %r" % w)
        mine_mb, stock_mb = ru.ru_maxrss / 1024.0, sru.ru_maxrss / 1024.0
        rss[(cap, tuple(extra))] = mine_mb
        # bounded: never more than stock's own dissection of the same input by a margin
        if not a.asan and mine_mb > stock_mb * 1.25 + 64:
            problems.append("memory %.0f MB against stock %.0f MB" % (mine_mb, stock_mb))
        mine_s, stock_s = ru.ru_utime + ru.ru_stime, sru.ru_utime + sru.ru_stime
        # bounded by the input with a small constant: never a parse that grows faster than stock's
        if not a.asan and mine_s > stock_s * 2 + 1:
            problems.append("CPU %.1f s against stock %.1f s" % (mine_s, stock_s))
        print("%-22s %-34s %10.0f %10.0f %9.1f %9.1f %s" % (cap, " ".join(extra)[:34], mine_mb, stock_mb, mine_s, stock_s,
                                                          "FAIL: " + "; ".join(problems) if problems else "ok"))
        if problems:
            failed += 1
        else:
            passed += 1
    # an entity bomb costs no more than a benign body of the same size (nothing is expanded)
    extra_kb = (rss[("bomb.pcap", ())] - rss[("bomb-control.pcap", ())]) * 1024
    ok = extra_kb <= 1024
    print("entity bomb: %+.0f KiB against the same-size benign body (bound 1024 KiB): %s" % (extra_kb, "ok" if ok else "FAIL"))
    passed, failed = passed + ok, failed + (not ok)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
