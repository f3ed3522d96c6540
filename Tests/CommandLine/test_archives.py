"""Collector archives (rpmsg-collect.sh's .tar.gz) diagnosed anywhere: the same inventory as the tree they hold,
and every truncated, corrupt or hostile archive ends in a clear error, with nothing written outside."""

import io
import json
import os
import shutil
import stat
import subprocess
import tarfile

import pytest

from cli import FIXTURE, doctor

UNREADABLE = 2


def collected_tree(tmp_path, recipe="imx8qm-canonical"):
    """A fixture board laid out as the collector lays out a board: device nodes as text in .rpmsg-collect/nodes."""
    board = subprocess.run([FIXTURE, recipe], capture_output=True, text=True, check=True).stdout.strip()
    tree = tmp_path / "rpmsg-collect"
    nodes = [name for name in sorted(os.listdir(os.path.join(board, "dev"))) if name != "kmsg"]
    shutil.copytree(board, tree, symlinks=True, ignore=lambda directory, names: nodes if directory == os.path.join(board, "dev") else [])
    lines = []
    for name in nodes:
        info = os.stat(os.path.join(board, "dev", name))
        kind = "c" if stat.S_ISCHR(info.st_mode) else "f"
        numbers = (os.major(info.st_rdev), os.minor(info.st_rdev)) if kind == "c" else (0, 0)
        lines.append(f"/dev/{name} {kind} {numbers[0]} {numbers[1]} {info.st_uid} {info.st_gid} {info.st_mode & 0o7777:04o}")
    shutil.rmtree(board)
    meta = tree / ".rpmsg-collect"
    meta.mkdir()
    (meta / "FORMAT").write_text("rpmsg-collect 1\n")
    (meta / "nodes").write_text("\n".join(lines) + "\n")
    (meta / "id").write_text("uid=1000(torizon) gid=1000(torizon) groups=1000(torizon),20(dialout)\n")
    (meta / "uname").write_text("Linux board 5.15.77 aarch64\n")
    return tree


def pack(tmp_path, tree, name="board.tar.gz"):
    archive = tmp_path / name
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tree, arcname="rpmsg-collect")
    return archive


def hostile_archive(tmp_path, members):
    """An archive built member by member: (name, kind, data or link target)."""
    archive = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "link":
                info.type = tarfile.SYMTYPE
                info.linkname = payload
                tar.addfile(info)
            elif kind == "chr":
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
                tar.addfile(info)
            else:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    return archive


def inventory(result):
    document = json.loads(result.stdout)["inventory"]
    return {key: document[key] for key in ("virtioDevices", "channels", "controlDevices", "endpointDevices", "ttys", "user")}


def test_an_archive_is_diagnosed_as_the_tree_it_holds(tmp_path):
    tree = collected_tree(tmp_path)
    archive = pack(tmp_path, tree)
    from_archive = doctor("scan", "--from", str(archive), "--json")
    from_tree = doctor("scan", "--root", str(tree), "--json")
    assert from_archive.returncode == 1 and from_tree.returncode == 1, from_archive.stderr
    assert inventory(from_archive) == inventory(from_tree)
    document = json.loads(from_archive.stdout)
    assert document["origin"] == f"archive {archive}"
    assert document["inventory"]["source"] == "collected on Linux board 5.15.77 aarch64"
    assert document["inventory"]["user"]["uid"] == 1000, "the collecting user, not whoever reads the archive"
    nodes = {node["node"]["path"]: node["node"] for node in document["inventory"]["controlDevices"]}
    assert nodes["/dev/rpmsg_ctrl0"]["state"] == "present" and nodes["/dev/rpmsg_ctrl0"]["devNumber"] == "245:0"
    assert {finding["id"] for finding in document["findings"]} >= {"RD104", "RD201"}


def test_an_archive_converts_to_a_snapshot(tmp_path):
    archive = pack(tmp_path, collected_tree(tmp_path))
    output = tmp_path / "board.json"
    assert doctor("snapshot", "--from", str(archive), "-o", str(output)).returncode == 0
    assert doctor("scan", "--from", str(output)).returncode == 1
    assert json.loads(output.read_text())["user"]["uid"] == 1000


def test_nothing_is_left_in_the_temporary_directory(tmp_path):
    archive = pack(tmp_path, collected_tree(tmp_path))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = doctor("scan", "--from", str(archive), env=dict(os.environ, TMPDIR=str(scratch)))
    assert result.returncode == 1
    assert os.listdir(scratch) == []


def test_a_truncated_archive_is_an_error(tmp_path):
    archive = pack(tmp_path, collected_tree(tmp_path))
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    result = doctor("scan", "--from", str(archive), timeout=30)
    assert result.returncode == UNREADABLE
    assert "cannot read archive" in result.stderr


def test_a_corrupt_archive_is_an_error(tmp_path):
    archive = pack(tmp_path, collected_tree(tmp_path))
    data = bytearray(archive.read_bytes())
    for index in range(40, len(data) - 40, 97):
        data[index] ^= 0x5A
    archive.write_bytes(bytes(data))
    result = doctor("scan", "--from", str(archive), timeout=30)
    assert result.returncode == UNREADABLE
    assert "cannot read archive" in result.stderr


@pytest.mark.parametrize("members, message", [
    ([("rpmsg-collect", "dir", None), ("/tmp/rpmsg-doctor-escaped", "file", b"x")], "absolute path"),
    ([("rpmsg-collect", "dir", None), ("rpmsg-collect/../../rpmsg-doctor-escaped", "file", b"x")], "climbs out"),
    ([("rpmsg-collect", "dir", None), ("rpmsg-collect/sys", "link", "/tmp"), ("rpmsg-collect/sys/rpmsg-doctor-escaped", "file", b"x")],
     "written through a link"),
    ([("rpmsg-collect/big", "file", bytes(17 << 20))], "larger than 16 MiB"),
    ([("something-else/x", "file", b"x")], "no rpmsg-collect/ directory"),
    ([("rpmsg-collect", "link", "/")], "its rpmsg-collect is not a directory"),
    ([("rpmsg-collect/" + "d/" * 70 + "rpmsg-doctor-escaped", "file", b"x")], "nested deeper than 64 directories"),
])
def test_hostile_archives_write_nothing_outside(tmp_path, members, message):
    archive = hostile_archive(tmp_path, members)
    result = doctor("scan", "--from", str(archive), timeout=60)
    assert result.returncode == UNREADABLE, result.stdout
    assert message in result.stderr
    assert not os.path.exists("/tmp/rpmsg-doctor-escaped")
    assert not os.path.exists(tmp_path.parent / "rpmsg-doctor-escaped")


def test_device_nodes_in_an_archive_are_never_made(tmp_path):
    tree = collected_tree(tmp_path)
    archive = tmp_path / "board.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tree, arcname="rpmsg-collect")
        info = tarfile.TarInfo("rpmsg-collect/dev/rpmsg_ctrl0")
        info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
        tar.addfile(info)
    result = doctor("scan", "--from", str(archive), "--json")
    assert result.returncode == 1, result.stderr
    controls = json.loads(result.stdout)["inventory"]["controlDevices"]
    assert [control["node"]["devNumber"] for control in controls if control["node"]["path"] == "/dev/rpmsg_ctrl0"] == ["245:0"]


def test_a_link_out_of_the_tree_reads_nothing_of_the_host(tmp_path):
    tree = collected_tree(tmp_path)
    secret = tmp_path / "host-secret"
    secret.write_text("root:secret-hash:19000:0:99999:7:::\n")
    kernel = tree / "proc" / "sys" / "kernel" / "osrelease"
    kernel.unlink()
    kernel.symlink_to(secret)
    archive = pack(tmp_path, tree)
    result = doctor("scan", "--from", str(archive), "--json")
    assert "secret-hash" not in result.stdout and "secret-hash" not in result.stderr


@pytest.mark.parametrize("tar_format", [tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_hostile_names_in_an_archive_come_out_as_they_went_in(tmp_path, tar_format):
    tree = collected_tree(tmp_path, "hostile-names")
    archive = tmp_path / "board.tar.gz"
    with tarfile.open(archive, "w:gz", format=tar_format) as tar:
        tar.add(tree, arcname="rpmsg-collect")
    from_archive = doctor("scan", "--from", str(archive), "--json")
    assert from_archive.returncode in (0, 1), from_archive.stderr
    assert inventory(from_archive) == inventory(doctor("scan", "--root", str(tree), "--json"))
    text = doctor("scan", "--from", str(archive))
    assert "\x1b" not in text.stdout


def test_a_long_node_list_is_read_whole(tmp_path):
    """A board with thousands of device nodes: the collector's list is far over a sysfs page, and every line counts."""
    tree = collected_tree(tmp_path)
    nodes = tree / ".rpmsg-collect" / "nodes"
    filler = "".join(f"/dev/unrelated{index} c 1 3 0 0 0600\n" for index in range(4000))
    nodes.write_text(filler + nodes.read_text())
    assert nodes.stat().st_size > 65536
    inventory = json.loads(doctor("scan", "--root", str(tree), "--json").stdout)["inventory"]
    assert [c["node"]["state"] for c in inventory["controlDevices"]] == ["present", "present"]


def test_a_node_list_over_its_limit_is_said_not_cut(tmp_path):
    tree = collected_tree(tmp_path)
    nodes = tree / ".rpmsg-collect" / "nodes"
    nodes.write_text("/dev/unrelated c 1 3 0 0 0600\n" * ((16 << 20) // 30 + 1000) + nodes.read_text())
    inventory = json.loads(doctor("scan", "--root", str(tree), "--json").stdout)["inventory"]
    assert {"path": "/.rpmsg-collect/nodes", "error": "larger than 16 MiB: not read"} in inventory["unreadable"]
