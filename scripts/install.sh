#!/usr/bin/env bash
# Installs rpmsg-doctor like a Linux tool: the static binary, a man page generated from the command's own
# definitions, and bash, zsh and fish completions.
#   bash scripts/install.sh [PREFIX]        (default /usr/local; DESTDIR is honoured for packaging)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
root="${DESTDIR:-}$prefix"

[ -x .build/static/rpmsg-doctor ] || bash scripts/build-static.sh >/dev/null
binary=.build/static/rpmsg-doctor

manuals=.build/manual
mkdir -p "$manuals"
swift package --allow-writing-to-directory "$manuals" generate-manual --output-directory "$manuals" >/dev/null

install -D -m 0755 "$binary" "$root/bin/rpmsg-doctor"
install -D -m 0644 "$manuals/rpmsg-doctor.1" "$root/share/man/man1/rpmsg-doctor.1"
completions=$(mktemp -d)
trap 'rm -rf "$completions"' EXIT
"$binary" --generate-completion-script bash > "$completions/bash"
"$binary" --generate-completion-script zsh > "$completions/zsh"
"$binary" --generate-completion-script fish > "$completions/fish"
install -D -m 0644 "$completions/bash" "$root/share/bash-completion/completions/rpmsg-doctor"
install -D -m 0644 "$completions/zsh" "$root/share/zsh/site-functions/_rpmsg-doctor"
install -D -m 0644 "$completions/fish" "$root/share/fish/vendor_completions.d/rpmsg-doctor.fish"
echo "installed rpmsg-doctor in $root: bin, share/man/man1, and bash, zsh and fish completions"
