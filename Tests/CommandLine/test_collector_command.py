"""`rpmsg-doctor collector` prints the collector script exactly as the repository has it."""

import os
import subprocess

from cli import REPO, doctor


def test_the_binary_prints_the_committed_script():
    result = doctor("collector")
    assert result.returncode == 0
    with open(os.path.join(REPO, "scripts", "rpmsg-collect.sh")) as script:
        assert result.stdout == script.read()


def test_the_printed_script_is_valid_posix_shell(tmp_path):
    path = tmp_path / "rpmsg-collect.sh"
    path.write_text(doctor("collector").stdout)
    assert subprocess.run(["sh", "-n", str(path)]).returncode == 0
