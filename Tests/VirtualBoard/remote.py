#!/usr/bin/env python3
"""A virtual remote core: one virtio-rpmsg device served over a vhost-user socket.

The guest (User-Mode Linux's virtio_uml) connects to the socket; this program plays
the firmware side of virtio_rpmsg_bus: it announces the scenario's channels through
the name service and answers messages with each endpoint's behaviour.

Prints "listening" on stdout once the socket accepts connections; logs to --log.
"""

import argparse
import dataclasses
import heapq
import os
import select
import socket
import struct
import sys
import time

import scenario
import vhost_user

VIRTIO_RPMSG_F_NS = 1 << 0
RX_QUEUE = 0  # the guest receives here: we fill its buffers
TX_QUEUE = 1  # the guest sends here: we read and return its buffers
RPMSG_HEADER = struct.Struct("<IIIHH")
NS_MESSAGE = struct.Struct("<32sII")
NS_CREATE, NS_DESTROY = 0, 1
BUFFER_SIZE = 512
POLL_SECONDS = 0.5


class RemoteExit(Exception):
    """The scenario asks the remote to stop (crash-after)."""


class Log:
    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8", buffering=1)
        self.started = time.monotonic()

    def __call__(self, text):
        self.file.write(f"{time.monotonic() - self.started:8.3f} {text}\n")


class RemoteCore:
    def __init__(self, device, log, announce=True):
        self.device = device
        self.log = log
        self.endpoints = {e.addr: e for e in device.endpoints}
        self.answered = {e.addr: 0 for e in device.endpoints}
        self.outbox = []  # (src, dst, payload) waiting for a guest receive buffer
        self.timers = []  # (due, sequence, src, dst, payload)
        self.announcements = []  # (due, endpoint): channels to announce again after a restart
        self.consuming = True
        self.announced = False
        # The guest's first kick of vq0 comes once it is ready for callbacks (virtio_device_ready).
        self.rx_kicked = False
        # False plays a remote that comes back without announcing its channels.
        self.announce_channels = announce
        self.vhost = None

    @property
    def features(self):
        features = vhost_user.F_VERSION_1 | vhost_user.F_PROTOCOL_FEATURES
        return features | (VIRTIO_RPMSG_F_NS if self.device.ns else 0)

    def serve(self, connection, deadline):
        self.vhost = vhost_user.VhostUserDevice(connection, self.features, self.log)
        try:
            while time.monotonic() < deadline:
                self._wait_and_handle(deadline)
            self.log("lifetime limit reached, exiting")
        except vhost_user.ConnectionClosed:
            self.log("the guest closed the connection")
        finally:
            self.vhost.close()

    def _wait_and_handle(self, deadline):
        kick_fds = {q.kick_fd: q for q in self.vhost.queues if q.kick_fd is not None}
        timeout = min(POLL_SECONDS, max(0.0, deadline - time.monotonic()))
        for due in [t[0] for t in self.timers[:1]] + [a[0] for a in self.announcements]:
            timeout = min(timeout, max(0.0, due - time.monotonic()))
        readable, _, _ = select.select([self.vhost.connection, *kick_fds], [], [], timeout)
        if self.vhost.connection in readable:
            request = self.vhost.handle_request()
            if request not in ("SET_VRING_KICK", "SET_VRING_CALL"):
                self.log(f"vhost-user: {request}")
        for fd in readable:
            if fd in kick_fds:
                kick_fds[fd].drain_kick()
                self.rx_kicked |= kick_fds[fd].index == RX_QUEUE
        self._fire_due_timers()
        self._receive_from_guest()
        self._announce_once_guest_is_ready()
        self._flush_outbox()

    def _announce_once_guest_is_ready(self):
        # The guest posts its receive buffers, marks itself ready and kicks vq0 at the end of its probe; anything
        # sent earlier would find no buffer, or a notification it ignores (its virtqueues are still broken).
        rx = self.vhost.queues[RX_QUEUE]
        if self.announced or not self.rx_kicked or not rx.ready or not self.vhost.queues[TX_QUEUE].ready:
            return
        avail_idx, = self.vhost.memory.unpack("<H", rx.avail + 2)
        if avail_idx == rx.next_avail:
            return
        self.announced = True
        negotiated_ns = bool(self.vhost.features & VIRTIO_RPMSG_F_NS)
        self.log(f"guest is ready; name service {'negotiated' if negotiated_ns else 'not negotiated'}")
        if negotiated_ns and not self.announce_channels:
            self.log("back without announcing its channels")
        elif negotiated_ns:
            for endpoint in self.device.announced:
                self._announce(endpoint, NS_CREATE)

    def _announce(self, endpoint, flags):
        verb = "create" if flags == NS_CREATE else "destroy"
        self.log(f"ns {verb}: {endpoint.printable_name!r} addr {endpoint.addr}")
        payload = NS_MESSAGE.pack(endpoint.name, endpoint.addr, flags)
        self.outbox.append((endpoint.addr, scenario.NAME_SERVICE_ADDR, payload))

    def _receive_from_guest(self):
        tx = self.vhost.queues[TX_QUEUE]
        while self.consuming:
            buffer = tx.pop()
            if buffer is None:
                return
            head, chain = buffer
            data = b"".join(self.vhost.memory.read(addr, length) for addr, length, _w in chain)
            if self._handle_message(data):
                tx.push(head, 0)
                tx.notify()
            else:
                self.consuming = False
                self.log("stopped consuming: the guest's TX buffers now stay in the ring")

    def _handle_message(self, data):
        """Acts on one guest message; returns False if its buffer must not be consumed."""
        if len(data) < RPMSG_HEADER.size:
            self.log(f"short message ({len(data)} bytes) dropped")
            return True
        src, dst, _reserved, length, _flags = RPMSG_HEADER.unpack_from(data)
        payload = data[RPMSG_HEADER.size:RPMSG_HEADER.size + length]
        self.log(f"received {length} bytes {src} -> {dst}: {payload[:64]!r}")
        if dst == scenario.NAME_SERVICE_ADDR:
            self.log("guest name-service message ignored")
            return True
        endpoint = self.endpoints.get(dst)
        if endpoint is None:
            self.log(f"dropped: no endpoint at address {dst}")
            return True
        return self._behave(endpoint, src, payload)

    def _behave(self, endpoint, src, payload):
        behaviour = endpoint.behaviour
        count = self.answered[endpoint.addr]
        if behaviour == "no-consume":
            if count >= endpoint.after:
                return False
            self.answered[endpoint.addr] += 1
            return True
        if behaviour == "crash-after" and count >= endpoint.after:
            raise RemoteExit(f"endpoint {endpoint.addr} got message {count + 1} after answering {count}: crashing")
        if behaviour == "silent" or (behaviour == "stop-after" and count >= endpoint.after):
            return True
        if behaviour == "reply":
            answer = endpoint.reply
        elif behaviour == "corrupt":
            answer = bytes(b ^ 0xFF for b in payload)
        elif behaviour == "truncate":
            answer = payload[:len(payload) // 2]
        else:
            answer = payload
        if behaviour == "delay":
            due = time.monotonic() + endpoint.delay_ms / 1000
            heapq.heappush(self.timers, (due, len(self.timers), endpoint.addr, src, answer))
        else:
            self.outbox.append((endpoint.addr, src, answer))
        self.answered[endpoint.addr] = count + 1
        if behaviour == "destroy-after" and count + 1 == endpoint.after:
            self._announce(endpoint, NS_DESTROY)
            del self.endpoints[endpoint.addr]
        if behaviour == "restart" and count + 1 == endpoint.after:
            self._restart(endpoint)
        return True

    def _restart(self, endpoint):
        """Destroys the channel, and announces it again (at restart_addr) delay_ms later, as a firmware restart does."""
        self.log(f"restarting {endpoint.printable_name!r}: back at addr {endpoint.restart_addr} in {endpoint.delay_ms} ms")
        self._announce(endpoint, NS_DESTROY)
        del self.endpoints[endpoint.addr]
        again = dataclasses.replace(endpoint, addr=endpoint.restart_addr, behaviour="echo")
        self.announcements.append((time.monotonic() + endpoint.delay_ms / 1000, again))

    def _fire_due_timers(self):
        now = time.monotonic()
        for due, endpoint in [a for a in self.announcements if a[0] <= now]:
            self.announcements.remove((due, endpoint))
            self.endpoints[endpoint.addr] = endpoint
            self.answered[endpoint.addr] = 0
            self._announce(endpoint, NS_CREATE)
        while self.timers and self.timers[0][0] <= now:
            _due, _seq, src, dst, payload = heapq.heappop(self.timers)
            self.outbox.append((src, dst, payload))

    def _flush_outbox(self):
        rx = self.vhost.queues[RX_QUEUE]
        sent = False
        while self.outbox:
            buffer = rx.pop()
            if buffer is None:
                break
            head, chain = buffer
            src, dst, payload = self.outbox.pop(0)
            message = RPMSG_HEADER.pack(src, dst, 0, len(payload), 0) + payload
            addr, length, writable = chain[0]
            if not writable or length < len(message):
                raise vhost_user.ProtocolError(f"guest receive buffer unusable ({length} bytes, writable={writable})")
            self.vhost.memory.write(addr, message)
            rx.push(head, len(message))
            sent = True
            self.log(f"sent {len(payload)} bytes {src} -> {dst}")
        if sent:
            rx.notify()


def listen(path):
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", required=True, help="scenario JSON file")
    parser.add_argument("--device", type=int, required=True, help="index of the device in the scenario")
    parser.add_argument("--socket", required=True, help="unix socket path to listen on")
    parser.add_argument("--log", required=True, help="log file")
    parser.add_argument("--accept-timeout", type=float, default=60, help="seconds to wait for the guest")
    parser.add_argument("--lifetime", type=float, default=600, help="seconds after which the remote exits")
    args = parser.parse_args()

    log = Log(args.log)
    devices = scenario.load(args.scenario)
    if not 0 <= args.device < len(devices):
        sys.exit(f"remote: the scenario has {len(devices)} device(s), no index {args.device}")
    device = devices[args.device]
    deadline = time.monotonic() + args.lifetime

    server = listen(args.socket)
    log(f"device {args.device}: ns={device.ns}, reconnect={device.reconnect}, endpoints "
        + ", ".join(f"{e.printable_name!r}@{e.addr}:{e.behaviour}" for e in device.endpoints))
    print("listening", flush=True)

    connections = 0
    while True:
        # A remote that reconnects waits for the guest as long as it lives: its virtio device may come back any time.
        server.settimeout(args.accept_timeout if connections == 0 else max(0.1, deadline - time.monotonic()))
        try:
            connection, _ = server.accept()
        except socket.timeout:
            if connections == 0:
                log(f"no guest connected within {args.accept_timeout} s, exiting")
                sys.exit(1)
            log("lifetime limit reached, exiting")
            break
        finally:
            if not device.reconnect:
                server.close()
                os.unlink(args.socket)
        connection.setblocking(True)
        log("guest connected" if connections == 0 else f"guest connected again ({connections + 1})")
        try:
            RemoteCore(device, log, announce=connections == 0 or device.reannounce).serve(connection, deadline)
        except RemoteExit as reason:
            log(str(reason))
            break
        except vhost_user.ProtocolError as error:
            log(f"protocol error: {error}")
            sys.exit(2)
        connections += 1
        if not device.reconnect or time.monotonic() >= deadline:
            break
    if device.reconnect:
        server.close()
        os.unlink(args.socket)


if __name__ == "__main__":
    main()
