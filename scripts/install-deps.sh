#!/usr/bin/env bash
# Installs the Debian packages rpmsg-doctor needs to build (and, with --tests, to run every test).
set -euo pipefail

packages=(libudev-dev pkg-config)
if [ "${1:-}" = "--tests" ]; then
    packages+=(udev util-linux)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${1:-}" = "--tests" ] && ! python3 -c "import pytest" 2>/dev/null; then
    python3 -m pip install -q pytest
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run this as root, or install them)" >&2
    exit 1
fi
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
