#!/usr/bin/env python3
"""docs/cis.md agrees with the binary: every rule id the page names is one that
`bulkhead rules -f json` lists, and each CIS number of sections 1 to 5 has
exactly one row. Prints "ok ..." / "not ok ..." lines."""
import collections
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BH = os.environ["BULKHEAD"]
PAGE = os.path.join(ROOT, "docs", "cis.md")
# The id prefixes of RULES.md; prefixes of rules the binary lists are added.
PREFIXES = {"BUILD", "HOST", "IMG", "K8S", "OTH", "REF", "RUN"}
ROW = re.compile(r"^\|\s*([1-5](?:\.\d+)+)\s*\|", re.M)


def main():
    name = "docs cis"
    if not os.path.exists(PAGE):
        print("not ok %s: docs/cis.md is missing" % name)
        return
    text = open(PAGE, encoding="utf-8").read()
    out = subprocess.run([BH, "rules", "-f", "json"], capture_output=True, text=True)
    try:
        ids = {r["id"] for r in json.loads(out.stdout)} if out.returncode == 0 else set()
    except ValueError:
        ids = set()
    if not ids:
        print("not ok %s: `bulkhead rules -f json` gave no rules (exit %d)" % (name, out.returncode))
        return
    prefixes = PREFIXES | {i.split("-", 1)[0] for i in ids}
    idre = re.compile(r"(?<![A-Za-z0-9_-])(?:%s)-[A-Z0-9]+(?:-[A-Z0-9]+)*(?![A-Za-z0-9_-])"
                      % "|".join(sorted(map(re.escape, prefixes))))
    named = set(idre.findall(text))
    unknown = sorted(named - ids)
    if unknown:
        print("not ok %s: names rule ids that `bulkhead rules -f json` does not list: %s"
              % (name, ", ".join(unknown)))
    else:
        print("ok %s: the %d rule ids it names are all listed by `bulkhead rules`" % (name, len(named)))
    numbers = ROW.findall(text)
    twice = sorted((n for n, c in collections.Counter(numbers).items() if c > 1),
                   key=lambda n: [int(x) for x in n.split(".")])
    if not numbers:
        print("not ok %s: no table rows for sections 1-5" % name)
    elif twice:
        print("not ok %s: CIS numbers with more than one row: %s" % (name, ", ".join(twice)))
    else:
        print("ok %s: each of the %d CIS numbers of sections 1-5 has one row" % (name, len(numbers)))


if __name__ == "__main__":
    main()
