"""What scan prints for the bundled example, text and JSON, against golden files; the README's sample is checked
against the golden text. After an intended change of output, rewrite the golden files with
`REGENERATE_GOLDEN=1 python3 -m pytest Tests/CommandLine/test_golden_output.py` and read the diff before committing."""

import os
import re

import pytest

from cli import REPO, doctor

GOLDEN = os.path.join(REPO, "Tests", "CommandLine", "golden")
COMMAND = ["scan", "--from", "examples/imx8qm-wrong-ctrl.json", "--ctrl", "/dev/rpmsg_ctrl0", "--dst", "0x1e"]
CASES = {"imx8qm-scan.txt": COMMAND, "imx8qm-scan.json": COMMAND + ["--json"]}


def run(arguments):
    environment = dict(os.environ, NO_COLOR="1")
    result = doctor(*arguments, cwd=REPO, env=environment)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("name", CASES)
def test_output_matches_golden(name):
    output = run(CASES[name])
    path = os.path.join(GOLDEN, name)
    if os.environ.get("REGENERATE_GOLDEN") == "1":
        with open(path, "w") as file:
            file.write(output)
    with open(path) as file:
        golden = file.read()
    assert output == golden, f"{name} differs from what scan prints; see this file's docstring to regenerate it"


def readme_sample():
    """The lines of the README's block that begins with the example's command, and that command."""
    with open(os.path.join(REPO, "README.md")) as file:
        text = file.read()
    command = "$ rpmsg-doctor " + " ".join(COMMAND)
    match = re.search(r"```\n" + re.escape(command) + r"\n(.*?)```", text, re.DOTALL)
    assert match, f"README.md has no sample starting with {command!r}"
    return match.group(1).splitlines()


def test_readme_sample_is_golden_output():
    """Each sample line is a golden line, in order; a line of only "..." stands for one or more left out."""
    golden = open(os.path.join(GOLDEN, "imx8qm-scan.txt")).read().splitlines()
    position = 0
    skipping = False
    for line in readme_sample():
        if line.strip() == "...":
            skipping = True
            position += 1
            continue
        if skipping:
            assert line in golden[position:], f"README line not in the golden output after line {position}: {line!r}"
            position = golden.index(line, position)
        else:
            assert position < len(golden) and golden[position] == line, \
                f"README line {line!r} should be {golden[position] if position < len(golden) else 'the end'!r}"
        position += 1
        skipping = False
    assert position == len(golden), "the README sample stops before the golden output ends"
