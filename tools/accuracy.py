#!/usr/bin/env python3
"""Routing accuracy over every bundled capture, the way a user runs tshark (-2, so that each
request shows what the whole capture says). For each capture: requests with a path, how many
match tests/routing-truth.json, false personal-relationship tags, resets attributed to a
request, proxy-failure errors and stories written. Prints a table and exits 1 on any wrong
path or false personal tag.

  tools/accuracy.py --plugin build/ews.so   (ctest runs it as routing-accuracy)
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", default=os.path.join(ROOT, "test-captures"))
    ap.add_argument("--truth", default=os.path.join(ROOT, "tests", "routing-truth.json"))
    ap.add_argument("--asan", action="store_true", help="the plugin is an ASan/UBSan build")
    a = ap.parse_args()
    import run_tshark_tests as T   # its sandbox: the fresh plugin, never an installed copy
    T.ARGS = argparse.Namespace(plugin=os.path.abspath(a.plugin), captures=a.captures, golden=None, update=False, k="")
    tmp = T.setup(T.ARGS.plugin, a.asan)
    try:
        return report(T, a)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(T, a):
    truth = json.load(open(a.truth))
    total = dict(requests=0, right=0, wrong=0, excluded=0, personal_false=0, resets=0, attributed=0, errors=0, stories=0)
    print("%-22s %8s %6s %6s %9s %8s %10s %12s %8s" % ("capture", "requests", "right", "wrong", "excluded", "false-PR",
                                                       "resets", "proxy-errors", "stories"))
    bad = []
    for cap in sorted(truth):
        t = truth[cap]
        reqs = T.rows(T.fields(cap, "ewsflow.request.path", ["frame.number", "ewsflow.request.path"], extra=["-2"]))
        n = dict(requests=len(reqs), right=0, wrong=0, excluded=0, personal_false=0)
        for r in reqs:
            f, got = r["frame.number"], r["ewsflow.request.path"]
            want = t["paths"].get(f)
            if want is None or want == "?":
                n["excluded"] += 1
                continue
            if got == want:
                n["right"] += 1
            else:
                n["wrong"] += 1
                bad.append("%s frame %s: %s, expected %s" % (cap, f, got, want))
            if got == "personal-relationship" and want != got:
                n["personal_false"] += 1
        rst = T.rows(T.fields(cap, "tcp.flags.reset == 1 && ewsflow.reset.request_path", ["frame.number"], extra=["-2"]))
        rst_all = T.rows(T.fields(cap, "tcp.flags.reset == 1 && ewsflow", ["frame.number", "ewsflow.request_in"], extra=["-2"]))
        errs = T.rows(T.fields(cap, 'ews.response.code contains "ErrorProxy" || ews.owa.response.code contains "ErrorProxy"',
                               ["frame.number"], extra=["-2"]))
        st = T.rows(T.fields(cap, "ewsflow.story", ["frame.number"], extra=["-2"]))
        n.update(resets=len(rst_all), attributed=len(rst), errors=len(errs), stories=len(st))
        for k in total:
            total[k] += n[k]
        print("%-22s %8d %6d %6d %9d %8d %6d/%-3d %12d %8d" % (cap, n["requests"], n["right"], n["wrong"], n["excluded"],
                                                              n["personal_false"], n["attributed"], n["resets"], n["errors"], n["stories"]))
    print("%-22s %8d %6d %6d %9d %8d %6d/%-3d %12d %8d" % ("all", total["requests"], total["right"], total["wrong"], total["excluded"],
                                                          total["personal_false"], total["attributed"], total["resets"], total["errors"],
                                                          total["stories"]))
    for b in bad:
        print("WRONG", b)
    return 1 if bad or total["personal_false"] else 0


if __name__ == "__main__":
    sys.exit(main())
