#!/usr/bin/env bash
# Runs every test: the Swift unit and fixture-tree tests, then the end-to-end tests on the virtual board
# (a User-Mode Linux kernel, built once and cached, with virtual remote cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests

swift build
swift test
bash scripts/fuzz.sh 20
bash scripts/build-static.sh

bash Tests/VirtualBoard/build-kernel.sh >/dev/null
RPMSG_DOCTOR="$PWD/.build/static/rpmsg-doctor" python3 -m pytest -q -p no:cacheprovider Tests/CommandLine
python3 -m pytest -q -p no:cacheprovider Tests/CommandLine Tests/VirtualBoard
