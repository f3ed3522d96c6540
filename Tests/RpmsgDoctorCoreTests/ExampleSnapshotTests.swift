import Foundation
import Testing
@testable import RpmsgDoctorCore
import RpmsgFixtures

/// The example snapshot shipped in examples/ tells the canonical story; it must keep doing so, and keep
/// matching what discovery makes of the fixture board it was taken from.
@Suite struct ExampleSnapshotTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/imx8qm-wrong-ctrl.json").path

    @Test func exampleNamesTheRightControlDevice() throws {
        let snapshot = try SnapshotFile.load(Self.path)
        let findings = Diagnosis.findings(for: snapshot, intent: Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(0x1e)))
        let wrong = try #require(findings.first { $0.id == .wrongControl })
        #expect(wrong.fix.contains("/dev/rpmsg_ctrl1"))
        #expect(findings.contains { $0.id == .endpointOnWrongVirtio })
        #expect(findings.contains { $0.id == .permissionDenied }, "taken as torizon, who cannot open root-only nodes")
    }

    @Test func exampleMatchesTheFixtureBoardItWasTakenFrom() throws {
        let board = try Recipes.imx8qmCanonical()
        defer { board.remove() }
        let fresh = try Discovery.snapshot(root: board.root)
        let example = try SnapshotFile.load(Self.path)
        #expect(example.virtioDevices == fresh.virtioDevices)
        #expect(example.channels == fresh.channels)
        #expect(example.controlDevices == fresh.controlDevices)
        #expect(example.endpointDevices == fresh.endpointDevices)
        #expect(example.ttys == fresh.ttys)
        #expect(example.system == fresh.system)
        #expect(example.kernelLog == fresh.kernelLog)
    }
}
