#!/usr/bin/env bash
# Rebuilds the bundled example snapshot: the i.MX8QM board of the canonical story (fixture recipe
# imx8qm-canonical), read by its ordinary user torizon (uid 1000, in group dialout), as a user on that
# board would run `rpmsg-doctor snapshot`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
root=$(.build/debug/rpmsg-doctor-fixture imx8qm-canonical)
trap 'rm -rf "$root"' EXIT
setpriv --reuid=1000 --regid=1000 --groups=20 .build/debug/rpmsg-doctor snapshot --root "$root" > examples/imx8qm-wrong-ctrl.json
