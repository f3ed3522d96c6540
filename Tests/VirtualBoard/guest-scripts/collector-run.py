#!/usr/bin/env python3
"""Runs scripts/rpmsg-collect.sh in the virtual board's guest as a user would, with nothing but busybox
applets on PATH, checks its archive against the live system, and prints one JSON document for
test_collector_on_board.py.

    collector-run.py --collector SCRIPT --doctor BINARY [--user UID[:GROUPS]] [--endpoint CTRL:DST:NAME]...
                     [--hold] [--strace FILE] [--interrupt SIGNAL]... [--default-name]

It runs as root (the board's command): it creates endpoints through a ctrl as an application does
(--endpoint; it keeps the ctrl open) and has a sleep hold every endpoint node open (--hold), then runs
a live `rpmsg-doctor scan --json` and the collector as UID with those supplementary groups (default
root). --strace traces the collector's file system calls; --interrupt runs it again and sends it
SIGNAL once it has begun copying; --default-name runs it without -o.
"""

import argparse
import base64
import fcntl
import glob
import json
import os
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tarfile
import time

# The applets rpmsg-collect.sh may use, and nothing else on its PATH.
APPLETS = ["sh", "cat", "ls", "tar", "gzip", "readlink", "stat", "id", "head", "mkdir", "rm", "ln", "find", "grep",
           "sed", "date", "hostname", "uname", "timeout", "dd", "mktemp", "printf", "tr", "wc", "basename", "dirname",
           "test", "["]
APPLET_DIR = "/tmp/collector-busybox"
OUT_DIR = "/tmp/collector-out"
TMP_DIR = "/tmp/collector-tmp"
CHECK_DIR = "/tmp/collector-check"
OUTPUT = os.path.join(OUT_DIR, "board.tar.gz")
# Where a process in the guest can write: the rest of the guest's root is the host's, read-only.
WRITABLE = ["/tmp", "/run", "/dev/shm", "/dev"]
BOARD_EXCHANGE = "/run/board"
# What the collector may open for reading, besides its own temporary directory.
READABLE = ("/sys/", "/proc/", "/dev/kmsg", "/dev/null", "/etc/", "/run/udev/", "/lib/udev/", "/usr/lib/udev/",
            "/.dockerenv", "/run/.containerenv")
# Files of the archive that are not a copy of the board's file at the same path.
NOT_COPIES = ("/dev/kmsg", "/proc/1/environ", "/run/udev/control", "/.dockerenv", "/run/.containerenv")
CHANGING_CALLS = ("creat", "mkdir", "mkdirat", "symlink", "symlinkat", "unlink", "unlinkat", "rmdir", "rename",
                  "renameat", "renameat2", "link", "linkat", "truncate", "chmod", "fchmodat", "chown", "fchownat")

RPMSG_CREATE_EPT_IOCTL = 0x4028B501
RPMSG_ADDR_ANY = 0xFFFFFFFF
NODE_GLOBS = ["/dev/rpmsg_ctrl*", "/dev/rpmsg[0-9]*", "/dev/ttyRPMSG*"]


def applet_path():
    busybox = shutil.which("busybox")
    if busybox is None:
        raise SystemExit("busybox is not installed on the host (Debian: busybox-static)")
    os.makedirs(APPLET_DIR, exist_ok=True)
    for applet in APPLETS:
        os.symlink(busybox, os.path.join(APPLET_DIR, applet))
    return busybox


def as_user(user):
    """setpriv's argv prefix for "UID[:GROUP,...]" (supplementary groups), or none for root."""
    if user is None:
        return []
    uid, _, groups = user.partition(":")
    group_option = f"--groups={groups}" if groups else "--clear-groups"
    return ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", group_option, "--"]


def prepare_directories(user):
    for directory in (OUT_DIR, TMP_DIR):
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if user is not None:
            uid = int(user.partition(":")[0])
            os.chown(directory, uid, uid)


def create_endpoint(spec):
    """Creates an endpoint through a ctrl as an application does; returns the ctrl's fd, kept open (an
    endpoint node opens once at a time: the holder opens it)."""
    ctrl, dst, name = spec.split(":", 2)
    before = set(glob.glob("/dev/rpmsg[0-9]*"))
    ctrl_fd = os.open(ctrl, os.O_RDWR)
    info = struct.pack("32sII", name.encode(), RPMSG_ADDR_ANY, int(dst, 0))
    fcntl.ioctl(ctrl_fd, RPMSG_CREATE_EPT_IOCTL, info)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if set(glob.glob("/dev/rpmsg[0-9]*")) - before:
            return ctrl_fd
        time.sleep(0.02)
    raise SystemExit(f"no endpoint node appeared after creating {spec}")


def hold_every_endpoint():
    """A sleep that holds every endpoint node open: a holder with a command name of its own."""
    fds = [os.open(path, os.O_RDWR) for path in sorted(glob.glob("/dev/rpmsg[0-9]*"))]
    holder = subprocess.Popen(["sleep", "600"], pass_fds=fds)
    for fd in fds:
        os.close(fd)
    return holder


def writable_state():
    """Every path below the writable places, with what identifies its content."""
    state = {}
    for top in WRITABLE:
        for directory, dirs, files in os.walk(top):
            if directory.startswith(BOARD_EXCHANGE):
                dirs[:] = []
                continue
            for name in dirs + files:
                path = os.path.join(directory, name)
                try:
                    info = os.lstat(path)
                except FileNotFoundError:
                    continue
                kind = stat.S_IFMT(info.st_mode)
                # A directory's own times change when entries come and go; its entries show that.
                state[path] = (kind,) if kind == stat.S_IFDIR else (kind, info.st_size, info.st_mtime_ns)
    return state


def state_changes(before, after, allowed):
    """Paths created, changed or removed between two states, but for those starting with ALLOWED."""
    changes = []
    for path in sorted(set(before) | set(after)):
        if path.startswith(allowed + (APPLET_DIR, CHECK_DIR)):
            continue
        if before.get(path) != after.get(path):
            changes.append(f"{path}: {before.get(path)} -> {after.get(path)}")
    return changes


def run(argv, user, cwd="/tmp", env=None):
    started = time.monotonic()
    done = subprocess.run(as_user(user) + argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return {"exit": done.returncode, "stdout": done.stdout.decode(errors="backslashreplace"),
            "stderr": done.stderr.decode(errors="backslashreplace"), "seconds": round(time.monotonic() - started, 2)}


def collector_environment():
    return {"PATH": APPLET_DIR, "TMPDIR": TMP_DIR, "HOME": "/tmp", "LANG": "C"}


def run_collector(collector, user, output, trace=None):
    argv = as_user(user) + ["sh", collector] + (["-o", output] if output else [])
    if trace:
        calls = ",".join(("execve", "open", "openat") + CHANGING_CALLS)
        # One file per process (-ff): no call split by another process's.
        argv = ["/usr/bin/strace", "-ff", "-qq", "-xx", "-o", trace, "-e", f"trace={calls}"] + argv
    return run(argv, None, cwd=OUT_DIR, env=collector_environment())


def interrupted_run(collector, user, signal_name):
    """Starts the collector and sends it SIGNAL as soon as it has begun copying sysfs."""
    output = os.path.join(OUT_DIR, f"interrupted-{signal_name}.tar.gz")
    process = subprocess.Popen(as_user(user) + ["sh", collector, "-o", output], cwd=OUT_DIR,
                               env=collector_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    sent_while_running = False
    while process.poll() is None and time.monotonic() - started < 20:
        if glob.glob(os.path.join(TMP_DIR, "rpmsg-collect.*", "rpmsg-collect", "sys")):
            process.send_signal(getattr(signal, signal_name))
            sent_while_running = True
            break
        time.sleep(0.005)
    _, stderr = process.communicate(timeout=30)
    return {"signal": signal_name, "sent_while_running": sent_while_running, "exit": process.returncode,
            "left_in_tmpdir": sorted(os.listdir(TMP_DIR)), "output_exists": os.path.lexists(output),
            "stderr": stderr.decode(errors="backslashreplace")}


def extract(archive):
    shutil.rmtree(CHECK_DIR, ignore_errors=True)
    os.makedirs(CHECK_DIR)
    with tarfile.open(archive, "r:gz") as tar:
        members = [{"name": m.name, "type": m.type.decode(), "target": m.linkname} for m in tar]
        tar.extractall(CHECK_DIR)
    return os.path.join(CHECK_DIR, "rpmsg-collect"), members


def compare_with_live(root):
    """Every link of the archive against readlink of the board's path, every copied file against the
    board's file read to its end (what cat gives)."""
    links, files, mismatches = 0, 0, []
    for directory, dirs, names in os.walk(root):
        for name in dirs + names:
            copy = os.path.join(directory, name)
            live = "/" + os.path.relpath(copy, root)
            if live.startswith("/.rpmsg-collect/") or live in NOT_COPIES:
                continue
            try:
                if os.path.islink(copy):
                    links += 1
                    if os.readlink(copy) != os.readlink(live):
                        mismatches.append(f"link {live!r}: {os.readlink(copy)!r} != {os.readlink(live)!r}")
                elif os.path.isfile(copy):
                    files += 1
                    with open(copy, "rb") as f, open(live, "rb") as g:
                        copied, original = f.read(), g.read()
                    if copied != original:
                        mismatches.append(f"file {live!r}: {copied[:80]!r} != {original[:80]!r}")
            except OSError as error:
                mismatches.append(f"{live!r}: {error}")
    return {"links": links, "files": files, "mismatches": mismatches}


def expected_nodes():
    """The lines .rpmsg-collect/nodes should hold, from stat in Python."""
    lines = []
    for path in sorted({p for pattern in NODE_GLOBS for p in glob.glob(pattern)}):
        info = os.stat(path)
        kind = "c" if stat.S_ISCHR(info.st_mode) else "b" if stat.S_ISBLK(info.st_mode) else \
            "f" if stat.S_ISREG(info.st_mode) else "o"
        lines.append(f"{path} {kind} {os.major(info.st_rdev)} {os.minor(info.st_rdev)} {info.st_uid} {info.st_gid} "
                     f"{stat.S_IMODE(info.st_mode):04o}")
    return lines


def kmsg_records():
    """The kernel log as /dev/kmsg gives it now, one record per read, without waiting at its end."""
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    records = []
    try:
        while True:
            try:
                record = os.read(fd, 8192)
            except BlockingIOError:
                break
            except BrokenPipeError:
                continue
            if not record:
                break
            records.append(record.decode(errors="backslashreplace").split("\n")[0])
    finally:
        os.close(fd)
    return records


def archive_records(root):
    path = os.path.join(root, "dev", "kmsg")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        text = f.read().decode(errors="backslashreplace")
    return [line for line in text.split("\n") if line and not line.startswith(" ")]


def traced_strings(arguments):
    """The string arguments of one strace -xx line, decoded."""
    strings, index = [], 0
    while True:
        start = arguments.find('"', index)
        if start < 0:
            return strings
        end = arguments.find('"', start + 1)
        strings.append(bytes.fromhex(arguments[start + 1:end].replace("\\x", "")).decode(errors="backslashreplace"))
        index = end + 1


def traced_lines(trace):
    """The lines of strace -ff's files (one per process), but setpriv's own before it runs the collector."""
    lines = []
    for path in sorted(glob.glob(trace + ".*")):
        in_setpriv = False
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("execve("):
                    in_setpriv = traced_strings(line)[0] == "/usr/bin/setpriv"
                elif not in_setpriv:
                    lines.append(line)
    return lines


def check_trace(trace, tmp_dir, output, script):
    """From strace: every file the collector created, changed or removed must be in its temporary
    directory or be its output; every file it opened for reading must be a regular file (with a read
    permission bit, below /sys) or a directory, or /dev/kmsg, in the places discovery reads."""
    mine = (tmp_dir + "/", output)
    changed_elsewhere, opened = [], set()
    for line in traced_lines(trace):
        call, _, arguments = line.partition("(")
        if " = -1 " in arguments or call not in ("open", "openat") + CHANGING_CALLS:
            continue
        strings = traced_strings(arguments)
        if call in ("open", "openat"):
            if any(flag in arguments for flag in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")):
                if not strings[0].startswith(mine) and strings[0] != "/dev/null":
                    changed_elsewhere.append(f"{call} {strings[0]}")
            else:
                opened.add(strings[0])
            continue
        # symlink(TARGET, LINK): only the link is created.
        for path in strings[1:] if call.startswith("symlink") else strings:
            if not path.startswith(mine):
                changed_elsewhere.append(f"{call} {path}")
    bad_reads, read_elsewhere = [], []
    for path in sorted(opened):
        if path.startswith(mine) or path in (script, "/dev/null") or path.startswith(APPLET_DIR):
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            continue
        if not path.startswith(READABLE):
            read_elsewhere.append(path)
        if path == "/dev/kmsg":
            continue
        if not stat.S_ISREG(info.st_mode):
            bad_reads.append(f"{path}: not a regular file")
        elif path.startswith("/sys/") and not info.st_mode & 0o444:
            bad_reads.append(f"{path}: no read permission bit")
    return {"changed_elsewhere": changed_elsewhere, "bad_reads": bad_reads, "read_elsewhere": read_elsewhere,
            "opened": len(opened)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--collector", required=True)
    parser.add_argument("--doctor", required=True)
    parser.add_argument("--user", help="UID[:GROUP,...] instead of root")
    parser.add_argument("--endpoint", action="append", default=[], metavar="CTRL:DST:NAME")
    parser.add_argument("--hold", action="store_true")
    parser.add_argument("--strace", metavar="FILE")
    parser.add_argument("--interrupt", action="append", default=[], metavar="SIGNAL")
    parser.add_argument("--default-name", action="store_true")
    args = parser.parse_args()

    report = {"busybox": applet_path()}
    prepare_directories(args.user)
    kept_open = [create_endpoint(spec) for spec in args.endpoint]
    holder = hold_every_endpoint() if args.hold else None
    report["holders"] = {"collector-run": os.getpid() if kept_open else None, "sleep": holder.pid if holder else None}

    report["live_scan"] = run([args.doctor, "scan", "--json"], args.user, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    before = writable_state()
    report["collector"] = run_collector(args.collector, args.user, None if args.default_name else OUTPUT, args.strace)
    after = writable_state()
    printed = report["collector"]["stdout"].splitlines()
    archive = printed[-1] if args.default_name and printed else OUTPUT
    report["archive_path"] = archive
    report["written_elsewhere"] = state_changes(before, after, (archive,) + ((args.strace,) if args.strace else ()))
    report["left_in_tmpdir"] = sorted(os.listdir(TMP_DIR))
    report["expected_id"] = run(["id"], args.user, env={"PATH": APPLET_DIR})["stdout"]
    if args.strace:
        report["trace"] = check_trace(args.strace, os.path.realpath(TMP_DIR), archive, args.collector)

    if os.path.isfile(archive):
        with open(archive, "rb") as f:
            report["archive"] = base64.b64encode(f.read()).decode()
        report["archive_mode"] = f"{stat.S_IMODE(os.stat(archive).st_mode):04o}"
        root, report["members"] = extract(archive)
        report["live_compare"] = compare_with_live(root)
        report["expected_nodes"] = expected_nodes()
        report["kmsg"] = {"archive": archive_records(root), "live": kmsg_records()}

    report["interrupts"] = [interrupted_run(args.collector, args.user, name) for name in args.interrupt]
    if holder:
        holder.kill()
        holder.wait()
    for fd in kept_open:
        os.close(fd)
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
