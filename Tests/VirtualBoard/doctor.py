"""Runs the rpmsg-doctor binary built on the host inside the virtual board and parses its JSON."""

import json
import os
import pathlib
import shlex

import jsonschema

import board

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(HERE, "scenarios")
BINARY = os.environ.get("RPMSG_DOCTOR", os.path.join(REPO, ".build", "debug", "rpmsg-doctor"))


def scenario(name):
    return os.path.join(SCENARIOS, f"{name}.json")


def command(*arguments):
    """A shell command line running rpmsg-doctor with these arguments."""
    return " ".join(shlex.quote(part) for part in (BINARY,) + arguments)


def run(scenario_name, shell_command, kernel, **options):
    """Boots the board with the scenario and runs a shell command; the repository is shared with the guest."""
    return board.run(scenario(scenario_name), shell_command, kernel_path=kernel, share=[REPO], **options)


def json_of(result):
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(f"no JSON from rpmsg-doctor ({error})\n{result.report()}") from None


def finding(document, code):
    """The first finding with this code, or None."""
    return next((f for f in document["findings"] if f["id"] == code), None)


def codes(document, severity=None):
    return [f["id"] for f in document["findings"] if severity is None or f["severity"] == severity]


def schema_validator(kind):
    """docs/schema/KIND.schema.json with the schemas it refers to, each given its file URI as $id."""
    directory = pathlib.Path(REPO, "docs", "schema")
    schemas = {p.as_uri(): dict(json.loads(p.read_text()), **{"$id": p.as_uri()}) for p in directory.glob("*.schema.json")}
    schema = schemas[(directory / f"{kind}.schema.json").as_uri()]
    try:
        from referencing import Registry, Resource
    except ImportError:  # jsonschema before 4.18, as Debian 12 has it
        return jsonschema.Draft202012Validator(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=schemas))
    registry = Registry().with_resources((uri, Resource.from_contents(schema)) for uri, schema in schemas.items())
    return jsonschema.Draft202012Validator(schema, registry=registry)
