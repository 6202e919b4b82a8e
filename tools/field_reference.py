#!/usr/bin/env python3
"""Prints the README field reference (markdown) from `tshark -G fields` output on stdin, for
the plugin's protocols, in registration order. The integration tests check README against it.

    tshark -G fields | python3 tools/field_reference.py"""
import sys

PROTOS = ("ews", "ewsflow", "ewsfile")


def main():
    rows = {p: [] for p in PROTOS}
    seen = set()
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if len(f) < 5 or f[0] != "F" or f[4] not in PROTOS:
            continue
        name, abbrev, ftype, blurb = f[1], f[2], f[3], f[7] if len(f) > 7 else ""
        if abbrev in seen:
            continue
        seen.add(abbrev)
        rows[f[4]].append((abbrev, ftype.replace("FT_", "").lower(), name, blurb))
    for p in PROTOS:
        print("\n**%s**\n" % p)
        print("| field | type | name | meaning |")
        print("|---|---|---|---|")
        for abbrev, ftype, name, blurb in rows[p]:
            print("| `%s` | %s | %s | %s |" % (abbrev, ftype, name.replace("|", "\\|"), blurb.replace("|", "\\|")))


if __name__ == "__main__":
    main()
