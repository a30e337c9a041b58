#!/usr/bin/env python3
"""The findings of a `bulkhead host -f json` report as "RULE FILE:LINE PATH" lines, sorted,
duplicates kept (two findings at one place are two lines); unsuppressed findings only.
LINE is 0 and PATH "-" when the location has none. Report errors print as
"ERROR TARGET: MESSAGE" so a comparison fails visibly.

    findings.py REPORT.json
"""
import json
import sys

rep = json.load(open(sys.argv[1]))
out = []
for t in rep["targets"]:
    if t["kind"] != "host":
        out.append("?kind %s target %s" % (t["kind"], t["target"]))
    for f in t["findings"]:
        if f.get("suppressed") is not None:
            continue
        loc = f.get("location") or {}
        out.append("%s %s:%d %s" % (f["rule"], loc.get("file") or "-", loc.get("line") or 0,
                                    loc.get("path") or "-"))
for line in sorted(out):
    print(line)
for e in rep.get("errors", []):
    print("ERROR %s: %s" % (e.get("target"), e.get("message")))
