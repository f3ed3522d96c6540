/// What to probe and how.
public struct ProbeOptions: Sendable {
    public enum Target: Sendable, Equatable, CustomStringConvertible {
        /// A channel the remote announced: its virtio device's ctrl and its address are looked up.
        case service(String)
        /// Exactly what an application does: a ctrl and a destination (and optionally src and name).
        case control(path: String, dst: RpmsgAddress)
        /// An endpoint device that already exists (rpmsg-raw).
        case device(path: String)

        /// The options that name this target again, for a command to print.
        var arguments: [String] {
            switch self {
            case .service(let name): ["--service", name]
            case .control(let path, let dst): ["--ctrl", path, "--dst", dst.hex]
            case .device(let path): ["--device", path]
            }
        }

        public var description: String {
            switch self {
            case .service(let name): "service \"\(name)\""
            case .control(let path, let dst): "\(path) -> dst \(dst.hex)"
            case .device(let path): "endpoint \(path)"
            }
        }
    }

    public enum Expectation: String, Codable, Sendable, CaseIterable {
        /// The remote sends each message back unchanged.
        case echo
        /// The remote answers each message with data of its own.
        case reply
        /// The remote answers nothing; only delivery is checked.
        case none
    }

    public static let largestPayload = 496
    public static let defaultEndpointName = "rpmsg-doctor-probe"

    public var target: Target
    public var src: RpmsgAddress
    public var name: String?
    public var count: Int
    public var size: Int
    /// Bytes to send instead of the generated frame payload.
    public var payload: [UInt8]?
    public var timeoutMilliseconds: Int
    public var intervalMilliseconds: Int
    public var expectation: Expectation
    /// How long to wait for the endpoint's /dev node (devtmpfs or udev).
    public var nodeWaitMilliseconds: Int

    public init(target: Target, src: RpmsgAddress = .any, name: String? = nil, count: Int = 5, size: Int = 64, payload: [UInt8]? = nil,
                timeoutMilliseconds: Int = 1000, intervalMilliseconds: Int = 0, expectation: Expectation = .echo, nodeWaitMilliseconds: Int = 2000) {
        self.target = target
        self.src = src
        self.name = name
        self.count = count
        self.size = size
        self.payload = payload
        self.timeoutMilliseconds = timeoutMilliseconds
        self.intervalMilliseconds = intervalMilliseconds
        self.expectation = expectation
        self.nodeWaitMilliseconds = nodeWaitMilliseconds
    }

    /// The bytes of message `sequence`: a frame when echoes are checked, the user's payload as is otherwise.
    func message(_ sequence: UInt32) -> [UInt8] {
        if expectation == .echo {
            if let payload { return ProbeFrame(sequence: sequence, payload: payload).bytes }
            return ProbeFrame(sequence: sequence, totalSize: size).bytes
        }
        return payload ?? ProbeFrame(sequence: sequence, totalSize: size).bytes
    }

    /// Why these options cannot work, before anything is opened.
    public func validationError() -> String? {
        let length = message(0).count
        if length > Self.largestPayload {
            return "a message of \(length) bytes is over the \(Self.largestPayload)-byte payload limit of virtio rpmsg (512-byte buffers, 16-byte header): the kernel would refuse it with EMSGSIZE"
        }
        if expectation == .echo && size < ProbeFrame.headerSize && payload == nil {
            return "--size must be at least \(ProbeFrame.headerSize) bytes with --expect echo (the sequence number and checksum take \(ProbeFrame.headerSize))"
        }
        if count < 1 { return "--count must be at least 1" }
        if timeoutMilliseconds < 1 { return "--timeout must be positive" }
        if let name, name.utf8.count > 31 { return "--name is \(name.utf8.count) bytes; the kernel keeps 31 and a NUL" }
        if case .control(_, let dst) = target, dst == .nameService {
            return "dst 0x35 (53) is the name-service address: the probe never sends there"
        }
        return nil
    }
}
