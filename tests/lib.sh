# tests/lib.sh - shared by the shell test suites. Every check prints one line,
# "ok NAME" or "not ok NAME", which scripts/test.sh counts.
: "${BULKHEAD:?BULKHEAD must point at the bulkhead binary under test}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED="$ROOT/../shared"
ok() { echo "ok $*"; }
not_ok() { echo "not ok $*"; }
check() { # check NAME CMD... : ok when CMD succeeds
    local name=$1; shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
