import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// gunzip through zlib, opened with dlopen the first time it is needed (for /proc/config.gz): a board without
/// zlib still runs everything else, and only says the kernel configuration could not be read.
enum Gzip {
    private typealias InflateInit = @convention(c) (z_streamp?, CInt, UnsafePointer<CChar>?, CInt) -> CInt
    private typealias Inflate = @convention(c) (z_streamp?, CInt) -> CInt
    private typealias InflateEnd = @convention(c) (z_streamp?) -> CInt

    enum Failure: Error, Equatable, CustomStringConvertible {
        case libraryMissing
        case corrupt
        case tooLarge(limit: Int)

        var description: String {
            switch self {
            case .libraryMissing: "zlib (libz.so.1) is not installed"
            case .corrupt: "not valid gzip data"
            case .tooLarge(let limit): "it inflates to more than \(limit >> 20) MiB"
            }
        }
    }

    static func inflate(_ compressed: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        guard let handle = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL),
              let initialise = dlsym(handle, "inflateInit2_").map({ unsafeBitCast($0, to: InflateInit.self) }),
              let step = dlsym(handle, "inflate").map({ unsafeBitCast($0, to: Inflate.self) }),
              let finish = dlsym(handle, "inflateEnd").map({ unsafeBitCast($0, to: InflateEnd.self) })
        else { throw .libraryMissing }
        var stream = z_stream()
        // 15 + 16: a gzip header, not zlib's own.
        guard initialise(&stream, 15 + 16, ZLIB_VERSION, CInt(MemoryLayout<z_stream>.size)) == Z_OK else { throw .corrupt }
        defer { _ = finish(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var input = compressed
        return try input.withUnsafeMutableBufferPointer { (input) throws(Failure) -> [UInt8] in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let status = step(&stream, Z_NO_FLUSH)
                    return (status, buffer.count - Int(stream.avail_out))
                }
                output += chunk[0..<produced]
                guard output.count <= limit else { throw .tooLarge(limit: limit) }
                if status == Z_STREAM_END { return output }
                guard status == Z_OK, produced > 0 || stream.avail_in > 0 else { throw .corrupt }
            }
        }
    }
}
