"""The JSON documents rpmsg-doctor writes against the schemas in docs/schema: real output of `scan --json`,
`snapshot`, `probe --json` and `watch --json` is valid, and a document with a renamed, missing, unknown or malformed
key is not."""

import copy
import json
import os
import pathlib

import jsonschema
import pytest

from cli import EXAMPLE, REPO, doctor

SCHEMAS = os.path.join(REPO, "docs", "schema")
KINDS = ("scan", "snapshot", "probe", "watch")
RECIPES = ("imx8qm-canonical", "mainline-6.1", "mainline-6.1-reversed", "mainline-6.0", "mainline-5.15", "mainline-5.10",
           "ti-5.10", "nxp-5.10", "hostile-names", "malformed-attributes", "ti-am64x-crashed-r5f", "ti-am62x", "stm32mp1-5.15",
           "stm32mp1-old-tty-name", "zynqmp", "imx8mp-attached", "imx93-attached", "imx8ulp", "imx8mm-probe-failed",
           "imx8mm-deferred", "stm32mp1-rsc-table", "stm32mp1-no-rsc-table", "imx93-own-rsc-table", "zynqmp-bad-vrings")


def load_schema(kind):
    with open(os.path.join(SCHEMAS, f"{kind}.schema.json")) as file:
        return json.load(file)


def make_validators():
    """One Draft 2020-12 validator per schema. Their $refs between files ("snapshot.schema.json#/$defs/address")
    resolve against where the files are, as check-jsonschema does: each is given its file URI as $id here."""
    uris = {kind: pathlib.Path(SCHEMAS, f"{kind}.schema.json").as_uri() for kind in KINDS}
    schemas = {uris[kind]: dict(load_schema(kind), **{"$id": uris[kind]}) for kind in KINDS}
    Validator = jsonschema.Draft202012Validator
    try:
        from referencing import Registry, Resource
    except ImportError:  # jsonschema before 4.18, as Debian 12 has it
        return {kind: Validator(schemas[uri], resolver=jsonschema.RefResolver.from_schema(schemas[uri], store=schemas))
                for kind, uri in uris.items()}
    registry = Registry().with_resources((uri, Resource.from_contents(schema)) for uri, schema in schemas.items())
    return {kind: Validator(schemas[uri], registry=registry) for kind, uri in uris.items()}


VALIDATORS = make_validators()


def problems(kind, document):
    return [f"/{'/'.join(str(part) for part in error.absolute_path)}: {error.message}"
            for error in VALIDATORS[kind].iter_errors(document)]


def assert_valid(kind, document):
    found = problems(kind, document)
    assert not found, f"not a valid {kind} document:\n" + "\n".join(found[:20])


def json_output(*arguments, exit_codes=(0, 1)):
    result = doctor(*arguments)
    assert result.returncode in exit_codes, (arguments, result.returncode, result.stderr)
    return json.loads(result.stdout)


def read_json(path):
    with open(path) as file:
        return json.load(file)


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_draft_2020_12(kind):
    schema = load_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_bundled_example_snapshot():
    assert_valid("snapshot", read_json(EXAMPLE))


@pytest.mark.parametrize("intent", [
    (),
    ("--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e"),
    ("--service", "rpmsg-openamp-demo-channel"),
    ("--ctrl", "/dev/rpmsg_ctrl1", "--dst", "ANY", "--src", "0x400", "--name", "x", "--service", "y"),
])
def test_scan_of_the_example_snapshot(intent):
    document = json_output("scan", "--json", "--from", EXAMPLE, *intent)
    assert_valid("scan", document)
    assert document["inventory"] == read_json(EXAMPLE), "the inventory is the snapshot, key for key"


@pytest.mark.parametrize("recipe", RECIPES)
def test_scan_and_snapshot_of_fixture_boards(board, tmp_path, recipe):
    root = board(recipe)
    snapshot_file = tmp_path / "board.json"
    result = doctor("snapshot", "--root", root, "-o", str(snapshot_file))
    assert result.returncode == 0, result.stderr
    snapshot = read_json(snapshot_file)
    assert_valid("snapshot", snapshot)
    assert_valid("snapshot", json_output("snapshot", "--root", root, exit_codes=(0,)))
    assert_valid("scan", json_output("scan", "--json", "--root", root))
    assert_valid("scan", json_output("scan", "--json", "--root", root, "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e"))
    assert_valid("scan", json_output("scan", "--json", "--from", str(snapshot_file)))


def test_board_with_every_kind_of_trouble(board, tmp_path):
    """The parts of a snapshot the recipes leave empty: missing, unreadable and wrong device nodes, a holder,
    a udev rules file, an unreadable kernel log, read problems and a container."""
    root = board("mainline-6.1")
    dev = os.path.join(root, "dev")
    os.remove(os.path.join(dev, "rpmsg1"))
    os.remove(os.path.join(dev, "ttyRPMSG0"))
    with open(os.path.join(dev, "ttyRPMSG0"), "w") as file:
        file.write("not a character device\n")
    os.remove(os.path.join(dev, "rpmsg_ctrl1"))
    os.symlink("rpmsg_ctrl1", os.path.join(dev, "rpmsg_ctrl1"))
    os.remove(os.path.join(dev, "kmsg"))
    os.makedirs(os.path.join(root, "etc", "udev", "rules.d"))
    with open(os.path.join(root, "etc", "udev", "rules.d", "60-rpmsg.rules"), "w") as file:
        file.write('SUBSYSTEM=="rpmsg", KERNEL=="rpmsg_ctrl*", GROUP="rpmsg", MODE="0660"\n')
    os.makedirs(os.path.join(root, "proc", "4242", "fd"))
    os.symlink("/dev/rpmsg0", os.path.join(root, "proc", "4242", "fd", "3"))
    with open(os.path.join(root, "proc", "4242", "comm"), "w") as file:
        file.write("echo_client\n")
    open(os.path.join(root, ".dockerenv"), "w").close()

    snapshot_file = tmp_path / "board.json"
    assert doctor("snapshot", "--root", root, "-o", str(snapshot_file)).returncode == 0
    snapshot = read_json(snapshot_file)
    assert_valid("snapshot", snapshot)
    assert_valid("scan", json_output("scan", "--json", "--root", root))

    devices = snapshot["controlDevices"] + snapshot["endpointDevices"] + snapshot["ttys"]
    assert {device["node"]["state"] for device in devices} == {"present", "missing", "notCharacterDevice", "unreadable"}
    assert any(device.get("holders") for device in devices), snapshot["endpointDevices"]
    assert snapshot["udev"]["rulesFiles"] and snapshot["unreadable"] and snapshot["system"]["container"]["evidence"]
    assert snapshot["kernelLog"]["readable"] is False and "reason" in snapshot["kernelLog"]


@pytest.mark.parametrize("target", [
    ("--service", "no-such-service-anywhere"),
    ("--device", "/nonexistent/rpmsg0"),
    ("--ctrl", "/nonexistent/rpmsg_ctrl0", "--dst", "0x1e", "--src", "0x400", "--name", "x"),
])
def test_probe_that_finds_nothing_to_talk_to(target):
    """probe reads the live system; these targets exist on no system, so it stops before sending anything."""
    document = json_output("probe", "--json", "--timeout", "100", *target, exit_codes=(1,))
    assert_valid("probe", document)
    assert "failed" in [step["verdict"] for step in document["steps"]]


def watch_lines(*arguments):
    result = doctor("watch", "--json", *arguments)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_watch_lines_of_this_machine():
    """This machine has no rpmsg: the lines are started, one state, stopped (the virtual-board tests validate changes)."""
    lines = watch_lines("--timeout", "0.3")
    for line in lines:
        assert_valid("watch", line)
    assert [line["event"] for line in lines] == ["started", "state", "stopped"]
    assert lines[-1]["reason"] == "timeout" and lines[-1]["changes"] == 0


# A document the program prints, with one thing changed that the schema must refuse.
def scan_document():
    return json_output("scan", "--json", "--from", EXAMPLE, "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e")


def probe_document():
    return json_output("probe", "--json", "--timeout", "100", "--ctrl", "/nonexistent/rpmsg_ctrl0", "--dst", "0x1e",
                       exit_codes=(1,))


def rename(mapping, old, new):
    mapping[new] = mapping.pop(old)


TIMING = {"minimumMicroseconds": 340, "medianMicroseconds": 644.5, "p99Microseconds": 6129, "maximumMicroseconds": 6129,
          "messagesPerSecond": 400, "bytesPerSecond": 25623.25}

def remote_with_table(**vdev):
    """remoteproc0 with a resource table of one rpmsg vdev, changed by vdev."""
    return {"name": "remoteproc0", "sysfsPath": "/sys/devices/platform/soc/10000000.m4/remoteproc/remoteproc0",
            "resourceTable": {"path": "/sys/kernel/debug/remoteproc/remoteproc0/resource_table", "readable": True,
                              "found": True, "vdevs": [dict({"entry": 0, "id": 7, "status": 7, "vrings": []}, **vdev)]}}


BROKEN = {
    "scan: finding id XX1": ("scan", lambda d: d["findings"][0].update(id="XX1")),
    "scan: finding id RD1011": ("scan", lambda d: d["findings"][0].update(id="RD1011")),
    "scan: unknown severity": ("scan", lambda d: d["findings"][0].update(severity="fatal")),
    "scan: finding without fix": ("scan", lambda d: d["findings"][0].pop("fix")),
    "scan: finding with an unknown key": ("scan", lambda d: d["findings"][0].update(code="RD101")),
    "scan: no summary": ("scan", lambda d: d.pop("summary")),
    "scan: unknown top-level key": ("scan", lambda d: d.update(warnings=[])),
    "scan: summary count as text": ("scan", lambda d: d["summary"].update(errors="3")),
    "scan: newer schemaVersion": ("scan", lambda d: d.update(schemaVersion=2)),
    "scan: dst written as hex text": ("scan", lambda d: d["intent"].update(dst="0x1e")),
    "scan: null for an absent value": ("scan", lambda d: d["intent"].update(src=None)),
    "scan: inventory without channels": ("scan", lambda d: d["inventory"].pop("channels")),
    "scan: renamed channel key": ("scan", lambda d: rename(d["inventory"]["channels"][0], "deviceName", "device")),
    "snapshot: address above u32": ("snapshot", lambda d: d["channels"][0].update(dst=4294967296)),
    "snapshot: negative address": ("snapshot", lambda d: d["endpointDevices"][0].update(src=-1)),
    "snapshot: unknown node state": ("snapshot", lambda d: d["controlDevices"][0]["node"].update(state="gone")),
    "snapshot: mode as octal text": ("snapshot", lambda d: d["controlDevices"][0]["node"].update(mode="0600")),
    "snapshot: renamed virtio key": ("snapshot", lambda d: rename(d["virtioDevices"][0], "transportParent", "parent")),
    "snapshot: group names keyed by name": ("snapshot", lambda d: d["user"]["groupNames"].update(root="0")),
    "snapshot: no udev": ("snapshot", lambda d: d.pop("udev")),
    "snapshot: unknown key in the kernel log": ("snapshot", lambda d: d["kernelLog"].update(truncated=False)),
    "snapshot: other generator": ("snapshot", lambda d: d.update(generator="something else 1.0")),
    "snapshot: vdev status as text": ("snapshot", lambda d: d.update(remoteProcessors=[remote_with_table(status="0x7")])),
    "snapshot: vring with an unknown key": ("snapshot", lambda d: d.update(remoteProcessors=[remote_with_table(vrings=[{"num": 16}])])),
    "snapshot: negative vdev entry": ("snapshot", lambda d: d.update(remoteProcessors=[remote_with_table(entry=-1)])),
    "probe: unknown verdict": ("probe", lambda d: d["steps"][0].update(verdict="passed")),
    "probe: counts without lost": ("probe", lambda d: d["counts"].pop("lost")),
    "probe: unknown expectation": ("probe", lambda d: d.update(expectation="echo-back")),
    "probe: timing with an unknown key": ("probe", lambda d: d.update(timing=dict(TIMING, jitterMicroseconds=3))),
    "probe: timing without its median": ("probe", lambda d: d.update(timing={k: v for k, v in TIMING.items() if "median" not in k})),
    "probe: finding id XX1": ("probe", lambda d: d["findings"][0].update(id="XX1")),
    "probe: comparison without its tty": ("probe", lambda d: d.update(comparison={"sent": 3, "answered": 3})),
    "watch: unknown event": ("watch", lambda d: d.update(event="channelMoved")),
    "watch: stopped without a reason": ("watch", lambda d: d.pop("reason")),
    "watch: unknown reason": ("watch", lambda d: d.update(reason="SIGKILL")),
    "watch: time without milliseconds": ("watch", lambda d: d.update(time="2025-01-01T00:00:00Z")),
    "watch: no findings": ("watch", lambda d: d.pop("findings")),
    "watch: null for an absent value": ("watch", lambda d: d.update(virtio=None)),
    "watch: dst as hex text": ("watch", lambda d: d.update(dst="0x1e")),
    "watch: unknown key": ("watch", lambda d: d.update(severity="error")),
}


@pytest.fixture(scope="module")
def documents():
    return {"scan": scan_document(), "snapshot": read_json(EXAMPLE), "probe": probe_document(), "watch": watch_lines("--timeout", "0.1")[-1]}


@pytest.mark.parametrize("case", BROKEN)
def test_schema_refuses(documents, case):
    kind, change = BROKEN[case]
    document = copy.deepcopy(documents[kind])
    assert_valid(kind, document)
    change(document)
    assert problems(kind, document), f"{case}: accepted"


def test_snapshot_schema_accepts_a_resource_table(documents):
    document = copy.deepcopy(documents["snapshot"])
    document.update(remoteProcessors=[remote_with_table(vrings=[{"deviceAddress": 0x10040000, "alignment": 16, "buffers": 16}])])
    assert_valid("snapshot", document)


def test_probe_schema_accepts_what_a_successful_run_adds(documents):
    """The keys only a run on a real system prints (the virtual-board tests validate those runs)."""
    document = copy.deepcopy(documents["probe"])
    document.update(endpoint="/dev/rpmsg0", src=1024, dst=30, timing=TIMING, interrupted="SIGINT",
                    comparison={"tty": "/dev/ttyRPMSG30", "sent": 3, "answered": 3})
    assert_valid("probe", document)
    document.update(tty="/dev/ttyRPMSG0", interrupted="SIGHUP")
    assert_valid("probe", document)
