"""`--root DIR` reads nothing outside DIR, whatever links the tree holds: proved by tracing every path the
process opens, and by trees that point at the host's files."""

import os
import re
import shutil
import subprocess

import pytest

from cli import DOCTOR, FIXTURE, doctor


@pytest.fixture
def tree(tmp_path):
    root = subprocess.run([FIXTURE, "mainline-6.1"], capture_output=True, text=True, check=True).stdout.strip()
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def host_secret(tmp_path):
    directory = tmp_path / "host"
    directory.mkdir()
    for name in ("state", "name", "osrelease", "devices", "passwd"):
        (directory / name).write_text(f"HOST-SECRET-{name}\n")
    return directory


def replace_with_link(path, target):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)


def secrets_in(result):
    return re.findall(r"HOST-SECRET-[a-z]+", result.stdout + result.stderr)


def test_absolute_links_in_the_tree_stay_in_the_tree(tree, host_secret):
    remote = os.path.realpath(os.path.join(tree, "sys/class/remoteproc/remoteproc0"))
    replace_with_link(os.path.join(remote, "state"), str(host_secret / "state"))
    replace_with_link(os.path.join(tree, "proc/devices"), str(host_secret / "devices"))
    replace_with_link(os.path.join(tree, "etc/passwd"), str(host_secret / "passwd"))
    result = doctor("scan", "--root", tree, "--json")
    assert result.returncode in (0, 1), result.stderr
    assert secrets_in(result) == []


def test_a_linked_directory_cannot_lead_out(tree, host_secret):
    replace_with_link(os.path.join(tree, "proc/sys/kernel"), str(host_secret))
    replace_with_link(os.path.join(tree, "sys/class/remoteproc/remoteproc0"), str(host_secret))
    result = doctor("scan", "--root", tree, "--json")
    assert secrets_in(result) == []


def test_dotdot_stops_at_the_root(tree, host_secret):
    depth = len(os.path.realpath(tree).strip("/").split("/"))
    replace_with_link(os.path.join(tree, "proc/sys/kernel"), "../" * (depth + 3) + str(host_secret).lstrip("/"))
    result = doctor("scan", "--root", tree)
    assert secrets_in(result) == []


def test_a_sibling_tree_with_the_same_prefix_is_outside(tmp_path, tree):
    sibling = tree + "2"
    os.makedirs(os.path.join(sibling, "proc/sys/kernel"))
    with open(os.path.join(sibling, "proc/sys/kernel/osrelease"), "w") as file:
        file.write("HOST-SECRET-sibling\n")
    try:
        replace_with_link(os.path.join(tree, "proc/sys/kernel"), os.path.join(sibling, "proc/sys/kernel"))
        assert "HOST-SECRET" not in doctor("scan", "--root", tree).stdout
    finally:
        shutil.rmtree(sibling)


def test_the_hosts_kernel_log_is_not_read_through_a_link(tree):
    replace_with_link(os.path.join(tree, "dev/kmsg"), "/dev/kmsg")
    result = doctor("scan", "--root", tree, "--json")
    assert '"readable" : false' in result.stdout or '"readable": false' in result.stdout


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is installed by install-deps.sh --tests")
def test_every_path_the_process_opens_is_inside_the_root(tree, tmp_path):
    log = tmp_path / "trace"
    subprocess.run(["strace", "-f", "-s", "4096", "-e", "trace=%file", "-o", str(log), DOCTOR, "scan", "--root", tree],
                   capture_output=True, check=False, timeout=120)
    root = os.path.realpath(tree)
    ancestors = {os.path.dirname(root)}
    while "/" not in ancestors:
        ancestors.add(os.path.dirname(min(ancestors, key=len)))
    binary = os.path.dirname(os.path.realpath(DOCTOR))
    outside = []
    for path in re.findall(r'"(/[^"]*)"', log.read_text()):
        runtime = (re.search(r"\.so(\.\d+)*$", path) or path.startswith(("/etc/ld.so.", "/proc/self/", binary, os.path.dirname(DOCTOR), "/opt/swift/"))
                   or path in ("/sys/devices/system/cpu/possible", "/lib", "/usr/lib", "/lib64"))
        if path == root or path.startswith(root + "/") or path in ancestors or runtime:
            continue
        if re.search(r"/(glibc-hwcaps|tls|x86_64|aarch64)(/|$)", path) or path.startswith(("/lib/", "/usr/lib/", "/lib64/")):
            continue
        outside.append(path)
    assert outside == []
