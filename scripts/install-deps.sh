#!/usr/bin/env bash
# Installs the Debian packages rpmsg-doctor needs to build (and, with --tests, to run every test).
set -euo pipefail

packages=(libudev-dev libarchive-dev zlib1g-dev pkg-config)
pip_packages=()
if [ "${1:-}" = "--tests" ]; then
    packages+=(udev util-linux man-db groff-base)
    # The collector's tests: busybox applets alone (a static busybox also runs chrooted in the fixture
    # trees; an installed busybox is kept, Debian's two conflict) and strace in the virtual board.
    command -v busybox >/dev/null || packages+=(busybox-static)
    packages+=(strace)
    # The Python modules of the tests: Debian's packages for Debian's own python3 (its pip refuses to
    # install there), pip for any other python3 (a venv, pyenv).
    command -v python3 >/dev/null || packages+=(python3)
    for module in pytest jsonschema; do
        python3 -c "import $module" 2>/dev/null && continue
        if ! command -v python3 >/dev/null || [ "$(python3 -c 'import sys; print(sys.prefix)')" = /usr ]; then
            packages+=("python3-$module")
        else
            pip_packages+=("$module")
        fi
    done
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#pip_packages[@]} -gt 0 ]; then
    python3 -m pip install -q "${pip_packages[@]}"
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run this as root, or install them)" >&2
    exit 1
fi
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
