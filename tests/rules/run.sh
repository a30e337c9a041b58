#!/usr/bin/env bash
# Rule fixtures (see check.py).
source "$(dirname "$0")/../lib.sh"
/usr/bin/python3 "$ROOT/tests/rules/check.py"
