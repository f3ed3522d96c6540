"""Fixtures of the command-line tests."""

import shutil
import subprocess

import pytest

from cli import FIXTURE


@pytest.fixture
def board():
    """A fixture board made by rpmsg-doctor-fixture; removed afterwards."""
    made = []

    def make(recipe):
        root = subprocess.run([FIXTURE, recipe], capture_output=True, text=True, check=True).stdout.strip()
        made.append(root)
        return root

    yield make
    for root in made:
        shutil.rmtree(root, ignore_errors=True)
