import FuzzDriver
#if canImport(Glibc)
import Glibc
#endif
import RpmsgDoctorCore
import RpmsgFixtures

/// The board every input is written into: a mainline 6.1 tree with its core's resource table, built once per run.
nonisolated(unsafe) private var board: Board?

/// The attributes discovery parses, in the order the input's parts fill them.
private let attributes = [
    "/sys/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.30/name",
    "/sys/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.30/src",
    "/sys/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.30/dst",
    "/sys/class/rpmsg/rpmsg_ctrl0/dev",
    "/sys/class/rpmsg/rpmsg0/name",
    "/sys/class/rpmsg/rpmsg0/src",
    "/sys/class/rpmsg/rpmsg0/dst",
    "/sys/class/remoteproc/remoteproc0/state",
    "/sys/class/remoteproc/remoteproc0/name",
    "/sys/bus/virtio/devices/virtio0/features",
    "/sys/kernel/debug/remoteproc/remoteproc0/resource_table",
    "/proc/devices",
    "/proc/modules",
    "/dev/kmsg",
    "/etc/group",
]

/// The input, split at NUL bytes, becomes the content of the attributes above; discovery reads the tree, and the
/// snapshot is diagnosed and rendered, all without a crash.
@main
enum SysfsFuzzer {
    static func main() {
        board = try? Recipes.mainline6_1()
        try? board?.addResourceTable(vdevs: [Board.VdevEntry()])
        defer { board?.remove() }
        exit(runFuzzer { start, count in
            guard let start, let root = board?.root else { return 0 }
            let parts = UnsafeBufferPointer(start: start, count: count).split(separator: 0, omittingEmptySubsequences: false)
            for (path, part) in zip(attributes, parts) {
                let fd = open(root + path, O_WRONLY | O_TRUNC | O_CREAT | O_NOFOLLOW, 0o644)
                guard fd >= 0 else { continue }
                _ = Array(part).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            guard let snapshot = try? Discovery.snapshot(root: root) else { return 0 }
            let report = ScanReport(snapshot: snapshot, intent: Intent(service: "rpmsg-raw"))
            _ = TextReport(report, style: Style(enabled: false)).render()
            _ = try? JSONDocument.encode(report)
            return 0
        })
    }
}
