#!/usr/bin/env python3
"""Runs a command on the virtual board: User-Mode Linux with virtio-rpmsg remote cores.

    board.py --scenario scenarios/canonical.json [--user UID[:GROUPS]] -- COMMAND...
    board.py --scenario scenarios/canonical.json --shell

Library use:

    import board
    result = board.run("scenarios/canonical.json", ["ls", "/sys/class/rpmsg"])
    result.exit_code, result.stdout, result.stderr, result.kernel_log, ...
"""

import argparse
import ctypes
import json
import os
import pwd
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import scenario as scenarios

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_KERNEL = os.path.join(HERE, "build-kernel.sh")
GUEST_INIT = os.path.join(HERE, "guest-init.sh")
REMOTE = os.path.join(HERE, "remote.py")
VIRTIO_ID_RPMSG = 7
GUEST_MEMORY = "256M"
SETTLE_SECONDS = 5
# Boot, settling and power-off must fit in the run's timeout next to the command.
GUEST_OVERHEAD_SECONDS = 10
REMOTE_START_SECONDS = 10
REMOTE_EXIT_SECONDS = 2
SHELL_LIFETIME_SECONDS = 24 * 3600
PR_SET_PDEATHSIG = 1


class BoardError(RuntimeError):
    """The board could not run the command (boot failure, timeout, remote failure)."""


@dataclass
class Result:
    command: list
    exit_code: int  # None when the command did not finish
    stdout: str = ""
    stderr: str = ""
    kernel_log: str = ""
    console: str = ""
    remote_logs: list = field(default_factory=list)
    seconds: float = 0.0
    problem: str = ""

    def report(self):
        sections = [
            f"command: {shlex.join(self.command)}",
            f"exit code: {self.exit_code}   ({self.seconds:.1f} s)",
        ]
        if self.problem:
            sections.append(f"problem: {self.problem}")
        # Once the guest saved its kernel log, the console adds only the lines that are not kernel messages.
        console = self.console
        if self.kernel_log:
            console = "\n".join(line for line in console.splitlines() if not line.startswith("["))
        sections += [_section("stdout", self.stdout), _section("stderr", self.stderr),
                     _section("guest kernel log", self.kernel_log), _section("console", console)]
        sections += [_section(f"remote {i} log", log) for i, log in enumerate(self.remote_logs)]
        return "\n".join(sections)


def _section(title, text):
    return f"----- {title} -----\n{text.rstrip()}" if text.strip() else f"----- {title}: (empty)"


_kernel_path = None


def kernel():
    """Path of the UML kernel, built (or taken from the cache) by build-kernel.sh."""
    global _kernel_path
    if _kernel_path is None:
        done = subprocess.run([BUILD_KERNEL], stdout=subprocess.PIPE, text=True)
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            raise BoardError(f"{BUILD_KERNEL} failed with exit code {done.returncode}")
        _kernel_path = lines[-1]
    return _kernel_path


def run(scenario, command, user=None, timeout=60, share=(), udev_rules=None, kernel_path=None):
    """Boots the board with one remote core per scenario device and runs `command` in the guest.

    scenario: path of a scenario JSON file, or the parsed dict.
    command: argv list (a string is run with sh -c).
    user: None (root), a uid, or "UID[:GROUP,GROUP...]" (groups are supplementary).
    timeout: hard limit in seconds for the whole run; the command gets this minus
        GUEST_OVERHEAD_SECONDS and exits with 124 when it runs out.
    share: host directories made visible read-only at the same path (needed under
        /tmp, /run and /dev/shm, which the guest mounts fresh).
    udev_rules: text of a rules file; the guest then runs systemd-udevd with it before the
        command (groups named in it must exist in the host's /etc/group).
    Raises BoardError, with everything known, when the command could not run to its end.
    """
    argv = ["sh", "-c", command] if isinstance(command, str) else list(command)
    with _Board(scenario, user, share, udev_rules, kernel_path) as board:
        result = board.run(argv, timeout)
    if result.exit_code is None:
        raise BoardError(result.report())
    if result.exit_code != 0:
        print(result.report(), file=sys.stderr)
    return result


def shell(scenario, user=None, share=(), udev_rules=None, kernel_path=None):
    """Boots the board with an interactive shell on the terminal; returns when it exits."""
    with _Board(scenario, user, share, udev_rules, kernel_path) as board:
        board.shell()


class _Board:
    def __init__(self, scenario, user, share, udev_rules, kernel_path):
        self.devices = scenarios.load(scenario)
        self.kernel_path = kernel_path or kernel()
        self.user = user
        self.share = [os.path.abspath(d) for d in share]
        self.udev_rules = udev_rules or ""
        self.run_dir = tempfile.mkdtemp(prefix="virtual-board-")
        self.exchange = os.path.join(self.run_dir, "guest")
        os.mkdir(self.exchange)
        self.scenario_path = os.path.join(self.run_dir, "scenario.json")
        if isinstance(scenario, dict):
            with open(self.scenario_path, "w", encoding="utf-8") as f:
                json.dump(scenario, f)
        else:
            shutil.copyfile(scenario, self.scenario_path)
        self.remotes = []
        self.uml = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self._stop_everything()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def run(self, argv, timeout):
        started = time.monotonic()
        result = Result(command=argv, exit_code=None)
        try:
            self._start_remotes(lifetime=timeout)
            self._write_guest_settings(argv, command_seconds=max(1, timeout - GUEST_OVERHEAD_SECONDS))
            self.uml = _spawn(self._uml_argv("null,fd:1"), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_uml_environment())
            remaining = timeout - (time.monotonic() - started)
            try:
                console, _ = self.uml.communicate(timeout=remaining)
            except subprocess.TimeoutExpired:
                _kill_group(self.uml)
                console, _ = self.uml.communicate()
                result.problem = f"the board did not power off within {timeout} s and was killed"
            result.console = console.decode(errors="replace")
            self._wait_for_remotes()
        except BoardError as error:
            result.problem = str(error)
        finally:
            self._stop_everything()
            self._collect(result)
            result.seconds = time.monotonic() - started
        if result.exit_code is None and not result.problem:
            panic = [line for line in result.console.splitlines() if "Kernel panic" in line]
            result.problem = panic[0] if panic else "the guest powered off without the command's exit code"
        return result

    def shell(self):
        self._start_remotes(lifetime=SHELL_LIFETIME_SECONDS)
        self._write_guest_settings(["/bin/bash", "-i"], command_seconds=0, interactive=True)
        self.uml = _spawn(self._uml_argv("fd:0,fd:1"), env=_uml_environment())
        self.uml.wait()

    def _start_remotes(self, lifetime):
        for index in range(len(self.devices)):
            socket_path = os.path.join(self.run_dir, f"remote{index}.sock")
            log_path = os.path.join(self.run_dir, f"remote{index}.log")
            with open(log_path, "ab") as log:
                remote = _spawn([sys.executable, REMOTE, "--scenario", self.scenario_path,
                                 "--device", str(index), "--socket", socket_path, "--log", log_path,
                                 "--lifetime", str(lifetime)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
            self.remotes.append((remote, socket_path, log_path))
            ready, _, _ = select.select([remote.stdout], [], [], REMOTE_START_SECONDS)
            if not ready or remote.stdout.readline().strip() != b"listening":
                raise BoardError(f"remote {index} did not start listening within {REMOTE_START_SECONDS} s")

    def _write_guest_settings(self, argv, command_seconds, interactive=False):
        setpriv, home = _setpriv_options(self.user)
        settings = {
            "BOARD_DEVICES": len(self.devices),
            "BOARD_CHANNELS": sum(len(d.announced) for d in self.devices),
            "BOARD_SETTLE_SECONDS": SETTLE_SECONDS,
            "BOARD_COMMAND_SECONDS": command_seconds,
            "BOARD_SETPRIV": setpriv,
            "BOARD_HOME": home,
            "BOARD_ARGV": shlex.join(argv),
            "BOARD_INTERACTIVE": "yes" if interactive else "",
        }
        with open(os.path.join(self.exchange, "guest.env"), "w", encoding="utf-8") as f:
            f.writelines(f"{name}={shlex.quote(str(value))}\n" for name, value in settings.items())
        with open(os.path.join(self.exchange, "shares"), "w", encoding="utf-8") as f:
            f.writelines(f"{d}\n" for d in self.share)
        with open(os.path.join(self.exchange, "udev.rules"), "w", encoding="utf-8") as f:
            f.write(self.udev_rules)

    def _uml_argv(self, console):
        devices = [f"virtio_uml.device={socket_path}:{VIRTIO_ID_RPMSG}" for _r, socket_path, _l in self.remotes]
        return [self.kernel_path, f"mem={GUEST_MEMORY}", "root=/dev/root", "rootfstype=hostfs", "rootflags=/",
                "ro", f"init={GUEST_INIT}", "con=null", f"con0={console}",
                f"umid=board{os.getpid()}", f"uml_dir={self.run_dir}", *devices,
                f"BOARD_EXCHANGE={self.exchange}"]

    def _wait_for_remotes(self):
        deadline = time.monotonic() + REMOTE_EXIT_SECONDS
        for remote, _socket, _log in self.remotes:
            try:
                remote.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass

    def _stop_everything(self):
        if self.uml is not None and self.uml.poll() is None:
            _kill_group(self.uml)
            self.uml.wait()
        for remote, _socket, _log in self.remotes:
            if remote.poll() is None:
                remote.kill()
                remote.wait()
            remote.stdout.close()

    def _collect(self, result):
        def read(name):
            path = os.path.join(self.exchange, name)
            if not os.path.exists(path):
                return ""
            with open(path, "rb") as f:
                return f.read().decode(errors="replace")

        result.stdout, result.stderr, result.kernel_log = read("stdout"), read("stderr"), read("kernel.log")
        if read("exit_code").strip():
            result.exit_code = int(read("exit_code"))
        if read("settle-timeout"):
            result.problem = "; ".join(filter(None, [result.problem, read("settle-timeout").strip()]))
        result.remote_logs = []
        for _remote, _socket, log_path in self.remotes:
            with open(log_path, "rb") as f:
                result.remote_logs.append(f.read().decode(errors="replace"))


def _setpriv_options(user):
    """setpriv options and HOME for `user` (see run())."""
    if user is None:
        return "", "/root"
    uid, _, groups = str(user).partition(":")
    try:
        gid = pwd.getpwuid(int(uid)).pw_gid
    except KeyError:
        gid = int(uid)
    group_option = f"--groups={groups}" if groups else "--clear-groups"
    return f"--reuid={int(uid)} --regid={gid} {group_option}", "/tmp"


def _uml_environment():
    # UML maps its memory from a file in TMPDIR (default /dev/shm) and needs to execute it.
    environment = dict(os.environ)
    if "TMPDIR" not in environment and os.statvfs("/dev/shm").f_flag & os.ST_NOEXEC:
        environment["TMPDIR"] = tempfile.gettempdir()
    return environment


def _die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _spawn(argv, **kwargs):
    # Own process group (UML forks helpers), killed if this process dies without cleaning up.
    return subprocess.Popen(argv, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main():
    parser = argparse.ArgumentParser(description="Run a command on the virtual board.",
                                     usage="%(prog)s --scenario FILE [options] (--shell | -- COMMAND...)")
    parser.add_argument("--scenario", required=True, help="scenario JSON file (see scenarios/)")
    parser.add_argument("--user", help="run as UID[:GROUP,GROUP...] instead of root")
    parser.add_argument("--timeout", type=float, default=60, help="hard limit for the whole run, seconds")
    parser.add_argument("--share", action="append", default=[], metavar="DIR",
                        help="host directory to make visible in the guest (repeatable)")
    parser.add_argument("--udev-rules", metavar="FILE", help="run systemd-udevd in the guest with these rules")
    parser.add_argument("--shell", action="store_true", help="open an interactive shell in the guest")
    parser.add_argument("command", nargs="*", help="command to run in the guest")
    args = parser.parse_args()
    if args.shell == bool(args.command):
        parser.error("give either --shell or a command after --")

    udev_rules = None
    if args.udev_rules:
        with open(args.udev_rules, encoding="utf-8") as f:
            udev_rules = f.read()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        if args.shell:
            shell(args.scenario, args.user, args.share, udev_rules)
            return 0
        result = run(args.scenario, args.command, args.user, args.timeout, args.share, udev_rules)
    except (BoardError, scenarios.ScenarioError) as error:
        print(f"board: {error}", file=sys.stderr)
        return 125
    if result.exit_code == 0:  # otherwise run() printed everything already
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
