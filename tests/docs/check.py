#!/usr/bin/env python3
"""Docs agree with the binary: every rule page matches its table row (title,
mistake, severity, fix text, peers' ids), `bulkhead rules ID` prints the page,
and every command's docs/cli/CMD.md lists exactly the options of its --help.
Prints "ok ..." / "not ok ..." lines."""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BH = os.environ["BULKHEAD"]


def run(*args):
    return subprocess.run([BH] + list(args), capture_output=True, text=True)


def section(text, title):
    m = re.search(r"^## " + re.escape(title) + r"\s*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else None


def check_rule(r):
    rid = r["id"]
    path = os.path.join(ROOT, "docs", "rules", rid + ".md")
    name = "docs rule " + rid
    if not os.path.exists(path):
        print("not ok %s: docs/rules/%s.md is missing" % (name, rid))
        return
    text = open(path, encoding="utf-8").read()
    problems = []
    first = text.splitlines()[0] if text else ""
    if first != "# %s: %s" % (rid, r["title"]):
        problems.append("first line %r is not '# %s: %s'" % (first, rid, r["title"]))
    if not re.search(r"^- \*\*Mistake:\*\* %s\b" % r["mistake"], text, re.M):
        problems.append("no '- **Mistake:** %s' line" % r["mistake"])
    if not re.search(r"^- \*\*Severity:\*\* %s\b" % r["severity"], text, re.M):
        problems.append("no '- **Severity:** %s' line" % r["severity"])
    for sec in ("What it finds", "Why it matters", "How to fix", "Peers",
                "Where we differ on purpose"):
        if section(text, sec) is None:
            problems.append("no '## %s' section" % sec)
    fix = section(text, "How to fix") or ""
    if " ".join(r["fix"].split()) not in " ".join(fix.split()):
        problems.append("'How to fix' does not contain the table's fix text %r" % r["fix"])
    peers = section(text, "Peers") or ""
    for ref in r["references"]:
        if ref not in peers:
            problems.append("'Peers' does not name %r" % ref)
    out = run("rules", rid)
    if out.returncode != 0 or out.stdout != text:
        problems.append("`bulkhead rules %s` does not print the page (exit %d)" % (rid, out.returncode))
    if problems:
        print("not ok %s: %s" % (name, "; ".join(problems)))
    else:
        print("ok %s" % name)


def help_options(cmd):
    out = run(cmd, "--help")
    opts = set()
    for line in out.stdout.splitlines():
        m = re.match(r"\s+(?:-\w, )?\s*(--[a-z0-9-]+)", line)
        if m:
            opts.add(m.group(1))
    return out.returncode, opts


def check_cli(cmd):
    path = os.path.join(ROOT, "docs", "cli", cmd + ".md")
    name = "docs cli " + cmd
    if not os.path.exists(path):
        print("not ok %s: docs/cli/%s.md is missing" % (name, cmd))
        return
    text = open(path, encoding="utf-8").read()
    rc, opts = help_options(cmd)
    if rc != 0:
        print("not ok %s: `bulkhead %s --help` exited %d" % (name, cmd, rc))
        return
    table = section(text, "Options") or ""
    documented = set(re.findall(r"^\|\s*(?:`-\w`,\s*)?`(--[a-z0-9-]+)", table, re.M))
    missing = sorted(opts - documented)
    extra = sorted(documented - opts)
    if missing or extra:
        print("not ok %s: options in --help but not in the page: %s; in the page but not in --help: %s"
              % (name, missing, extra))
    else:
        print("ok %s (%d options)" % (name, len(opts)))


def main():
    out = run("rules", "-f", "json")
    rules = json.loads(out.stdout) if out.returncode == 0 else []
    if not rules:
        print("not ok docs: `bulkhead rules -f json` gave no rules")
    for r in rules:
        check_rule(r)
    ids = {r["id"] for r in rules}
    for f in sorted(os.listdir(os.path.join(ROOT, "docs", "rules"))):
        if f.endswith(".md") and f[:-3] not in ids:
            print("not ok docs rule %s: page for a rule that is not in the table" % f[:-3])
    top = run("--help").stdout
    for cmd in re.findall(r"^  ([a-z]+)\s", top, re.M):
        if cmd != "version":
            check_cli(cmd)


if __name__ == "__main__":
    main()
