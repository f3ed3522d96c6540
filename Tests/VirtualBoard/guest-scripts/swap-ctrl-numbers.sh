#!/bin/sh
# Rebinds the control devices in reverse order, so that rpmsg_ctrl0 belongs to virtio1 and rpmsg_ctrl1 to
# virtio0, as on boards where the vdevs probe in another order: ctrl numbers come from a global counter.
set -e
driver=/sys/bus/rpmsg/drivers/rpmsg_ctrl
for device in virtio0.rpmsg_ctrl.0.0 virtio1.rpmsg_ctrl.0.0; do echo "$device" > "$driver/unbind"; done
for device in virtio1.rpmsg_ctrl.0.0 virtio0.rpmsg_ctrl.0.0; do echo "$device" > "$driver/bind"; done
