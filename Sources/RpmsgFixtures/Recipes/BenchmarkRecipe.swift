import RpmsgDoctorCore

extension Recipes {
    /// A large mainline 6.1 board for timing scans: one remoteproc with `virtioCount` vdevs, each with its ctrl
    /// and `channelsPerVirtio` announced channels `virtioK.bench-J.-1.(1024+J)`, and for each channel one endpoint
    /// made through that virtio's ctrl (name bench-J, src ANY, dst 1024+J).
    public static func benchmark(virtioCount: Int, channelsPerVirtio: Int, node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.mainline6_1) { board in
            let remote = try stm32RemoteProcessor(board)
            for _ in 0..<virtioCount {
                let virtio = try board.addVirtio(under: remote)
                let control = try board.addControl(on: virtio, node: node)
                for channel in 0..<channelsPerVirtio {
                    let address = RpmsgAddress(UInt32(1024 + channel))
                    _ = try board.addChannel(on: virtio, name: "bench-\(channel)", dst: address)
                    _ = try board.addEndpoint(under: control, name: "bench-\(channel)", src: .any, dst: address, node: node)
                }
            }
        }
    }
}
