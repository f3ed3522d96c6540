#!/usr/bin/env python3
"""Times `rpmsg-doctor scan --root DIR` against a minimal C walk of the same tree (c-walk/scan_walk.c).

Builds the C walk with gcc -O2, makes the benchmark board with rpmsg-doctor-fixture (64 virtio devices x 64
channels by default), then runs the two in pairs, N times, output to /dev/null, and reports for each the median
wall time (spawn to exit) and CPU time (user + system, from wait4), and the medians of the per-pair ratios
(scan / C). Which of the two goes first alternates from pair to pair, so that load on the machine falls on both
alike. Then it counts each one's system calls with `strace -f -c`, and with --instructions, the instructions each
executes (callgrind) on boards of 512 to 4096 channels, to show how scan grows.

    swift build -c release
    python3 Benchmarks/scan_vs_c.py [--runs 11] [--board 64x64] [--instructions] [--build-dir .build/release]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
SYSCALLS_SHOWN = ["openat2", "openat", "read", "close", "newfstatat", "fstat", "readlink", "readlinkat", "getdents64", "statx"]


def build_c_walk(directory):
    binary = os.path.join(directory, "scan_walk")
    subprocess.run(["gcc", "-O2", "-Wall", "-o", binary, os.path.join(HERE, "c-walk", "scan_walk.c")], check=True)
    return binary


def make_board(fixture_tool, board):
    output = subprocess.run([fixture_tool, "benchmark-" + board], check=True, capture_output=True, text=True)
    return output.stdout.strip()


def run_once(argv):
    """(wall seconds from spawn to exit, CPU seconds user + system) of one run, standard output to /dev/null."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
    finally:
        os.close(null)
    # scan exits 1 when it finds errors; 2 and above mean it could not scan.
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed (wait status {status})")
    return seconds, usage.ru_utime + usage.ru_stime


def paired_runs(c_argv, scan_argv, runs):
    """[(C wall, C CPU, scan wall, scan CPU)] of each pair."""
    pairs = []
    run_once(c_argv)  # one of each first, so that both find the tree in the dentry and page caches
    run_once(scan_argv)
    for index in range(runs):
        if index % 2 == 0:
            c = run_once(c_argv)
            scan = run_once(scan_argv)
        else:
            scan = run_once(scan_argv)
            c = run_once(c_argv)
        pairs.append(c + scan)
    return pairs


def milliseconds(values):
    return ", ".join(f"{value * 1e3:.0f}" for value in values)


def syscall_counts(argv):
    """Calls per system call and in total, from strace -f -c."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as summary, open(os.devnull, "wb") as null:
        subprocess.run(["strace", "-f", "-c", "-o", summary.name] + argv, stdout=null, check=False)
        counts = {}
        for line in summary.read().splitlines():
            fields = line.split()
            # "% time  seconds  usecs/call  calls  [errors]  syscall"
            if len(fields) >= 5 and re.fullmatch(r"[\d.]+", fields[0]) and fields[-1] != "total":
                counts[fields[-1]] = int(fields[3])
    counts["total"] = sum(counts.values())
    return counts


def build_openat2_shim(directory):
    """The preload that lets valgrind (which fails openat2 before 3.21) run a scan below a root."""
    library = os.path.join(directory, "openat2_under_valgrind.so")
    subprocess.run(["gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o", library,
                    os.path.join(HERE, "c-walk", "openat2_under_valgrind.c"), "-ldl"], check=True)
    return library


def instructions(argv, shim):
    """Instructions executed (callgrind's Ir), the same on every run."""
    environment = dict(os.environ, LD_PRELOAD=shim)
    with open(os.devnull, "wb") as null:
        completed = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                                   stdout=null, stderr=subprocess.PIPE, text=True, env=environment)
    match = re.search(r"Collected : (\d+)", completed.stderr)
    if completed.returncode not in (0, 1) or not match:
        sys.exit(f"{' '.join(argv)} under callgrind failed (exit {completed.returncode}):\n" + completed.stderr[-2000:])
    return int(match.group(1))


def quartiles(values):
    """First and third quartiles (both the value itself for a single run)."""
    if len(values) < 2:
        return values[0], values[0]
    first, _, third = statistics.quantiles(values, n=4)
    return first, third


def channels_of(board):
    virtio, channels = (int(part) for part in board.split("x"))
    return virtio * channels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="pairs of runs (default 11)")
    parser.add_argument("--board", default="64x64", help="VIRTIOxCHANNELS of the timed board (default 64x64)")
    parser.add_argument("--build-dir", default=os.path.join(PACKAGE, ".build", "release"),
                        help="where rpmsg-doctor and rpmsg-doctor-fixture are (default .build/release)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with callgrind on 8, 16, 32 and 64 virtio x 64 channels")
    options = parser.parse_args()

    cli = os.path.join(options.build_dir, "rpmsg-doctor")
    fixture_tool = os.path.join(options.build_dir, "rpmsg-doctor-fixture")
    for tool in (cli, fixture_tool):
        if not os.access(tool, os.X_OK):
            sys.exit(f"no {tool}: run `swift build -c release` first, or pass --build-dir")

    work = tempfile.mkdtemp(prefix="scan-vs-c.")
    try:
        c_walk = build_c_walk(work)
        root = make_board(fixture_tool, options.board)
        try:
            c_argv, scan_argv = [c_walk, root], [cli, "scan", "--root", root]
            pairs = paired_runs(c_argv, scan_argv, options.runs)
            c_wall, c_cpu, scan_wall, scan_cpu = (list(column) for column in zip(*pairs))
            wall_ratios = [scan / c for c, scan in zip(c_wall, scan_wall)]
            cpu_ratios = [scan / c for c, scan in zip(c_cpu, scan_cpu)]
            load = os.getloadavg()[0]
            print(f"board {options.board} ({channels_of(options.board)} channels), {options.runs} pairs, "
                  f"load average {load:.1f} at the end\n")
            print("| | wall ms (median) | CPU ms (median) | wall ms of each run |")
            print("|---|--:|--:|---|")
            print(f"| C walk | {statistics.median(c_wall) * 1e3:.0f} | {statistics.median(c_cpu) * 1e3:.0f} | {milliseconds(c_wall)} |")
            print(f"| scan | {statistics.median(scan_wall) * 1e3:.0f} | {statistics.median(scan_cpu) * 1e3:.0f} | {milliseconds(scan_wall)} |")
            print(f"\nscan / C walk, median of the per-pair ratios: wall **{statistics.median(wall_ratios):.2f}** "
                  f"(quartiles {' to '.join(f'{q:.2f}' for q in quartiles(wall_ratios))}), "
                  f"CPU (user + system) {statistics.median(cpu_ratios):.2f}")
            print(f"(wall ratio of each pair: {', '.join(f'{r:.2f}' for r in wall_ratios)})")
            if shutil.which("strace"):
                c_calls, scan_calls = syscall_counts(c_argv), syscall_counts(scan_argv)
                print("\n| system calls | C walk | scan |\n|---|--:|--:|")
                for name in SYSCALLS_SHOWN + ["total"]:
                    if name in c_calls or name in scan_calls:
                        print(f"| {name} | {c_calls.get(name, 0)} | {scan_calls.get(name, 0)} |")
            else:
                print("\n(no strace: system calls not counted)")
        finally:
            shutil.rmtree(root, ignore_errors=True)

        if options.instructions:
            if not shutil.which("valgrind"):
                sys.exit("--instructions needs valgrind")
            shim = build_openat2_shim(work)
            print("\n| channels | C walk instructions | scan instructions | scan per channel | growth per doubling |")
            print("|--:|--:|--:|--:|--:|")
            previous = None
            for virtio in (8, 16, 32, 64):
                board = f"{virtio}x64"
                root = make_board(fixture_tool, board)
                try:
                    c_count = instructions([c_walk, root], shim)
                    scan_count = instructions([cli, "scan", "--root", root], shim)
                finally:
                    shutil.rmtree(root, ignore_errors=True)
                growth = f"× {scan_count / previous:.2f}" if previous else ""
                previous = scan_count
                channels = channels_of(board)
                print(f"| {channels} | {c_count / 1e6:.1f} M | {scan_count / 1e6:.0f} M | "
                      f"{scan_count / channels / 1e3:.0f} k | {growth} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
