#!/usr/bin/env python3
"""Capture-level fuzzing: mutate every test capture with editcap's error option (many seeds,
several error rates, headers kept or not) and dissect each mutant with tshark and the plugin,
the sanitized build preferably. A crash, a sanitizer report or a dissector bug whose report
names the plugin fails the run; anything else tshark itself trips over is counted apart.

    fuzz/mutate_captures.py --plugin build-asan/ews.so --asan --count 2000 [--jobs 2] [--work DIR]
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from tshark_sandbox import sandbox  # noqa: E402
MODES = [["-V"], ["-2", "-T", "fields", "-e", "ews.mailbox", "-e", "ewsflow.path", "-e", "ewsflow.story"],
         ["-q", "-z", "ewsflow,lookups"], ["-T", "fields", "-e", "ews.response.code", "-e", "ewsflow.reset_in"]]
RATES = ["0.002", "0.01", "0.05"]
OURS = re.compile(r"ews\.so|Dissector bug, protocol (EWS|EWSFLOW)")


def setup(plugin, asan):
    tmp, mine, _, wrap = sandbox(plugin, asan, prefix="ewsfb-mut-")
    return tmp, mine, wrap


def one(job):
    i, cap, work, env, wrap = job
    rate = RATES[i % len(RATES)]
    offset = "54" if (i // len(RATES)) % 2 else "0"
    mutant = os.path.join(work, "m%05d-%s" % (i, os.path.basename(cap)))
    subprocess.run(["editcap", "-E", rate, "-o", offset, "--seed", str(i), cap, mutant], capture_output=True, check=True)
    mode = MODES[i % len(MODES)]
    p = subprocess.run(wrap + ["tshark", "-r", mutant] + mode, env=env, capture_output=True, text=True, errors="replace", timeout=300)
    crashed = p.returncode < 0 or p.returncode >= 128
    sanitizer = "AddressSanitizer" in p.stderr or "runtime error:" in p.stderr
    ours = bool(OURS.search(p.stderr)) and (crashed or sanitizer or "Dissector bug" in p.stderr)
    other = (crashed or sanitizer or "Dissector bug" in p.stderr) and not ours
    if not (ours or other):
        os.unlink(mutant)
    return i, cap, rate, offset, mode, p.returncode, ours, other, p.stderr[-2000:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--asan", action="store_true", help="the plugin is built with ASan/UBSan: preload the runtime into tshark")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--captures", default=os.path.join(HERE, "..", "test-captures"))
    ap.add_argument("--work")
    a = ap.parse_args()
    # editcap cannot write a pcapng that carries TLS secrets with -E: the plaintext captures carry
    # the same HTTP/EWS layers
    caps = sorted(glob.glob(os.path.join(a.captures, "*.pcap")))
    work = a.work or tempfile.mkdtemp(prefix="ewsfb-mutants-")
    os.makedirs(work, exist_ok=True)
    tmp, env, wrap = setup(a.plugin, a.asan)
    ours = other = 0
    try:
        jobs = [(i, caps[i % len(caps)], work, env, wrap) for i in range(a.count)]
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
            for i, cap, rate, offset, mode, rc, o, x, err in ex.map(one, jobs):
                if o:
                    ours += 1
                    print("PLUGIN FAILURE #%d %s rate %s offset %s mode %s rc %d\n%s" % (i, os.path.basename(cap), rate, offset, " ".join(mode), rc, err))
                elif x:
                    other += 1
                    print("tshark (not the plugin) #%d %s rc %d: %s" % (i, os.path.basename(cap), rc, err.strip().splitlines()[-1] if err.strip() else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d mutated captures from %d originals (%s): %d failures attributable to the plugin, %d elsewhere in tshark; kept in %s"
          % (a.count, len(caps), "ASan+UBSan plugin" if a.asan else "plugin", ours, other, work))
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
