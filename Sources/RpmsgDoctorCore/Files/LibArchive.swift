import CLibarchive
#if canImport(Glibc)
import Glibc
#endif

/// The few functions of libarchive that reading a gzip-compressed tar needs, opened with dlopen the first time an
/// archive is read: the binary starts, scans and probes on a board that lacks the library.
struct LibArchive {
    typealias Archive = OpaquePointer
    typealias Entry = OpaquePointer

    let readNew: @convention(c) () -> Archive?
    let supportGzip: @convention(c) (Archive?) -> CInt
    let supportTar: @convention(c) (Archive?) -> CInt
    let openFilename: @convention(c) (Archive?, UnsafePointer<CChar>?, Int) -> CInt
    let nextHeader: @convention(c) (Archive?, UnsafeMutablePointer<Entry?>?) -> CInt
    let readData: @convention(c) (Archive?, UnsafeMutableRawPointer?, Int) -> Int
    let readFree: @convention(c) (Archive?) -> CInt
    let errorString: @convention(c) (Archive?) -> UnsafePointer<CChar>?
    let pathname: @convention(c) (Entry?) -> UnsafePointer<CChar>?
    let fileType: @convention(c) (Entry?) -> mode_t
    let symlink: @convention(c) (Entry?) -> UnsafePointer<CChar>?

    static let libraryNames = ["libarchive.so.13", "libarchive.so"]

    static func load() -> LibArchive? {
        guard let handle = libraryNames.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else { return nil }
        func symbol<T>(_ name: String, as _: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
        }
        guard let readNew = symbol("archive_read_new", as: (@convention(c) () -> Archive?).self),
              let supportGzip = symbol("archive_read_support_filter_gzip", as: (@convention(c) (Archive?) -> CInt).self),
              let supportTar = symbol("archive_read_support_format_tar", as: (@convention(c) (Archive?) -> CInt).self),
              let openFilename = symbol("archive_read_open_filename", as: (@convention(c) (Archive?, UnsafePointer<CChar>?, Int) -> CInt).self),
              let nextHeader = symbol("archive_read_next_header", as: (@convention(c) (Archive?, UnsafeMutablePointer<Entry?>?) -> CInt).self),
              let readData = symbol("archive_read_data", as: (@convention(c) (Archive?, UnsafeMutableRawPointer?, Int) -> Int).self),
              let readFree = symbol("archive_read_free", as: (@convention(c) (Archive?) -> CInt).self),
              let errorString = symbol("archive_error_string", as: (@convention(c) (Archive?) -> UnsafePointer<CChar>?).self),
              let pathname = symbol("archive_entry_pathname", as: (@convention(c) (Entry?) -> UnsafePointer<CChar>?).self),
              let fileType = symbol("archive_entry_filetype", as: (@convention(c) (Entry?) -> mode_t).self),
              let symlink = symbol("archive_entry_symlink", as: (@convention(c) (Entry?) -> UnsafePointer<CChar>?).self)
        else { return nil }
        return LibArchive(readNew: readNew, supportGzip: supportGzip, supportTar: supportTar, openFilename: openFilename,
                          nextHeader: nextHeader, readData: readData, readFree: readFree, errorString: errorString,
                          pathname: pathname, fileType: fileType, symlink: symlink)
    }

    static let ok = ARCHIVE_OK
    static let endOfArchive = ARCHIVE_EOF
    static let warning = ARCHIVE_WARN
    // archive_entry.h defines AE_IFREG and its kin as the POSIX values, with casts Swift cannot import.
    static let regularFile = Glibc.S_IFREG
    static let directory = Glibc.S_IFDIR
    static let symbolicLink = Glibc.S_IFLNK
}
