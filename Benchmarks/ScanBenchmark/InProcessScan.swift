import RpmsgDoctorCore

/// Times the three stages of a scan inside this process: discovery, diagnosis, text rendering.
struct InProcessScan {
    var discoverSeconds: Double
    var diagnoseSeconds: Double
    var renderSeconds: Double

    static func measure(root: String) throws -> InProcessScan {
        let (snapshot, discover) = try Clock.measure { try Discovery.snapshot(root: root) }
        let (report, diagnose) = Clock.measure { ScanReport(snapshot: snapshot) }
        let (_, render) = Clock.measure { TextReport(report, style: Style(enabled: false)).render() }
        return InProcessScan(discoverSeconds: discover, diagnoseSeconds: diagnose, renderSeconds: render)
    }

    /// The median of each stage over `runs` scans.
    static func median(root: String, runs: Int) throws -> InProcessScan {
        let scans = try (0..<runs).map { _ in try measure(root: root) }
        return InProcessScan(discoverSeconds: scans.map(\.discoverSeconds).median,
                             diagnoseSeconds: scans.map(\.diagnoseSeconds).median,
                             renderSeconds: scans.map(\.renderSeconds).median)
    }
}
