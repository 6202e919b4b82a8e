#!/usr/bin/env python3
"""valgrind memcheck over every test capture, tshark -2 -V with the plugin: counts the errors
and definitely-lost blocks whose stack passes through the plugin (ews.so), and the rest
(tshark's own) apart.

    fuzz/valgrind_captures.py --plugin build/ews.so [--jobs 2]
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from tshark_sandbox import sandbox  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--captures", default=os.path.join(HERE, "..", "test-captures"))
    a = ap.parse_args()
    tmp, env, _, wrap = sandbox(a.plugin, prefix="ewsfb-vg-")
    env = dict(env, G_SLICE="always-malloc")
    os.makedirs(os.path.join(tmp, "xml"))
    os.chmod(os.path.join(tmp, "xml"), 0o777)
    caps = sorted(glob.glob(os.path.join(a.captures, "*.pcap")) + glob.glob(os.path.join(a.captures, "*.pcapng")))

    def one(cap):
        xml = os.path.join(tmp, "xml", os.path.basename(cap) + ".xml")
        subprocess.run(wrap + ["valgrind", "--tool=memcheck", "--xml=yes", "--xml-file=" + xml, "--leak-check=full",
                               "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite", "--num-callers=40",
                               "tshark", "-2", "-r", cap, "-V", "-o", "ews.xml_tree:always"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
        mine = others = lost = 0
        for err in ET.parse(xml).getroot().iter("error"):
            objs = [o.text or "" for o in err.iter("obj")]
            ours = any(o.endswith("ews.so") for o in objs)
            if ours:
                mine += 1
                w = err.find("xwhat")
                if w is not None and w.find("leakedbytes") is not None:
                    lost += int(w.find("leakedbytes").text)
            else:
                others += 1
        return cap, mine, lost, others

    total_mine = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for cap, mine, lost, others in ex.map(one, caps):
            total_mine += mine
            print("%-26s plugin errors %d (definitely lost %d bytes), elsewhere %d" % (os.path.basename(cap), mine, lost, others))
    shutil.rmtree(tmp, ignore_errors=True)
    print("valgrind memcheck on %d captures: %d errors attributable to the plugin" % (len(caps), total_mine))
    return 1 if total_mine else 0


if __name__ == "__main__":
    sys.exit(main())
