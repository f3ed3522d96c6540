"""`rpmsg-doctor explain`: the pages come from inside the binary, so an installed copy far from the source tree
prints them; an unknown code is a usage error that lists the codes."""

import os
import re
import shutil

from cli import DOCTOR, REPO, doctor

PAGES = os.path.join(REPO, "docs", "findings")
CODES = sorted(name[:-3] for name in os.listdir(PAGES) if re.fullmatch(r"RD[0-9]{3}\.md", name))


def test_an_installed_copy_prints_every_page_as_the_source_tree_has_it(tmp_path):
    installed = tmp_path / "bin" / "rpmsg-doctor"
    installed.parent.mkdir()
    shutil.copy(DOCTOR, installed)
    for code in CODES:
        result = doctor("explain", code.lower(), executable=str(installed), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        with open(os.path.join(PAGES, code + ".md")) as page:
            assert result.stdout == page.read()


def test_without_a_code_every_code_is_listed_once():
    result = doctor("explain")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == CODES


def test_an_unknown_code_is_a_usage_error_with_the_list():
    result = doctor("explain", "RD999\x1b[31m")
    assert result.returncode == 64
    assert result.stdout == ""
    assert "no finding code RD999\\x1b[31m" in result.stderr
    assert "RD101" in result.stderr and "\x1b" not in result.stderr
