#!/usr/bin/env bash
# Builds the rpmsg-doctor binary for a board: release optimised for size (-Osize: a scan of the 64 x 64 benchmark
# board takes the same time as with -O), the Swift runtime linked in, stripped. Prints its size and
# what it still needs from the system to start (the C and C++ runtime and libudev), and the start-up time of a scan
# of the bundled example next to a C program that only prints a line, both built here, in the same run.
#   bash scripts/build-static.sh [OUTPUT]   (default .build/static/rpmsg-doctor)
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-.build/static/rpmsg-doctor}"
swift build -c release --static-swift-stdlib -Xswiftc -Osize --product rpmsg-doctor --scratch-path .build-static >/dev/null
mkdir -p "$(dirname "$output")"
strip -o "$output" .build-static/release/rpmsg-doctor
bytes=$(stat -c %s "$output")
echo "binary: $output"
echo "size: $bytes bytes ($(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }") MiB), stripped"
echo "needs:"
ldd "$output" | sed 's/^/  /'
unexpected=$(ldd "$output" | awk '{ print $1 }' | grep -vE '^(linux-vdso\.so|/lib64/ld-linux|/lib/ld-linux|libc\.so|libm\.so|libstdc\+\+\.so|libgcc_s\.so|libudev\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so)' || true)
if [ -n "$unexpected" ]; then
    echo "build-static: the binary needs more than the C and C++ runtime and libudev: $unexpected" >&2
    exit 1
fi
limit=$((16 * 1048576))
if [ "$bytes" -gt "$limit" ]; then
    echo "build-static: the binary is over the 16 MiB a board can spare" >&2
    exit 1
fi

# Start-up: the median of 21 runs of each, alternating, in microseconds.
hello_dir=$(mktemp -d)
trap 'rm -rf "$hello_dir"' EXIT
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > "$hello_dir/hello.c"
gcc -O2 -o "$hello_dir/hello" "$hello_dir/hello.c"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for _ in $(seq 21); do
    start=$(date +%s%N); "$hello_dir/hello" > /dev/null; end=$(date +%s%N); echo $(((end - start) / 1000)) >> "$hello_dir/c"
    start=$(date +%s%N); "$output" scan --from examples/imx8qm-wrong-ctrl.json > /dev/null || true; end=$(date +%s%N); echo $(((end - start) / 1000)) >> "$hello_dir/scan"
done
echo "start-up, median of 21: C hello $(median < "$hello_dir/c") us; rpmsg-doctor scan of the example $(median < "$hello_dir/scan") us"
