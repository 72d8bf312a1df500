#!/usr/bin/env bash
# `make test`: every check in order, continuing past failures, then one summary line.
# Exits non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Each wasm test binary finishes in seconds once its page has loaded; a page that never loads
# (see wasm_tests) is given up after 60 s instead of 300 and tried again. (With 45 s the page
# never loaded in eight tries in a row on this machine; with 60, 90 or 240 it loaded in about
# 10 s more often than not. Why the limit matters is not understood.)
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-60}"

passed=0
failed=0
failures=()

step() {
  local name=$1
  shift
  local started=$SECONDS
  printf '\n==> %s\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
    printf '    ok: %s (%d s)\n' "$name" $((SECONDS - started))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '    FAILED: %s (%d s)\n' "$name" $((SECONDS - started))
  fi
}

e2e() { (cd tests/e2e && node --test --test-concurrency=1 specs/); }

# Each tests/web_*.rs is a wasm test binary, run in headless Chromium on its own. Now and then
# the runner's page never reports ("Failed to detect test as having been run": no test ran,
# none failed; seen this session when two binaries ran in one cargo command, never with a
# failing assertion; in one make test it hung twice in a row at "Loading Wasm module..." and
# then passed at once on its own; on a fresh machine one hung three times in a row and passed
# in 10 s right after): such a binary is run up to four more times, and the log says so.
# A test that fails is never retried.
wasm_tests() {
  local file name log status=0
  for file in tests/web_*.rs; do
    name=$(basename "$file" .rs)
    log=$(mktemp)
    cargo test --target wasm32-unknown-unknown --test "$name" 2>&1 | tee "$log"
    local attempt=1 result=${PIPESTATUS[0]}
    while [ "$result" -ne 0 ] && [ "$attempt" -lt 5 ] &&
      grep -q "Failed to detect test as having been run" "$log" && ! grep -q "^test .* FAILED" "$log"; do
      attempt=$((attempt + 1))
      printf '    %s: the runner saw no test run; attempt %d of 5\n' "$name" "$attempt"
      cargo test --target wasm32-unknown-unknown --test "$name" 2>&1 | tee "$log"
      result=${PIPESTATUS[0]}
    done
    [ "$result" -eq 0 ] || status=1
    rm -f "$log"
  done
  return $status
}

step "rustfmt" cargo fmt --all -- --check
step "clippy, native" cargo clippy --all-targets -- -D warnings
step "clippy, wasm" cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
step "native tests" cargo test
step "wasm tests in headless Chromium" wasm_tests
step "release build (trunk)" trunk build --release --public-url ./
step "end-to-end tests of dist/ in headless Chromium" e2e

printf '\n'
for name in "${failures[@]}"; do printf 'failed step: %s\n' "$name"; done
printf 'steps: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
