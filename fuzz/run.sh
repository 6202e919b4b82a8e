#!/usr/bin/env bash
# Runs every harness for SECONDS each (default 60) on fresh corpora, one after another, and
# prints execs/s, coverage and crashes per harness. Needs a build made with -DEWSFB_FUZZ=ON.
#   fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR [SECONDS] [HARNESS...]}
secs=${2:-60}
shift $(( $# > 1 ? 2 : 1 ))
harnesses=${*:-soap errchain mergedfb rules owa_json auth tracker har saz}
work=${FUZZ_WORK:-$(mktemp -d)}
"$here/make_corpus.sh" "$work/corpus" >/dev/null
status=0
for h in $harnesses; do
    mkdir -p "$work/crashes/$h"
    dict=""
    [ "$h" = soap ] && dict="-dict=$here/ews.dict"
    [ "$h" = saz ] && maxlen=1048576 || maxlen=65536
    log="$work/$h.log"
    if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$build/fuzz/fuzz_$h" $dict -max_total_time="$secs" -rss_limit_mb=2048 \
         -max_len=$maxlen -print_final_stats=1 -artifact_prefix="$work/crashes/$h/" "$work/corpus/$h" >"$log" 2>&1; then
        result=ok
    else
        result=FAILED; status=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    printf '%-9s %-6s %7ss %10s execs %7s/s  cov %5s  crashes %s\n' "$h" "$result" "$secs" "$execs" "$rate" "$cov" \
        "$(find "$work/crashes/$h" -type f | wc -l)"
done
echo "logs and artifacts: $work"
exit $status
