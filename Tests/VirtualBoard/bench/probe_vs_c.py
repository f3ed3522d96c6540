#!/usr/bin/env python3
"""Throughput of `rpmsg-doctor probe` against a minimal C client, on the virtual board.

    swift build -c release
    python3 Tests/VirtualBoard/bench/probe_vs_c.py [--count 1000] [--rounds 5]

Boots the board once with the canonical scenario and runs, ROUNDS times in turn, round_trip_client
(built here with gcc -static) and the release rpmsg-doctor probe, each exchanging COUNT echoes of
496 bytes with the remote's rpmsg-openamp-demo-channel. Prints a Markdown table of messages per
second and median round trip (medians over the rounds), and the probe's share of C's throughput
(the median, over the rounds, of the probe's rate divided by the rate of the C run just before it).
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BOARD_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(BOARD_DIR))
sys.path.insert(0, BOARD_DIR)

import board  # noqa: E402

PROBE = os.path.join(REPO, ".build", "release", "rpmsg-doctor")
SCENARIO = os.path.join(BOARD_DIR, "scenarios", "canonical.json")
SERVICE = "rpmsg-openamp-demo-channel"
# In the canonical scenario the service is announced at 30 on virtio1, whose ctrl is rpmsg_ctrl1.
CONTROL, DST = "/dev/rpmsg_ctrl1", 30
SIZE = 496
TIMEOUT_MS = 1000
AIM = 0.9
MARKER = "@@ "
# Boot and power-off, plus a generous bound per message on a loaded machine.
BOOT_SECONDS, SECONDS_PER_MESSAGE = 60, 0.01


def build_client(directory):
    client = os.path.join(directory, "round_trip_client")
    subprocess.run(["gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", client,
                    os.path.join(HERE, "round_trip_client.c")], check=True)
    return client


def guest_script(client, count, rounds):
    """Shell text running both clients in turn, stopping at the first failure; each run's output
    follows a marker line naming it."""
    runs = {
        "C": [client, CONTROL, str(DST), str(count), str(SIZE), str(TIMEOUT_MS)],
        "probe": [PROBE, "probe", "--service", SERVICE, "--count", str(count), "--size", str(SIZE),
                  "--timeout", str(TIMEOUT_MS), "--json"],
    }
    lines = ["set -e"]
    for _ in range(rounds):
        for name, argv in runs.items():
            lines += [f"echo '{MARKER}{name}'", shlex.join(argv)]
    return "\n".join(lines)


def measurements(stdout):
    """{"C": [(messages/s, median µs), ...], "probe": [...]} from the guest's output."""
    results = {}
    for section in stdout.split(MARKER)[1:]:
        name, _, output = section.partition("\n")
        document = json.loads(output)
        timing = document["timing"] if name == "probe" else document
        results.setdefault(name, []).append((timing["messagesPerSecond"], timing["medianMicroseconds"]))
    return results


def table(results, count):
    rows = ["| client | messages/s | median round trip µs | messages/s of each run |", "|---|--:|--:|---|"]
    for name, runs in results.items():
        rates = [rate for rate, _ in runs]
        each = ", ".join(f"{rate:.0f}" for rate in rates)
        rows.append(f"| {name} | {statistics.median(rates):.0f} | {statistics.median(m for _, m in runs):.0f} | {each} |")
    # Each probe run is compared with the C run just before it, so that load on the host hits both alike.
    ratio = statistics.median(probe[0] / c[0] for c, probe in zip(results["C"], results["probe"]))
    verdict = "meets" if ratio >= AIM else "misses"
    rows += ["", f"{count} echoes of {SIZE} bytes per run, {len(results['C'])} runs each, medians. "
             f"probe / C throughput (median of each round's ratio): {ratio:.2f}, which {verdict} the aim of {AIM}."]
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description="Compare the probe's throughput with a minimal C client on the virtual board.")
    parser.add_argument("--count", type=int, default=1000, help="messages per run")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each client, alternating")
    args = parser.parse_args()
    if not os.access(PROBE, os.X_OK):
        sys.exit(f"{PROBE} is missing: run `swift build -c release` first")

    with tempfile.TemporaryDirectory(prefix="probe-bench-", dir="/tmp") as tools:
        os.chmod(tools, 0o755)
        client = build_client(tools)
        timeout = BOOT_SECONDS + SECONDS_PER_MESSAGE * args.count * args.rounds * 2  # two clients
        result = board.run(SCENARIO, guest_script(client, args.count, args.rounds), timeout=timeout,
                           share=[tools, REPO])
    if result.exit_code != 0:
        sys.exit("a run failed: the board's report is above")
    print(table(measurements(result.stdout), args.count))


if __name__ == "__main__":
    main()
