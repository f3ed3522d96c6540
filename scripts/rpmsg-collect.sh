#!/bin/sh
# rpmsg-collect.sh: everything rpmsg-doctor's discovery reads about RPMsg on a board, gathered into one
# gzip-compressed tar with nothing but a POSIX shell and busybox: for boards without rpmsg-doctor.
#
# Usage, on the board, as the user who has the problem (root is not needed, and hides permission problems):
#
#   sh rpmsg-collect.sh              # writes ./rpmsg-collect-HOST-YYYYmmdd-HHMMSS.tar.gz and prints its path
#   sh rpmsg-collect.sh -o FILE      # writes FILE (an existing FILE is replaced only if it is a regular file)
#   sh rpmsg-collect.sh -o -         # writes the archive to standard output
#
# Then, anywhere:  tar -xzf FILE && rpmsg-doctor scan --root rpmsg-collect
#
# The archive holds one directory, rpmsg-collect/, with the board's own paths below it, so that a scan
# of it reads exactly what a scan on the board would have read:
#
#   sys/             The sysfs closure of rpmsg: /sys/bus/rpmsg (devices and drivers), /sys/class/rpmsg,
#                    /sys/class/remoteproc, /sys/bus/virtio (devices and drivers), /sys/class/tty/ttyRPMSG*,
#                    and every device directory their links lead to, with its parents up to /sys/devices.
#                    Links keep their exact relative targets: which virtio device and remote core a ctrl,
#                    an endpoint or a channel belongs to is told by resolving them, never by numbers.
#                    Of each directory only the attributes discovery reads are copied (see ATTRIBUTES
#                    and DEVICE_LINKS), with cat's view of them (sysfs reports 4096-byte sizes, so tar
#                    cannot copy them). Nothing that is not a regular file with a read permission bit
#                    is ever opened (no write-only attribute, no device), no link is followed out of /sys.
#   sys/firmware/devicetree/base/
#                    Device-tree nodes named or compatible with rpmsg, reserved-memory carve-outs, and
#                    the of_node of each device copied: compatible, status and vdev-nums only.
#   sys/bus/platform/devices/
#                    The platform devices of rpmsg transport nodes, with their driver links.
#   sys/kernel/debug/remoteproc/*/resource_table, sys/kernel/debug/devices_deferred
#                    The resource tables of the remote cores and the devices whose probe is deferred,
#                    when run as root with debugfs mounted.
#   proc/            devices, modules, config.gz, sys/kernel/osrelease, sys/kernel/dmesg_restrict, 1/cgroup,
#                    1/environ (init's container= variable only: the rest is nobody else's business;
#                    readable by root only), and for each process that holds an rpmsg device node open:
#                    PID/comm, and PID/fd/N as links to the node paths the kernel shows.
#   dev/kmsg         The kernel log as a regular file of /dev/kmsg records, the newest 2 MiB.
#   etc/passwd, etc/group
#                    Names of the device nodes' owners and of the user.
#   etc/udev/rules.d, run/udev/rules.d, lib/udev/rules.d, usr/lib/udev/rules.d
#                    The rules files that mention rpmsg.
#   run/udev/control (empty) when udevd runs; run/udev/data/cMAJ:MIN of the rpmsg devices.
#   .dockerenv, run/.containerenv
#                    Empty, when they exist on the board: signs of a container.
#   .rpmsg-collect/FORMAT      "rpmsg-collect 1"
#   .rpmsg-collect/nodes       One line per rpmsg device node in /dev (rpmsg_ctrl*, rpmsg[0-9]*, ttyRPMSG*,
#                              and the names the kernel gives in uevent): PATH TYPE MAJOR MINOR UID GID MODE.
#                              TYPE: c character device, b block device, f regular file, o other, as seen
#                              through links like rpmsg-doctor does; l: a link that leads nowhere.
#                              MAJOR, MINOR, UID, GID decimal; MODE the permission bits in octal (0600).
#                              A tar made by a user cannot hold device nodes: this is what they were.
#   .rpmsg-collect/id          Output of id: the user whose access is diagnosed.
#   .rpmsg-collect/uname       Output of uname -a.
#   .rpmsg-collect/unreadable  PATH<TAB>REASON for what could not be read, where discovery would have
#                              said so (it does without container hints silently); in the path,
#                              backslash, newline and tab are written \\, \n and \t.
#
# Needs: a POSIX sh (printf and test built in) and the applets cat ls tar gzip readlink stat id head
# mkdir rm ln find grep sed date hostname uname timeout dd mktemp tr wc: busybox 1.35 has them all, with
# every option used here.
# Writes only to its own temporary directory (below $TMPDIR, else /tmp), removed on every exit, and to
# the output. Every file is read with a size limit. Exit status: 0 written, 2 the output could not be
# written, 64 usage error, 129, 130 or 143 when stopped by SIGHUP, SIGINT or SIGTERM.

set -u
umask 077

FORMAT_VERSION=1
# Bytes read from any one file at most (what rpmsg-doctor reads of an attribute), and of /proc/config.gz.
READ_LIMIT=65536
CONFIG_READ_LIMIT=4194304
# /dev/kmsg: bytes read at most, the newest bytes kept, and seconds before reading stops (it blocks at its end).
KMSG_READ_LIMIT=16777216
KMSG_KEEP=2097152
KMSG_SECONDS=1
# Attributes copied from every device directory, and links recorded there (of_node is followed to its
# device-tree node).
ATTRIBUTES="uevent dev name src dst announce driver_override modalias device vendor features status state
 firmware recovery"
DEVICE_LINKS="driver of_node"
DEVICE_TREE=/sys/firmware/devicetree/base
# As deep below the device-tree base as rpmsg-doctor looks, and the properties it reads.
DEVICE_TREE_DEPTH=5
DEVICE_TREE_PROPERTIES="compatible status vdev-nums"
UDEV_RULES_DIRECTORIES="/etc/udev/rules.d /run/udev/rules.d /lib/udev/rules.d /usr/lib/udev/rules.d"

newline='
'
tab=$(printf '\t')
tmp=
partial_output=

usage() {
    printf '%s\n' "usage: sh rpmsg-collect.sh [-o FILE | -o -]" \
        "Gathers what rpmsg-doctor reads about RPMsg into one .tar.gz; run it as the user who has the problem." \
        "Without -o it writes rpmsg-collect-HOST-TIME.tar.gz in the current directory and prints its path." \
        "Then: tar -xzf FILE && rpmsg-doctor scan --root rpmsg-collect"
}

say() {
    printf 'rpmsg-collect: %s\n' "$*" >&2
}

die() {
    die_status=$1
    shift
    say "$*"
    exit "$die_status"
}

cleanup() {
    if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
    if [ -n "$partial_output" ]; then rm -f "$partial_output"; fi
}

# ---- text -------------------------------------------------------------------------------------------

# Sets replaced to TEXT with every FROM replaced by TO (shell only: names may hold any byte).
replace_all() {
    replace_rest=$1
    replaced=
    while :; do
        case $replace_rest in
        *"$2"*)
            replaced=$replaced${replace_rest%%"$2"*}$3
            replace_rest=${replace_rest#*"$2"}
            ;;
        *)
            replaced=$replaced$replace_rest
            return 0
            ;;
        esac
    done
}

# Sets replaced to PATH on one line: backslash, newline and tab as \\, \n and \t.
one_line() {
    # shellcheck disable=SC1003 # a lone backslash, not an escaped quote
    replace_all "$1" '\' '\\'
    replace_all "$replaced" "$newline" '\n'
    replace_all "$replaced" "$tab" '\t'
}

# Whether FILE holds an error message. "Terminated" is the shell's note about a command that timeout
# stopped, which is how reading /dev/kmsg ends.
has_errors() {
    grep -q -v -x Terminated "$1"
}

# Sets reason to the reason in the first error message in FILE, in rpmsg-doctor's words where it has them.
reason_of() {
    reason=
    reason_line=
    while IFS= read -r reason_line || [ -n "$reason_line" ]; do
        if [ "$reason_line" != Terminated ]; then
            reason=${reason_line##*: }
            break
        fi
        reason_line=
    done < "$1"
    case $reason in
    "No such file or directory" | "No such device" | "No such device or address" | "Not a directory")
        reason="does not exist" ;;
    "Permission denied" | "Operation not permitted") reason="permission denied" ;;
    "") reason="could not be read" ;;
    esac
}

note_unreadable() {
    one_line "$1"
    printf '%s\t%s\n' "$replaced" "$2" >> "$meta/unreadable"
}

# Notes PATH with the reason in the error file, unless it is that PATH vanished meanwhile.
note_failure() {
    reason_of "$errors"
    if [ "$reason" != "does not exist" ]; then note_unreadable "$1" "$reason"; fi
}

# ---- copying ----------------------------------------------------------------------------------------

# Creates a directory in the archive, with its parents, unless it is there.
ensure_dir() {
    [ -d "$root$1" ] || mkdir -p "$root$1"
}

# Whether a mode in hex (stat's %f) is a regular file's, and whether it has a read permission bit.
is_regular() {
    [ $((0x$1 & 61440)) -eq 32768 ]
}

has_read_bit() {
    [ $((0x$1 & 292)) -ne 0 ]
}

# Copies at most READ_LIMIT bytes of a file into the archive at the same path, or notes why not.
# Callers make sure it is a regular file.
copy_file() {
    ensure_dir "${1%/*}"
    if head -c "${2:-$READ_LIMIT}" "$1" > "$root$1" 2> "$errors"; then return 0; fi
    rm -f "$root$1"
    note_failure "$1"
    return 1
}

# A file discovery expects: copied if it is a regular file, noted otherwise.
copy_expected() {
    if [ -f "$1" ]; then
        copy_file "$1"
    elif [ -e "$1" ]; then
        note_unreadable "$1" "not a regular file"
    else
        note_unreadable "$1" "does not exist"
    fi
}

# A file that may be absent: copied if it is a regular file.
copy_optional() {
    if [ -f "$1" ]; then
        copy_file "$1"
    elif [ -e "$1" ]; then
        note_unreadable "$1" "not a regular file"
    fi
}

# An empty regular file in the archive when PATH exists (a socket or a marker, never read).
copy_existence() {
    if [ -e "$1" ]; then
        ensure_dir "${1%/*}"
        : > "$root$1"
    fi
}

# Recreates a symbolic link with its exact target, also left in link_target (readlink -n; the x keeps
# a trailing newline). Fails when it cannot be read, or was recreated before.
copy_link() {
    link_target=
    if [ -e "$root$1" ] || [ -L "$root$1" ]; then return 1; fi
    if ! link_target=$(readlink -n "$1" 2> "$errors" && printf x); then
        note_failure "$1"
        return 1
    fi
    link_target=${link_target%x}
    ensure_dir "${1%/*}"
    ln -s -- "$link_target" "$root$1"
}

# Sets resolved to where the link LINK with target TARGET leads, from the paths alone: a sysfs link's
# target is a relative path through real directories. Fails unless that is a directory inside /sys, so
# no link is followed out of /sys.
resolve_in_sys() {
    case $2 in
    /*) resolved='' resolve_rest=${2#/} ;;
    *) resolved=${1%/*} resolve_rest=$2 ;;
    esac
    while [ -n "$resolve_rest" ]; do
        resolve_part=${resolve_rest%%/*}
        case $resolve_rest in
        */*) resolve_rest=${resolve_rest#*/} ;;
        *) resolve_rest= ;;
        esac
        case $resolve_part in
        "" | .) ;;
        ..) resolved=${resolved%/*} ;;
        *) resolved=$resolved/$resolve_part ;;
        esac
    done
    case $resolved in
    /sys/?*) [ -d "$resolved" ] && [ ! -L "$resolved" ] ;;
    *) return 1 ;;
    esac
}

# ---- sysfs ------------------------------------------------------------------------------------------

# Sets readable to those of ATTRIBUTES that DIR holds as regular files with a read permission bit,
# from one stat (which never opens them) as MODE:NAME lines. A write-only one is noted as sysfs
# refuses it to everyone, root too.
readable_attributes() {
    readable=
    # shellcheck disable=SC2086 # ATTRIBUTES is a list of plain names
    attribute_modes=$(cd "$1" 2> /dev/null && exec stat -c '%f:%n' $ATTRIBUTES 2> /dev/null)
    for attribute_entry in $attribute_modes; do
        is_regular "${attribute_entry%%:*}" || continue
        if has_read_bit "${attribute_entry%%:*}"; then
            readable="$readable ${attribute_entry#*:}"
        else
            note_unreadable "$1/${attribute_entry#*:}" "permission denied"
        fi
    done
}

# One device-tree node: the properties discovery reads (its parents become directories).
copy_device_tree_node() {
    ensure_dir "$1"
    for node_property in $DEVICE_TREE_PROPERTIES; do
        if [ -f "$1/$node_property" ] && [ ! -L "$1/$node_property" ]; then copy_file "$1/$node_property"; fi
    done
}

# One directory of a device: its attributes, its driver link, and its of_node link with that node.
copy_device_files() {
    ensure_dir "$1"
    readable_attributes "$1"
    for device_attribute in $readable; do
        copy_file "$1/$device_attribute"
    done
    for device_link in $DEVICE_LINKS; do
        if [ -L "$1/$device_link" ] && copy_link "$1/$device_link" && [ "$device_link" = of_node ] &&
            resolve_in_sys "$1/of_node" "$link_target"; then
            case $resolved in "$DEVICE_TREE"/*) copy_device_tree_node "$resolved" ;; esac
        fi
    done
}

# A device directory (canonical, below /sys) and its parents up to /sys/devices, each copied once.
# They are walked from the top, and only this walk makes directories below /sys/devices: one that is
# in the archive already has been copied.
copy_device() {
    case $1 in
    /sys/devices/?*) ;;
    *)
        copy_device_files "$1"
        return 0
        ;;
    esac
    ensure_dir /sys/devices
    device_dir=/sys/devices
    device_rest=${1#/sys/devices/}
    while [ -n "$device_rest" ]; do
        device_dir=$device_dir/${device_rest%%/*}
        case $device_rest in
        */*) device_rest=${device_rest#*/} ;;
        *) device_rest= ;;
        esac
        if [ ! -d "$root$device_dir" ]; then
            mkdir "$root$device_dir" && copy_device_files "$device_dir"
        fi
    done
}

# A bus or class directory: its entries matching PATTERN as links with their targets, and the
# devices they lead to.
copy_device_links() {
    [ -d "$1" ] || return 0
    ensure_dir "$1"
    # shellcheck disable=SC2086 # PATTERN is a glob
    for class_entry in "$1"/$2; do
        if [ -L "$class_entry" ]; then
            if copy_link "$class_entry" && resolve_in_sys "$class_entry" "$link_target"; then
                copy_device "$resolved"
            fi
        elif [ -d "$class_entry" ]; then
            copy_device "$class_entry"
        fi
    done
}

# The drivers of a bus: each driver's links (bound devices, module), never followed.
copy_driver_links() {
    [ -d "$1" ] || return 0
    ensure_dir "$1"
    for driver_dir in "$1"/*; do
        if [ -L "$driver_dir" ] || [ ! -d "$driver_dir" ]; then continue; fi
        ensure_dir "$driver_dir"
        for driver_entry in "$driver_dir"/*; do
            if [ -L "$driver_entry" ]; then copy_link "$driver_entry"; fi
        done
    done
}

collect_sysfs() {
    for sysfs_dir in /sys/bus/rpmsg /sys/class/rpmsg /sys/bus/virtio /sys/class/tty; do
        if [ -d "$sysfs_dir" ]; then ensure_dir "$sysfs_dir"; fi
    done
    copy_device_links /sys/bus/rpmsg/devices '*'
    copy_device_links /sys/class/rpmsg '*'
    copy_device_links /sys/class/remoteproc '*'
    copy_device_links /sys/bus/virtio/devices '*'
    copy_device_links /sys/class/tty 'ttyRPMSG*'
    copy_driver_links /sys/bus/rpmsg/drivers
    copy_driver_links /sys/bus/virtio/drivers
}

# Nodes named or compatible with rpmsg and reserved-memory carve-outs, as deep as discovery looks.
# Device-tree node names cannot hold a newline, so find's lines are safe here.
collect_device_tree() {
    [ -d "$DEVICE_TREE" ] || return 0
    ensure_dir "$DEVICE_TREE"
    {
        find "$DEVICE_TREE" -mindepth 1 -maxdepth "$DEVICE_TREE_DEPTH" -type d \
            \( -iname '*rpmsg*' -o -path '*/reserved-memory/*' \)
        find "$DEVICE_TREE" -mindepth 2 -maxdepth $((DEVICE_TREE_DEPTH + 1)) -type f -name compatible \
            -exec grep -l rpmsg {} +
    } 2> /dev/null | while IFS= read -r tree_path; do
        tree_path=${tree_path%/compatible}
        if [ -d "$tree_path" ] && [ ! -L "$tree_path" ]; then copy_device_tree_node "$tree_path"; fi
    done
}

# The platform devices made of the collected rpmsg transport nodes (compatible "...-rpmsg"), found by
# their of_node links, with their driver links: whether the transport's driver took its device.
collect_platform_devices() {
    [ -d /sys/bus/platform/devices ] || return 0
    find "$root$DEVICE_TREE" -type f -name compatible -exec grep -l -e '-rpmsg' -e ',rpmsg' {} + 2> /dev/null |
        grep -q . || return 0
    for platform_entry in /sys/bus/platform/devices/*; do
        [ -L "$platform_entry/of_node" ] || continue
        platform_node=$(readlink -n "$platform_entry/of_node" 2> /dev/null) || continue
        case $platform_node in */firmware/devicetree/base/?*) ;; *) continue ;; esac
        platform_node=$DEVICE_TREE/${platform_node#*/firmware/devicetree/base/}
        if grep -q -e '-rpmsg' -e ',rpmsg' "$root$platform_node/compatible" 2> /dev/null; then
            ensure_dir /sys/bus/platform/devices
            if copy_link "$platform_entry" && resolve_in_sys "$platform_entry" "$link_target"; then copy_device "$resolved"; fi
        fi
    done
}

# The resource tables the kernel holds for the remote cores, and the devices whose probe is deferred.
# debugfs is readable by root only (and often not mounted): otherwise they are left out, which
# discovery says in its listing.
collect_debugfs() {
    for debugfs_file in /sys/kernel/debug/remoteproc/*/resource_table /sys/kernel/debug/devices_deferred; do
        if [ -f "$debugfs_file" ] && [ -r "$debugfs_file" ]; then copy_file "$debugfs_file"; fi
    done
}

# ---- /proc ------------------------------------------------------------------------------------------

# Init's cgroup and the container= variable of its environment (NUL-terminated as in the original; the
# rest is nobody else's business): container hints, which discovery does without, silently, when it
# cannot read them (only root can read init's environment). So does this.
copy_container_hints() {
    ensure_dir /proc/1
    if [ -f /proc/1/cgroup ] && ! head -c "$READ_LIMIT" /proc/1/cgroup > "$root/proc/1/cgroup" 2> /dev/null; then
        rm -f "$root/proc/1/cgroup"
    fi
    if [ -f /proc/1/environ ] && head -c "$READ_LIMIT" /proc/1/environ > "$tmp/environ" 2> /dev/null; then
        tr '\0' '\n' < "$tmp/environ" | grep '^container=' | head -n 1 | tr '\n' '\0' > "$root/proc/1/environ"
    fi
    rm -f "$tmp/environ"
}

# PIDs whose fd listing shows a link to an rpmsg node, from one ls for every process. Each is checked
# again with readlink, so a file name that imitates ls's output cannot invent a holder.
holder_candidates() {
    # shellcheck disable=SC2012 # only PIDs and link targets are taken from ls, and checked again
    ls -l /proc/[0-9]*/fd 2> "$tmp/ls-errors" |
        sed -n -e 's#^/proc/\([0-9][0-9]*\)/fd:$#pid \1#p' \
            -e 's#.* -> /dev/rpmsg.*#hit#p' -e 's#.* -> /dev/ttyRPMSG.*#hit#p' |
        while read -r candidate_word candidate_pid; do
            case $candidate_word in
            pid) listed_pid=$candidate_pid ;;
            hit)
                if [ "${listed_pid:-}" != "${printed_pid:-}" ]; then
                    printf '%s\n' "$listed_pid"
                    printed_pid=$listed_pid
                fi
                ;;
            esac
        done
}

# One process's fds that point at rpmsg nodes, as links, and its command name.
copy_holder() {
    holder_found=
    for holder_fd in "/proc/$1/fd"/*; do
        holder_target=$(readlink -n "$holder_fd" 2> /dev/null && printf x) || continue
        case ${holder_target%x} in
        /dev/rpmsg* | /dev/ttyRPMSG*) copy_link "$holder_fd" && holder_found=yes ;;
        esac
    done
    if [ -n "$holder_found" ] && [ -f "/proc/$1/comm" ]; then copy_file "/proc/$1/comm"; fi
}

# Whether the board has endpoint devices (rpmsg class devices other than ctrls): only then does
# discovery look for holders, and say how many processes it could not inspect.
has_endpoint_devices() {
    for class_device in "$root"/sys/class/rpmsg/*; do
        case ${class_device##*/} in
        rpmsg_ctrl[0-9]*) ;;
        *) if [ -L "$class_device" ] || [ -e "$class_device" ]; then return 0; fi ;;
        esac
    done
    return 1
}

# Holders of rpmsg nodes; processes whose fds the user may not see are counted, as discovery does.
collect_holders() {
    for holder_pid in $(holder_candidates); do
        copy_holder "$holder_pid"
    done
    hidden_processes=$(grep -c -e 'Permission denied' -e 'Operation not permitted' "$tmp/ls-errors")
    if [ "$hidden_processes" -gt 0 ] && has_endpoint_devices; then
        note_unreadable "/proc/*/fd" "$hidden_processes processes could not be inspected (permission denied):\
 holders of rpmsg devices among them are not shown"
    fi
    rm -f "$tmp/ls-errors"
}

collect_proc() {
    copy_expected /proc/sys/kernel/osrelease
    copy_expected /proc/devices
    copy_optional /proc/modules
    copy_optional /proc/sys/kernel/dmesg_restrict
    # The kernel's configuration (CONFIG_IKCONFIG_PROC), compressed, within the limit discovery reads it with.
    if [ -f /proc/config.gz ]; then copy_file /proc/config.gz "$CONFIG_READ_LIMIT"; fi
    copy_container_hints
    collect_holders
}

# ---- kernel log -------------------------------------------------------------------------------------

# Reads /dev/kmsg into FILE without waiting at its end (timeout stops cat there). A read fails with
# "Broken pipe" when records were overwritten meanwhile: then it starts again, three times at most.
# Fails, with the reason noted, when nothing could be read.
read_kmsg() {
    kmsg_attempt=1
    while :; do
        # The group's standard error takes the shell's own note that timeout stopped cat.
        { timeout "$KMSG_SECONDS" cat /dev/kmsg 2> "$errors" | head -c "$KMSG_READ_LIMIT" > "$1"; } 2> /dev/null
        has_errors "$errors" || return 0
        reason_of "$errors"
        if [ "$reason" = "Broken pipe" ] && [ "$kmsg_attempt" -lt 3 ]; then
            kmsg_attempt=$((kmsg_attempt + 1))
            continue
        fi
        if [ -s "$1" ]; then
            note_unreadable /dev/kmsg "reading stopped early ($reason): the newest records may be missing"
            return 0
        fi
        note_unreadable /dev/kmsg "$reason"
        return 1
    done
}

# The newest KMSG_KEEP bytes of FILE, from the first whole record on, into dev/kmsg.
keep_newest_records() {
    # shellcheck disable=SC2046 # wc prints one number
    set -- "$1" $(wc -c < "$1")
    ensure_dir /dev
    if [ "$2" -le "$KMSG_KEEP" ]; then
        cat "$1" > "$root/dev/kmsg"
    else
        dd if="$1" bs=65536 skip=$(($2 - KMSG_KEEP)) iflag=skip_bytes 2> /dev/null | sed 1d > "$root/dev/kmsg"
    fi
}

collect_kernel_log() {
    if [ ! -e /dev/kmsg ]; then
        note_unreadable /dev/kmsg "does not exist"
    elif [ ! -c /dev/kmsg ] && [ ! -f /dev/kmsg ]; then
        note_unreadable /dev/kmsg "not a character device"
    elif read_kmsg "$tmp/kmsg"; then
        keep_newest_records "$tmp/kmsg"
    fi
    rm -f "$tmp/kmsg"
}

# ---- accounts, udev, container ----------------------------------------------------------------------

# MAJ:MIN of every rpmsg class device and ttyRPMSG, from the dev attributes copied, one per line.
device_numbers() {
    for number_file in "$root"/sys/class/rpmsg/*/dev "$root"/sys/class/tty/ttyRPMSG*/dev; do
        if [ -f "$number_file" ] && IFS= read -r device_number < "$number_file"; then
            printf '%s\n' "$device_number"
        fi
    done
}

# Rules files that mention rpmsg, where discovery looks. Files within READ_LIMIT are searched by one
# grep; larger ones one by one, their first READ_LIMIT bytes only (what discovery reads of them).
# Rules directories belong to root: their file names are taken as find prints them.
rules_files_mentioning_rpmsg() {
    for rules_dir in $UDEV_RULES_DIRECTORIES; do
        [ -d "$rules_dir" ] || continue
        find -L "$rules_dir" -mindepth 1 -maxdepth 1 -name '*.rules' -type f -size -$((READ_LIMIT + 1))c \
            -exec grep -l -i rpmsg {} + 2> /dev/null
        find -L "$rules_dir" -mindepth 1 -maxdepth 1 -name '*.rules' -type f -size +"$READ_LIMIT"c 2> /dev/null |
            while IFS= read -r rules_file; do
                if head -c "$READ_LIMIT" "$rules_file" | grep -q -i rpmsg; then printf '%s\n' "$rules_file"; fi
            done
    done
}

collect_udev() {
    rules_files_mentioning_rpmsg > "$tmp/rules-files"
    while IFS= read -r rules_file; do
        if [ -f "$rules_file" ]; then copy_file "$rules_file"; fi
    done < "$tmp/rules-files"
    rm -f "$tmp/rules-files"
    copy_existence /run/udev/control
    for udev_number in $(device_numbers); do
        case $udev_number in
        *[!0-9:]* | "") continue ;;
        esac
        copy_optional "/run/udev/data/c$udev_number"
    done
}

collect_accounts_and_container() {
    copy_expected /etc/passwd
    copy_expected /etc/group
    copy_existence /.dockerenv
    copy_existence /run/.containerenv
}

# ---- device nodes and facts -------------------------------------------------------------------------

# Prints the line of .rpmsg-collect/nodes for one path: PATH TYPE MAJOR MINOR UID GID MODE, seen
# through links as discovery sees it; a link that leads nowhere is described itself, as type l.
node_line() {
    if node_status=$(stat -L -c '%f %t %T %u %g' "$1" 2> "$errors"); then
        node_dangling=
    elif [ -L "$1" ] && node_status=$(stat -c '%f %t %T %u %g' "$1" 2> "$errors"); then
        node_dangling=yes
    else
        note_failure "$1"
        return 0
    fi
    # shellcheck disable=SC2086 # five numbers
    set -- "$1" $node_status
    node_mode=$((0x$2))
    case $((node_mode & 61440)) in
    8192) node_type=c ;;
    24576) node_type=b ;;
    32768) node_type=f ;;
    *) node_type=o ;;
    esac
    if [ -n "$node_dangling" ]; then node_type=l; fi
    printf '%s %s %d %d %d %d %04o\n' "$1" "$node_type" $((0x$3)) $((0x$4)) "$5" "$6" $((node_mode & 4095))
}

# Adds one node to .rpmsg-collect/nodes, once; names with white space cannot be written there.
record_node() {
    case $1 in
    *" "* | *"$tab"* | *"$newline"*)
        note_unreadable "$1" "not recorded in .rpmsg-collect/nodes: the name holds white space"
        return 0
        ;;
    esac
    case $nodes_recorded in *" $1 "*) return 0 ;; esac
    nodes_recorded="$nodes_recorded$1 "
    node_line "$1" >> "$meta/nodes"
}

# The nodes with the usual names, then those the kernel names in uevent (DEVNAME), where they exist.
collect_nodes() {
    : > "$meta/nodes"
    nodes_recorded=" "
    for node in /dev/rpmsg_ctrl* /dev/rpmsg[0-9]* /dev/ttyRPMSG*; do
        if [ -e "$node" ] || [ -L "$node" ]; then record_node "$node"; fi
    done
    for uevent_file in "$root"/sys/class/rpmsg/*/uevent "$root"/sys/class/tty/ttyRPMSG*/uevent; do
        if [ -f "$uevent_file" ]; then sed -n 's#^DEVNAME=\(..*\)$#/dev/\1#p' "$uevent_file"; fi
    done > "$tmp/kernel-names"
    while IFS= read -r node; do
        if [ -e "$node" ] || [ -L "$node" ]; then record_node "$node"; fi
    done < "$tmp/kernel-names"
    rm -f "$tmp/kernel-names"
}

collect_facts() {
    printf 'rpmsg-collect %s\n' "$FORMAT_VERSION" > "$meta/FORMAT"
    id > "$meta/id" 2> "$errors" || note_failure id
    uname -a > "$meta/uname" 2> "$errors" || note_failure uname
}

# ---- output -----------------------------------------------------------------------------------------

default_output() {
    output_host=$(hostname 2> /dev/null | tr -c 'A-Za-z0-9._\n-' '_')
    printf '%s/rpmsg-collect-%s-%s.tar.gz\n' "$PWD" "${output_host:-board}" "$(date +%Y%m%d-%H%M%S)"
}

# Refuses, before anything is read, an output that must not or cannot be written.
check_output() {
    [ "$1" = - ] && return 0
    if [ -L "$1" ] || { [ -e "$1" ] && [ ! -f "$1" ]; }; then
        die 2 "$1 exists and is not a regular file: refusing to replace it"
    fi
    case $1 in
    */*) output_dir=${1%/*} ;;
    *) output_dir=. ;;
    esac
    [ -d "${output_dir:-/}" ] || die 2 "cannot write $1: ${output_dir:-/} is not a directory"
}

write_archive() {
    tar -C "$tmp" -cf "$tmp/archive.tar" rpmsg-collect || die 2 "tar could not build the archive"
    if [ "$1" = - ]; then
        gzip -c < "$tmp/archive.tar" || die 2 "cannot write the archive to standard output"
        return 0
    fi
    partial_output=$1
    gzip -c < "$tmp/archive.tar" > "$1" || die 2 "cannot write $1"
    partial_output=
}

report() {
    # shellcheck disable=SC2046 # wc prints one number
    set -- $(wc -l < "$meta/unreadable")
    if [ "$1" -eq 0 ]; then
        say "everything was readable"
        return 0
    fi
    if [ "$1" -eq 1 ]; then report_paths=path; else report_paths=paths; fi
    say "$1 $report_paths could not be read (listed in rpmsg-collect/.rpmsg-collect/unreadable):"
    head -n 20 "$meta/unreadable" | sed 's/^/  /' >&2
    if [ "$1" -gt 20 ]; then say "  ..."; fi
}

main() {
    output=
    while [ $# -gt 0 ]; do
        case $1 in
        -o)
            if [ $# -lt 2 ]; then usage >&2; exit 64; fi
            output=$2
            shift 2
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            usage >&2
            exit 64
            ;;
        esac
    done
    [ -n "$output" ] || output=$(default_output)
    check_output "$output"

    trap cleanup EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpmsg-collect.XXXXXX") || die 2 "cannot create a temporary directory"
    root=$tmp/rpmsg-collect
    meta=$root/.rpmsg-collect
    errors=$tmp/errors
    mkdir -p "$meta"
    : > "$meta/unreadable"

    collect_sysfs
    collect_device_tree
    collect_platform_devices
    collect_debugfs
    collect_proc
    collect_kernel_log
    collect_accounts_and_container
    collect_udev
    collect_nodes
    collect_facts
    rm -f "$errors"
    write_archive "$output"
    report
    if [ "$output" != - ]; then printf '%s\n' "$output"; fi
}

main "$@"
