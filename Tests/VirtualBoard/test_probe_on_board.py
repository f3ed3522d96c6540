"""rpmsg-doctor probe through the real character devices of the virtual board."""

import json
import os

import pytest

import board
from doctor import BINARY, HERE, codes, command, finding, run, schema_validator
from doctor import json_of as parsed_json_of

# Short: these runs expect no answer, and each message waits this long for one.
PROBE_SERVICE = ("probe", "--service", "rpmsg-openamp-demo-channel", "--json", "--timeout", "300")


PROBE_SCHEMA = schema_validator("probe")


def json_of(result):
    """The probe's JSON document, which must be valid against docs/schema/probe.schema.json."""
    document = parsed_json_of(result)
    problems = [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in PROBE_SCHEMA.iter_errors(document)]
    assert not problems, "not a valid probe document:\n" + "\n".join(problems) + "\n" + result.report()
    return document


@pytest.fixture(scope="session")
def kernel():
    return board.kernel()


def steps(document):
    return {step["name"]: step["verdict"] for step in document["steps"]}


def no_endpoint_left():
    """Shell: fails when an endpoint device (rpmsgN) is still in /sys/class/rpmsg."""
    return "! ls /sys/class/rpmsg | grep -E '^rpmsg[0-9]+$'"


def test_canonical_service_echoes_five_of_five(kernel):
    # A generous timeout: success must not depend on how busy the host is.
    result = run("canonical", command("probe", "--service", "rpmsg-openamp-demo-channel", "--json", "--timeout", "3000")
                 + " && " + no_endpoint_left(), kernel)
    document = json_of(result)
    assert result.exit_code == 0, result.report()
    assert document["counts"]["intact"] == 5 and document["counts"]["lost"] == 0, result.report()
    assert document["control"] == "/dev/rpmsg_ctrl1"
    assert document["timing"]["medianMicroseconds"] > 0


def test_canonical_wrong_ctrl_fails_and_names_the_right_one(kernel):
    result = run("canonical", command("probe", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e", "--json", "--timeout", "300"), kernel)
    document = json_of(result)
    wrong = finding(document, "RD101")
    assert result.exit_code == 1, result.report()
    assert document["counts"]["answered"] == 0
    assert wrong is not None and "/dev/rpmsg_ctrl1" in wrong["fix"], result.report()
    assert codes(document)[0] == "RD101", "the root cause comes first"


@pytest.mark.parametrize("scenario_name, code", [
    ("silent", "RD505"),
    ("no-consume", "RD502"),
    ("crash", "RD507"),
    ("destroyed", "RD507"),
])
def test_remote_behaviour_gets_its_own_verdict(kernel, scenario_name, code):
    result = run(scenario_name, command(*PROBE_SERVICE) + "; " + no_endpoint_left(), kernel)
    document = json_of(result)
    assert result.exit_code == 0, "no endpoint device may be left behind\n" + result.report()
    assert code in codes(document, "error"), result.report()
    assert "failed" in steps(document).values()


def test_echo_that_differs_is_counted(kernel):
    result = run("behaviours", command("probe", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "33", "--json", "--timeout", "3000"), kernel)
    document = json_of(result)
    assert document["counts"]["corrupted"] == 5, result.report()
    assert "RD506" in codes(document, "error")


def test_reply_expectation_accepts_other_data(kernel):
    result = run("behaviours", command("probe", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "31", "--expect", "reply", "--json"), kernel)
    document = json_of(result)
    assert result.exit_code == 0, result.report()
    assert document["counts"]["intact"] == 5


def test_oversized_payload_is_refused_before_anything_is_opened(kernel):
    result = run("canonical", command("probe", "--service", "rpmsg-openamp-demo-channel", "--size", "497"), kernel)
    assert result.exit_code == 64, result.report()
    assert "496" in result.stderr


def test_interrupted_probes_never_leave_an_endpoint_behind(kernel):
    script = os.path.join(HERE, "guest-scripts", "interrupt-probes.sh")
    result = run("canonical", f"{script} {BINARY} 50", kernel, timeout=240)
    exits = [line for line in result.stdout.splitlines() if line.startswith("exit ")]
    left = result.stdout.split("left:", 1)[1].split()
    assert result.exit_code == 0, result.report()
    assert len(exits) == 50, result.report()
    assert set(exits) <= {"exit 130", "exit 143", "exit 0", "exit 1"}, exits
    assert {"exit 130", "exit 143"} <= set(exits), "the probes must have been interrupted mid-run"
    assert left == [], result.report()


def test_soak_of_ten_thousand_largest_messages(kernel):
    result = run("canonical", command("probe", "--service", "rpmsg-openamp-demo-channel", "--count", "10000",
                                      "--size", "496", "--json"), kernel, timeout=300)
    counts = json_of(result)["counts"]
    assert result.exit_code == 0, result.report()
    assert counts["intact"] == 10000, counts
    assert counts["lost"] == counts["late"] == counts["corrupted"] == counts["truncated"] == counts["duplicated"] == 0, counts


def test_existing_raw_endpoint_device(kernel):
    result = run("healthy-raw", command("probe", "--device", "/dev/rpmsg0", "--json") + " && test -c /dev/rpmsg0", kernel)
    document = json_of(result)
    assert result.exit_code == 0, result.report()
    assert document["counts"]["intact"] == 5
    assert not any(step["name"].startswith("destroy") for step in document["steps"]), "an endpoint it did not create is not destroyed"


def test_busy_endpoint_names_its_holder(kernel):
    result = run("healthy-raw", "sleep 30 3<>/dev/rpmsg0 & sleep 0.5; " + command("probe", "--device", "/dev/rpmsg0", "--json"), kernel)
    busy = finding(json_of(result), "RD206")
    assert busy is not None and busy["severity"] == "error", result.report()
    assert any("sleep" in line for line in busy["evidence"]), busy


def test_unprivileged_probe_points_at_the_udev_rule(kernel):
    result = run("canonical", command(*PROBE_SERVICE), kernel, user="65534")
    denied = finding(json_of(result), "RD201")
    assert result.exit_code == 1, result.report()
    assert denied is not None and any("udev" in c for c in denied["commands"]), result.report()


def test_taken_source_address_is_refused_before_creating(kernel):
    result = run("healthy-raw", command("probe", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "40", "--src", "0x35", "--json")
                 + "; ls /sys/class/rpmsg", kernel)
    document = json.loads(result.stdout.rsplit("}", 1)[0] + "}")
    left = result.stdout.rsplit("}", 1)[1].split()
    assert "RD504" in codes(document, "error"), result.report()
    assert not any(step["name"].startswith("create endpoint") for step in document["steps"]), document["steps"]
    assert sorted(left) == ["rpmsg0", "rpmsg_ctrl0"], "no endpoint device made that could not be destroyed"
