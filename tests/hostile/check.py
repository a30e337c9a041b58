#!/usr/bin/env python3
"""Read one `bulkhead image -f json` report for tests/hostile/run.sh.

    check.py REPORT.json errors      one line per error: TARGET<TAB>MESSAGE
    check.py REPORT.json rules       the rule ids found, sorted, space-separated
    check.py REPORT.json messages RULE   the messages of RULE's findings, one a line
    check.py REPORT.json paths       every finding's location path, one a line

Exit status 3 when the report is not a complete JSON document of the expected shape
(a crash half-way through writing it shows up here too).
"""
import json
import sys


def main(argv):
    try:
        with open(argv[1]) as f:
            r = json.load(f)
        targets, errors = r["targets"], r["errors"]
        findings = [x for t in targets for x in t["findings"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print("report is not valid JSON of the report shape: %s" % e)
        return 3
    what = argv[2]
    if what == "errors":
        for e in errors:
            print("%s\t%s" % (e.get("target", ""), " ".join(str(e.get("message", "")).split())))
    elif what == "rules":
        print(" ".join(sorted({x["rule"] for x in findings})))
    elif what == "messages":
        for x in findings:
            if x["rule"] == argv[3]:
                print(" ".join(x["message"].split()))
    elif what == "paths":
        for x in findings:
            print(x.get("location", {}).get("path", ""))
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
