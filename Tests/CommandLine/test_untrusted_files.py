"""Snapshots come from someone else's board, and output paths may point anywhere: each case ends in a clear
message and a documented exit code, reads nothing unbounded and replaces nothing but a regular file."""

import json
import os
import stat
import subprocess

import pytest

from cli import DOCTOR, EXAMPLE, doctor

UNREADABLE = 2


@pytest.mark.parametrize("content, message", [
    ('{"schemaVersion": NaN}', "not valid JSON: expected a value (NaN, comments and unquoted words are not JSON) at line 1, column 19"),
    ('{"schemaVersion": 1} trailing', "not valid JSON: unexpected text after the document at line 1, column 22"),
    ('// comment\n{"schemaVersion": 1}', "at line 1, column 1"),
    ('{\n  "schemaVersion": 1,\n  x\n}', "not valid JSON: expected a quoted key at line 3, column 3"),
    ('{"schemaVersion": 0}', "schema version 0, which no rpmsg-doctor ever wrote"),
    ('{"schemaVersion": -5}', "schema version -5, which no rpmsg-doctor ever wrote"),
    ('{"schemaVersion": "1"}', "at schemaVersion: expected a whole number"),
    ('{}', 'the key "schemaVersion" is missing'),
])
def test_malformed_snapshots_say_what_and_where(tmp_path, content, message):
    path = tmp_path / "snapshot.json"
    path.write_text(content)
    result = doctor("scan", "--from", str(path))
    assert result.returncode == UNREADABLE
    assert message in result.stderr
    assert "Domain" not in result.stderr


def test_a_wrong_value_deep_inside_names_its_place(tmp_path):
    text = open(EXAMPLE).read().replace('"dst" : 0,', '"dst" : "zero",', 1)
    path = tmp_path / "snapshot.json"
    path.write_text(text)
    result = doctor("scan", "--from", str(path))
    assert result.returncode == UNREADABLE
    assert "at channels[0].dst: expected a whole number" in result.stderr


@pytest.mark.parametrize("path, kind", [("/dev/zero", "a character device"), ("/tmp", "a directory")])
def test_special_files_are_not_read_as_snapshots(path, kind):
    result = doctor("scan", "--from", path, timeout=10)
    assert result.returncode == UNREADABLE
    assert f"it is {kind}, not a regular file" in result.stderr


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "snapshot.json"
    os.mkfifo(fifo)
    result = doctor("scan", "--from", str(fifo), timeout=10)
    assert result.returncode == UNREADABLE
    assert "it is a FIFO" in result.stderr


def test_a_huge_snapshot_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as file:
        file.truncate(2 << 30)
    result = doctor("scan", "--from", str(path), timeout=10)
    assert result.returncode == UNREADABLE
    assert "larger than 64 MiB" in result.stderr


def test_a_hostile_path_is_neutralised_in_the_message(tmp_path):
    path = tmp_path / "x\x1b[2J\nerror[RD999] forged.json"
    result = doctor("scan", "--from", str(path))
    assert result.returncode == UNREADABLE
    assert "\x1b" not in result.stderr and "\nerror[RD999]" not in result.stderr
    assert "\\x1b[2J\\nerror[RD999] forged.json" in result.stderr


def test_snapshot_from_standard_input_and_to_standard_output():
    with open(EXAMPLE, "rb") as example:
        scanned = subprocess.run([DOCTOR, "scan", "--from", "-"], stdin=example, capture_output=True, text=True, timeout=60)
    assert scanned.returncode == 1 and "2 errors, 0 warnings, 1 note" in scanned.stdout
    written = doctor("snapshot", "--from", EXAMPLE, "-o", "-")
    assert written.returncode == 0 and written.stdout.startswith("{")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root could replace /dev/full")
def test_a_device_is_never_replaced():
    result = doctor("snapshot", "--from", EXAMPLE, "-o", "/dev/full")
    assert result.returncode == UNREADABLE
    assert "it is a character device, and only a regular file is replaced" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_symbolic_link_is_not_written_through(tmp_path):
    target = tmp_path / "elsewhere"
    link = tmp_path / "board.json"
    link.symlink_to(target)
    result = doctor("snapshot", "--from", EXAMPLE, "-o", str(link))
    assert result.returncode == UNREADABLE
    assert "it is a symbolic link" in result.stderr
    assert not target.exists() and link.is_symlink()


def test_a_regular_file_is_replaced_whole(tmp_path):
    path = tmp_path / "board.json"
    path.write_text("old content that is longer than nothing " * 1000)
    result = doctor("snapshot", "--from", EXAMPLE, "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_text() == open(EXAMPLE).read()
    assert [name for name in os.listdir(tmp_path) if name != "board.json"] == []


@pytest.mark.parametrize("value", ["-1", "ANY", "any", "0xffffffff"])
def test_the_kernels_way_of_writing_any_is_accepted(value):
    result = doctor("scan", "--from", EXAMPLE, "--ctrl", "/dev/rpmsg_ctrl1", "--dst", "0x1e", "--src", value)
    assert result.returncode == 1, result.stderr
    assert "RD504" not in result.stdout


def test_container_flags_from_a_hostile_snapshot_run_nothing(tmp_path):
    snapshot = json.load(open(EXAMPLE))
    snapshot["user"]["groupNames"] = {"$(touch /tmp/pwned)": "rpmsg", "20": "dialout"}
    snapshot["source"] = "x\nrm -rf / #"
    snapshot["system"]["characterMajors"][0]["name"] = "evil\nsudo reboot"
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot))
    result = doctor("udev-rule", "--container", "docker", "--from", str(path))
    assert result.returncode == 0, result.stderr
    assert "$(touch" not in result.stdout
    assert '--group-add "$(getent group rpmsg | cut -d: -f3)"' in result.stdout
    for line in result.stdout.splitlines():
        assert line.startswith(("#", "docker run", "  ")), line
    assert "(x\\nrm -rf / #)" in result.stdout and "evil\\nsudo reboot" in result.stdout


def test_a_huge_payload_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "payload"
    with open(path, "wb") as file:
        file.truncate(2 << 30)
    result = doctor("probe", "--service", "x", "--payload", f"@{path}", timeout=10)
    assert result.returncode == 64
    assert "it is larger than 496 bytes" in result.stderr


def test_a_root_that_is_a_file_is_not_an_empty_system(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    result = doctor("scan", "--root", str(path))
    assert result.returncode == UNREADABLE
    assert "Not a directory" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the scan as another user")
def test_a_root_the_user_cannot_list_is_not_an_empty_system(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir(mode=0o700)
    os.chmod(tmp_path, 0o755)
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", DOCTOR, "scan", "--root", str(tree)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == UNREADABLE, result.stdout
    assert "permission denied" in result.stderr


def test_a_huge_kernel_log_file_gives_its_newest_records(board):
    root = board("mainline-6.1")
    with open(os.path.join(root, "dev/kmsg"), "w") as log:
        for index in range(400_000):
            log.write(f"6,{index},{index * 1000},-;virtio_rpmsg_bus virtio0: msg received with no recipient (record {index})\n")
    result = doctor("scan", "--root", root, "--json", timeout=120)
    document = json.loads(result.stdout)
    assert "(record 399999)" in document["inventory"]["kernelLog"]["lines"][-1]
    notes = [problem["error"] for problem in document["inventory"]["unreadable"] if problem["path"] == "/dev/kmsg"]
    assert any("only the newest 16 MiB" in note for note in notes)


def test_the_kernel_configuration_is_read_from_proc_config_gz(board):
    import gzip
    root = board("mainline-6.1")
    with gzip.open(os.path.join(root, "proc/config.gz"), "wt") as config:
        config.write("CONFIG_RPMSG=y\nCONFIG_RPMSG_CHAR=m\n# CONFIG_RPMSG_CTRL is not set\nCONFIG_USB=y\n")
    system = json.loads(doctor("scan", "--root", root, "--json").stdout)["inventory"]["system"]
    assert system["kernelConfig"] == {"RPMSG": "y", "RPMSG_CHAR": "m", "RPMSG_CTRL": "n"}


def test_a_corrupt_proc_config_gz_is_said_plainly(board):
    root = board("mainline-6.1")
    with open(os.path.join(root, "proc/config.gz"), "wb") as config:
        config.write(b"\x1f\x8bnot really gzip")
    inventory = json.loads(doctor("scan", "--root", root, "--json").stdout)["inventory"]
    assert "kernelConfig" not in inventory["system"]
    assert {"path": "/proc/config.gz", "error": "not valid gzip data"} in inventory["unreadable"]
    assert inventory["system"]["kernelConfigNotRead"] == "/proc/config.gz: not valid gzip data"


def test_a_missing_proc_config_gz_is_said_in_the_listing(board):
    root = board("mainline-6.1")
    text = doctor("scan", "--root", root).stdout
    assert "\nkernel config not read: /proc/config.gz does not exist (CONFIG_IKCONFIG_PROC is off, " in text
    assert "/proc/config.gz" not in json.dumps(json.loads(doctor("scan", "--root", root, "--json").stdout)["inventory"]["unreadable"])


def test_udev_rule_install_into_an_image_stays_in_the_image(tmp_path):
    image = tmp_path / "image"
    outside = tmp_path / "outside"
    (image / "etc" / "udev").mkdir(parents=True)
    outside.mkdir()
    (image / "etc" / "udev" / "rules.d").symlink_to(outside)
    # The link's target, read as the image's own path, exists in the image too: that is where the file belongs.
    (image / str(outside).lstrip("/")).mkdir(parents=True)
    result = doctor("udev-rule", "--install", "--root", str(image))
    assert result.returncode == 0, result.stderr
    assert list(outside.iterdir()) == []
    assert (image / "etc" / "udev" / "rules.d").is_symlink()
    written = image / str(outside).lstrip("/") / "60-rpmsg.rules"
    assert written.read_text().startswith("# Generated by rpmsg-doctor")


def test_udev_rule_install_refuses_a_link_in_place_of_the_rules_file(tmp_path):
    image = tmp_path / "image"
    (image / "etc" / "udev" / "rules.d").mkdir(parents=True)
    target = tmp_path / "victim"
    target.write_text("keep me")
    (image / "etc" / "udev" / "rules.d" / "60-rpmsg.rules").symlink_to(target)
    result = doctor("udev-rule", "--install", "--force", "--root", str(image))
    assert result.returncode == 2
    assert "symbolic link" in result.stderr
    assert target.read_text() == "keep me"


def test_the_probe_refuses_a_device_that_is_no_rpmsg_endpoint():
    result = doctor("probe", "--device", "/dev/null", "--expect", "reply", "--json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [finding["id"] for finding in document["findings"]] == ["RD106"]
    assert document["counts"]["sent"] == 0 and document["counts"]["answered"] == 0
