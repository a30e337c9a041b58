#!/usr/bin/env bash
# Report schemas: the JSON and SARIF that `bulkhead config` writes over
# tests/schema/inputs/, and the richer sample report rendered by the report
# unit test, validated against docs/report-schema.json and the official SARIF
# 2.1.0 schema (from the npm package @microsoft/jest-sarif, cached under
# build/cache/sarif). Negative controls prove the validator rejects bad input.
# Every format must also honour -o FILE and be byte-identical across runs.
source "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
HERE="$ROOT/tests/schema"
VALIDATE="$HERE/validate.py"
REPORT_SCHEMA="$ROOT/docs/report-schema.json"
CACHE="$ROOT/build/cache/sarif"
SARIF_SCHEMA="$CACHE/sarif-2.1.0-rtm.5.json"
SARIF_PKG=@microsoft/jest-sarif
SARIF_MEMBER=package/lib/schemas/sarif-2.1.0-rtm.5.json

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$ROOT" || exit 1

# Download the SARIF schema once; later runs (and --offline machines) use the cache.
fetch_sarif_schema() {
    local dl="$tmp/npm" tgz
    [ -s "$SARIF_SCHEMA" ] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        echo "schema: npm is not installed (scripts/deps.sh test installs it)" >&2
        return 1
    fi
    mkdir -p "$dl" "$CACHE" || return 1
    if ! (cd "$dl" && npm pack --silent "$SARIF_PKG" >npm.log 2>&1); then
        echo "schema: 'npm pack $SARIF_PKG' failed:" >&2
        tail -5 "$dl/npm.log" >&2
        return 1
    fi
    tgz=$(ls "$dl"/*.tgz 2>/dev/null | head -1)
    if [ -z "$tgz" ] || ! tar -xzf "$tgz" -C "$dl" "$SARIF_MEMBER"; then
        echo "schema: $SARIF_PKG has no $SARIF_MEMBER" >&2
        return 1
    fi
    # publish atomically so a concurrent or interrupted run never sees half a file
    cp "$dl/$SARIF_MEMBER" "$SARIF_SCHEMA.$$" && mv "$SARIF_SCHEMA.$$" "$SARIF_SCHEMA"
}

if ! $PY -c 'import jsonschema' 2>/dev/null; then
    not_ok "schema: $PY cannot import jsonschema (install python3-jsonschema: scripts/deps.sh test)"
    exit 0
fi

check "schema: docs/report-schema.json is a valid draft-07 schema" \
    $PY "$VALIDATE" metaschema "$REPORT_SCHEMA"
check "schema: report schema accepts a full report and rejects broken ones" \
    $PY "$VALIDATE" negative-report "$REPORT_SCHEMA"

have_sarif=false
if fetch_sarif_schema; then
    have_sarif=true
    check "schema: SARIF schema accepts a minimal log and rejects broken ones" \
        $PY "$VALIDATE" negative-sarif "$SARIF_SCHEMA"
else
    not_ok "schema: cannot obtain the SARIF 2.1.0 schema ($SARIF_PKG via npm);" \
        "SARIF output NOT validated"
fi

# --- CLI output over the inputs -------------------------------------------
inputs=tests/schema/inputs
for fmt in json sarif junit github table; do
    "$BULKHEAD" config -f "$fmt" --color never "$inputs" >"$tmp/cli.$fmt" 2>"$tmp/cli.$fmt.err"
    echo $? >"$tmp/cli.$fmt.rc"
    "$BULKHEAD" config -f "$fmt" --color never -o "$tmp/out.$fmt" "$inputs" >"$tmp/o.$fmt.stdout" \
        2>/dev/null
    "$BULKHEAD" config -f "$fmt" --color never "$inputs" >"$tmp/again.$fmt" 2>/dev/null
    if [ -s "$tmp/cli.$fmt" ] && [ -s "$tmp/out.$fmt" ] && cmp -s "$tmp/cli.$fmt" "$tmp/out.$fmt" \
        && [ ! -s "$tmp/o.$fmt.stdout" ]; then
        ok "schema: config -f $fmt -o FILE writes the same report as stdout"
    else
        not_ok "schema: config -f $fmt -o FILE writes the same report as stdout"
    fi
    check "schema: config -f $fmt output is deterministic" cmp -s "$tmp/cli.$fmt" "$tmp/again.$fmt"
    # an unreadable input is reported, never a crash (exit 2 = errors listed, 3 = internal)
    rc=$(cat "$tmp/cli.$fmt.rc")
    if [ "$rc" = 2 ]; then
        ok "schema: config -f $fmt exits 2 for the unparsable input"
    else
        not_ok "schema: config -f $fmt exits 2 for the unparsable input (got $rc)"
        sed 's/^/    /' "$tmp/cli.$fmt.err" >&2
    fi
done

check "schema: config -f json validates against docs/report-schema.json" \
    $PY "$VALIDATE" validate "$REPORT_SCHEMA" "$tmp/cli.json"
check "schema: config -f json lists the unparsable Dockerfile in errors[]" \
    $PY -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if any(e["target"].endswith("broken/Dockerfile") for e in d["errors"]) else 1)' \
    "$tmp/cli.json"
check "schema: config -f junit is well-formed JUnit XML" $PY "$VALIDATE" xml "$tmp/cli.junit"
check "schema: config -f github writes only workflow commands" \
    bash -c '! grep -qv "^::\(error\|warning\|notice\) " "$1"' _ "$tmp/cli.github"
if $have_sarif; then
    check "schema: config -f sarif validates against SARIF 2.1.0" \
        $PY "$VALIDATE" validate "$SARIF_SCHEMA" "$tmp/cli.sarif"
fi

# --- the unit test's sample report: every field, suppressions, errors ------
unit=$(dirname "$BULKHEAD")/tests/test_report
mkdir -p "$tmp/samples"
if [ ! -x "$unit" ]; then
    not_ok "schema: sample reports: $unit is not built (cmocka missing?)"
elif ! BH_REPORT_SAMPLES="$tmp/samples" CMOCKA_MESSAGE_OUTPUT=TAP "$unit" >"$tmp/unit.log" 2>&1 \
    || [ ! -s "$tmp/samples/report.json" ] || [ ! -s "$tmp/samples/report.sarif" ] \
    || [ ! -s "$tmp/samples/report.xml" ]; then
    not_ok "schema: sample reports: $unit failed or wrote no samples"
    tail -20 "$tmp/unit.log" >&2
else
    check "schema: sample JSON report validates against docs/report-schema.json" \
        $PY "$VALIDATE" validate "$REPORT_SCHEMA" "$tmp/samples/report.json"
    check "schema: sample JUnit report is well-formed" $PY "$VALIDATE" xml "$tmp/samples/report.xml"
    if $have_sarif; then
        check "schema: sample SARIF report validates against SARIF 2.1.0" \
            $PY "$VALIDATE" validate "$SARIF_SCHEMA" "$tmp/samples/report.sarif"
    fi
fi
