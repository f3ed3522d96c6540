#!/bin/bash
# Builds the User-Mode Linux kernel of the virtual board and prints the path of
# the `linux` binary as the last line of stdout. The result is cached, keyed by
# the config fragment, the patch and the kernel source version.
set -euo pipefail

KERNEL_SERIES=6.1
SOURCE_PACKAGE=linux-source-$KERNEL_SERIES
SOURCE_TARBALL=/usr/src/$SOURCE_PACKAGE.tar.xz
REQUIRED_PACKAGES=("$SOURCE_PACKAGE" build-essential bc flex bison libelf-dev xz-utils)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
config_fragment=$here/kernel.config
kernel_patch=$here/virtio_uml-defer-vring-interrupt.patch
cache_root=${RPMSG_DOCTOR_CACHE:-$HOME/.cache/rpmsg-doctor}
partial=""  # the build directory in progress, removed on exit

log() { echo "build-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

install_missing_packages() {
    local missing=()
    for package in "${REQUIRED_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

source_version() {
    dpkg-query -W -f='${Version}' "$SOURCE_PACKAGE"
}

cache_key() {
    { cat "$config_fragment" "$kernel_patch"; echo "$KERNEL_SERIES $(source_version)"; } \
        | sha256sum | cut -c1-16
}

# A build killed with SIGKILL leaves its partial directory behind; its pid is in the name.
remove_abandoned_builds() {
    local partial pid
    for partial in "$cache_root"/uml-*.partial.*; do
        [ -e "$partial" ] || continue
        pid=${partial##*.}
        kill -0 "$pid" 2>/dev/null || rm -rf "$partial"
    done
}

# Sets every option of the fragment, then fails if Kconfig dropped any of them.
configure() {
    local tree=$1 line name value
    make -C "$tree" ARCH=um tinyconfig >/dev/null
    while IFS= read -r line; do
        if [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(.*)$ ]]; then
            name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
            if [ "$value" = y ]; then
                "$tree/scripts/config" --file "$tree/.config" --enable "$name"
            else
                "$tree/scripts/config" --file "$tree/.config" --set-val "$name" "$value"
            fi
        elif [[ $line =~ ^#\ CONFIG_([A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
            "$tree/scripts/config" --file "$tree/.config" --disable "${BASH_REMATCH[1]}"
        fi
    done < "$config_fragment"
    make -C "$tree" ARCH=um olddefconfig >/dev/null

    local dropped=()
    while IFS= read -r line; do
        if [[ $line =~ ^CONFIG_ || $line =~ ^#\ CONFIG_.*\ is\ not\ set$ ]]; then
            grep -qxF -- "$line" "$tree/.config" || dropped+=("$line")
        fi
    done < "$config_fragment"
    [ ${#dropped[@]} -eq 0 ] || die "Kconfig did not keep: ${dropped[*]}"
}

build() {
    local final=$1
    partial=$1.partial.$$
    trap 'rm -rf "$partial"' EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$partial"
    local started=$SECONDS

    log "unpacking $SOURCE_TARBALL"
    tar -xJf "$SOURCE_TARBALL" -C "$partial"
    local tree=$partial/$SOURCE_PACKAGE
    patch -d "$tree" -p1 --quiet < "$kernel_patch"

    log "configuring"
    configure "$tree"

    log "building (make ARCH=um -j$(nproc)), log in $partial/build.log"
    if ! make -C "$tree" ARCH=um -j"$(nproc)" linux >"$partial/build.log" 2>&1; then
        tail -n 40 "$partial/build.log" >&2
        die "kernel build failed"
    fi

    mkdir "$partial/result"
    cp "$tree/linux" "$tree/.config" "$partial/build.log" "$partial/result/"
    rm -rf "$tree"
    # The rename is the commit point: the cache holds either nothing or a complete build.
    if ! mv -T "$partial/result" "$final" 2>/dev/null; then
        [ -x "$final/linux" ] || die "could not move the build to $final"
        log "another build finished first, keeping it"
    fi
    log "built in $((SECONDS - started)) s"
}

main() {
    local final
    if [ -f "$SOURCE_TARBALL" ]; then
        final=$cache_root/uml-$(cache_key)
        if [ -x "$final/linux" ]; then
            echo "$final/linux"
            return
        fi
    fi
    install_missing_packages
    [ -f "$SOURCE_TARBALL" ] || die "$SOURCE_TARBALL not found although $SOURCE_PACKAGE is installed"
    mkdir -p "$cache_root"
    remove_abandoned_builds
    final=$cache_root/uml-$(cache_key)
    [ -x "$final/linux" ] || build "$final"
    echo "$final/linux"
}

main "$@"
