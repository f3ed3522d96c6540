#!/usr/bin/env python3
"""Records the kernel's uevents on the virtual board for the unit tests of `rpmsg-doctor watch`.

    python3 Tests/VirtualBoard/record_uevents.py [NAME...]

Each recording boots the board with a scenario, starts `udevadm monitor --kernel --property` on the rpmsg, virtio,
tty and remoteproc subsystems, does one thing (a probe, a ctrl unbound and bound, a remote that restarts or
crashes, a virtio device taken away and brought back), and writes what the monitor printed to
Tests/RecordedUevents/NAME.uevents. The Swift tests (WatchMappingTests) replay them.
"""

import os
import sys

import board
from doctor import BINARY, REPO, scenario

OUT = os.path.join(REPO, "Tests", "RecordedUevents")
SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "guest-scripts")
PROBE_SERVICE = f"{BINARY} probe --service rpmsg-openamp-demo-channel --timeout 300 >/dev/null"
ECHO_FOREVER = {"name": "rpmsg-openamp-demo-channel", "addr": 30, "behaviour": "echo"}

RECORDINGS = {
    # name: (scenario, guest commands while the monitor runs)
    "probe-endpoint": (scenario("canonical"), PROBE_SERVICE),
    "ctrl-rebound": (scenario("canonical"),
                     "echo virtio0.rpmsg_ctrl.0.0 > /sys/bus/rpmsg/drivers/rpmsg_ctrl/unbind; sleep 0.3; "
                     "echo virtio0.rpmsg_ctrl.0.0 > /sys/bus/rpmsg/drivers/rpmsg_ctrl/bind"),
    # The probe holds its endpoint (dst 30) through the pause while the remote moves its channel to 31.
    "channel-moved": (scenario("restart"),
                      f"{BINARY} probe --ctrl /dev/rpmsg_ctrl1 --dst 30 --count 2 --interval 1500 --timeout 300 >/dev/null"),
    "crash": (scenario("crash"), f"{BINARY} probe --service rpmsg-openamp-demo-channel --count 3 --timeout 300 >/dev/null"),
    "virtio-back": (scenario("restart"), f"{SCRIPTS}/restart-virtio.sh 1"),
    "virtio-back-silent": ({"devices": [{"endpoints": []}, {"reconnect": True, "reannounce": False, "endpoints": [ECHO_FOREVER]}]},
                           f"{SCRIPTS}/restart-virtio.sh 1"),
    "tty-back": ({"devices": [{"reconnect": True, "endpoints": [{"name": "rpmsg-tty", "addr": 30, "behaviour": "echo"}]}]},
                 f"{SCRIPTS}/restart-virtio.sh 0"),
}

MONITOR = ("udevadm monitor --kernel --property --subsystem-match=rpmsg --subsystem-match=virtio "
           "--subsystem-match=tty --subsystem-match=remoteproc")


def record(name):
    scenario_source, actions = RECORDINGS[name]
    command = f"{MONITOR} > /tmp/uevents & monitor=$!; sleep 0.5; {actions}; sleep 3; kill $monitor; wait; cat /tmp/uevents"
    result = board.run(scenario_source, command, share=[REPO], timeout=90)
    if result.exit_code != 0:
        raise SystemExit(f"{name}: the board failed\n{result.report()}")
    events = result.stdout[result.stdout.index("KERNEL["):] if "KERNEL[" in result.stdout else ""
    with open(os.path.join(OUT, f"{name}.uevents"), "w", encoding="utf-8") as file:
        file.write(events)
    print(f"{name}: {events.count('ACTION=')} events")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or RECORDINGS:
        record(name)


if __name__ == "__main__":
    main()
