import RpmsgFixtures

/// One fixture board to scan: how to build it and how many channels it has.
struct BenchmarkCase: Sendable {
    let name: String
    let channels: Int
    /// Part of the series that shows how scan time grows with the number of channels.
    let isScalingStep: Bool
    let build: @Sendable () throws -> Board

    static let canonical = BenchmarkCase(name: "i.MX8QM canonical", channels: 1, isScalingStep: false) { try Recipes.imx8qmCanonical() }

    /// `virtioCount` virtio devices with 64 channels each, and one endpoint per channel.
    static func grid(virtioCount: Int) -> BenchmarkCase {
        let channelsPerVirtio = 64
        return BenchmarkCase(name: "\(virtioCount) virtio × \(channelsPerVirtio) channels", channels: virtioCount * channelsPerVirtio,
                             isScalingStep: true) {
            try Recipes.benchmark(virtioCount: virtioCount, channelsPerVirtio: channelsPerVirtio)
        }
    }

    /// The canonical board, then the scaling series up to 64 × 64 = 4096 channels.
    static var all: [BenchmarkCase] { [canonical] + [8, 16, 32, 64].map(grid(virtioCount:)) }
}
