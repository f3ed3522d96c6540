"""rpmsg-doctor scan against the real kernel rpmsg stack of the virtual board."""

import os

import pytest

import board
from doctor import HERE, codes, command, finding, json_of, run

SWAP_CTRL_NUMBERS = os.path.join(HERE, "guest-scripts", "swap-ctrl-numbers.sh")


@pytest.fixture(scope="session")
def kernel():
    return board.kernel()


def test_canonical_wrong_ctrl_names_the_right_one(kernel):
    result = run("canonical", command("scan", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e", "--json"), kernel)
    document = json_of(result)
    wrong = finding(document, "RD101")
    assert result.exit_code == 1, result.report()
    assert wrong is not None, result.report()
    assert wrong["severity"] == "error"
    assert "/dev/rpmsg_ctrl1" in wrong["fix"]
    assert any("/dev/rpmsg_ctrl0 belongs to virtio0" == line for line in wrong["evidence"]), wrong


def test_canonical_plain_scan_maps_every_ctrl_by_its_sysfs_path(kernel):
    result = run("canonical", command("scan", "--json"), kernel)
    inventory = json_of(result)["inventory"]
    controls = {c["name"]: c["virtio"] for c in inventory["controlDevices"]}
    channels = {c["name"]: c["virtio"] for c in inventory["channels"] if c["name"] == "rpmsg-openamp-demo-channel"}
    assert controls == {"rpmsg_ctrl0": "virtio0", "rpmsg_ctrl1": "virtio1"}, result.report()
    assert channels == {"rpmsg-openamp-demo-channel": "virtio1"}
    assert [c["dst"] for c in inventory["channels"] if c["name"] == "rpmsg-openamp-demo-channel"] == [30]
    assert {v["name"] for v in inventory["virtioDevices"]} == {"virtio0", "virtio1"}


def test_ctrl_numbers_that_do_not_follow_virtio_numbers(kernel):
    """rpmsg_ctrl0 on virtio1: a tool that takes rpmsg_ctrlN for virtioN gets both answers wrong."""
    result = run("canonical", SWAP_CTRL_NUMBERS + " && " + command("scan", "--ctrl", "/dev/rpmsg_ctrl1", "--dst", "0x1e", "--json"), kernel)
    document = json_of(result)
    wrong = finding(document, "RD101")
    controls = {c["name"]: c["virtio"] for c in document["inventory"]["controlDevices"]}
    assert controls == {"rpmsg_ctrl0": "virtio1", "rpmsg_ctrl1": "virtio0"}, result.report()
    assert wrong is not None and "/dev/rpmsg_ctrl0" in wrong["fix"], result.report()
    right = run("canonical", SWAP_CTRL_NUMBERS + " && " + command("scan", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e", "--json"), kernel)
    assert finding(json_of(right), "RD101") is None, right.report()


def test_canonical_service_is_routed_to_rpmsg_ctrl1(kernel):
    result = run("canonical", command("scan", "--service", "rpmsg-openamp-demo-channel", "--json"), kernel)
    route = finding(json_of(result), "RD100")
    assert result.exit_code == 0, result.report()
    assert route is not None and "/dev/rpmsg_ctrl1" in route["summary"], result.report()


def test_healthy_raw_channel_has_no_errors_or_warnings(kernel):
    result = run("healthy-raw", command("scan", "--json"), kernel)
    document = json_of(result)
    endpoints = document["inventory"]["endpointDevices"]
    assert result.exit_code == 0, result.report()
    assert codes(document, "error") == [] and codes(document, "warning") == [], result.report()
    assert [(e["endpointName"], e["dst"], e["hostChannel"]) for e in endpoints] == [("rpmsg-raw", 40, "virtio0.rpmsg-raw.-1.40")]


def test_remote_without_name_service(kernel):
    result = run("no-ns", command("scan", "--json"), kernel)
    document = json_of(result)
    assert "RD305" in codes(document, "warning"), result.report()
    assert [c["name"] for c in document["inventory"]["channels"]] == ["rpmsg_ctrl"], result.report()


def test_hostile_channel_names_are_reported_safely(kernel):
    result = run("hostile-names", command("scan"), kernel)
    json_result = run("hostile-names", command("scan", "--json"), kernel)
    names = {c["dst"]: c["name"] for c in json_of(json_result)["inventory"]["channels"]}
    assert result.exit_code == 0, result.report()
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert '"\\x1b[31mred\\x1b[0m"' in result.stdout, result.stdout
    assert '"new\\nline"' in result.stdout, result.stdout
    assert names[100].startswith("\\xff\\xfe\\x80"), names
    assert names[102] == "new\nline"
    assert names[103] == "\x1b[31mred\x1b[0m"
    assert names[101] == "quote\"'`$(id)"
    assert len(names[104]) == 31, "the kernel keeps 31 bytes of a 32-byte name and a NUL"
    assert names[105] == "slash/and space"


def test_unprivileged_user_gets_the_permission_finding(kernel):
    result = run("canonical", command("scan", "--json"), kernel, user="65534")
    denied = finding(json_of(result), "RD201")
    assert result.exit_code == 1, result.report()
    assert denied is not None and denied["severity"] == "error", result.report()
    assert any(line.startswith("/dev/rpmsg_ctrl0: crw------- root:root") for line in denied["evidence"]), denied
    kernel_log = finding(json_of(result), "RD901")
    assert kernel_log is None or "permission denied" in kernel_log["summary"]


def test_rpmsg_virtio_device_without_its_driver(kernel):
    """The real kernel's rpmsg virtio device, unbound from virtio_rpmsg_bus: scan says so (RD412) with the command
    that binds it again, and blames neither a missing ctrl nor a silent remote for what is below it."""
    unbind = "echo virtio0 > /sys/bus/virtio/drivers/virtio_rpmsg_bus/unbind"
    result = run("healthy-raw", unbind + " && " + command("scan", "--json"), kernel)
    document = json_of(result)
    not_ready = finding(document, "RD412")
    assert result.exit_code == 1, result.report()
    assert not_ready is not None and not_ready["summary"].startswith("virtio_rpmsg_bus did not take virtio0"), result.report()
    assert "echo virtio0 | sudo tee /sys/bus/virtio/drivers/virtio_rpmsg_bus/bind" in not_ready["commands"], not_ready
    assert "RD302" not in codes(document) and "RD306" not in codes(document), result.report()
    assert [v.get("driver") for v in document["inventory"]["virtioDevices"]] == [None], result.report()
