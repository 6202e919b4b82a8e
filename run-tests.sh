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
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEWSFB_SANITIZE=ON -DEWSFB_HOSTILE_FLOWS=100000
cmake --build build-asan -j"$jobs"

echo "== libFuzzer harnesses: past findings, then a short smoke of each"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DEWSFB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF
cmake --build build-fuzz -j"$jobs"
for d in fuzz/regressions/*/; do
    h=$(basename "$d")
    ASAN_OPTIONS=detect_leaks=1 "./build-fuzz/fuzz/fuzz_$h" "$d"* 2>&1 | tail -1
done
FUZZ_WORK=$(mktemp -d) fuzz/run.sh build-fuzz "${FUZZ_SMOKE_SECONDS:-10}"

echo "== mutated captures through tshark with the ASan+UBSan plugin"
python3 fuzz/mutate_captures.py --plugin build-asan/ews.so --asan --count "${MUTATIONS:-120}" --jobs "$jobs"

echo "== ctest, sanitized build: unit tests, tshark integration and hostile corpus with the ASan+UBSan plugin"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure)

echo "== benchmark, quick (reports ratios; asserts nothing about time)"
python3 bench/run_bench.py --plugin build/ews.so --quick

echo "== ctest (unit, tshark integration, hostile corpus)"
cd build
ctest --output-on-failure
