#!/usr/bin/env python3
"""Independent expectations for tests/db/run.sh, read straight from the feed files:
per source, the non-withdrawn and withdrawn record counts; per ecosystem, the affected
entries left after merging aliases as docs/internals/vulndb.md "Aliases" says (records that
share an id or alias for the same (ecosystem, package) are one entry). Prints JSON."""
import json
import os
import re
import sys


ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$")


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def osv_files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".json"):
                yield os.path.join(root, f)


def osv_records(path):
    for f in osv_files(path):
        doc = json.load(open(f, encoding="utf-8"))
        for rec in doc if isinstance(doc, list) else [doc]:
            yield rec


def secdb_records(path):
    """Alpine secdb YAML: one record per id (each whitespace-separated word of a secfixes
    item that looks like an id - a letter first, letters and digits in dash-separated groups,
    a digit somewhere; the free text some items carry is not - once per fixed version) for
    versions other than "0"."""
    import yaml
    files = [path] if os.path.isfile(path) else [
        os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith(".yaml")]
    for f in files:
        doc = yaml.safe_load(open(f, encoding="utf-8"))
        m = re.match(r"v?(\d+\.\d+)", str(doc["distroversion"]))
        eco = "Alpine:v" + m.group(1)
        for p in doc.get("packages") or []:
            pkg = p["pkg"]
            for fixed, ids in (pkg.get("secfixes") or {}).items():
                if str(fixed) == "0" or not ids:
                    continue
                seen = set()
                for item in ids:
                    for one in str(item).split():
                        if one in seen or not ID.match(one) or not re.search(r"\d", one):
                            continue
                        seen.add(one)
                        yield {"id": one, "aliases": [],
                               "affected": [{"package": {"ecosystem": eco, "name": pkg["name"]}}]}


def main():
    out = {"sources": [], "ecosystems": {}}
    groups = {}  # (eco, name) -> list of id sets
    for kind, path in zip(sys.argv[1::2], sys.argv[2::2]):
        recs = wd = 0
        it = secdb_records(path) if kind == "secdb" else osv_records(path)
        for rec in it:
            if rec.get("withdrawn"):
                wd += 1
                continue
            recs += 1
            ids = {rec["id"]} | set(rec.get("aliases") or [])
            for af in rec.get("affected") or []:
                pkg = af.get("package") or {}
                eco, name = pkg.get("ecosystem"), pkg.get("name")
                if not eco or not name:
                    continue
                eco = re.sub(r":(LTS|Pro)$", "", eco)
                if eco == "PyPI":
                    name = pep503(name)
                groups.setdefault((eco, name), []).append(set(ids))
        out["sources"].append({"location": path, "records": recs, "withdrawn": wd})
    for (eco, name), sets in groups.items():
        comps = []  # union of sets sharing an id
        for s in sets:
            merged = [c for c in comps if c & s]
            for c in merged:
                comps.remove(c)
                s |= c
            comps.append(s)
        out["ecosystems"][eco] = out["ecosystems"].get(eco, 0) + len(comps)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
