#if canImport(Glibc)
import Glibc
#endif

/// `rpmsg-doctor-bench [--runs N] [--cli PATH]`
struct BenchmarkOptions {
    var runs = 5
    /// The rpmsg-doctor binary to time; by default the one built next to this benchmark.
    var cli = BenchmarkOptions.siblingExecutable("rpmsg-doctor")

    static let usage = "usage: rpmsg-doctor-bench [--runs N] [--cli PATH]"

    init(arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        while let option = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError() }
            switch option {
            case "--runs":
                guard let count = Int(value), count > 0 else { throw UsageError() }
                runs = count
            case "--cli":
                cli = value
            default:
                throw UsageError()
            }
        }
    }

    struct UsageError: Error {}

    private static func siblingExecutable(_ name: String) -> String {
        var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        guard length > 0 else { return name }
        let own = String(decoding: path[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return own.prefix(through: own.lastIndex(of: "/")!) + name
    }
}
