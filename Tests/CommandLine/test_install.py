"""scripts/install.sh into a temporary prefix: the binary, its man page and the shell completions land where a
Linux system looks for them, and work from there."""

import os
import subprocess

import pytest

from cli import REPO


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    subprocess.run(["bash", "scripts/install.sh", str(prefix)], cwd=REPO, check=True, capture_output=True, timeout=1800)
    return prefix


def test_the_installed_binary_runs_far_from_the_source_tree(prefix, tmp_path):
    result = subprocess.run([str(prefix / "bin" / "rpmsg-doctor"), "explain", "RD101"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("# RD101: Control device on another virtio device than the channel")
    assert os.stat(prefix / "bin" / "rpmsg-doctor").st_mode & 0o777 == 0o755


def test_the_man_page_renders(prefix):
    page = prefix / "share" / "man" / "man1" / "rpmsg-doctor.1"
    result = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, env=dict(os.environ, MANPAGER="cat", MANWIDTH="100"))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for words in ["rpmsg-doctor", "scan", "probe", "udev-rule", "explain", "--ctrl"]:
        assert words in text


def test_the_completions_know_every_subcommand(prefix):
    bash = prefix / "share" / "bash-completion" / "completions" / "rpmsg-doctor"
    zsh = prefix / "share" / "zsh" / "site-functions" / "_rpmsg-doctor"
    fish = prefix / "share" / "fish" / "vendor_completions.d" / "rpmsg-doctor.fish"
    assert subprocess.run(["bash", "-n", str(bash)]).returncode == 0
    assert zsh.read_text().startswith("#compdef rpmsg-doctor")
    for script in (bash, zsh, fish):
        text = script.read_text()
        for subcommand in ["scan", "probe", "snapshot", "udev-rule", "explain"]:
            assert subcommand in text, (script, subcommand)
