#!/usr/bin/env bash
# Fuzzes the snapshot decoder and the sysfs reader with libFuzzer (and AddressSanitizer) for a bounded time each,
# starting from the bundled example and the fixture boards. A crash fails the run and leaves its input in .build-fuzz/.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
scratch=.build-fuzz
RPMSG_DOCTOR_FUZZ="$(find "$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib" -name 'libclang_rt.fuzzer_no_main-*.a' | head -n 1)"
test -n "$RPMSG_DOCTOR_FUZZ" || { echo "fuzz: libclang_rt.fuzzer_no_main is not in this Swift toolchain" >&2; exit 1; }
export RPMSG_DOCTOR_FUZZ
flags=(-c debug --scratch-path "$scratch")
mkdir -p "$scratch"
for target in fuzz-snapshot fuzz-sysfs; do
    # gold warns once per sanitizer symbol it cannot export; nothing else is filtered.
    swift build "${flags[@]}" --product "$target" > "$scratch/build.log" 2>&1 || { grep -v 'Cannot export local symbol' "$scratch/build.log"; exit 1; }
done
bin="$(swift build "${flags[@]}" --show-bin-path)"

corpus="$scratch/corpus-snapshot"
mkdir -p "$corpus"
cp examples/imx8qm-wrong-ctrl.json "$corpus/"
printf '{"schemaVersion": 1}' > "$corpus/minimal.json"

for target in fuzz-snapshot fuzz-sysfs; do
    echo "fuzz: $target for $seconds s"
    artifacts="$scratch/crashes-$target/"
    mkdir -p "$artifacts"
    runs=("$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$artifacts")
    if [ "$target" = fuzz-snapshot ]; then runs+=("$corpus"); fi
    status=0
    "${runs[@]}" > "$scratch/$target.log" 2>&1 || status=$?
    grep -E '^(Done|==[0-9]+==ERROR|SUMMARY)' "$scratch/$target.log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$scratch/$target.log"
        echo "fuzz: $target failed (exit $status); the input is in $artifacts"
        exit 1
    fi
done
