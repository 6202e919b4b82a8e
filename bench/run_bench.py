#!/usr/bin/env python3
"""Benchmark: tshark with the plugin against stock tshark, on the same EWS-heavy capture, in
the same run. Configurations are run alternately, REPS times each; medians are reported with
peak RSS, and the ratios the project targets. Then the capture is made 4x and 16x larger to
show how the cost grows.

    bench/run_bench.py --plugin build/ews.so [--lookups N] [--reps R] [--quick]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from tshark_sandbox import sandbox  # noqa: E402

CONFIGS = [
    # name, uses plugin, tshark arguments after -r CAPTURE
    ("stock fields", False, ["-T", "fields", "-e", "frame.number", "-e", "http.request.uri"]),
    ("plugin fields", True, ["-T", "fields", "-e", "ews.mailbox", "-e", "ewsflow.path"]),
    ("stock -V", False, ["-V"]),
    ("plugin -V", True, ["-V"]),
    ("plugin -2 fields", True, ["-2", "-T", "fields", "-e", "ews.mailbox", "-e", "ewsflow.path"]),
    ("http-only floor", False, ["--disable-protocol", "xml", "--disable-protocol", "json", "-T", "fields", "-e", "frame.number", "-e", "http.request.uri"]),
]
TARGETS = [
    ("plugin fields / stock fields", "plugin fields", "stock fields", 0.5),
    ("plugin -V / stock -V", "plugin -V", "stock -V", 1.15),
    ("plugin fields / http-only floor", "plugin fields", "http-only floor", 1.15),
]


def environment(plugin):
    tmp, mine, stock, wrap = sandbox(plugin, prefix="ewsfb-bench-")
    return tmp, {True: mine, False: stock}, wrap


def measure(envs, wrap, use_plugin, args, cap):
    t0 = time.monotonic()
    p = subprocess.Popen(wrap + ["tshark", "-r", cap] + args, env=envs[use_plugin], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("tshark %s failed" % " ".join(args))
    return wall, ru.ru_maxrss / 1024.0


def instructions(envs, wrap, use_plugin, args, cap, out):
    """Instructions executed, counted by callgrind: the same every run, whatever else the machine does."""
    log = out + ".log"
    subprocess.run(wrap + ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "--log-file=" + log, "tshark", "-r", cap] + args,
                   env=envs[use_plugin], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    with open(log) as f:
        for line in f:
            if "Collected :" in line:
                return int(line.split("Collected :")[1])
    raise SystemExit("no callgrind total for %s" % " ".join(args))


def run_set(envs, wrap, cap, reps, configs):
    times = {c[0]: [] for c in configs}
    rss = {c[0]: 0.0 for c in configs}
    for _ in range(reps):                      # alternate: each rep runs every configuration once
        for name, plug, args in configs:
            w, r = measure(envs, wrap, plug, args, cap)
            times[name].append(w)
            rss[name] = max(rss[name], r)
    return {n: statistics.median(v) for n, v in times.items()}, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--lookups", type=int, default=5000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="small capture, one repetition, no scaling series (CI)")
    ap.add_argument("--serverside", type=int, metavar="CONNECTIONS", default=None,
                    help="TLS connections in the server-side capture (mostly TLS without keys, other HTTP, a little EWS); "
                         "default 20000, 3000 with --quick")
    ap.add_argument("--callgrind", type=int, metavar="LOOKUPS", default=0,
                    help="also count instructions with callgrind on a capture of this many lookups (reproducible ratios)")
    a = ap.parse_args()
    if a.quick:
        a.lookups, a.reps = 300, 1
    if a.serverside is None:
        a.serverside = 3000 if a.quick else 20000
    tmp, envs, wrap = environment(a.plugin)
    try:
        cap = os.path.join(tmp, "bench.pcap")
        subprocess.run([sys.executable, os.path.join(HERE, "make_capture.py"), str(a.lookups), cap], check=True)
        print("capture: %d lookups, %.1f MB; %d repetitions, medians; %s, %d cores" % (
            a.lookups, os.path.getsize(cap) / 1e6, a.reps, os.uname().machine, os.cpu_count()))
        med, rss = run_set(envs, wrap, cap, a.reps, CONFIGS)
        print("\n| configuration | median s | peak RSS MB |")
        print("|---|---:|---:|")
        for name, _, _ in CONFIGS:
            print("| %s | %.2f | %.0f |" % (name, med[name], rss[name]))
        print("\n| ratio | measured | target |")
        print("|---|---:|---:|")
        for label, num, den, target in TARGETS:
            r = med[num] / med[den]
            print("| %s | %.2f | <= %.2f %s |" % (label, r, target, "met" if r <= target else "NOT met"))
        r = rss["plugin fields"] / rss["stock fields"]
        print("| peak RSS plugin fields / stock fields | %.2f | <= 1.05 %s |" % (r, "met" if r <= 1.05 else "NOT met"))
        r = rss["plugin -V"] / rss["stock -V"]
        print("| peak RSS plugin -V / stock -V | %.2f | <= 1.05 %s |" % (r, "met" if r <= 1.05 else "NOT met"))
        if a.callgrind:
            small = os.path.join(tmp, "cg.pcap")
            subprocess.run([sys.executable, os.path.join(HERE, "make_capture.py"), str(a.callgrind), small], check=True)
            ir = {}
            for name, plug, args in CONFIGS:
                if name != "plugin -2 fields":
                    os.chmod(tmp, 0o777)
                    ir[name] = instructions(envs, wrap, plug, args, small, os.path.join(tmp, "cg.out"))
            print("\n| callgrind, %d lookups | instructions | ratio | target |" % a.callgrind)
            print("|---|---:|---:|---:|")
            print("| stock fields | %d | | |" % ir["stock fields"])
            print("| http-only floor | %d | | |" % ir["http-only floor"])
            print("| stock -V | %d | | |" % ir["stock -V"])
            for label, num, den, target in TARGETS:
                r = ir[num] / ir[den]
                print("| %s | %d | %.2f | <= %.2f %s |" % (label, ir[num], r, target, "met" if r <= target else "NOT met"))
        if a.serverside:
            # an Exchange server's own capture: following every TLS connection must not tax it
            ss = os.path.join(tmp, "serverside.pcap")
            subprocess.run([sys.executable, os.path.join(HERE, "make_serverside.py"), str(a.serverside), ss], check=True)
            # stock twice: the spread between two runs of the same thing is the machine's noise,
            # which a time ratio cannot be read more finely than
            pair = [CONFIGS[0], CONFIGS[1], ("stock fields, again", False, CONFIGS[0][2])]
            m, r = run_set(envs, wrap, ss, max(3, a.reps), pair)
            print("\nserver-side capture: %d TLS connections (no keys), %d plain HTTP, %d EWS lookups, %.1f MB" % (
                a.serverside, a.serverside // 10, a.serverside // 20, os.path.getsize(ss) / 1e6))
            print("\n| server-side, -T fields | median s | peak RSS MB |")
            print("|---|---:|---:|")
            for name, _, _ in pair:
                print("| %s | %.2f | %.0f |" % (name, m[name], r[name]))
            tr, rr = m["plugin fields"] / m["stock fields"], r["plugin fields"] / r["stock fields"]
            noise = m["stock fields, again"] / m["stock fields"]
            print("| ratio time | %.3f | <= 1.03 %s |" % (tr, "met" if tr <= 1.03 else "NOT met"))
            print("| ratio time, stock / stock (noise) | %.3f | |" % noise)
            print("| ratio peak RSS | %.3f | <= 1.05 %s |" % (rr, "met" if rr <= 1.05 else "NOT met"))
            if a.callgrind:
                os.chmod(tmp, 0o777)
                ir = {name: instructions(envs, wrap, plug, args, ss, os.path.join(tmp, "cg-ss.out")) for name, plug, args in pair[:2]}
                print("| instructions plugin / stock | %d / %d | %.3f |" % (ir["plugin fields"], ir["stock fields"],
                                                                          ir["plugin fields"] / ir["stock fields"]))
            os.unlink(ss)
        if not a.quick:
            base = None
            print("\n| lookups | plugin fields s | stock fields s | plugin / N-run |")
            print("|---:|---:|---:|---:|")
            for mult in (1, 4, 16):
                big = os.path.join(tmp, "bench-%d.pcap" % mult)
                subprocess.run([sys.executable, os.path.join(HERE, "make_capture.py"), str(a.lookups * mult), big], check=True)
                m, _ = run_set(envs, wrap, big, max(1, a.reps // 2), [CONFIGS[0], CONFIGS[1]])
                base = base or m["plugin fields"]
                print("| %d | %.2f | %.2f | %.1fx (target <= %dx) |" % (a.lookups * mult, m["plugin fields"], m["stock fields"],
                                                                     m["plugin fields"] / base, mult + mult // 16))
                os.unlink(big)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
