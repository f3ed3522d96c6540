"""rpmsg-doctor probe through the rpmsg ttys of the virtual board (rpmsg_tty, channel "rpmsg-tty" on virtio1):
raw mode and back, the byte stream checked, and the tty as a witness when an endpoint gets no answer."""

import pytest

import board
from doctor import REPO, codes, command, finding, run
from test_probe_on_board import json_of, steps

TTY = "/dev/ttyRPMSG0"


@pytest.fixture(scope="session")
def kernel():
    return board.kernel()


def tty_scenario(behaviour, **fields):
    return {"devices": [{"endpoints": []}, {"endpoints": [dict(name="rpmsg-tty", addr=30, behaviour=behaviour, **fields)]}]}


def test_the_tty_echoes_every_message(kernel):
    result = run("rpmsg-tty", command("probe", "--device", TTY, "--json", "--timeout", "3000"), kernel)
    document = json_of(result)
    assert result.exit_code == 0, result.report()
    assert document["tty"] == TTY and "endpoint" not in document and "control" not in document
    assert document["counts"]["intact"] == 5 and document["counts"]["lost"] == 0, result.report()
    assert steps(document)[f"raw mode {TTY}"] == "ok" and steps(document)[f"restore terminal settings {TTY}"] == "ok"


def test_a_service_bound_to_rpmsg_tty_is_probed_through_its_tty(kernel):
    result = run("rpmsg-tty", command("probe", "--service", "rpmsg-tty", "--json", "--count", "300", "--size", "496",
                                      "--timeout", "3000"), kernel)
    document = json_of(result)
    assert result.exit_code == 0, result.report()
    assert document["target"] == f'service "rpmsg-tty" (dst 0x1e) on virtio1 through {TTY}'
    counts = document["counts"]
    assert counts["intact"] == 300 and counts["lost"] == counts["corrupted"] == counts["truncated"] == 0, counts


def test_a_silent_tty(kernel):
    result = board.run(tty_scenario("silent"), command("probe", "--device", TTY, "--json", "--timeout", "300"),
                       share=[REPO], kernel_path=kernel)
    document = json_of(result)
    assert result.exit_code == 1, result.report()
    assert document["counts"]["answered"] == 0
    assert steps(document)["consumption check"] == "ok", "the remote consumes what it does not answer"
    assert "RD505" in codes(document, "error"), result.report()
    assert steps(document)[f"restore terminal settings {TTY}"] == "ok"


def test_a_tty_that_stops_answering(kernel):
    result = board.run(tty_scenario("stop-after", after=2), command("probe", "--device", TTY, "--json", "--timeout", "300"),
                       share=[REPO], kernel_path=kernel)
    document = json_of(result)
    assert document["counts"]["intact"] == 2 and document["counts"]["lost"] == 3, result.report()
    assert "stopped answering: 2 of 5" in finding(document, "RD505")["summary"]


@pytest.mark.parametrize("signal, status", [("INT", 130), ("TERM", 143), ("HUP", 129)])
def test_the_terminal_settings_come_back_after_an_interrupt(kernel, signal, status):
    """Canonical mode with echo, which the probe's raw mode turns off: after the probe they are as they were."""
    probe = command("probe", "--device", TTY, "--count", "100000", "--timeout", "300")
    script = (f"stty -F {TTY} icanon echo; before=$(stty -F {TTY} -g); "
              f"env --default-signal=INT,TERM,HUP {probe} >/tmp/probe.out & probe=$!; "
              # Until the probe has put the tty in raw mode (at most 5 s), then a little more: mid-exchange.
              f"for i in $(seq 100); do mid=$(stty -F {TTY} -g); [ \"$mid\" != \"$before\" ] && break; sleep 0.05; done; "
              f"sleep 0.3; kill -{signal} $probe; wait $probe; echo \"exit $?\"; "
              f"after=$(stty -F {TTY} -g); echo \"$before\"; echo \"$mid\"; echo \"$after\"; tail -n 4 /tmp/probe.out")
    result = run("rpmsg-tty", script, kernel)
    lines = result.stdout.splitlines()
    assert lines[0] == f"exit {status}", result.report()
    before, mid, after = lines[1:4]
    assert mid != before, "the probe had the tty in raw mode"
    assert after == before, result.report()
    assert f"interrupted by SIG{signal}: terminal settings restored" in result.stdout, result.report()


def test_when_the_endpoint_gets_nothing_the_channels_tty_says_the_remote_is_alive(kernel):
    """The story: an endpoint made through rpmsg_ctrl0 (virtio0) for dst 30, which lives on virtio1; its tty answers."""
    result = run("rpmsg-tty", command("probe", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "30", "--json", "--timeout", "300"), kernel)
    document = json_of(result)
    assert result.exit_code == 1, result.report()
    assert document["counts"]["answered"] == 0
    assert document["comparison"] == {"tty": TTY, "sent": 3, "answered": 3}, result.report()
    assert steps(document)[f"compare with {TTY}, the channel's tty"] == "ok"
    assert codes(document, "error") == ["RD101", "RD510"], result.report()
    assert "the remote is alive, the endpoint is the problem" in finding(document, "RD510")["summary"]
