#!/usr/bin/env python3
"""SPDX 2.3 checks a JSON schema cannot make, and the negative control for both layers.

  spdx_check.py crossref [--licenses LIST.json] DOC...
      every SPDXID is unique; both ends of every relationship exist (or are NONE /
      NOASSERTION / in an external document); SPDXRef-DOCUMENT DESCRIBES exactly one
      package (documentDescribes, when present, says the same) and every other package is
      reachable from it through CONTAINS; licence expressions have balanced parentheses and,
      with --licenses (a JSON schema whose "enum" is the SPDX licence and exception list,
      e.g. the one CycloneDX ships), only listed ids, exceptions or LicenseRef-s.
  spdx_check.py negative SCHEMA GOOD [--licenses LIST.json]
      GOOD passes the schema and the cross-reference checks; every broken variant fails the
      layer that is meant to catch it (schema breakers the schema, cross-reference breakers
      the checks above while still passing the schema).
"""
import copy
import json
import re
import sys

import jsonschema

SPECIAL = ("NONE", "NOASSERTION")
TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9.:+-]+)")


def lic_tokens(text):
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"unexpected character at {pos}")
        out.append(m.group(1))
        pos = m.end()
    return out


def check_expression(text, listed):
    """Annex D grammar: term (AND|OR term)*, term = id[+] [WITH exception] | ( expr )."""
    if text in SPECIAL:
        return
    toks = lic_tokens(text)
    i = 0

    def ident(t):
        if re.fullmatch(r"(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+", t):
            return
        base = t[:-1] if t.endswith("+") else t
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*", base):
            raise ValueError(f"{t!r} is not a licence id")
        if listed is not None and base not in listed:
            raise ValueError(f"{base!r} is not on the SPDX licence list")

    def term():
        nonlocal i
        if i >= len(toks):
            raise ValueError("expression ends early")
        if toks[i] == "(":
            i += 1
            expr()
            if i >= len(toks) or toks[i] != ")":
                raise ValueError("unbalanced parentheses")
            i += 1
            return
        if toks[i] in ("AND", "OR", "WITH", ")"):
            raise ValueError(f"{toks[i]!r} where a licence id belongs")
        ident(toks[i])
        i += 1
        if i < len(toks) and toks[i].upper() == "WITH":
            i += 1
            if i >= len(toks) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*", toks[i]):
                raise ValueError("WITH without an exception id")
            if listed is not None and toks[i] not in listed:
                raise ValueError(f"{toks[i]!r} is not on the SPDX exception list")
            i += 1

    def expr():
        nonlocal i
        term()
        while i < len(toks) and toks[i].upper() in ("AND", "OR"):
            i += 1
            term()

    expr()
    if i != len(toks):
        raise ValueError(f"trailing {toks[i]!r}")


def crossref_errors(doc, listed=None):
    errs = []
    pkgs = doc.get("packages", [])
    ids = [doc.get("SPDXID")] + [p.get("SPDXID") for p in pkgs]
    seen = set()
    for i in ids:
        if i in seen:
            errs.append(f"SPDXID {i!r} is not unique")
        seen.add(i)

    def known(ref, allow_special):
        if allow_special and ref in SPECIAL:
            return True
        return ref in seen or str(ref).startswith("DocumentRef-")

    rels = doc.get("relationships", [])
    for r in rels:
        if not known(r.get("spdxElementId"), False):
            errs.append(f"relationship from unknown element {r.get('spdxElementId')!r}")
        if not known(r.get("relatedSpdxElement"), True):
            errs.append(f"relationship to unknown element {r.get('relatedSpdxElement')!r}")
    described = [r["relatedSpdxElement"] for r in rels
                 if r.get("spdxElementId") == "SPDXRef-DOCUMENT"
                 and r.get("relationshipType") == "DESCRIBES"]
    described += [r["spdxElementId"] for r in rels
                  if r.get("relatedSpdxElement") == "SPDXRef-DOCUMENT"
                  and r.get("relationshipType") == "DESCRIBED_BY"]
    if "documentDescribes" in doc and sorted(set(doc["documentDescribes"])) != \
            sorted(set(described)):
        errs.append("documentDescribes and the DESCRIBES relationships disagree")
    pkg_ids = {p.get("SPDXID") for p in pkgs}
    if pkgs:
        if len(described) != 1 or described[0] not in pkg_ids:
            errs.append(f"the document must DESCRIBE exactly one package, not {described}")
        else:
            contains = {}
            for r in rels:
                if r.get("relationshipType") == "CONTAINS":
                    contains.setdefault(r["spdxElementId"], []).append(r["relatedSpdxElement"])
                elif r.get("relationshipType") == "CONTAINED_BY":
                    contains.setdefault(r["relatedSpdxElement"], []).append(r["spdxElementId"])
            reach, todo = set(), [described[0]]
            while todo:
                x = todo.pop()
                if x not in reach:
                    reach.add(x)
                    todo += contains.get(x, [])
            orphans = sorted(pkg_ids - reach)
            if orphans:
                errs.append(f"packages the described root does not contain: {orphans[:5]}")
    elif described:
        errs.append(f"a document without packages DESCRIBES {described}")
    for p in pkgs:
        for field in ("licenseConcluded", "licenseDeclared"):
            if field in p:
                try:
                    check_expression(p[field], listed)
                except ValueError as e:
                    errs.append(f"{p.get('SPDXID')}: {field} {p[field]!r}: {e}")
    return errs


def load_listed(argv):
    if "--licenses" in argv:
        k = argv.index("--licenses")
        path = argv[k + 1]
        del argv[k:k + 2]
        return set(json.load(open(path))["enum"])
    return None


def cmd_crossref(argv):
    listed = load_listed(argv)
    rc = 0
    for path in argv:
        for e in crossref_errors(json.load(open(path)), listed):
            print(f"{path}: {e}", file=sys.stderr)
            rc = 1
    return rc


def cmd_negative(argv):
    listed = load_listed(argv)
    schema_path, good_path = argv
    v = jsonschema.Draft7Validator(json.load(open(schema_path)))
    good = json.load(open(good_path))
    errs = [e.message for e in v.iter_errors(good)] + crossref_errors(good, listed)
    if errs or len(good.get("packages", [])) < 3:
        print("the good document fails (or is too small to break):", errs[:5], file=sys.stderr)
        return 1
    pkg = lambda d: d["packages"][-1]  # a leaf package with a purl
    root = lambda d: d["packages"][0]
    schema_breakers = [
        ("spdxVersion 2.2", lambda d: d.__setitem__("spdxVersion", "SPDX-2.2")),
        ("dataLicense not CC0-1.0", lambda d: d.__setitem__("dataLicense", "MIT")),
        ("document SPDXID", lambda d: d.__setitem__("SPDXID", "SPDXRef-Doc")),
        ("namespace with '#'", lambda d: d.__setitem__(
            "documentNamespace", d["documentNamespace"] + "#part")),
        ("namespace not a URI", lambda d: d.__setitem__("documentNamespace", "bulkhead-doc")),
        ("created with an offset", lambda d: d["creationInfo"].__setitem__(
            "created", "2023-11-14T22:13:20+01:00")),
        ("created without seconds", lambda d: d["creationInfo"].__setitem__(
            "created", "2023-11-14T22:13Z")),
        ("creator without a prefix", lambda d: d["creationInfo"].__setitem__(
            "creators", ["bulkhead-1.0"])),
        ("no creators", lambda d: d["creationInfo"].__setitem__("creators", [])),
        ("unknown top-level field", lambda d: d.__setitem__("vulnerabilities", [])),
        ("files are not written by bulkhead", lambda d: d.__setitem__("files", [])),
        ("SPDXID with '_'", lambda d: pkg(d).__setitem__("SPDXID", "SPDXRef-a_b")),
        ("package without name", lambda d: pkg(d).pop("name")),
        ("package without downloadLocation", lambda d: pkg(d).pop("downloadLocation")),
        ("downloadLocation not a URI", lambda d: pkg(d).__setitem__(
            "downloadLocation", "somewhere")),
        ("filesAnalyzed a string", lambda d: pkg(d).__setitem__("filesAnalyzed", "false")),
        ("verification code without analysed files", lambda d: pkg(d).__setitem__(
            "packageVerificationCode",
            {"packageVerificationCodeValue": "0" * 40})),
        ("licence operator soup", lambda d: pkg(d).__setitem__("licenseDeclared", "MIT AND")),
        ("licence with a comma", lambda d: pkg(d).__setitem__("licenseConcluded", "MIT, BSD")),
        ("unknown purpose", lambda d: root(d).__setitem__("primaryPackagePurpose", "IMAGE")),
        ("unknown package field", lambda d: pkg(d).__setitem__("purl", "pkg:npm/x@1")),
        ("bad reference category", lambda d: pkg(d)["externalRefs"][0].__setitem__(
            "referenceCategory", "PACKAGE MANAGER")),
        ("purl as a SECURITY type", lambda d: pkg(d)["externalRefs"][0].__setitem__(
            "referenceCategory", "SECURITY")),
        ("purl locator without pkg:", lambda d: pkg(d)["externalRefs"][0].__setitem__(
            "referenceLocator", "npm/left-pad@1.3.0")),
        ("locator with a space", lambda d: pkg(d)["externalRefs"][0].__setitem__(
            "referenceLocator", "pkg:npm/left pad@1")),
        ("bad relationship type", lambda d: d["relationships"][0].__setitem__(
            "relationshipType", "HAS")),
        ("relationship without its target", lambda d: d["relationships"][0].pop(
            "relatedSpdxElement")),
        ("relationship to a non-id", lambda d: d["relationships"][1].__setitem__(
            "relatedSpdxElement", "Package-1")),
    ]
    crossref_breakers = [
        ("duplicate SPDXID", lambda d: pkg(d).__setitem__("SPDXID", root(d)["SPDXID"])),
        ("relationship to a missing package", lambda d: d["relationships"][-1].__setitem__(
            "relatedSpdxElement", "SPDXRef-Package-999-gone")),
        ("relationship from a missing package", lambda d: d["relationships"][-1].__setitem__(
            "spdxElementId", "SPDXRef-Nowhere")),
        ("document DESCRIBES two packages", lambda d: d["relationships"].append(
            {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
             "relatedSpdxElement": pkg(d)["SPDXID"]})),
        ("document DESCRIBES nothing", lambda d: d.__setitem__("relationships", [
            r for r in d["relationships"] if r["relationshipType"] != "DESCRIBES"])),
        ("documentDescribes disagrees", lambda d: d.__setitem__(
            "documentDescribes", [pkg(d)["SPDXID"]])),
        ("a package nothing contains", lambda d: d.__setitem__("relationships", [
            r for r in d["relationships"] if r["relatedSpdxElement"] != pkg(d)["SPDXID"]])),
        ("unbalanced licence parentheses", lambda d: pkg(d).__setitem__(
            "licenseDeclared", "(MIT OR Apache-2.0")),
    ]
    if listed is not None:
        crossref_breakers.append(("licence id not on the SPDX list", lambda d: pkg(d).__setitem__(
            "licenseDeclared", "MIT OR Not-A-Licence-1.0")))
    rc = 0
    for name, brk in schema_breakers:
        d = copy.deepcopy(good)
        brk(d)
        if v.is_valid(d):
            print(f"schema accepted the broken variant '{name}'", file=sys.stderr)
            rc = 1
    for name, brk in crossref_breakers:
        d = copy.deepcopy(good)
        brk(d)
        if not v.is_valid(d):
            print(f"'{name}' should pass the schema and be caught by the cross-reference "
                  f"checks: {next(v.iter_errors(d)).message}", file=sys.stderr)
            rc = 1
        elif not crossref_errors(d, listed):
            print(f"cross-reference checks accepted the broken variant '{name}'",
                  file=sys.stderr)
            rc = 1
    return rc


def main(argv):
    if len(argv) >= 3 and argv[1] == "crossref":
        return cmd_crossref(argv[2:])
    if len(argv) >= 4 and argv[1] == "negative":
        return cmd_negative(argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
