"""Loads and checks a virtual-board scenario: the remote cores and their endpoints."""

import json
from dataclasses import dataclass, field

NAME_SERVICE_ADDR = 53
NAME_SIZE = 32

BEHAVIOURS = {
    "echo": "answers each message with the same payload",
    "reply": "answers each message with the fixed text of `reply`",
    "silent": "consumes messages, never answers",
    "no-consume": "consumes `after` messages (default 0), then leaves the guest's TX buffers in the ring",
    "delay": "echoes after `delay_ms` milliseconds",
    "corrupt": "echoes with every payload byte inverted",
    "truncate": "echoes the first half of the payload",
    "crash-after": "echoes `after` messages (default 1); the next one makes it close the socket and exit",
    "destroy-after": "echoes `after` messages (default 1), then announces the channel's destruction",
    "restart": "echoes `after` messages (default 1), destroys its channel and announces it again `delay_ms` later"
               " at `restart_addr` (default: the same address), then echoes",
    "stop-after": "echoes `after` messages (default 1), then consumes messages without answering",
}
DEFAULT_AFTER = {"no-consume": 0, "crash-after": 1, "destroy-after": 1, "restart": 1, "stop-after": 1}
ENDPOINT_FIELDS = {"name", "name_hex", "addr", "announce", "behaviour", "delay_ms", "after", "reply", "restart_addr"}
DEVICE_FIELDS = {"ns", "endpoints", "reconnect", "reannounce"}


class ScenarioError(ValueError):
    pass


@dataclass(frozen=True)
class Endpoint:
    name: bytes
    addr: int
    announce: bool
    behaviour: str
    delay_ms: int = 0
    after: int = 0
    reply: bytes = b""
    restart_addr: int = None

    @property
    def printable_name(self):
        return self.name.decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Device:
    ns: bool
    endpoints: list = field(default_factory=list)
    # Serve the guest again when it reconnects (its virtio device was removed and added again).
    reconnect: bool = False
    # Whether the channels are announced again on a reconnection.
    reannounce: bool = True

    @property
    def announced(self):
        return [e for e in self.endpoints if e.announce and self.ns]


def load(source):
    """Returns the devices of a scenario given as a path or as an already parsed dict."""
    if isinstance(source, dict):
        data = source
    else:
        with open(source, encoding="utf-8") as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError as error:
                raise ScenarioError(f"{source}: not valid JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list) or not data["devices"]:
        raise ScenarioError('a scenario is an object with a non-empty list "devices"')
    return [_device(d, i) for i, d in enumerate(data["devices"])]


def _device(data, index):
    where = f"devices[{index}]"
    _require_known_fields(data, DEVICE_FIELDS, where)
    ns = _bool(data, "ns", True, where)
    endpoints = [_endpoint(e, f"{where}.endpoints[{i}]") for i, e in enumerate(data.get("endpoints", []))]
    addrs = [e.addr for e in endpoints]
    if len(set(addrs)) != len(addrs):
        raise ScenarioError(f"{where}: two endpoints share an address")
    return Device(ns=ns, endpoints=endpoints, reconnect=_bool(data, "reconnect", False, where),
                  reannounce=_bool(data, "reannounce", True, where))


def _endpoint(data, where):
    _require_known_fields(data, ENDPOINT_FIELDS, where)
    if ("name" in data) == ("name_hex" in data):
        raise ScenarioError(f"{where}: give exactly one of name and name_hex")
    try:
        name = bytes.fromhex(data["name_hex"]) if "name_hex" in data else data["name"].encode()
    except (ValueError, AttributeError):
        raise ScenarioError(f"{where}: name must be text, name_hex hex digits") from None
    if not 0 < len(name) <= NAME_SIZE:
        raise ScenarioError(f"{where}: name must be 1 to {NAME_SIZE} bytes, got {len(name)}")

    addr = _address(data, "addr", where)
    restart_addr = _address(data, "restart_addr", where) if "restart_addr" in data else addr

    behaviour = data.get("behaviour", "echo")
    if behaviour not in BEHAVIOURS:
        raise ScenarioError(f"{where}.behaviour {behaviour!r} is not one of {', '.join(BEHAVIOURS)}")

    return Endpoint(
        name=name,
        addr=addr,
        announce=_bool(data, "announce", True, where),
        behaviour=behaviour,
        delay_ms=_count(data, "delay_ms", 0, where),
        after=_count(data, "after", DEFAULT_AFTER.get(behaviour, 0), where),
        reply=str(data.get("reply", "")).encode(),
        restart_addr=restart_addr,
    )


def _address(data, key, where):
    addr = data.get(key)
    if not isinstance(addr, int) or isinstance(addr, bool) or not 0 <= addr < 0xFFFFFFFF or addr == NAME_SERVICE_ADDR:
        raise ScenarioError(f"{where}.{key} must be an integer address other than {NAME_SERVICE_ADDR}")
    return addr


def _bool(data, key, default, where):
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ScenarioError(f"{where}.{key} must be true or false")
    return value


def _count(data, key, default, where):
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ScenarioError(f"{where}.{key} must be a non-negative integer")
    return value


def _require_known_fields(data, known, where):
    if not isinstance(data, dict):
        raise ScenarioError(f"{where} must be an object")
    unknown = set(data) - known
    if unknown:
        raise ScenarioError(f"{where}: unknown fields {sorted(unknown)}; known: {sorted(known)}")
