#if canImport(Glibc)
import Glibc
#endif

/// Where a device sits, read from its resolved sysfs path. This is the only truth about which virtio device
/// (and so which remote) a ctrl or endpoint belongs to: the numbers in their names say nothing.
///
/// The components that tell are found in the path's bytes when it is made; each one is decoded to text only
/// when it is asked for. A numbered name ("virtio3") is all ASCII, so searching the bytes finds the same
/// components as `KernelNames.isNumbered` on the decoded names would.
struct SysfsAncestry: Equatable {
    private let path: [UInt8]
    private let ownName: String?
    /// The last virtio device on the way, the components right before and after it.
    private let virtioRange: Range<Int>?
    private let beforeVirtio: Range<Int>?
    private let afterVirtio: Range<Int>?
    private let remoteProcessorRange: Range<Int>?
    /// The last rpmsg_ctrl device on the way, not counting the device itself.
    private let controlRange: Range<Int>?

    init(resolvedPath: SysPath, ownName: String? = nil) {
        path = resolvedPath.bytes
        self.ownName = ownName
        var virtioRange: Range<Int>?
        var beforeVirtio: Range<Int>?
        var afterVirtio: Range<Int>?
        var remoteProcessorRange: Range<Int>?
        var latestControl: Range<Int>?
        var controlBeforeThat: Range<Int>?
        var previous: Range<Int>?
        path.withUnsafeBufferPointer { bytes in
            var start = 0
            while start < bytes.count {
                let end = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "/")), bytes.count - start)
                    .map { UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) } ?? bytes.count
                if end > start {
                    let name = start..<end
                    if let previous, previous == virtioRange { afterVirtio = name }
                    let component = UnsafeBufferPointer(rebasing: bytes[name])
                    switch bytes[start] {
                    case UInt8(ascii: "v") where Self.isNumbered(component, prefix: "virtio"):
                        virtioRange = name
                        beforeVirtio = previous
                        afterVirtio = nil
                    case UInt8(ascii: "r") where Self.isNumbered(component, prefix: "remoteproc"):
                        remoteProcessorRange = name
                    case UInt8(ascii: "r") where Self.isNumbered(component, prefix: "rpmsg_ctrl"):
                        controlBeforeThat = latestControl
                        latestControl = name
                    default:
                        break
                    }
                    previous = name
                }
                start = end + 1
            }
        }
        self.virtioRange = virtioRange
        self.beforeVirtio = beforeVirtio
        self.afterVirtio = afterVirtio
        self.remoteProcessorRange = remoteProcessorRange
        // The device's own name, when it is a ctrl, is not the ctrl it hangs under.
        controlRange = latestControl == previous ? controlBeforeThat : latestControl
    }

    /// The last virtio device on the way.
    var virtio: String? { virtioRange.map(text) }

    /// The last remote processor on the way.
    var remoteProcessor: String? { remoteProcessorRange.map(text) }

    /// The component right above the virtio device: its transport (rproc-virtio.0.auto, a vendor platform device).
    var transportParent: String? { beforeVirtio.map(text) }

    var transportParentPath: String? { beforeVirtio.map { DisplayText.decode(path[..<$0.upperBound]) } }

    /// The rpmsg bus device directly below the virtio device on the way to this one.
    var hostChannel: String? {
        guard let virtioRange, let afterVirtio else { return nil }
        let next = text(afterVirtio)
        return next.hasPrefix(text(virtioRange) + ".") && next != ownName ? next : nil
    }

    /// The rpmsg_ctrl device this one hangs under.
    var control: String? { controlRange.map(text) }

    private func text(_ range: Range<Int>) -> String { DisplayText.decode(path[range]) }

    /// `KernelNames.isNumbered` of the decoded name, on its bytes: the prefix, then one or more ASCII digits.
    static func isNumbered(_ name: ArraySlice<UInt8>, prefix: StaticString) -> Bool {
        name.withUnsafeBufferPointer { isNumbered($0, prefix: prefix) }
    }

    static func isNumbered(_ name: UnsafeBufferPointer<UInt8>, prefix: StaticString) -> Bool {
        let prefixLength = prefix.utf8CodeUnitCount
        guard name.count > prefixLength, memcmp(name.baseAddress!, prefix.utf8Start, prefixLength) == 0 else { return false }
        for index in prefixLength..<name.count where !(0x30...0x39).contains(name[index]) { return false }
        return true
    }
}
