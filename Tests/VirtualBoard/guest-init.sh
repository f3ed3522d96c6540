#!/bin/sh
# PID 1 of the virtual board's guest. The root file system is the host's / (read-only);
# BOARD_EXCHANGE, from the kernel command line, is a host directory that holds this
# run's settings (guest.env, shares, udev.rules) and receives its results.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir /run/board
mount -t hostfs -o "$BOARD_EXCHANGE" none /run/board

# Sets BOARD_DEVICES, BOARD_CHANNELS, BOARD_SETTLE_SECONDS, BOARD_COMMAND_SECONDS,
# BOARD_SETPRIV (setpriv options, empty for root), BOARD_HOME, BOARD_ARGV (quoted)
# and BOARD_INTERACTIVE (non-empty: the command gets the console instead).
. /run/board/guest.env

while IFS= read -r dir; do
    mkdir -p "$dir" && mount -t hostfs -o "ro,$dir" none "$dir"
done < /run/board/shares

count_matches() {
    set -- $1
    if [ -e "$1" ]; then echo $#; else echo 0; fi
}

# Waits until every virtio device has its ctrl and every announced channel exists.
settle() {
    deadline=$(( $(cut -d. -f1 /proc/uptime) + BOARD_SETTLE_SECONDS ))
    while :; do
        ctrls=$(count_matches '/sys/class/rpmsg/rpmsg_ctrl*')
        channels=$(count_matches '/sys/bus/rpmsg/devices/virtio*.-1.*')
        if [ "$ctrls" -ge "$BOARD_DEVICES" ] && [ "$channels" -ge "$BOARD_CHANNELS" ]; then
            return
        fi
        if [ "$(cut -d. -f1 /proc/uptime)" -ge "$deadline" ]; then
            echo "board: not settled after ${BOARD_SETTLE_SECONDS} s: $ctrls of $BOARD_DEVICES ctrl devices," \
                "$channels of $BOARD_CHANNELS channels" | tee /run/board/settle-timeout
            return
        fi
        sleep 0.02
    done
}

start_udev() {
    mkdir -p /run/udev/rules.d
    cp /run/board/udev.rules /run/udev/rules.d/90-board.rules
    /lib/systemd/systemd-udevd --daemon
    udevadm trigger --action=add
    udevadm settle --timeout="$BOARD_SETTLE_SECONDS"
}

settle
if [ -s /run/board/udev.rules ]; then
    start_udev
fi
eval "set -- $BOARD_ARGV"
cd /tmp
if [ -n "$BOARD_INTERACTIVE" ]; then
    echo "board: exit the shell to power the board off"
    env -i PATH="$PATH" HOME="$BOARD_HOME" TERM="${TERM:-linux}" \
        setsid -c setpriv $BOARD_SETPRIV -- "$@" </dev/console >/dev/console 2>&1
else
    env -i PATH="$PATH" HOME="$BOARD_HOME" LANG=C.UTF-8 \
        timeout -k 2 "$BOARD_COMMAND_SECONDS" setpriv $BOARD_SETPRIV -- "$@" \
        </dev/null >/run/board/stdout 2>/run/board/stderr
    echo $? >/run/board/exit_code
fi

dmesg >/run/board/kernel.log
sync
echo o >/proc/sysrq-trigger
sleep 60
