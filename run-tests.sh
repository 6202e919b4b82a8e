#!/usr/bin/env bash
# README command 2 (and CI): install what is needed, build warnings-as-errors, run the unit
# tests, the sanitizer build of the unit tests, and the tshark integration tests against
# the freshly built plugin (never an installed copy, root or not).
set -euo pipefail
cd "$(dirname "$0")"
. tools/deps.sh
ensure_deps

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEWSFB_SANITIZE=ON
cmake --build build-asan -j"$jobs" --target test-parser test-rules

echo "== unit tests under ASan+UBSan"
for t in test-parser test-rules; do
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "./build-asan/tests/$t"
done

echo "== libFuzzer harnesses: past findings, then a short smoke of each"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DEWSFB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF
cmake --build build-fuzz -j"$jobs"
for d in fuzz/regressions/*/; do
    h=$(basename "$d")
    ASAN_OPTIONS=detect_leaks=1 "./build-fuzz/fuzz/fuzz_$h" "$d"* 2>&1 | tail -1
done
FUZZ_WORK=$(mktemp -d) fuzz/run.sh build-fuzz "${FUZZ_SMOKE_SECONDS:-10}"

echo "== ctest (unit + tshark integration)"
cd build
ctest --output-on-failure
