"""scripts/rpmsg-collect.sh, the collector that needs only a POSIX shell and busybox, on the virtual board.

In the guest, guest-scripts/collector-run.py runs it with a PATH of busybox applets only, as root or as an
unprivileged user, checks its archive against the live system (links, file contents, device nodes, the
kernel log), and watches what it writes. Here the archive is scanned with `rpmsg-doctor scan --from` and,
extracted, with `scan --root`, and both are compared with a live scan of the same boot: the whole
inventory (the device nodes, the user and what could not be read come from .rpmsg-collect/) and the
findings. Left out: the udev database, which only a live scan asks, and what differs by nature (the
source, a count of processes, supplementary groups: busybox's id prints none where there are none and
the reader then takes the primary group).

The same collector also runs, chrooted, over the fixture trees of other kernels' layouts (remoteproc,
device tree, vendors' drivers), which the virtual board cannot show.
"""

import base64
import grp
import json
import os
import re
import shutil
import signal
import stat
import subprocess

import pytest

import board
from doctor import BINARY, HERE, REPO, scenario

COLLECTOR = os.path.join(REPO, "scripts", "rpmsg-collect.sh")
COLLECTOR_RUN = os.path.join(HERE, "guest-scripts", "collector-run.py")
FIXTURE_TOOL = os.path.join(os.path.dirname(BINARY), "rpmsg-doctor-fixture")
BUSYBOX = shutil.which("busybox")
NOBODY = "65534"
SERVICE = "rpmsg-openamp-demo-channel"
# An endpoint made through the ctrl of virtio1, as the application of the README's story does.
ENDPOINT_ON_CTRL1 = f"/dev/rpmsg_ctrl1:30:{SERVICE}"
# Every kind of rpmsg device at once: an rpmsg-raw channel (its own endpoint device), the demo channel,
# and an rpmsg-tty channel (a ttyRPMSG where the kernel has rpmsg_tty).
EVERY_KIND = {"devices": [
    {"ns": True, "endpoints": [{"name": "rpmsg-raw", "addr": 40}]},
    {"ns": True, "endpoints": [{"name": SERVICE, "addr": 30}, {"name": "rpmsg-tty", "addr": 50}]},
]}
# Fixture recipes of rpmsg-doctor-fixture that the collector must copy losslessly.
RECIPES = ["imx8qm-canonical", "mainline-6.1", "mainline-6.1-reversed", "mainline-6.0", "mainline-5.15",
           "mainline-5.10", "ti-5.10", "nxp-5.10", "imx8mm-probe-failed", "imx8mm-deferred", "stm32mp1-rsc-table",
           "zynqmp-bad-vrings", "hostile-names", "malformed-attributes"]
META = "rpmsg-collect/.rpmsg-collect"
KMSG_RECORD = re.compile(r"^\d+,\d+,\d+,[^;]*;")


@pytest.fixture(scope="session")
def kernel():
    assert BUSYBOX, "busybox is missing: bash scripts/install-deps.sh --tests installs busybox-static"
    return board.kernel()


class Collected:
    """What collector-run.py reported from the guest, and the archive extracted on the host."""

    def __init__(self, report, result, directory):
        self.report = report
        self.result = result
        self.archive = base64.b64decode(report["archive"]) if "archive" in report else None
        self.root = None
        if self.archive is not None:
            path = directory / "board.tar.gz"
            path.write_bytes(self.archive)
            subprocess.run(["tar", "-xzf", str(path), "-C", str(directory)], check=True)
            self.root = directory / "rpmsg-collect"

    def meta(self, name):
        return (self.root / ".rpmsg-collect" / name).read_text()

    def live_scan(self):
        return json.loads(self.report["live_scan"]["stdout"])

    def scan(self, option):
        """rpmsg-doctor scan --from the archive, or --root of it extracted, on the host."""
        return scan_source(option, self.root.parent / "board.tar.gz" if option == "--from" else self.root)

    def explain(self):
        summary = {k: v for k, v in self.report.items() if k not in ("archive", "members", "kmsg", "live_scan")}
        return json.dumps(summary, indent=1)[:6000] + "\n" + self.result.report()[-4000:]


def collect(source, kernel, tmp_path, *, user=None, endpoints=(), hold=False, trace=False, interrupts=(),
            default_name=False, udev_rules=None, timeout=120):
    argv = ["python3", COLLECTOR_RUN, "--collector", COLLECTOR, "--doctor", BINARY]
    argv += ["--user", user] if user else []
    for spec in endpoints:
        argv += ["--endpoint", spec]
    argv += ["--hold"] if hold else []
    argv += ["--strace", "/tmp/collector-trace"] if trace else []
    for name in interrupts:
        argv += ["--interrupt", name]
    argv += ["--default-name"] if default_name else []
    source = scenario(source) if isinstance(source, str) else source
    result = board.run(source, argv, kernel_path=kernel, share=[REPO], timeout=timeout, udev_rules=udev_rules)
    assert result.exit_code == 0, result.report()
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(f"no JSON from collector-run.py ({error})\n{result.report()}") from None
    return Collected(report, result, tmp_path)


def without(items, *fields):
    return [{k: v for k, v in item.items() if k not in fields} for item in items]


def without_counts(text):
    return re.sub(r"\d+", "N", text)


def diagnosis(document):
    """What a scan of the archive must say exactly as a live scan of the same boot does."""
    inventory = dict(document["inventory"])
    del inventory["source"]
    udev = inventory.pop("udev")
    inventory["udev"] = {"daemonRunning": udev["daemonRunning"], "rulesFiles": udev["rulesFiles"]}
    for kind in ("controlDevices", "endpointDevices"):
        inventory[kind] = without(inventory[kind], "udev")
    user = dict(inventory["user"])
    user["groups"] = sorted(set(user["groups"]) | {user["gid"]})
    inventory["user"] = user
    inventory["unreadable"] = sorted((p["path"].removeprefix("on the board: "), without_counts(p["error"]))
                                     for p in inventory["unreadable"])
    # Why a resource table was not read is said in the words of where it was read from.
    inventory["remoteProcessors"] = [
        dict(remote, resourceTable=without([remote["resourceTable"]], "reason")[0])
        if not remote.get("resourceTable", {"readable": True})["readable"] else remote
        for remote in inventory["remoteProcessors"]]
    findings = sorted((f["id"], f["severity"]) for f in document["findings"])
    return {"inventory": inventory, "findings": findings}


def scan_source(option, path):
    done = subprocess.run([BINARY, "scan", option, str(path), "--json"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def assert_collected_cleanly(collected):
    report = collected.report
    assert report["collector"]["exit"] == 0, collected.explain()
    assert collected.archive is not None, collected.explain()
    assert report["written_elsewhere"] == [], collected.explain()
    assert report["left_in_tmpdir"] == [], collected.explain()
    assert report["archive_mode"] == "0600", "the archive holds the board's accounts: only its owner reads it"


def assert_layout(collected):
    """One top directory; directories, regular files and links only; the meta files; sysfs links with
    the board's relative targets; proc/PID/fd links only to rpmsg nodes."""
    members = collected.report["members"]
    assert all(m["name"] == "rpmsg-collect" or m["name"].startswith("rpmsg-collect/") for m in members)
    assert {m["type"] for m in members} <= {"0", "2", "5"}, "only files, links and directories"
    names = {m["name"] for m in members}
    for name in ("FORMAT", "nodes", "id", "uname", "unreadable"):
        assert f"{META}/{name}" in names
    for name in ("sys/bus/rpmsg/devices", "sys/bus/rpmsg/drivers", "sys/class/rpmsg", "sys/bus/virtio/devices",
                 "proc/devices", "proc/sys/kernel/osrelease", "etc/passwd", "etc/group", "dev/kmsg"):
        assert f"rpmsg-collect/{name}" in names, name
    assert collected.meta("FORMAT") == "rpmsg-collect 1\n"
    for member in members:
        if member["type"] != "2":
            continue
        if "/proc/" in member["name"]:
            assert re.fullmatch(r"rpmsg-collect/proc/\d+/fd/\d+", member["name"]), member
            assert re.match(r"/dev/(rpmsg|ttyRPMSG)", member["target"]), member
        else:
            assert not member["target"].startswith("/"), member
    compared = collected.report["live_compare"]
    assert compared["mismatches"] == [], compared["mismatches"]
    assert compared["links"] > 0 and compared["files"] > 0


def assert_nodes_and_facts(collected, user):
    report = collected.report
    nodes = collected.meta("nodes").splitlines()
    assert sorted(nodes) == sorted(report["expected_nodes"]), collected.explain()
    assert nodes, "the board has rpmsg device nodes"
    assert collected.meta("id") == report["expected_id"]
    assert collected.meta("id").startswith(f"uid={user or 0}(")
    assert collected.meta("uname").startswith("Linux ")


def assert_kernel_log(collected):
    """The records of the archive are those /dev/kmsg gave, oldest first, up to when it was read."""
    archived, live = collected.report["kmsg"]["archive"], collected.report["kmsg"]["live"]
    assert archived, "the board's kernel log is readable"
    assert all(KMSG_RECORD.match(record) for record in archived), archived[:3]
    assert live[:len(archived)] == archived


def differences(archived, live):
    """The parts of two diagnoses that differ, for an assertion message."""
    lines = []
    for part in ("inventory", "findings"):
        left, right = archived[part], live[part]
        keys = left.keys() | right.keys() if isinstance(left, dict) else [None]
        for key in sorted(keys, key=str):
            a, b = (left.get(key), right.get(key)) if key else (left, right)
            if a != b:
                lines.append(f"{part} {key}:\n  archive {json.dumps(a)[:1500]}\n  live    {json.dumps(b)[:1500]}")
    return "\n".join(lines)


def assert_same_diagnosis(collected, options=("--from", "--root")):
    live = diagnosis(collected.live_scan())
    for option in options:
        archived = diagnosis(collected.scan(option))
        assert archived == live, f"scan {option}:\n" + differences(archived, live) + "\n" + collected.explain()
    return collected.live_scan()


def test_canonical_board_as_root(kernel, tmp_path):
    collected = collect("canonical", kernel, tmp_path, endpoints=[ENDPOINT_ON_CTRL1], hold=True)
    assert_collected_cleanly(collected)
    assert_layout(collected)
    assert_nodes_and_facts(collected, None)
    assert_kernel_log(collected)
    assert collected.report["collector"]["stdout"] == "/tmp/collector-out/board.tar.gz\n"
    assert "everything was readable" in collected.report["collector"]["stderr"]
    link = collected.root / "sys/class/rpmsg/rpmsg_ctrl1"
    assert os.readlink(link) == ("../../devices/virtio-uml-cmdline/virtio-uml.1/virtio1/virtio1.rpmsg_ctrl.0.0"
                                 "/rpmsg/rpmsg_ctrl1")
    live = assert_same_diagnosis(collected)
    endpoint = live["inventory"]["endpointDevices"][0]
    assert (endpoint["control"], endpoint["virtio"], endpoint["dst"]) == ("rpmsg_ctrl1", "virtio1", 30)
    assert [h["command"] for h in endpoint["holders"]] == ["sleep"], "the holder is part of what is compared"


def test_canonical_board_as_an_unprivileged_user(kernel, tmp_path):
    collected = collect("canonical", kernel, tmp_path, user=NOBODY, endpoints=[ENDPOINT_ON_CTRL1], hold=True)
    assert_collected_cleanly(collected)
    assert_layout(collected)
    assert_nodes_and_facts(collected, NOBODY)
    unreadable = dict(line.split("\t", 1) for line in collected.meta("unreadable").splitlines())
    assert "permission denied" in unreadable.get("/proc/*/fd", ""), unreadable
    assert "/proc/*/fd" in collected.report["collector"]["stderr"]
    live = assert_same_diagnosis(collected)
    assert live["inventory"]["endpointDevices"][0]["holders"] == [], "root's holder is hidden from nobody"
    # What the live scan could not read, the collector could not either, and said so.
    assert {p["path"] for p in live["inventory"]["unreadable"]} <= set(unreadable), unreadable


def test_user_in_the_group_of_a_udev_rule(kernel, tmp_path):
    """udevd runs with a rule naming rpmsg: the rules file, udevd's control socket and the udev database
    entries of the rpmsg devices are collected; the nodes are 0660 root:dialout."""
    dialout = grp.getgrnam("dialout").gr_gid
    rules = 'SUBSYSTEM=="rpmsg", GROUP="dialout", MODE="0660"\n'
    collected = collect("canonical", kernel, tmp_path, user=f"{NOBODY}:{dialout}", udev_rules=rules)
    assert_collected_cleanly(collected)
    assert_layout(collected)
    assert_nodes_and_facts(collected, NOBODY)
    assert all(line.endswith(f" 0 {dialout} 0660") for line in collected.meta("nodes").splitlines())
    assert (collected.root / "run/udev/rules.d/90-board.rules").read_text() == rules
    assert (collected.root / "run/udev/control").stat().st_size == 0
    live = assert_same_diagnosis(collected)
    for control in live["inventory"]["controlDevices"]:
        assert (collected.root / f"run/udev/data/c{control['devNumber']}").is_file(), control
    assert live["inventory"]["udev"]["daemonRunning"] is True
    assert [f["path"] for f in live["inventory"]["udev"]["rulesFiles"]] == ["/run/udev/rules.d/90-board.rules"]


def test_hostile_channel_names(kernel, tmp_path):
    """Names with a newline, escape sequences, quotes, invalid UTF-8 and spaces, as the kernel has them."""
    collected = collect("hostile-names", kernel, tmp_path)
    assert_collected_cleanly(collected)
    assert_layout(collected)
    names = {m["name"] for m in collected.report["members"]}
    assert any("new\nline" in name for name in names)
    assert any("\x1b[31mred" in name for name in names)
    live = assert_same_diagnosis(collected, options=("--root",))
    assert {c["name"] for c in live["inventory"]["channels"]} >= {"new\nline", "\x1b[31mred\x1b[0m", "quote\"'`$(id)"}
    archived = diagnosis(collected.scan("--from"))
    assert archived == diagnosis(live), differences(archived, diagnosis(live))


def test_remote_without_name_service_and_the_default_name(kernel, tmp_path):
    collected = collect("no-ns", kernel, tmp_path, default_name=True)
    assert_collected_cleanly(collected)
    assert_layout(collected)
    path = collected.report["collector"]["stdout"].strip()
    assert re.fullmatch(r"/tmp/collector-out/rpmsg-collect-[A-Za-z0-9._-]+-\d{8}-\d{6}\.tar\.gz", path), path
    live = assert_same_diagnosis(collected)
    assert [c["name"] for c in live["inventory"]["channels"]] == ["rpmsg_ctrl"]


def test_every_kind_of_rpmsg_device(kernel, tmp_path):
    collected = collect(EVERY_KIND, kernel, tmp_path, endpoints=[ENDPOINT_ON_CTRL1], hold=True)
    assert_collected_cleanly(collected)
    assert_layout(collected)
    assert_nodes_and_facts(collected, None)
    live = assert_same_diagnosis(collected)
    inventory = live["inventory"]
    endpoints = {(e.get("hostChannel"), e.get("control")) for e in inventory["endpointDevices"]}
    assert endpoints == {(None, "rpmsg_ctrl1"), ("virtio0.rpmsg-raw.-1.40", None)}, endpoints
    if any(driver["name"] == "rpmsg_tty" for driver in inventory["drivers"]):  # a kernel with rpmsg_tty
        assert [t["hostChannel"] for t in inventory["ttys"]] == ["virtio1.rpmsg-tty.-1.50"], inventory["ttys"]


def test_writes_only_its_temporary_directory_and_output(kernel, tmp_path):
    """Under strace: nothing created, changed or removed outside its temporary directory and output;
    nothing opened for reading that is not a regular file or directory (but /dev/kmsg), no sysfs file
    without a read permission bit, nothing outside the places discovery reads."""
    assert os.path.exists("/usr/bin/strace"), "strace is missing: bash scripts/install-deps.sh --tests"
    collected = collect("canonical", kernel, tmp_path, endpoints=[ENDPOINT_ON_CTRL1], hold=True, trace=True,
                        timeout=240)
    assert_collected_cleanly(collected)
    trace = collected.report["trace"]
    assert trace["opened"] > 50, trace
    assert trace["changed_elsewhere"] == [], trace
    assert trace["bad_reads"] == [], trace
    assert trace["read_elsewhere"] == [], trace


def test_interrupted_collector_leaves_nothing_behind(kernel, tmp_path):
    collected = collect("canonical", kernel, tmp_path, user=NOBODY, interrupts=["SIGTERM", "SIGINT", "SIGHUP"])
    for run in collected.report["interrupts"]:
        assert run["sent_while_running"], run
        assert run["exit"] == 128 + getattr(signal, run["signal"]), run
        assert run["left_in_tmpdir"] == [], run
        assert not run["output_exists"], run


# ---- on the host, without the board ---------------------------------------------------------------


def run_collector(*arguments, cwd, tmpdir):
    environment = {"PATH": os.environ["PATH"], "TMPDIR": str(tmpdir), "LANG": "C"}
    return subprocess.run(["sh", COLLECTOR, *arguments], cwd=cwd, env=environment, capture_output=True, text=True)


def test_script_is_plain_posix_shell():
    for shell in (["sh", "-n"], [BUSYBOX, "sh", "-n"] if BUSYBOX else None):
        if shell:
            done = subprocess.run(shell + [COLLECTOR], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
    if shutil.which("shellcheck"):
        done = subprocess.run(["shellcheck", "-s", "sh", COLLECTOR], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("kind", ["symlink", "directory", "fifo"])
def test_refuses_to_replace_what_is_not_a_regular_file(tmp_path, kind):
    target = tmp_path / "out.tar.gz"
    if kind == "symlink":
        (tmp_path / "elsewhere").write_text("keep")
        target.symlink_to(tmp_path / "elsewhere")
    elif kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = run_collector("-o", str(target), cwd=tmp_path, tmpdir=scratch)
    assert done.returncode == 2, done
    assert "not a regular file" in done.stderr
    assert os.listdir(scratch) == []
    if kind == "symlink":
        assert (tmp_path / "elsewhere").read_text() == "keep"


@pytest.mark.parametrize("arguments,status", [(["-x"], 64), (["-o"], 64), (["extra"], 64), (["-h"], 0)])
def test_usage(tmp_path, arguments, status):
    done = run_collector(*arguments, cwd=tmp_path, tmpdir=tmp_path)
    assert done.returncode == status, done
    assert "usage: sh rpmsg-collect.sh" in (done.stdout if status == 0 else done.stderr)
    assert os.listdir(tmp_path) == []


def is_static(path):
    with open(path, "rb") as f:
        return b"ld-linux" not in f.read(8192)


@pytest.fixture(scope="session")
def fixture_tool():
    if not os.access(FIXTURE_TOOL, os.X_OK):
        pytest.fail(f"{FIXTURE_TOOL} is missing: swift build")
    return FIXTURE_TOOL


def chroot_board(fixture_tool, recipe, directory):
    """A fixture tree made the root of a board with a static busybox alone, and the collector."""
    tree = subprocess.run([fixture_tool, recipe], capture_output=True, text=True, check=True).stdout.strip()
    board_root = directory / "board"
    try:
        subprocess.run(["cp", "-a", tree + "/.", str(board_root)], check=True)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    for name in ("bin", "tmp", "out"):
        (board_root / name).mkdir(exist_ok=True)
    shutil.copy(BUSYBOX, board_root / "bin" / "busybox")
    for applet in ("sh", "cat", "ls", "tar", "gzip", "readlink", "stat", "id", "head", "mkdir", "rm", "ln", "find",
                   "grep", "sed", "date", "hostname", "uname", "timeout", "dd", "mktemp", "tr", "wc"):
        (board_root / "bin" / applet).symlink_to("busybox")
    shutil.copy(COLLECTOR, board_root / "rpmsg-collect.sh")
    return board_root


def collect_in_chroot(board_root):
    """Runs the collector chrooted in board_root; returns the extracted archive's rpmsg-collect/."""
    done = subprocess.run(["chroot", str(board_root), "/bin/sh", "-c",
                           "cd /out && PATH=/bin exec sh /rpmsg-collect.sh -o /out/board.tar.gz"],
                          env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "/out/board.tar.gz\n"
    assert os.listdir(board_root / "tmp") == []
    extracted = board_root.parent / "extracted"
    extracted.mkdir()
    subprocess.run(["tar", "-xzf", str(board_root / "out" / "board.tar.gz"), "-C", str(extracted)], check=True)
    return extracted / "rpmsg-collect"


def scan_root(root):
    return scan_source("--root", root)


needs_chroot = [
    pytest.mark.skipif(os.geteuid() != 0, reason="chroot needs root"),
    pytest.mark.skipif(not BUSYBOX or not is_static(BUSYBOX), reason="needs a static busybox (busybox-static)"),
]


@needs_chroot[0]
@needs_chroot[1]
@pytest.mark.parametrize("recipe", RECIPES)
def test_fixture_tree_through_the_collector(fixture_tool, tmp_path, recipe):
    """A scan of the collector's archive of a fixture tree says what a scan of the tree says, device
    tree, remote processors and vendors' layouts included; nodes holds the tree's device nodes."""
    board_root = chroot_board(fixture_tool, recipe, tmp_path)
    collected = collect_in_chroot(board_root)
    archived, tree = diagnosis(scan_root(collected)), diagnosis(scan_root(board_root))
    assert archived == tree, differences(archived, tree)
    expected = []
    for name in sorted(os.listdir(board_root / "dev")):
        if re.match(r"rpmsg_ctrl|rpmsg[0-9]|ttyRPMSG", name):
            info = os.stat(board_root / "dev" / name)
            kind = "c" if stat.S_ISCHR(info.st_mode) else "f" if stat.S_ISREG(info.st_mode) else "o"
            expected.append(f"/dev/{name} {kind} {os.major(info.st_rdev)} {os.minor(info.st_rdev)} "
                            f"{info.st_uid} {info.st_gid} {stat.S_IMODE(info.st_mode):04o}")
    assert sorted((collected / ".rpmsg-collect" / "nodes").read_text().splitlines()) == expected


@needs_chroot[0]
@needs_chroot[1]
def test_write_only_attribute_is_never_opened(fixture_tool, tmp_path):
    """Root may open a file without read bits on a plain file system; the collector goes by the mode."""
    board_root = chroot_board(fixture_tool, "mainline-6.1", tmp_path)
    channel = next((board_root / "sys/bus/rpmsg/devices").iterdir()).resolve()
    (channel / "name").write_text("never read\n")
    (channel / "name").chmod(0o200)
    collected = collect_in_chroot(board_root)
    live_path = "/" + str((channel / "name").relative_to(board_root))
    assert not (collected / live_path.lstrip("/")).exists()
    assert f"{live_path}\tpermission denied" in (collected / ".rpmsg-collect/unreadable").read_text().splitlines()


@needs_chroot[0]
@needs_chroot[1]
def test_kernel_log_keeps_the_newest_records(fixture_tool, tmp_path):
    """A 4 MiB kernel log: the newest 2 MiB at most, from a whole record to the last one."""
    board_root = chroot_board(fixture_tool, "mainline-6.1", tmp_path)
    records = [f"6,{n},{n * 1000},-;virtio_rpmsg_bus virtio0: record {n} {'x' * 60}" for n in range(50000)]
    (board_root / "dev" / "kmsg").write_text("\n".join(records) + "\n")
    kept = (collect_in_chroot(board_root) / "dev" / "kmsg").read_text().splitlines()
    assert len("\n".join(kept)) < 2 << 20
    assert kept == records[-len(kept):] and len("\n".join(kept)) > (2 << 20) - 200
