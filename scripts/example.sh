#!/usr/bin/env bash
# Builds rpmsg-doctor and scans the bundled i.MX8QM example snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release
status=0
.build/release/rpmsg-doctor scan --from examples/imx8qm-wrong-ctrl.json --ctrl /dev/rpmsg_ctrl0 --dst 0x1e || status=$?
# Exit code 1 means "errors found": the example board is broken on purpose.
[ "$status" -le 1 ] || exit "$status"
