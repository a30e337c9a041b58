#!/usr/bin/python3
"""Schema checks for tests/schema/run.sh, using Debian's python3-jsonschema.

  validate.py metaschema SCHEMA          SCHEMA is a valid draft-07 schema
  validate.py validate SCHEMA FILE...    every FILE validates against SCHEMA
  validate.py negative-sarif SCHEMA      a near-valid SARIF log passes, broken variants fail
  validate.py negative-report SCHEMA     same for a bulkhead report
  validate.py xml FILE                   FILE is well-formed JUnit XML
  validate.py validate-local SCHEMA FILE...   like validate, with $refs to the other *.json
                                         schemas in SCHEMA's directory resolved there (offline)
  validate.py negative-cyclonedx SCHEMA GOOD   GOOD (an SBOM) passes, broken variants fail
  validate.py negative-spdx SCHEMA GOOD        same for an SPDX 2.3 document

Exit status 0 on success; problems are printed to stderr.
"""
import copy
import json
import sys
import xml.etree.ElementTree as ET

import jsonschema


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors_of(v, doc):
    return sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))


def report(path, errs):
    for e in errs[:20]:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: at /{where}: {e.message}", file=sys.stderr)


def cmd_metaschema(schema_path):
    schema = load(schema_path)
    if schema.get("$schema") != "http://json-schema.org/draft-07/schema#":
        print(f"{schema_path}: $schema is not draft-07", file=sys.stderr)
        return 1
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"{schema_path}: {e.message}", file=sys.stderr)
        return 1
    return 0


def cmd_validate(schema_path, files):
    v = validator(load(schema_path))
    rc = 0
    for path in files:
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}", file=sys.stderr)
            rc = 1
            continue
        errs = errors_of(v, doc)
        if errs:
            report(path, errs)
            rc = 1
    return rc


def negative(v, good, breakers):
    """good must validate; each breaker(copy) must make it invalid."""
    errs = errors_of(v, good)
    if errs:
        report("positive control", errs)
        return 1
    rc = 0
    for name, brk in breakers:
        doc = copy.deepcopy(good)
        brk(doc)
        if not errors_of(v, doc):
            print(f"negative control '{name}' was accepted", file=sys.stderr)
            rc = 1
    return rc


def cmd_negative_sarif(schema_path):
    good = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "bulkhead", "rules": [{"id": "X-Y"}]}},
            "invocations": [{"executionSuccessful": True}],
            "results": [{
                "ruleId": "X-Y", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 1}}}],
            }],
        }],
    }
    res = lambda d: d["runs"][0]["results"][0]
    breakers = [
        ("bad level", lambda d: res(d).__setitem__("level", "fatal")),
        ("no message", lambda d: res(d).pop("message")),
        ("line 0", lambda d: res(d)["locations"][0]["physicalLocation"]["region"]
         .__setitem__("startLine", 0)),
        ("unknown property", lambda d: res(d).__setitem__("severity", "high")),
        ("driver without name", lambda d: d["runs"][0]["tool"]["driver"].pop("name")),
        ("wrong version", lambda d: d.__setitem__("version", "2.0.0")),
        ("bad suppression kind",
         lambda d: res(d).__setitem__("suppressions", [{"kind": "inline"}])),
    ]
    return negative(validator(load(schema_path)), good, breakers)


def cmd_negative_report(schema_path):
    finding = {
        "rule": "BUILD-USER", "mistake": "M4", "severity": "high", "title": "t", "message": "m",
        "location": {"file": "Dockerfile", "line": 3, "column": 1}, "stage": "builder",
        "fix": "f", "references": ["CIS 4.1"], "suppressed": None,
        "vulnerability": {"id": "CVE-2024-0001", "aliases": [], "package": "openssl",
                          "ecosystem": "debian", "installed": "3.0.1", "fixed": None,
                          "severity": "high", "cvss": 7.5},
    }
    good = {
        "schema": "bulkhead.report/v1",
        "tool": {"name": "bulkhead", "version": "0"},
        "targets": [{"target": "Dockerfile", "kind": "dockerfile", "findings": [finding],
                     "packages": []}],
        "errors": [{"target": "x.yaml", "message": "m", "line": 7, "column": 3}],
    }
    f = lambda d: d["targets"][0]["findings"][0]
    breakers = [
        ("wrong schema id", lambda d: d.__setitem__("schema", "bulkhead.report/v2")),
        ("bad severity", lambda d: f(d).__setitem__("severity", "severe")),
        ("bad mistake", lambda d: f(d).__setitem__("mistake", "M10")),
        ("unknown finding field", lambda d: f(d).__setitem__("extra", 1)),
        ("missing fix", lambda d: f(d).pop("fix")),
        ("line 0", lambda d: f(d)["location"].__setitem__("line", 0)),
        ("column without line", lambda d: f(d)["location"].pop("line")),
        ("bad suppression", lambda d: f(d).__setitem__("suppressed", {"kind": "inline"})),
        ("unknown kind", lambda d: d["targets"][0].__setitem__("kind", "helm")),
        ("vulnerability without id", lambda d: f(d)["vulnerability"].pop("id")),
        ("error without message", lambda d: d["errors"][0].pop("message")),
    ]
    return negative(validator(load(schema_path)), good, breakers)


def local_validator(schema_path):
    """A validator whose $refs to sibling schemas resolve to the files beside schema_path."""
    import glob
    import os
    import urllib.parse
    schema = load(schema_path)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    base = schema.get("$id", "")
    store = {}
    for path in glob.glob(os.path.join(os.path.dirname(os.path.abspath(schema_path)), "*.json")):
        try:
            doc = load(path)
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        name = os.path.basename(path)
        for uri in {doc.get("$id"), urllib.parse.urljoin(base, name), name} - {None, ""}:
            store[uri.rstrip("#")] = doc
    try:
        import referencing
        import referencing.jsonschema
        spec = referencing.jsonschema.specification_with(
            schema.get("$schema", "http://json-schema.org/draft-07/schema#"))
        registry = referencing.Registry().with_resources(
            (uri, referencing.Resource.from_contents(doc, default_specification=spec))
            for uri, doc in store.items())
        return cls(schema, registry=registry)
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return cls(schema, resolver=resolver)


def cmd_validate_local(schema_path, files):
    v = local_validator(schema_path)
    rc = 0
    for path in files:
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}", file=sys.stderr)
            rc = 1
            continue
        errs = errors_of(v, doc)
        if errs:
            report(path, errs)
            rc = 1
    return rc


def cmd_negative_cyclonedx(schema_path, good_path):
    good = load(good_path)
    comp = lambda d: d["components"][-1]
    breakers = [
        ("wrong specVersion type", lambda d: d.__setitem__("specVersion", 1.5)),
        ("bad bomFormat", lambda d: d.__setitem__("bomFormat", "SPDX")),
        ("bad serialNumber", lambda d: d.__setitem__("serialNumber", "urn:uuid:not-a-uuid")),
        ("component without name", lambda d: comp(d).pop("name")),
        ("unknown component type", lambda d: comp(d).__setitem__("type", "package")),
        ("licence id not on the SPDX list",
         lambda d: comp(d).__setitem__("licenses", [{"license": {"id": "NOT-A-LICENSE"}}])),
        ("unknown top-level field", lambda d: d.__setitem__("packages", [])),
        ("bad rating severity", lambda d: d.__setitem__("vulnerabilities", [
            {"id": "CVE-1", "ratings": [{"severity": "severe"}]}])),
    ]
    return negative(local_validator(schema_path), good, breakers)


def cmd_negative_spdx(schema_path, good_path):
    good = load(good_path)
    pkg = lambda d: d["packages"][-1]
    breakers = [
        ("no creationInfo", lambda d: d.pop("creationInfo")),
        ("no creators", lambda d: d["creationInfo"].pop("creators")),
        ("package without name", lambda d: pkg(d).pop("name")),
        ("package without downloadLocation", lambda d: pkg(d).pop("downloadLocation")),
        ("unknown package field", lambda d: pkg(d).__setitem__("purl", "pkg:x/y")),
        ("bad reference category", lambda d: pkg(d).__setitem__("externalRefs", [
            {"referenceCategory": "NPM", "referenceType": "purl", "referenceLocator": "x"}])),
        ("bad relationship type", lambda d: d["relationships"][0]
         .__setitem__("relationshipType", "HAS")),
        ("filesAnalyzed not boolean", lambda d: pkg(d).__setitem__("filesAnalyzed", "false")),
    ]
    return negative(local_validator(schema_path), good, breakers)


def cmd_xml(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"{path}: not well-formed XML: {e}", file=sys.stderr)
        return 1
    if root.tag != "testsuites":
        print(f"{path}: root element is <{root.tag}>, not <testsuites>", file=sys.stderr)
        return 1
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        if int(suite.get("tests", "-1")) != len(cases):
            print(f"{path}: suite '{suite.get('name')}' says tests={suite.get('tests')} "
                  f"but has {len(cases)} testcases", file=sys.stderr)
            return 1
        failures = sum(1 for c in cases if c.find("failure") is not None)
        if int(suite.get("failures", "-1")) != failures:
            print(f"{path}: suite '{suite.get('name')}' failure count is wrong", file=sys.stderr)
            return 1
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "metaschema":
        return cmd_metaschema(argv[2])
    if len(argv) >= 4 and argv[1] == "validate":
        return cmd_validate(argv[2], argv[3:])
    if len(argv) == 3 and argv[1] == "negative-sarif":
        return cmd_negative_sarif(argv[2])
    if len(argv) == 3 and argv[1] == "negative-report":
        return cmd_negative_report(argv[2])
    if len(argv) >= 4 and argv[1] == "validate-local":
        return cmd_validate_local(argv[2], argv[3:])
    if len(argv) == 4 and argv[1] == "negative-cyclonedx":
        return cmd_negative_cyclonedx(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "negative-spdx":
        return cmd_negative_spdx(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "xml":
        return cmd_xml(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
