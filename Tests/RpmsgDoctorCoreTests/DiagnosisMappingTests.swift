import Testing
@testable import RpmsgDoctorCore

@Suite struct DiagnosisMappingTests {
    @Test func canonicalScanWithoutIntentFlagsTheEndpointOnTheWrongVirtio() throws {
        let findings = Diagnosis.findings(for: SnapshotBuilders.canonical())
        let finding = try #require(findings.first(.endpointOnWrongVirtio))
        #expect(finding.severity == .error)
        #expect(finding.summary.contains("/dev/rpmsg0"))
        #expect(finding.summary.contains("virtio0"))
        #expect(finding.summary.contains("virtio1"))
        #expect(finding.fix.contains("/dev/rpmsg_ctrl1"))
    }

    @Test func wrongControlForDestinationNamesTheRightControl() throws {
        let intent = Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(0x1e))
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: intent).first(.wrongControl))
        #expect(finding.severity == .error)
        #expect(finding.summary.contains("/dev/rpmsg_ctrl0"))
        #expect(finding.summary.contains("rpmsg-openamp-demo-channel"))
        #expect(finding.fix.contains("/dev/rpmsg_ctrl1"))
        #expect(finding.evidence.contains { $0.contains("/dev/rpmsg_ctrl0 belongs to virtio0") })
        #expect(finding.evidence.contains { $0.contains("nothing on virtio0 announced address 0x1e") })
        #expect(finding.commands == ["rpmsg-doctor scan --ctrl /dev/rpmsg_ctrl1 --dst 0x1e"])
    }

    @Test func rightControlForDestinationHasNoMappingError() {
        let intent = Intent(control: "rpmsg_ctrl1", dst: RpmsgAddress(30))
        let findings = Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: intent)
        #expect(findings.first(.wrongControl) == nil)
        #expect(findings.first(.notAnnounced) == nil)
    }

    @Test func serviceNameIsRoutedToTheControlOfItsVirtio() throws {
        let intent = Intent(service: "rpmsg-openamp-demo-channel")
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: intent).first(.route))
        #expect(finding.severity == .info)
        #expect(finding.summary.contains("/dev/rpmsg_ctrl1"))
        #expect(!finding.summary.contains("/dev/rpmsg_ctrl0"))
    }

    @Test func controlNumbersAreNeverTakenForVirtioNumbers() throws {
        var snapshot = SnapshotBuilders.canonical()
        snapshot.controlDevices = [SnapshotBuilders.control(0, on: 1), SnapshotBuilders.control(1, on: 0)]
        snapshot.endpointDevices = []
        let intent = Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(30))
        let finding = try #require(Diagnosis.findings(for: snapshot, intent: intent).first(.wrongControl))
        #expect(finding.fix.contains("/dev/rpmsg_ctrl0"))
        #expect(Diagnosis.findings(for: snapshot, intent: Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30))).first(.wrongControl) == nil)
    }

    @Test func unannouncedDestinationIsAWarningSinceRemotesMayNotAnnounce() throws {
        let intent = Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(0x99))
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: intent).first(.notAnnounced))
        #expect(finding.severity == .warning)
        #expect(finding.evidence.contains { $0.contains("rpmsg-openamp-demo-channel") })
    }

    @Test func unannouncedServiceIsAnError() throws {
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: Intent(service: "no-such-service")).first(.notAnnounced))
        #expect(finding.severity == .error)
    }

    @Test func unannouncedDestinationStaysAWarningWithAServiceNamedToo() throws {
        let intent = Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(0x99), service: "rpmsg-openamp-demo-channel")
        #expect(try #require(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: intent).first(.notAnnounced)).severity == .warning)
    }

    @Test func endpointNameAloneLooksUpNothing() {
        #expect(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: Intent(name: "my-endpoint")).first(.notAnnounced) == nil)
    }

    @Test func unknownControlIsReportedWithTheExistingOnes() throws {
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical(), intent: Intent(control: "/dev/rpmsg_ctrl7")).first(.unknownControl))
        #expect(finding.evidence == ["/dev/rpmsg_ctrl0 belongs to virtio0", "/dev/rpmsg_ctrl1 belongs to virtio1"])
    }

    @Test func severalVirtioDevicesGetTheNumberingNote() throws {
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical()).first(.controlNumbering))
        #expect(finding.evidence.contains("/dev/rpmsg_ctrl1 -> virtio1"))
        #expect(Diagnosis.findings(for: SnapshotBuilders.healthy()).first(.controlNumbering) == nil)
    }

    @Test func healthySystemHasNoErrorsOrWarnings() {
        let findings = Diagnosis.findings(for: SnapshotBuilders.healthy())
        #expect(findings.filter { $0.severity != .info }.isEmpty, "\(findings.map(\.summary))")
    }

    @Test func findingsAreOrderedBySeverity() {
        let severities = Diagnosis.findings(for: SnapshotBuilders.canonical()).map(\.severity)
        #expect(severities == severities.sorted())
    }
}
