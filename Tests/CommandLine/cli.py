"""What the command-line tests share: where the repository and the built binaries are, and how to run them."""

import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(REPO, ".build", "debug")
DOCTOR = os.environ.get("RPMSG_DOCTOR", os.path.join(BUILD, "rpmsg-doctor"))
FIXTURE = os.path.join(BUILD, "rpmsg-doctor-fixture")
EXAMPLE = os.path.join(REPO, "examples", "imx8qm-wrong-ctrl.json")


def doctor(*arguments, timeout=60, **options):
    return subprocess.run([DOCTOR, *arguments], capture_output=True, text=True, timeout=timeout, **options)
