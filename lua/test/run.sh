#!/usr/bin/env bash
# Runs every lua/test/[0-9]*.lua with tarantool, each in its own process, printing its TAP
# output. Exits non-zero when any file fails. Last line: "lua: N passed, M failed" (files).
set -u

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARANTOOL="${TARANTOOL:-tarantool}"

if ! command -v "$TARANTOOL" >/dev/null 2>&1; then
    echo "run.sh: '$TARANTOOL' not found on PATH" >&2
    echo "lua: 0 passed, 1 failed"
    exit 1
fi

passed=0
failed=0
failed_files=()

shopt -s nullglob
for file in "$TEST_DIR"/[0-9]*.lua; do
    name="$(basename "$file")"
    echo "# ${name}"
    # Run from the test directory; tests find their modules from their own location anyway.
    (cd "$TEST_DIR" && "$TARANTOOL" "$file") </dev/null
    rc=$?
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "# ${name}: ok"
    else
        failed=$((failed + 1))
        failed_files+=("$name")
        echo "# ${name}: FAILED (exit code ${rc})"
    fi
done

if [ "$failed" -gt 0 ]; then
    echo "# failed: ${failed_files[*]}"
fi
echo "lua: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
