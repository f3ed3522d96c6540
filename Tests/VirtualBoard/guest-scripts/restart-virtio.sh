#!/bin/sh
# Takes the virtio device of remote N away and brings it back, as remoteproc's stop and start do on a real board:
# unbinding virtio-uml.N removes its virtio device (and every channel, ctrl, endpoint and tty on it) and closes the
# vhost-user connection; binding it connects again, to a remote whose scenario device has "reconnect": true.
# usage: restart-virtio.sh N [SECONDS_AWAY]
set -e
driver=/sys/bus/platform/drivers/virtio-uml
echo "virtio-uml.$1" > "$driver/unbind"
sleep "${2:-0.5}"
echo "virtio-uml.$1" > "$driver/bind"
