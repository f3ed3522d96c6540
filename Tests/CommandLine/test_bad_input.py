"""The rpmsg-doctor command with bad input: each ends in a clear message and a documented exit code."""

import json
import subprocess

import pytest

from cli import FIXTURE, doctor

USAGE, UNREADABLE = 64, 2


def test_missing_root(tmp_path):
    result = doctor("scan", "--root", str(tmp_path / "nothing"))
    assert result.returncode == UNREADABLE
    assert "cannot read" in result.stderr and "does not exist" in result.stderr


@pytest.mark.parametrize("content, message", [
    (None, "cannot read snapshot"),
    ("not json at all", "is not an rpmsg-doctor snapshot"),
    ('{"schemaVersion": 1, "channels": "x"}', "is not an rpmsg-doctor snapshot"),
    ('{"schemaVersion": 99}', "schema version 99"),
])
def test_bad_snapshot_files(tmp_path, content, message):
    path = tmp_path / "snapshot.json"
    if content is not None:
        path.write_text(content)
    result = doctor("scan", "--from", str(path))
    assert result.returncode == UNREADABLE, result.stderr
    assert message in result.stderr


def test_snapshot_to_an_unwritable_place(board):
    result = doctor("snapshot", "--root", board("mainline-6.1"), "-o", "/nonexistent-directory/board.json")
    assert result.returncode == UNREADABLE
    assert "/nonexistent-directory/board.json" in result.stderr


@pytest.mark.parametrize("arguments, message", [
    (("scan", "--dst", "foo"), "--dst"),
    (("scan", "--dst", "-5"), "--dst"),
    (("scan", "--root", "/", "--from", "x.json"), "cannot be used together"),
    (("probe",), "exactly one target"),
    (("probe", "--ctrl", "/dev/rpmsg_ctrl0"), "--ctrl and --dst go together"),
    (("probe", "--service", "x", "--size", "497"), "496"),
    (("probe", "--service", "x", "--count", "0"), "--count"),
    (("probe", "--service", "x", "--payload", "@/nonexistent/payload"), "cannot read payload file"),
    (("probe", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "53"), "name-service"),
    (("probe", "--device", "/dev/rpmsg0", "--src", "0x400"), "--src and --name"),
    (("udev-rule", "--group", "Bad$"), "group"),
    (("udev-rule", "--channel", 'a"b'), "double quote"),
    (("udev-rule", "--mode", "0666"), "allow-world-writable"),
])
def test_usage_errors(arguments, message):
    result = doctor(*arguments)
    assert result.returncode == USAGE, (result.stdout, result.stderr)
    assert message in result.stderr


def test_hostile_names_are_neutralised_in_text_and_kept_in_json(board):
    root = board("hostile-names")
    text = doctor("scan", "--root", root)
    names = [c["name"] for c in json.loads(doctor("scan", "--root", root, "--json").stdout)["inventory"]["channels"]]
    assert text.returncode in (0, 1), text.stderr
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    assert any("\x1b" in name for name in names), names
    assert any("\\xff" in name for name in names), names


def test_malformed_attributes_end_in_findings_not_a_crash(board):
    result = doctor("scan", "--root", board("malformed-attributes"), "--json")
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["schemaVersion"] == 1


def test_unknown_fixture_recipe_lists_the_recipes():
    result = subprocess.run([FIXTURE, "no-such-recipe"], capture_output=True, text=True)
    assert result.returncode == USAGE
    assert "imx8qm-canonical" in result.stderr
