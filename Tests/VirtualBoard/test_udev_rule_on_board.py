"""The rules of `rpmsg-doctor udev-rule`, applied by a real systemd-udevd in the virtual board.

The rules text comes from the host-built binary. Rules naming `dialout` (a group every Debian system has) go to
board.run(udev_rules=...). The default group `rpmsg` does not exist on the host and the host is never changed:
those tests copy /etc inside the guest (mounted over /etc, guest only) and run a real groupadd there.
"""

import grp
import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass

import pytest

import board
from doctor import BINARY, REPO, codes, command, finding, run

SERVICE = "rpmsg-openamp-demo-channel"
PROBE_SERVICE = ("probe", "--service", SERVICE, "--json")
# Where guest-init.sh puts the rules passed as udev_rules.
GUEST_RULES = "/run/udev/rules.d/90-board.rules"
NOBODY = 65534
DIALOUT = grp.getgrnam("dialout").gr_gid
USERS = grp.getgrnam("users").gr_gid
MEMBER = f"{NOBODY}:{DIALOUT}"  # nobody, with dialout as a supplementary group
OUTSIDER = f"{NOBODY}:{USERS}"  # nobody, with a group the rules do not name
# The guest's / is the host's, read-only. A copy of /etc mounted over it (in the guest only) lets groupadd
# and the install write there.
WRITABLE_ETC = "cp -a /etc /tmp/etc && mount --bind /tmp/etc /etc"
CREATE_RPMSG_GROUP = "getent group rpmsg >/dev/null || groupadd --system rpmsg"
# What systemd-udevd does at boot; once the group exists before it starts, its rules resolve the group.
RESTART_UDEVD = ("udevadm control --exit && /lib/systemd/systemd-udevd --daemon && "
                 "udevadm trigger --action=add && udevadm settle --timeout=5")
NODES = "stat -c '%n %A %U %G' /dev/rpmsg_ctrl* /dev/rpmsg[0-9]* 2>/dev/null"
ENDPOINTS_LEFT = "ls /sys/class/rpmsg | grep -E '^rpmsg[0-9]+$'"
MARK = "@@board-step@@"


@pytest.fixture(scope="session")
def kernel():
    return board.kernel()


def generate(*options):
    """The rules file printed by the host-built `rpmsg-doctor udev-rule`."""
    done = subprocess.run([BINARY, "udev-rule", *options], capture_output=True, text=True)
    assert done.returncode == 0, f"udev-rule {shlex.join(options)} failed: {done.stderr}"
    return done.stdout


def as_user(uid, groups, shell_command):
    """Shell: runs a command as uid with these supplementary groups (a shell word list, may use $(...))."""
    return f"setpriv --reuid={uid} --regid={uid} --groups={groups} -- sh -c {shlex.quote(shell_command)}"


@dataclass
class Step:
    text: str
    exit_code: int

    def json(self, result):
        try:
            return json.loads(self.text)
        except ValueError as error:
            raise AssertionError(f"no JSON ({error})\n{result.report()}") from None


class Guest:
    """One boot running named shell steps in order; each step's stdout and exit code are kept apart."""

    def __init__(self, scenario_name, steps, kernel, **options):
        script = "\n".join(f"echo '{MARK} {name}'; ( {step}\n); rc=$?; echo; echo \"{MARK} exit $rc\""
                           for name, step in steps)
        self.result = run(scenario_name, script, kernel, **options)
        self.steps = {}
        name, lines = None, []
        for line in self.result.stdout.splitlines():
            if line.startswith(f"{MARK} exit "):
                self.steps[name] = Step("\n".join(lines).strip("\n"), int(line.rsplit(" ", 1)[1]))
                name, lines = None, []
            elif line.startswith(f"{MARK} "):
                name, lines = line[len(MARK) + 1:], []
            else:
                lines.append(line)
        assert [n for n, _ in steps] == list(self.steps), "every step must have run\n" + self.result.report()

    def __getitem__(self, name):
        return self.steps[name]

    def json(self, name):
        return self.steps[name].json(self.result)

    def nodes(self, name):
        """{"/dev/rpmsg_ctrl0": ("crw-rw----", "root", "dialout"), ...} from a NODES step."""
        return {n: (mode, owner, group) for n, mode, owner, group in
                (line.split() for line in self.steps[name].text.splitlines() if line.startswith("/dev/"))}

    def report(self):
        return self.result.report()


def failed_steps(document):
    return [(s["name"], s["detail"]) for s in document["steps"] if s["verdict"] == "failed"]


def probe_loop(rounds):
    """Steps running the service probe `rounds` times, each creating a new endpoint through /dev/rpmsg_ctrl1."""
    return [(f"probe {i}", command(*PROBE_SERVICE)) for i in range(rounds)]


# --- 1. a member of the rules' group -------------------------------------------------------------------

PROBE_ROUNDS = 8


@pytest.fixture(scope="module")
def member_on_canonical(kernel):
    """canonical, rules for dialout, run as nobody with dialout: scan, then the probe PROBE_ROUNDS times."""
    steps = [("id", "id"), ("nodes before", NODES), ("scan", command("scan", "--json"))]
    steps += probe_loop(PROBE_ROUNDS)
    steps += [("nodes after", NODES), ("endpoints left", ENDPOINTS_LEFT)]
    return Guest("canonical", steps, kernel, user=MEMBER, udev_rules=generate("--group", "dialout"), timeout=120)


def test_rules_give_the_group_the_control_devices(member_on_canonical):
    guest = member_on_canonical
    assert guest.nodes("nodes before") == {
        "/dev/rpmsg_ctrl0": ("crw-rw----", "root", "dialout"),
        "/dev/rpmsg_ctrl1": ("crw-rw----", "root", "dialout"),
    }, guest.report()


def test_group_member_scan_has_no_permission_finding(member_on_canonical):
    guest = member_on_canonical
    document = guest.json("scan")
    denied = finding(document, "RD201")
    assert denied is None, (
        f"`id` in the guest: {guest['id'].text}\nnodes: {guest.nodes('nodes before')}\n"
        f"RD201 evidence: {denied and denied['evidence']}\n" + guest.report())


def test_group_member_probe_creates_an_endpoint_and_gets_five_echoes_every_time(member_on_canonical):
    """udev gives the new /dev/rpmsgN its group a moment after devtmpfs made it root-only: the probe has to
    wait for that, not open the node the instant it exists. Several rounds, because that is a race."""
    guest = member_on_canonical
    outcomes = []
    for i in range(PROBE_ROUNDS):
        step = guest[f"probe {i}"]
        document = step.json(guest.result)
        outcomes.append((step.exit_code, document["counts"]["intact"], failed_steps(document),
                         [s["detail"] for s in document["steps"] if s["name"].startswith("endpoint node")]))
    bad = [(i, o) for i, o in enumerate(outcomes) if o[0] != 0 or o[1] != 5]
    assert not bad, (
        f"{len(bad)} of {PROBE_ROUNDS} probes failed (exit code, intact, failed steps, node wait):\n"
        + "\n".join(f"  round {i}: {o}" for i, o in bad)
        + f"\nnodes after all rounds (udev did apply the rule): {guest.nodes('nodes after')}"
        + f"\nendpoint devices left behind: {guest['endpoints left'].text.split()}\n" + guest.report())
    assert guest["endpoints left"].text == "", "every probe destroys the endpoint it created"


# --- 2. a user outside the group ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outsider_on_canonical(kernel):
    steps = [("nodes", NODES), ("scan", command("scan", "--json")), ("probe", command(*PROBE_SERVICE))]
    return Guest("canonical", steps, kernel, user=OUTSIDER, udev_rules=generate("--group", "dialout"))


def test_user_outside_the_group_gets_the_permission_finding_from_scan(outsider_on_canonical):
    guest = outsider_on_canonical
    denied = finding(guest.json("scan"), "RD201")
    assert guest.nodes("nodes")["/dev/rpmsg_ctrl1"] == ("crw-rw----", "root", "dialout"), guest.report()
    assert guest["scan"].exit_code == 1, guest.report()
    assert denied is not None and denied["severity"] == "error", guest.report()
    assert "/dev/rpmsg_ctrl1: crw-rw---- root:dialout" in denied["evidence"], denied


def test_user_outside_the_group_probe_fails_with_the_permission_finding(outsider_on_canonical):
    guest = outsider_on_canonical
    document = guest.json("probe")
    assert guest["probe"].exit_code == 1, guest.report()
    assert codes(document, "error")[:1] == ["RD201"], guest.report()
    assert failed_steps(document) == [("open /dev/rpmsg_ctrl1", "EACCES: Permission denied")], document["steps"]


# --- 3. no rule at all ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def member_without_rules(kernel):
    steps = [("nodes", NODES), ("scan", command("scan", "--json")), ("probe", command(*PROBE_SERVICE))]
    return Guest("canonical", steps, kernel, user=MEMBER)


def test_without_the_rule_the_nodes_are_root_only(member_without_rules):
    guest = member_without_rules
    assert guest.nodes("nodes") == {
        "/dev/rpmsg_ctrl0": ("crw-------", "root", "root"),
        "/dev/rpmsg_ctrl1": ("crw-------", "root", "root"),
    }, guest.report()


def test_without_the_rule_group_membership_does_not_help(member_without_rules):
    guest = member_without_rules
    denied = finding(guest.json("scan"), "RD201")
    probe = guest.json("probe")
    assert guest["scan"].exit_code == 1 and denied is not None, guest.report()
    assert "/dev/rpmsg_ctrl1: crw------- root:root" in denied["evidence"], denied
    assert guest["probe"].exit_code == 1, guest.report()
    assert codes(probe, "error")[:1] == ["RD201"], guest.report()
    assert failed_steps(probe) == [("open /dev/rpmsg_ctrl1", "EACCES: Permission denied")], probe["steps"]


# --- 5. --symlinks, and an endpoint device that exists before udev runs ------------------------------------

@pytest.fixture(scope="module")
def member_on_healthy_raw(kernel):
    """healthy-raw (rpmsg-raw at addr 40, bound by rpmsg_chrdev at boot), rules for dialout with links."""
    steps = [("nodes", NODES),
             ("links", "for l in /dev/rpmsg/by-name/*; do echo \"$l $(readlink -f \"$l\")\"; done"),
             ("probe", command("probe", "--device", "/dev/rpmsg/by-name/rpmsg-raw", "--json"))]
    return Guest("healthy-raw", steps, kernel, user=MEMBER, udev_rules=generate("--group", "dialout", "--symlinks"))


def test_symlinks_name_the_endpoint_by_channel_and_address(member_on_healthy_raw):
    guest = member_on_healthy_raw
    links = dict(line.split() for line in guest["links"].text.splitlines())
    assert links == {"/dev/rpmsg/by-name/rpmsg-raw": "/dev/rpmsg0",
                     "/dev/rpmsg/by-name/rpmsg-raw.40": "/dev/rpmsg0"}, guest.report()


def test_group_member_probes_an_existing_endpoint_through_its_link(member_on_healthy_raw):
    """The endpoint node was there before udev started: no race, the rule alone decides."""
    guest = member_on_healthy_raw
    document = guest.json("probe")
    assert guest.nodes("nodes")["/dev/rpmsg0"] == ("crw-rw----", "root", "dialout"), guest.report()
    assert guest["probe"].exit_code == 0, guest.report()
    assert document["counts"]["intact"] == 5, guest.report()


# --- the default group, rpmsg ------------------------------------------------------------------------------

RPMSG_GID = "$(getent group rpmsg | cut -d: -f3)"


def test_default_rules_are_the_shipped_file():
    with open(os.path.join(REPO, "Rules", "60-rpmsg.rules"), encoding="utf-8") as f:
        assert generate() == f.read()


def test_default_rules_with_the_rpmsg_group_created_before_udev_starts(kernel):
    steps = [("group", f"{WRITABLE_ETC} && {CREATE_RPMSG_GROUP} && {RESTART_UDEVD}"),
             ("nodes", NODES),
             ("probe", as_user(NOBODY, RPMSG_GID, command("probe", "--device", "/dev/rpmsg0", "--json")))]
    guest = Guest("healthy-raw", steps, kernel, udev_rules=generate())
    assert guest["group"].exit_code == 0, guest.report()
    assert guest.nodes("nodes") == {
        "/dev/rpmsg_ctrl0": ("crw-rw----", "root", "rpmsg"),
        "/dev/rpmsg0": ("crw-rw----", "root", "rpmsg"),
    }, guest.report()
    assert guest["probe"].exit_code == 0 and guest["probe"].json(guest.result)["counts"]["intact"] == 5, guest.report()


def install_then_follow_the_remaining_steps(kernel):
    """As a person would on a system without the group: `udev-rule --install`, then each step it leaves.

    The install is played from `--install --dry-run` (the same plan, printed): in the guest, Foundation's
    Process misses the exit of udevadm (CFSocket needs an AF_INET socket, and the board's kernel has no
    networking), so `--install` itself would wait 30 s and call the trigger failed."""
    plan = command("udev-rule", "--install", "--dry-run")
    # The printed lines run as printed: sudo is a no-op for root; usermod and comments are left out.
    sudo = "sudo() { \"$@\"; }"
    install = (f"{plan} > /tmp/plan.txt && cat /tmp/plan.txt && "
               f"{command('udev-rule')} > /etc/udev/rules.d/60-rpmsg.rules && "
               "{ echo '" + sudo + "'; sed -n 's/^Would run: //p' /tmp/plan.txt; } > /tmp/install.sh && "
               "sh -e /tmp/install.sh && udevadm settle --timeout=5")
    follow = ("{ echo '" + sudo + "'; sed -n '/^Still to do/,/^$/p' /tmp/plan.txt | grep -E '^ *sudo (groupadd|touch|udevadm) '; } "
              "> /tmp/steps.sh && cat /tmp/steps.sh && ")
    follow += "sh -e /tmp/steps.sh && udevadm settle --timeout=5"
    steps = [("etc", WRITABLE_ETC),
             ("install", install),
             ("nodes after install", NODES),
             ("follow", follow),
             ("nodes", NODES),
             ("probe", as_user(NOBODY, RPMSG_GID, command("probe", "--device", "/dev/rpmsg0", "--json")))]
    # Non-empty rules start systemd-udevd in the guest; a comment changes nothing.
    return Guest("healthy-raw", steps, kernel, udev_rules="# the board only starts systemd-udevd\n")


def test_install_then_the_printed_steps_give_the_new_group_the_devices(kernel):
    """After groupadd, the printed touch, reload and trigger must make udev use the group (a bare reload does not:
    udevd re-reads only rules files that changed)."""
    guest = install_then_follow_the_remaining_steps(kernel)
    assert guest["install"].exit_code == 0, guest.report()
    assert "sudo groupadd --system rpmsg" in guest["follow"].text, guest.report()
    assert "sudo udevadm control --reload" in guest["follow"].text, guest.report()
    assert guest["follow"].exit_code == 0, guest.report()
    assert guest.nodes("nodes") == {
        "/dev/rpmsg_ctrl0": ("crw-rw----", "root", "rpmsg"),
        "/dev/rpmsg0": ("crw-rw----", "root", "rpmsg"),
    }, (f"after install, group missing: {guest.nodes('nodes after install')}\n"
        f"after groupadd and the printed reload and trigger: {guest.nodes('nodes')}\n" + guest.report())
    assert guest["probe"].exit_code == 0, guest.report()


# --- 4. udev's own parser ---------------------------------------------------------------------------------

def udev_check(kernel, rules, group_setup=""):
    """Boots healthy-raw with these rules and has `udevadm test` parse them and apply them to both devices."""
    steps = []
    if group_setup:
        steps.append(("group", group_setup))
    steps += [("nodes", NODES),
              ("test ctrl", "udevadm test /sys/class/rpmsg/rpmsg_ctrl0 2>&1"),
              ("test endpoint", "udevadm test /sys/class/rpmsg/rpmsg0 2>&1")]
    return Guest("healthy-raw", steps, kernel, udev_rules=rules)


def complaints(guest):
    """What udev said about the rules file while parsing it: lines that start with its path."""
    text = guest["test ctrl"].text + "\n" + guest["test endpoint"].text
    return sorted({line for line in text.splitlines() if line.startswith(GUEST_RULES + ":")})


def applied(guest, step, device):
    """The assignments udevadm test made to the device from the rules file: ["GROUP 20", "MODE 0660", ...]."""
    pattern = re.compile(rf"^{re.escape(device)}: {re.escape(GUEST_RULES)}:\d+ (.*)$")
    return [m.group(1) for m in map(pattern.match, guest[step].text.splitlines()) if m]


CHECKED_OPTIONS = [
    # (options, group, does the ctrl match, does the endpoint match)
    ((), "rpmsg", True, True),
    (("--group", "dialout"), "dialout", True, True),
    (("--group", "dialout", "--symlinks"), "dialout", True, True),
    (("--group", "dialout", "--channel", "rpmsg-raw", "--symlinks"), "dialout", False, True),
    (("--group", "dialout", "--remoteproc", "remoteproc0"), "dialout", False, False),  # no remoteproc on the board
]


@pytest.mark.parametrize("options, group, ctrl_matches, endpoint_matches", CHECKED_OPTIONS,
                         ids=[" ".join(o) or "default" for o, *_ in CHECKED_OPTIONS])
def test_udev_parses_the_generated_rules_without_a_complaint(kernel, options, group, ctrl_matches, endpoint_matches):
    setup = f"{WRITABLE_ETC} && {CREATE_RPMSG_GROUP} && {RESTART_UDEVD}" if group == "rpmsg" else ""
    guest = udev_check(kernel, generate(*options), setup)
    assert f"Reading rules file: {GUEST_RULES}" in guest["test ctrl"].text, guest.report()
    assert complaints(guest) == [], guest.report()
    gid = DIALOUT if group == "dialout" else None
    for step, device, matches in (("test ctrl", "rpmsg_ctrl0", ctrl_matches), ("test endpoint", "rpmsg0", endpoint_matches)):
        made = applied(guest, step, device)
        if not matches:
            assert made == [], (device, made)
            assert guest.nodes("nodes")[f"/dev/{device}"] == ("crw-------", "root", "root"), guest.report()
            continue
        assert "MODE 0660" in made and any(a.startswith("GROUP ") for a in made), (device, made)
        if gid is not None:
            assert f"GROUP {gid}" in made, (device, made)
        assert guest.nodes("nodes")[f"/dev/{device}"] == ("crw-rw----", "root", group), guest.report()
    links = [a for a in applied(guest, "test endpoint", "rpmsg0") if a.startswith("LINK ")]
    expected_links = ["LINK 'rpmsg/by-name/rpmsg-raw'", "LINK 'rpmsg/by-name/rpmsg-raw.40'"] if "--symlinks" in options else []
    assert links == expected_links, links


def test_the_parse_check_catches_what_udev_complains_about(kernel):
    """Control for the test above: a misspelt key and an unknown group are reported, with their lines."""
    broken = generate("--group", "dialout") + 'SUBSYSTEM=="rpmsg", GROUP="no-such-group-rd"\nSUBSYSTEM=="rpmsg", MODES="0600"\n'
    guest = udev_check(kernel, broken)
    found = complaints(guest)
    lines = len(broken.splitlines())
    assert any(f":{lines - 1} " in c and "no-such-group-rd" in c for c in found), found
    assert any(f":{lines} " in c and "MODES" in c for c in found), found
