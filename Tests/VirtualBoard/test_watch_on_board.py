"""rpmsg-doctor watch on the virtual board: the changes a probe, a ctrl rebound, a restarting and a crashing remote
make, each tied to the right virtio device, remote core and control device, through udev's events and the kernel's."""

import json
import os
import re

import pytest

import board
from doctor import HERE, REPO, command, run, schema_validator

SCRIPTS = os.path.join(HERE, "guest-scripts")
SERVICE = "rpmsg-openamp-demo-channel"
# Any rules file makes the board start systemd-udevd.
UDEV_RULES = 'SUBSYSTEM=="rpmsg", MODE="0600"\n'
SOURCES = {"udev": UDEV_RULES, "kernel": None}


WATCH_SCHEMA = schema_validator("watch")


@pytest.fixture(scope="session")
def kernel():
    return board.kernel()


def watching(actions, *options, json_lines=True):
    """Shell: starts watch in the background, waits for its baseline, runs the actions, waits for watch to end, and
    prints its output, then "exit N" with its exit status. Background commands of a shell without job control
    ignore SIGINT; a user's watch does not."""
    output = "/tmp/watch.out"
    first_state = '"event":"state"' if json_lines else "] state "
    return (f"env --default-signal=INT,TERM {command('watch', *(('--json',) if json_lines else ()), *options)} >{output} 2>/tmp/watch.err & "
            f"watch=$!; until grep -q '{first_state}' {output}; do sleep 0.05; done; "
            f"{actions}; wait $watch; status=$?; cat {output}; cat /tmp/watch.err >&2; echo \"exit $status\"")


def events_of(result):
    """The JSON lines watch printed, each valid against docs/schema/watch.schema.json, and its exit status."""
    lines = result.stdout.splitlines()
    assert lines and lines[-1].startswith("exit "), result.report()
    events = [json.loads(line) for line in lines[:-1]]
    for event in events:
        problems = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in WATCH_SCHEMA.iter_errors(event)]
        assert not problems, f"not a valid watch line: {event}\n" + "\n".join(problems)
    return events, int(lines[-1].split()[1])


def changes(events, *kinds):
    return [e for e in events if e["event"] in kinds]


def codes(event):
    return [f["id"] for f in event["findings"]]


@pytest.mark.parametrize("source", SOURCES)
def test_the_endpoint_a_probe_creates_and_destroys(kernel, source):
    # The probe holds its endpoint a second: udev's events come after its rules ran.
    probe = command("probe", "--service", SERVICE, "--count", "2", "--interval", "1000", "--timeout", "3000") + " >/dev/null"
    result = run("canonical", watching(probe, "--count", "2", "--timeout", "30"), kernel, udev_rules=SOURCES[source])
    events, status = events_of(result)
    assert status == 0, result.report()
    assert events[0]["event"] == "started" and events[0]["source"] == source, events[0]
    assert [e["core"] for e in changes(events, "state")] == ["virtio-uml.0", "virtio-uml.1"]
    created, destroyed = changes(events, "endpointCreated", "endpointDestroyed")
    for event in (created, destroyed):
        assert (event["node"], event["virtio"], event["core"], event["control"]) == ("/dev/rpmsg0", "virtio1", "virtio-uml.1", "/dev/rpmsg_ctrl1"), event
        assert (event["name"], event["dst"]) == (SERVICE, 30), event
    seen = created["holders"] + created.get("controlHolders", []) + destroyed["holders"]
    assert "rpmsg-doctor" in {holder["command"] for holder in seen}, (created, destroyed)
    assert events[-1]["event"] == "stopped" and events[-1]["reason"] == "count" and events[-1]["changes"] == 2


@pytest.mark.parametrize("source", SOURCES)
def test_ctrls_unbound_and_bound_again_in_the_other_order(kernel, source):
    """swap-ctrl-numbers.sh gives rpmsg_ctrl0 to virtio1: watch follows the sysfs path, not the number."""
    swap = os.path.join(SCRIPTS, "swap-ctrl-numbers.sh")
    result = run("canonical", watching(swap, "--count", "4", "--timeout", "30"), kernel, udev_rules=SOURCES[source])
    events, status = events_of(result)
    assert status == 0, result.report()
    removed = changes(events, "controlRemoved")
    added = changes(events, "controlAdded")
    assert {e["node"]: e["virtio"] for e in removed} == {"/dev/rpmsg_ctrl0": "virtio0", "/dev/rpmsg_ctrl1": "virtio1"}, result.report()
    assert {e["node"]: e["virtio"] for e in added} == {"/dev/rpmsg_ctrl0": "virtio1", "/dev/rpmsg_ctrl1": "virtio0"}, result.report()
    assert {e["node"]: e["core"] for e in added} == {"/dev/rpmsg_ctrl0": "virtio-uml.1", "/dev/rpmsg_ctrl1": "virtio-uml.0"}
    assert all(e["controls"] == [e["node"]] for e in added)


@pytest.mark.parametrize("source", SOURCES)
def test_a_remote_that_restarts_on_another_address(kernel, source):
    """The probe's endpoint (dst 30) stays open through its pause while the remote destroys the channel and announces
    it again at 31."""
    probe = command("probe", "--ctrl", "/dev/rpmsg_ctrl1", "--dst", "30", "--count", "2", "--interval", "1500", "--timeout", "300")
    result = run("restart", watching(probe + " >/dev/null", "--count", "4", "--timeout", "30"), kernel, udev_rules=SOURCES[source])
    events, status = events_of(result)
    assert status == 0, result.report()
    assert [e["event"] for e in changes(events, "endpointCreated", "endpointDestroyed", "channelDestroyed", "channelAnnounced")] == [
        "endpointCreated", "channelDestroyed", "channelAnnounced", "endpointDestroyed"], result.report()
    destroyed = changes(events, "channelDestroyed")[0]
    assert (destroyed["dst"], destroyed["virtio"], destroyed["controls"], destroyed["core"]) == (30, "virtio1", ["/dev/rpmsg_ctrl1"], "virtio-uml.1")
    assert codes(destroyed) == ["RD509"] and "/dev/rpmsg0" in destroyed["findings"][0]["summary"], destroyed
    announced = changes(events, "channelAnnounced")[0]
    assert (announced["dst"], announced["previousDst"], announced["virtio"]) == (31, 30, "virtio1")
    assert codes(announced) == ["RD411"], announced


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("reannounce", [True, False])
def test_a_remote_stopped_and_started_again(kernel, reannounce, source):
    """restart-virtio.sh takes virtio1 away and brings it back, as remoteproc's stop and start do."""
    scenario = {"devices": [{"endpoints": []}, {"reconnect": True, "reannounce": reannounce, "endpoints": [
        {"name": SERVICE, "addr": 30, "behaviour": "echo"}]}]}
    restart = os.path.join(SCRIPTS, "restart-virtio.sh") + " 1"
    result = board.run(scenario, watching(restart, "--timeout", "7"), share=[REPO], kernel_path=kernel, udev_rules=SOURCES[source])
    events, status = events_of(result)
    assert status == 0, result.report()
    gone = changes(events, "virtioRemoved")[0]
    assert (gone["virtio"], gone["core"], gone["controls"]) == ("virtio1", "virtio-uml.1", ["/dev/rpmsg_ctrl1"]) and codes(gone) == ["RD507"], gone
    assert all(e.get("withVirtio") for e in changes(events, "controlRemoved", "channelDestroyed")), result.report()
    back = changes(events, "virtioAdded")[0]
    assert back["virtio"] == "virtio1" and back["core"] == "virtio-uml.1" and back["goneSeconds"] >= 0.4, back
    again = changes(events, "channelAnnounced")
    missing = changes(events, "announcementMissing")
    if reannounce:
        assert [(e["dst"], e["previousDst"], codes(e)) for e in again] == [(30, 30, [])] and missing == [], result.report()
    else:
        assert again == [] and [codes(e) for e in missing] == [["RD410"]], result.report()
        assert missing[0]["controls"] == ["/dev/rpmsg_ctrl1"]


@pytest.mark.parametrize("source", SOURCES)
def test_a_remote_that_crashes(kernel, source):
    probe = command("probe", "--service", SERVICE, "--count", "3", "--timeout", "300") + " >/dev/null"
    result = run("crash", watching(probe, "--timeout", "8"), kernel, udev_rules=SOURCES[source])
    events, status = events_of(result)
    assert status == 0, result.report()
    gone = changes(events, "virtioRemoved")
    assert len(gone) == 1 and (gone[0]["virtio"], gone[0]["core"]) == ("virtio0", "virtio-uml.0"), result.report()
    assert codes(gone[0]) == ["RD507"] and SERVICE in gone[0]["findings"][0]["summary"]
    channel = changes(events, "channelDestroyed")
    assert [(e["name"], e.get("withVirtio")) for e in channel] == [(SERVICE, True)], result.report()
    assert not any("RD509" in codes(e) for e in events), "the endpoint went with the remote"


def test_text_says_what_changed_and_what_it_means(kernel):
    probe = command("probe", "--ctrl", "/dev/rpmsg_ctrl1", "--dst", "30", "--count", "2", "--interval", "1500", "--timeout", "300")
    result = run("restart", watching(probe + " >/dev/null", "--count", "4", "--timeout", "30", json_lines=False), kernel)
    lines = result.stdout.splitlines()
    assert lines[-1] == "exit 0", result.report()
    assert re.match(r"^\[ +[0-9]+\.[0-9]{3}\] watching rpmsg, virtio, remoteproc, tty through the kernel's events", lines[0]), lines[0]
    text = "\n".join(lines)
    assert 'state              virtio-uml.1  virtio1: ctrl /dev/rpmsg_ctrl1, channel "rpmsg-openamp-demo-channel" dst 0x1e' in text
    assert re.search(r'endpoint created +/dev/rpmsg0 "rpmsg-openamp-demo-channel" src \S+ dst 0x1e  on virtio1 via /dev/rpmsg_ctrl1  core virtio-uml.1', text), text
    assert 'channel destroyed  "rpmsg-openamp-demo-channel" dst 0x1e  on virtio1 (ctrl /dev/rpmsg_ctrl1)  core virtio-uml.1' in text
    assert "error[RD509] /dev/rpmsg0 still sends to 0x1e" in text
    assert "warning[RD411] Channel \"rpmsg-openamp-demo-channel\" is back on virtio-uml.1 at 0x1f, no longer at 0x1e" in text
    assert lines[-2].endswith("stopped (count) after 4 changes")


def test_it_ends_on_time(kernel):
    timed = ("start=$(cut -d' ' -f1 /proc/uptime); " + command("watch", "--json", "--timeout", "2")
             + " >/tmp/out; echo \"exit $?\"; end=$(cut -d' ' -f1 /proc/uptime); echo \"$start $end\"")
    result = run("canonical", timed, kernel)
    lines = result.stdout.splitlines()
    assert lines[0] == "exit 0", result.report()
    start, end = map(float, lines[1].split())
    assert 2.0 <= end - start < 4.0, result.report()


@pytest.mark.parametrize("signal", ["INT", "TERM", "HUP"])
def test_it_ends_cleanly_on_a_signal(kernel, signal):
    result = run("canonical", watching(f"sleep 0.3; kill -{signal} $watch"), kernel)
    events, status = events_of(result)
    assert status == 0, result.report()
    assert events[-1]["event"] == "stopped" and events[-1]["reason"] == f"SIG{signal}", events[-1]


def test_it_holds_no_device_open_and_its_memory_stays_flat(kernel):
    """A thousand changes (a ctrl unbound and bound again 500 times); watch's resident memory after the first hundred
    and after all of them, and every descriptor it holds while it runs."""
    cycle = ("echo virtio0.rpmsg_ctrl.0.0 > /sys/bus/rpmsg/drivers/rpmsg_ctrl/unbind; "
             "echo virtio0.rpmsg_ctrl.0.0 > /sys/bus/rpmsg/drivers/rpmsg_ctrl/bind")
    rss = "grep VmRSS /proc/$watch/status | tr -s ' ' | cut -d' ' -f2"
    actions = (f"for i in $(seq 100); do {cycle}; done; sleep 1; early=$({rss}); "
               f"for i in $(seq 400); do {cycle}; done; sleep 2; late=$({rss}); "
               "ls -l /proc/$watch/fd | sed 's/.*-> //' >/tmp/fds; kill -TERM $watch")
    result = run("canonical", watching(actions + '; echo "rss $early $late" >&2; cat /tmp/fds >&2'), kernel, timeout=180)
    events, status = events_of(result)
    assert status == 0, result.report()
    assert events[-1]["changes"] == 1000 and len(changes(events, "controlRemoved", "controlAdded")) == 1000, events[-1]
    early, late = map(int, re.search(r"rss (\d+) (\d+)", result.stderr).groups())
    assert late - early < 512, f"resident memory grew from {early} to {late} KiB over 800 changes"
    held = [line for line in result.stderr.splitlines() if line.startswith("/dev/")]
    assert held == ["/dev/null"], f"watch holds {held}"
