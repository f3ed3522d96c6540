"""The device side of a vhost-user connection: guest memory and split virtqueues.

Only what User-Mode Linux's virtio_uml client uses is implemented: one or two
memory regions, split rings without EVENT_IDX or indirect descriptors, kick
eventfds and call pipes.
"""

import mmap
import os
import socket
import struct

GET_FEATURES = 1
SET_FEATURES = 2
SET_MEM_TABLE = 5
SET_VRING_NUM = 8
SET_VRING_ADDR = 9
SET_VRING_BASE = 10
GET_VRING_BASE = 11
SET_VRING_KICK = 12
SET_VRING_CALL = 13
GET_PROTOCOL_FEATURES = 15
SET_SLAVE_REQ_FD = 21
SET_VRING_ENABLE = 18

REQUEST_NAMES = {
    1: "GET_FEATURES", 2: "SET_FEATURES", 3: "SET_OWNER", 4: "RESET_OWNER", 5: "SET_MEM_TABLE",
    8: "SET_VRING_NUM", 9: "SET_VRING_ADDR", 10: "SET_VRING_BASE", 11: "GET_VRING_BASE",
    12: "SET_VRING_KICK", 13: "SET_VRING_CALL", 14: "SET_VRING_ERR", 15: "GET_PROTOCOL_FEATURES",
    16: "SET_PROTOCOL_FEATURES", 18: "SET_VRING_ENABLE", 21: "SET_SLAVE_REQ_FD",
}

F_VERSION_1 = 1 << 32
F_PROTOCOL_FEATURES = 1 << 30
PROTOCOL_F_REPLY_ACK = 1 << 3
# Required by UML 6.1: without it the device gets IRQ 0, which clashes with the timer.
PROTOCOL_F_SLAVE_REQ = 1 << 5

FLAG_VERSION_1 = 0x1
FLAG_REPLY = 0x4
FLAG_NEED_REPLY = 0x8
VRING_INDEX_MASK = 0xFF
VRING_NO_FD = 0x100

DESC_F_NEXT = 1
DESC_F_WRITE = 2
HEADER = struct.Struct("<III")


class ConnectionClosed(Exception):
    pass


class ProtocolError(Exception):
    pass


class GuestMemory:
    def __init__(self):
        self.regions = []  # (user_addr, size, mmap, offset of the region in the mmap)

    def replace(self, payload, fds):
        self.close()
        count, = struct.unpack_from("<I", payload)
        if count != len(fds):
            raise ProtocolError(f"SET_MEM_TABLE: {count} regions but {len(fds)} fds")
        for i, fd in enumerate(fds):
            _guest, size, user, offset = struct.unpack_from("<QQQQ", payload, 8 + 32 * i)
            mapping = mmap.mmap(fd, offset + size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
            os.close(fd)
            self.regions.append((user, size, mapping, offset))

    def locate(self, addr, length):
        for user, size, mapping, offset in self.regions:
            if user <= addr and addr + length <= user + size:
                return mapping, offset + addr - user
        raise ProtocolError(f"guest address 0x{addr:x}+{length} is outside the memory table")

    def read(self, addr, length):
        mapping, at = self.locate(addr, length)
        return mapping[at:at + length]

    def write(self, addr, data):
        mapping, at = self.locate(addr, len(data))
        mapping[at:at + len(data)] = data

    def unpack(self, fmt, addr):
        mapping, at = self.locate(addr, struct.calcsize(fmt))
        return struct.unpack_from(fmt, mapping, at)

    def pack(self, fmt, addr, *values):
        mapping, at = self.locate(addr, struct.calcsize(fmt))
        struct.pack_into(fmt, mapping, at, *values)

    def close(self):
        for _user, _size, mapping, _offset in self.regions:
            mapping.close()
        self.regions = []


class Virtqueue:
    """A split virtqueue seen from the device."""

    def __init__(self, index, memory):
        self.index = index
        self.memory = memory
        self.size = 0
        self.desc = self.avail = self.used = None
        self.next_avail = 0
        self.kick_fd = self.call_fd = None
        self.enabled = False

    @property
    def ready(self):
        return self.enabled and self.desc is not None and self.call_fd is not None

    def pop(self):
        """Takes the next available buffer: (head, [(addr, length, device_writable)]) or None."""
        if not self.ready:
            return None
        avail_idx, = self.memory.unpack("<H", self.avail + 2)
        if avail_idx == self.next_avail:
            return None
        head, = self.memory.unpack("<H", self.avail + 4 + 2 * (self.next_avail % self.size))
        self.next_avail = (self.next_avail + 1) & 0xFFFF
        chain, index = [], head
        while True:
            if len(chain) >= self.size:
                raise ProtocolError(f"vq{self.index}: descriptor chain loops")
            addr, length, flags, next_index = self.memory.unpack("<QIHH", self.desc + 16 * index)
            chain.append((addr, length, bool(flags & DESC_F_WRITE)))
            if not flags & DESC_F_NEXT:
                return head, chain
            index = next_index

    def push(self, head, written):
        used_idx, = self.memory.unpack("<H", self.used + 2)
        self.memory.pack("<II", self.used + 4 + 8 * (used_idx % self.size), head, written)
        self.memory.pack("<H", self.used + 2, (used_idx + 1) & 0xFFFF)

    def notify(self):
        try:
            os.write(self.call_fd, struct.pack("<Q", 1))
        except BlockingIOError:
            pass  # the pipe is full: the guest has notifications pending anyway

    def drain_kick(self):
        try:
            os.read(self.kick_fd, 8)
        except BlockingIOError:
            pass

    def close(self):
        for fd in (self.kick_fd, self.call_fd):
            if fd is not None:
                os.close(fd)
        self.kick_fd = self.call_fd = None


class VhostUserDevice:
    """Answers the vhost-user requests of one client connection."""

    def __init__(self, connection, features, log):
        self.connection = connection
        self.offered_features = features
        self.features = 0
        self.log = log
        self.memory = GuestMemory()
        self.queues = [Virtqueue(0, self.memory), Virtqueue(1, self.memory)]
        self.slave_req_fd = None

    def handle_request(self):
        """Reads and answers one request; returns its name."""
        header, fds = self._receive(HEADER.size)
        request, flags, size = HEADER.unpack(header)
        payload, more_fds = self._receive(size) if size else (b"", [])
        fds += more_fds
        name = REQUEST_NAMES.get(request, f"request {request}")

        if request == GET_FEATURES:
            self._reply(request, struct.pack("<Q", self.offered_features))
        elif request == GET_PROTOCOL_FEATURES:
            self._reply(request, struct.pack("<Q", PROTOCOL_F_REPLY_ACK | PROTOCOL_F_SLAVE_REQ))
        elif request == SET_FEATURES:
            self.features, = struct.unpack_from("<Q", payload)
            self.log(f"vhost-user: guest accepted features 0x{self.features:x}")
        elif request == SET_MEM_TABLE:
            self.memory.replace(payload, fds)
            self.log(f"vhost-user: mapped {len(self.memory.regions)} guest memory region(s)")
        elif request == SET_SLAVE_REQ_FD:
            # Kept open: the guest treats its closing as the device going away.
            self.slave_req_fd = fds[0]
        elif request in (SET_VRING_NUM, SET_VRING_BASE, SET_VRING_ENABLE, GET_VRING_BASE):
            queue_index, value = struct.unpack_from("<II", payload)
            queue = self._queue(queue_index)
            if request == SET_VRING_NUM:
                queue.size = value
            elif request == SET_VRING_BASE:
                queue.next_avail = value
            elif request == SET_VRING_ENABLE:
                queue.enabled = bool(value)
                self.log(f"vhost-user: vq{queue_index} {'enabled' if value else 'disabled'}")
            else:
                self._reply(request, struct.pack("<II", queue_index, queue.next_avail))
        elif request == SET_VRING_ADDR:
            queue_index, _flags, desc, used, avail, _log = struct.unpack_from("<IIQQQQ", payload)
            queue = self._queue(queue_index)
            queue.desc, queue.used, queue.avail = desc, used, avail
        elif request in (SET_VRING_KICK, SET_VRING_CALL):
            value, = struct.unpack_from("<Q", payload)
            queue_index = value & VRING_INDEX_MASK
            if value & VRING_NO_FD or not fds:
                raise ProtocolError(f"{name} without a file descriptor (polling is not supported)")
            queue = self._queue(queue_index)
            os.set_blocking(fds[0], False)
            if request == SET_VRING_KICK:
                queue.kick_fd = fds[0]
            else:
                queue.call_fd = fds[0]
        else:
            for fd in fds:
                os.close(fd)

        if flags & FLAG_NEED_REPLY:
            self._reply(request, struct.pack("<Q", 0))
        return name

    def close(self):
        for queue in self.queues:
            queue.close()
        self.memory.close()
        if self.slave_req_fd is not None:
            os.close(self.slave_req_fd)
            self.slave_req_fd = None
        self.connection.close()

    def _queue(self, index):
        if index >= len(self.queues):
            raise ProtocolError(f"the guest addressed vq{index}; virtio-rpmsg has 2 queues")
        return self.queues[index]

    def _reply(self, request, payload):
        # virtio_uml rejects any reply whose flags are not exactly VERSION_1 | REPLY.
        self.connection.sendall(HEADER.pack(request, FLAG_VERSION_1 | FLAG_REPLY, len(payload)) + payload)

    def _receive(self, length):
        data, fds = b"", []
        while len(data) < length:
            chunk, new_fds, _flags, _addr = socket.recv_fds(self.connection, length - len(data), 4)
            fds += new_fds
            if not chunk:
                for fd in fds:
                    os.close(fd)
                raise ConnectionClosed()
            data += chunk
        return data, fds
