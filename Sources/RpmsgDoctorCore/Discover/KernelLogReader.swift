#if canImport(Glibc)
import Glibc
#endif

extension SystemReader {
    static let kernelLogLineLimit = 400
    static let kernelLogRecordLimit = 100_000
    static let kernelLogByteLimit = 16 << 20

    /// rpmsg-related records from /dev/kmsg (below a root it may be a regular file of records in the same format).
    func kernelLog() -> KernelLog {
        let path = SysPath("/dev/kmsg")
        let records: [String]
        switch readKmsgRecords(path) {
        case .failure(let error):
            var reason = error.description
            if error == .denied {
                let restrict = fs.attribute(SysPath("/proc/sys/kernel/dmesg_restrict"))
                if case .success("1") = restrict { reason += " (kernel.dmesg_restrict=1: only root or CAP_SYSLOG may read it)" }
            }
            return KernelLog(source: path.description, readable: false, reason: reason)
        case .success(let lines):
            records = lines
        }
        let relevant = records.compactMap(Self.message(ofKmsgRecord:)).filter(KernelLog.isRelevant)
        return KernelLog(source: path.description, readable: true, lines: Array(relevant.suffix(Self.kernelLogLineLimit)))
    }

    /// `PRIORITY,SEQUENCE,TIMESTAMP,FLAGS;MESSAGE` -> "[seconds] MESSAGE"; continuation lines (" KEY=value") are dropped.
    static func message(ofKmsgRecord record: String) -> String? {
        guard !record.hasPrefix(" "), let semicolon = record.firstIndex(of: ";") else { return nil }
        let fields = record[..<semicolon].split(separator: ",")
        let message = String(record[record.index(after: semicolon)...])
        guard fields.count >= 3, let micros = UInt64(fields[2]) else { return message }
        let seconds = micros / 1_000_000
        let fraction = String(micros % 1_000_000).leftPadded(to: 6)
        return "[\(String(seconds).leftPadded(to: 5, with: " ")).\(fraction)] \(message)"
    }

    /// Reads every record without blocking: /dev/kmsg returns one record per read and EAGAIN at the end.
    private func readKmsgRecords(_ path: SysPath) -> Result<[String], ReadError> {
        // Below a root, a device node would be the host's (its kernel log, a disk) and a FIFO anyone's: only a file
        // of records is read there, and nothing else is even opened.
        if !fs.isLive {
            switch fs.status(path, followLinks: true) {
            case .success(let status) where status.kind != .regular: return .failure(.failed(errno: ENODEV))
            case .failure(let error): return .failure(error)
            case .success: break
            }
        }
        let fd = fs.open(path, "", O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return .failure(ReadError(errno: errno)) }
        defer { close(fd) }
        var isCharacterDevice = false
        var info = stat()
        if fstat(fd, &info) == 0 { isCharacterDevice = info.st_mode & S_IFMT == S_IFCHR }
        // What was checked before opening may have been swapped since.
        if !fs.isLive, info.st_mode & S_IFMT != S_IFREG { return .failure(.failed(errno: ENODEV)) }
        // A file of records (below a root) is read from its newest end; the device is read to its end, keeping
        // the newest records. Either way, older ones dropped are noted.
        if !isCharacterDevice, info.st_size > Self.kernelLogByteLimit {
            guard lseek(fd, off_t(info.st_size) - off_t(Self.kernelLogByteLimit), SEEK_SET) >= 0 else { return .failure(ReadError(errno: errno)) }
            note(ReadProblem(path: path.description, error: "\(info.st_size) bytes: only the newest \(Self.kernelLogByteLimit >> 20) MiB were read"))
        }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var text: [UInt8] = []
        var records: [String] = []
        var dropped = 0
        let deadline = MonotonicClock.now() + 5
        while MonotonicClock.now() < deadline {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { continue } // a record was overwritten while reading: go on with the next
                if errno == EAGAIN { break }
                return .failure(ReadError(errno: errno))
            }
            if count == 0 { break }
            if isCharacterDevice {
                let firstLine = buffer[0..<count].prefix(while: { $0 != 0x0A })
                records.append(DisplayText.decode(firstLine))
                if records.count > Self.kernelLogRecordLimit * 2 {
                    dropped += records.count - Self.kernelLogRecordLimit
                    records.removeFirst(records.count - Self.kernelLogRecordLimit)
                }
            } else {
                text += buffer[0..<count]
                if text.count > Self.kernelLogByteLimit { break }
            }
        }
        if !isCharacterDevice {
            var lines = text.split(separator: 0x0A, omittingEmptySubsequences: true)
            // Read from the middle of the file, the first line is the tail of a record.
            if info.st_size > Self.kernelLogByteLimit, !lines.isEmpty { lines.removeFirst() }
            records = lines.map { DisplayText.decode($0) }
        }
        dropped += max(0, records.count - Self.kernelLogRecordLimit)
        if dropped > 0 {
            note(ReadProblem(path: path.description, error: "\(dropped) older records were dropped: the newest \(Self.kernelLogRecordLimit) were read"))
        }
        return .success(Array(records.suffix(Self.kernelLogRecordLimit)))
    }
}
