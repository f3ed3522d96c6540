#!/usr/bin/env python3
"""Throughput of `rpmsg-doctor probe` against a minimal C client, on the virtual board.

    swift build -c release
    python3 Tests/VirtualBoard/bench/probe_vs_c.py [--count 2000] [--rounds 21] [--warmup 1] [--probe PATH]

Boots the board once with the canonical scenario and runs round_trip_client (built here with gcc -static)
and the release rpmsg-doctor probe, each exchanging COUNT echoes of 496 bytes with the remote's
rpmsg-openamp-demo-channel. First WARMUP untimed runs of each, then ROUNDS rounds of one run of each; the
order within a round alternates (C first, then probe first), so that a trend in the host's load over a round
does not favour either client. Prints a Markdown table of messages per second and median round trip
(medians over the rounds), and the probe's share of C's throughput: the median, over the rounds, of the
probe's rate divided by the C rate of the same round, with a bootstrap interval, its quartiles and range.
"""

import argparse
import json
import os
import random
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
AIM = 0.95
MARKER = "@@ "
# Boot and power-off, plus a generous bound per message on a loaded machine.
BOOT_SECONDS, SECONDS_PER_MESSAGE = 60, 0.01
CLIENTS = ("C", "probe")


def build_client(directory):
    client = os.path.join(directory, "round_trip_client")
    subprocess.run(["gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", client,
                    os.path.join(HERE, "round_trip_client.c")], check=True)
    return client


def runs(client, probe, count, rounds, warmup):
    """(label, client name, argv) of every run in order; warm-up runs are labelled "warmup"."""
    argv = {
        "C": [client, CONTROL, str(DST), str(count), str(SIZE), str(TIMEOUT_MS)],
        "probe": [probe, "probe", "--service", SERVICE, "--count", str(count), "--size", str(SIZE),
                  "--timeout", str(TIMEOUT_MS), "--json"],
    }
    order = [("warmup", name, argv[name]) for _ in range(warmup) for name in CLIENTS]
    for index in range(rounds):
        names = CLIENTS if index % 2 == 0 else tuple(reversed(CLIENTS))
        order += [(str(index), name, argv[name]) for name in names]
    return order


def guest_script(order):
    """Shell text running every run in turn, stopping at the first failure; each run's output follows a
    marker line naming its round and client."""
    lines = ["set -e"]
    for label, name, argv in order:
        lines += [f"echo '{MARKER}{label} {name}'", shlex.join(argv)]
    return "\n".join(lines)


def measurements(stdout):
    """{round: {"C": (messages/s, median µs), "probe": (...)}} from the guest's output, warm-up runs left out."""
    results = {}
    for section in stdout.split(MARKER)[1:]:
        header, _, output = section.partition("\n")
        label, name = header.split()
        if label == "warmup":
            continue
        document = json.loads(output)
        timing = document["timing"] if name == "probe" else document
        results.setdefault(int(label), {})[name] = (timing["messagesPerSecond"], timing["medianMicroseconds"])
    return [results[index] for index in sorted(results)]


def bootstrap_interval(values, resamples=2000, seed=0):
    """A 95 % interval for the median of `values`: the 2.5th and 97.5th percentiles of the medians of
    `resamples` samples drawn from them with replacement (fixed seed: the same runs give the same interval)."""
    generator = random.Random(seed)
    medians = sorted(statistics.median(generator.choices(values, k=len(values))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def report(rounds, count):
    rows = ["| client | messages/s | median round trip µs | messages/s of each round |", "|---|--:|--:|---|"]
    for name in CLIENTS:
        rates = [r[name][0] for r in rounds]
        each = ", ".join(f"{rate:.0f}" for rate in rates)
        rows.append(f"| {name} | {statistics.median(rates):.0f} | {statistics.median(r[name][1] for r in rounds):.0f} | {each} |")
    # Each probe run is compared with the C run of its own round, next to it in time, so that load on the host
    # hits both alike; the median of those ratios is not moved by a few rounds that a burst of load spoilt.
    ratios = [r["probe"][0] / r["C"][0] for r in rounds]
    ratio = statistics.median(ratios)
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else [ratio, ratio, ratio]
    of_medians = statistics.median(r["probe"][0] for r in rounds) / statistics.median(r["C"][0] for r in rounds)
    low, high = bootstrap_interval(ratios)
    ahead = sum(1 for value in ratios if value >= 1)
    verdict = "meets" if ratio >= AIM else "misses"
    rows += [
        "",
        f"{count} echoes of {SIZE} bytes per run, {len(rounds)} rounds, order alternating.",
        "probe / C of each round: " + ", ".join(f"{value:.2f}" for value in ratios),
        f"probe / C throughput, median of the rounds' ratios: {ratio:.2f}, which {verdict} the aim of {AIM} "
        f"(95 % bootstrap interval {low:.2f} to {high:.2f}; quartiles {quartiles[0]:.2f} to {quartiles[2]:.2f}; "
        f"range {min(ratios):.2f} to {max(ratios):.2f}; probe ahead in {ahead} of {len(ratios)} rounds). "
        f"Ratio of the medians: {of_medians:.2f}.",
    ]
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description="Compare the probe's throughput with a minimal C client on the virtual board.")
    parser.add_argument("--count", type=int, default=2000, help="messages per run")
    parser.add_argument("--rounds", type=int, default=21, help="rounds of one run of each client")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each client first")
    parser.add_argument("--probe", default=PROBE, help="the rpmsg-doctor binary (default: the release build)")
    args = parser.parse_args()
    probe = os.path.realpath(args.probe)
    if not os.access(probe, os.X_OK):
        sys.exit(f"{probe} is missing: run `swift build -c release` first")
    if args.rounds < 1:
        sys.exit("--rounds must be at least 1")

    with tempfile.TemporaryDirectory(prefix="probe-bench-", dir="/tmp") as tools:
        os.chmod(tools, 0o755)
        client = build_client(tools)
        order = runs(client, probe, args.count, args.rounds, args.warmup)
        timeout = BOOT_SECONDS + SECONDS_PER_MESSAGE * args.count * len(order)
        result = board.run(SCENARIO, guest_script(order), timeout=timeout, share=[tools, REPO, os.path.dirname(probe)])
    if result.exit_code != 0:
        sys.exit("a run failed: the board's report is above")
    print(report(measurements(result.stdout), args.count))


if __name__ == "__main__":
    main()
