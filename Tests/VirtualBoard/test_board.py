"""End-to-end tests of the virtual board itself: real UML kernel, real remotes, shell commands."""

import os
import subprocess

import pytest

import board
import scenario

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
CANONICAL_CHANNEL = "virtio1.rpmsg-openamp-demo-channel.-1.30"
# In every boot: CONFIG_UML_PCI_OVER_VIRTIO_DEVICE_ID=-1 (needed for HAS_DMA) warns once.
EXPECTED_BOOT_WARNING = "No virtio device ID configured for PCI"
# Prints "right" or "wrong" and the ctrl device whose sysfs path is (or is not) under virtio1.
CTRLS_BY_VIRTIO = (
    'for c in /sys/class/rpmsg/rpmsg_ctrl*; do '
    'case "$(readlink -f "$c")" in */virtio1/*) right=/dev/${c##*/};; *) wrong=/dev/${c##*/};; esac; done; '
)


def scenario_path(name):
    return os.path.join(SCENARIOS, f"{name}.json")


@pytest.fixture(scope="session")
def kernel():
    return board.kernel()


@pytest.fixture(scope="session")
def tools(tmp_path_factory):
    """Helper binaries built on the host and shared with the guest."""
    directory = tmp_path_factory.mktemp("guest-tools")
    directory.chmod(0o755)  # the guest mounts it at the same path; unprivileged users need to enter it
    subprocess.run(["gcc", "-static", "-O2", "-Wall", "-Werror", "-o", directory / "echo_client",
                    os.path.join(HERE, "echo_client.c")], check=True)
    (directory / "hello.swift").write_text('print("hello from swift")\n')
    subprocess.run(["swiftc", "-o", directory / "hello", directory / "hello.swift"], check=True)
    return directory


def run(name, command, kernel, tools=None, **options):
    share = [str(tools)] if tools else []
    return board.run(scenario_path(name), command, share=share, kernel_path=kernel, **options)


def rpmsg_devices(output):
    """Entries of /sys/bus/rpmsg/devices printed by LIST_RPMSG_DEVICES."""
    return [entry for entry in output.split("\0") if entry]


LIST_RPMSG_DEVICES = 'for d in /sys/bus/rpmsg/devices/*; do printf "%s\\0" "${d##*/}"; done'


def test_canonical_board_has_one_ctrl_per_virtio_and_the_channel_on_virtio1(kernel):
    result = run("canonical", "ls /sys/class/rpmsg; ls /sys/bus/rpmsg/devices; "
                 "readlink -f /sys/class/rpmsg/rpmsg_ctrl1", kernel)
    entries = result.stdout.split()
    assert result.exit_code == 0, result.report()
    assert {"rpmsg_ctrl0", "rpmsg_ctrl1", CANONICAL_CHANNEL} <= set(entries), result.report()
    assert not [e for e in entries if e.startswith("virtio0.rpmsg-openamp-demo-channel")], result.report()
    assert entries[-1].endswith("/virtio1/virtio1.rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrl1"), result.report()


def test_boot_is_clean(kernel):
    result = run("canonical", "true", kernel)
    problems = [line for line in result.kernel_log.splitlines()
                if any(word in line for word in ("BUG:", "WARNING:", "Oops", "Kernel panic", "scheduling while atomic"))]
    assert result.exit_code == 0, result.report()
    assert "creating channel rpmsg-openamp-demo-channel addr 0x1e" in result.kernel_log, result.report()
    assert EXPECTED_BOOT_WARNING in result.kernel_log
    assert len(problems) == 1 and "virt-pci" in problems[0], result.report()


def test_remote_without_name_service(kernel):
    result = run("no-ns", "cat /sys/bus/virtio/devices/virtio0/features; " + LIST_RPMSG_DEVICES, kernel)
    features, _, devices = result.stdout.partition("\n")
    assert result.exit_code == 0, result.report()
    assert features[0] == "0", result.report()
    assert rpmsg_devices(devices) == ["virtio0.rpmsg_ctrl.0.0"], result.report()
    assert "name service not negotiated" in result.remote_logs[0]


def test_hostile_channel_names_appear(kernel):
    result = run("hostile-names", LIST_RPMSG_DEVICES, kernel)
    channels = [e for e in rpmsg_devices(result.stdout) if ".-1." in e]
    assert result.exit_code == 0, result.report()
    assert len(channels) == len(scenario.load(scenario_path("hostile-names"))[0].endpoints), result.report()
    # The kernel keeps 31 bytes of a 32-byte name and turns '/' into '!'.
    assert "virtio0." + "A" * 31 + ".-1.104" in channels, result.report()
    assert "virtio0.slash!and space.-1.105" in channels, result.report()
    assert "virtio0.new\nline.-1.102" in channels, result.report()


def test_echo_arrives_through_the_ctrl_of_the_channels_virtio_only(kernel, tools):
    client = tools / "echo_client"
    result = run("canonical", CTRLS_BY_VIRTIO +
                 f'echo "right $right"; {client} -c 3 "$right" 30 hello; echo "status $?"; '
                 f'echo "wrong $wrong"; {client} -t 500 "$wrong" 30 hello; echo "status $?"', kernel, tools)
    right, wrong = result.stdout.split("wrong ")
    assert result.exit_code == 0, result.report()
    assert right.count("answer") == 3 and "status 0" in right, result.report()
    assert "no answer within 500 ms" in wrong and "status 1" in wrong, result.report()
    assert "dropped: no endpoint at address 30" in result.remote_logs[0], result.report()


def test_behaviours_shape_the_answers(kernel, tools):
    client = tools / "echo_client"
    result = run("behaviours", " ; ".join(f"{client} /dev/rpmsg_ctrl0 {addr} hello; echo status $?"
                                          for addr in (31, 32, 34, 35)), kernel, tools)
    answers = [line for line in result.stdout.splitlines() if line.startswith(("answer", "status"))]
    assert answers == ["answer 1: pong", "status 2", "answer 1: hello", "status 0",
                       "answer 1: he", "status 2", "answer 1: hello", "status 0"], result.report()
    assert "unannounced" not in result.kernel_log, result.report()


def test_corrupt_remote_inverts_the_payload(kernel, tools):
    result = run("behaviours", f"{tools / 'echo_client'} /dev/rpmsg_ctrl0 33 hello | sed -n 's/^answer 1: //p' "
                 "| od -An -tx1", kernel, tools)
    assert result.stdout.split() == ["97", "9a", "93", "93", "90", "0a"], result.report()


def test_silent_remote_never_answers(kernel, tools):
    result = run("silent", f"{tools / 'echo_client'} -t 500 /dev/rpmsg_ctrl0 30 hello", kernel, tools)
    assert result.exit_code == 1, result.report()
    assert "no answer within 500 ms" in result.stdout, result.report()
    assert "received 5 bytes" in result.remote_logs[0], result.report()


def test_remote_that_never_consumes_fills_the_tx_ring(kernel, tools):
    never_consuming = {"devices": [{"endpoints": [{"name": "sink", "addr": 30, "behaviour": "no-consume"}]}]}
    result = board.run(never_consuming, f"{tools / 'echo_client'} -n -c 300 -t 0 /dev/rpmsg_ctrl0 30 hello",
                       share=[str(tools)], kernel_path=kernel)
    # The guest has 256 TX buffers and gets none back.
    assert "write 257: Resource temporarily unavailable" in result.stdout, result.report()
    assert "stopped consuming" in result.remote_logs[0], result.report()


def test_crashed_remote_takes_its_virtio_device_away(kernel, tools):
    result = run("crash", f"{tools / 'echo_client'} -c 3 /dev/rpmsg_ctrl0 30 hello; "
                 "find /sys/bus/virtio/devices /sys/class/rpmsg -mindepth 1 | wc -l", kernel, tools)
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["answer 1: hello", "read 2: Broken pipe"], result.report()
    assert lines[-1].strip() == "0", result.report()
    assert "crashing" in result.remote_logs[0], result.report()


def test_destroyed_channel_disappears(kernel, tools):
    result = run("destroyed", f"{tools / 'echo_client'} -t 2000 -c 2 /dev/rpmsg_ctrl0 30 hello; "
                 + LIST_RPMSG_DEVICES, kernel, tools)
    assert "answer 1: hello" in result.stdout and "message 2: no answer" in result.stdout, result.report()
    assert "destroying channel rpmsg-openamp-demo-channel addr 0x1e" in result.kernel_log, result.report()
    assert not [e for e in rpmsg_devices(result.stdout) if "demo-channel" in e], result.report()


def test_unprivileged_user_is_refused_by_default_permissions(kernel, tools):
    result = run("canonical", f"id -u; {tools / 'echo_client'} /dev/rpmsg_ctrl0 30 hello", kernel, tools,
                 user=65534)
    assert result.stdout.splitlines() == ["65534", "open /dev/rpmsg_ctrl0: Permission denied"], result.report()
    assert result.exit_code == 3, result.report()


def test_udev_rule_lets_a_group_member_talk_to_the_remote(kernel, tools):
    client = tools / "echo_client"
    rules = 'SUBSYSTEM=="rpmsg", GROUP="dialout", MODE="0660"\n'
    result = run("canonical", "stat -c '%A %G %n' /dev/rpmsg_ctrl1; "
                 f"setpriv --reuid=65534 --regid=65534 --groups=dialout -- {client} /dev/rpmsg_ctrl1 30 hello; "
                 f"echo status $?; setpriv --reuid=65534 --regid=65534 --clear-groups -- {client} /dev/rpmsg_ctrl1 30 hi",
                 kernel, tools, udev_rules=rules)
    lines = result.stdout.splitlines()
    assert lines[0] == "crw-rw---- dialout /dev/rpmsg_ctrl1", result.report()
    assert "answer 1: hello" in lines and "status 0" in lines, result.report()
    assert lines[-1] == "open /dev/rpmsg_ctrl1: Permission denied", result.report()


def test_swift_program_runs_in_the_guest(kernel, tools):
    result = run("healthy-raw", [str(tools / "hello")], kernel, tools)
    assert result.exit_code == 0, result.report()
    assert result.stdout == "hello from swift\n", result.report()


def test_rpmsg_raw_channel_gets_an_endpoint_device(kernel):
    result = run("healthy-raw", "ls /sys/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.40/rpmsg; "
                 "cat /sys/class/rpmsg/rpmsg0/dst", kernel)
    assert result.stdout.split() == ["rpmsg0", "40"], result.report()


def test_command_that_overruns_is_stopped_inside_the_guest(kernel):
    result = run("healthy-raw", "sleep 30", kernel, timeout=board.GUEST_OVERHEAD_SECONDS + 2)
    assert result.exit_code == 124, result.report()
    assert result.seconds < board.GUEST_OVERHEAD_SECONDS + 2, result.report()


def child_processes():
    children = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rpartition(")")[2].split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
        if parent == os.getpid():
            children.append(pid)
    return children


def test_nothing_is_left_running(kernel):
    result = run("canonical", "true", kernel)
    assert result.exit_code == 0, result.report()
    assert child_processes() == []


def test_invalid_scenario_is_rejected_before_booting():
    with pytest.raises(scenario.ScenarioError, match="behaviour 'shout'"):
        scenario.load({"devices": [{"endpoints": [{"name": "x", "addr": 30, "behaviour": "shout"}]}]})


def test_rpmsg_tty_channel_gets_a_tty_that_echoes(kernel):
    # One descriptor for both directions: answers that come while nobody has the tty open are lost.
    result = run("rpmsg-tty", "readlink /sys/bus/rpmsg/devices/virtio1.rpmsg-tty.-1.30/driver; "
                 "readlink -f /sys/class/tty/ttyRPMSG0; stty -F /dev/ttyRPMSG0 raw -echo; "
                 "exec 3<>/dev/ttyRPMSG0; printf hello >&3; timeout 2 head -c 5 <&3; echo", kernel)
    lines = result.stdout.splitlines()
    assert lines[0].endswith("/drivers/rpmsg_tty"), result.report()
    assert lines[1] == "/sys/devices/virtio-uml-cmdline/virtio-uml.1/virtio1/virtio1.rpmsg-tty.-1.30/tty/ttyRPMSG0", result.report()
    assert lines[2] == "hello", result.report()


def test_restarting_remote_announces_its_channel_again_elsewhere(kernel, tools):
    result = run("restart", f"{tools / 'echo_client'} /dev/rpmsg_ctrl1 30 hello; sleep 1; " + LIST_RPMSG_DEVICES, kernel, tools)
    assert "answer 1: hello" in result.stdout, result.report()
    assert "destroying channel rpmsg-openamp-demo-channel addr 0x1e" in result.kernel_log, result.report()
    assert "creating channel rpmsg-openamp-demo-channel addr 0x1f" in result.kernel_log, result.report()
    assert "virtio1.rpmsg-openamp-demo-channel.-1.31" in rpmsg_devices(result.stdout.split("\n")[-1]), result.report()


def test_remote_that_stops_answering_after_n_messages(kernel, tools):
    stops = {"devices": [{"endpoints": [{"name": "rpmsg-openamp-demo-channel", "addr": 30, "behaviour": "stop-after", "after": 2}]}]}
    result = board.run(stops, f"{tools / 'echo_client'} -c 4 -t 500 /dev/rpmsg_ctrl0 30 hello", share=[str(tools)], kernel_path=kernel)
    lines = result.stdout.splitlines()
    assert "answer 1: hello" in lines and "answer 2: hello" in lines, result.report()
    assert "message 3: no answer within 500 ms" in lines and "answer 3: hello" not in lines, result.report()


@pytest.mark.parametrize("reannounce", [True, False])
def test_virtio_device_comes_back_when_bound_again(kernel, reannounce):
    restarting = {"devices": [{"reconnect": True, "reannounce": reannounce, "endpoints": [
        {"name": "rpmsg-openamp-demo-channel", "addr": 30, "behaviour": "echo"}]}]}
    script = os.path.join(HERE, "guest-scripts", "restart-virtio.sh")
    result = board.run(restarting, f"{script} 0; sleep 1; ls /sys/bus/virtio/devices /sys/class/rpmsg; " + LIST_RPMSG_DEVICES,
                       share=[os.path.dirname(script)], kernel_path=kernel)
    assert result.exit_code == 0, result.report()
    assert "guest connected again (2)" in result.remote_logs[0], result.report()
    assert ["virtio0", "rpmsg_ctrl0"] == result.stdout.split()[1:4:2], result.report()
    announced = [e for e in rpmsg_devices(result.stdout.split("\n")[-1]) if "demo-channel" in e]
    assert announced == (["virtio0.rpmsg-openamp-demo-channel.-1.30"] if reannounce else []), result.report()
