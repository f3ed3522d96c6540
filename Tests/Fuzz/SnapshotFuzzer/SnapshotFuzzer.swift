import FuzzDriver
#if canImport(Glibc)
import Glibc
#endif
import RpmsgDoctorCore

/// Any bytes as a snapshot file: decoding ends in a snapshot or an error, and a snapshot is diagnosed and rendered
/// as text and JSON without a crash.
@main
enum SnapshotFuzzer {
    static func main() {
        exit(runFuzzer { start, count in
            let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
            guard let snapshot = try? SnapshotFile.decode(bytes, path: "input") else { return 0 }
            let intent = Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30), src: RpmsgAddress(53))
            let report = ScanReport(snapshot: snapshot, intent: intent)
            _ = TextReport(report, style: Style(enabled: true)).render()
            _ = try? JSONDocument.encode(report)
            return 0
        })
    }
}
