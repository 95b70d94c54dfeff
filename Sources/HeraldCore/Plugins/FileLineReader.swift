import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits what a blocking file descriptor delivers into lines; used on a thread of its own.
struct FileLineReader {
    enum Line {
        /// A complete line without its `\n` (or the unterminated rest at end of file).
        case line(Data)
        /// The start of a line longer than the limit; the rest of it is discarded.
        case tooLong(prefix: Data)
    }

    let fd: Int32
    let maxLineBytes: Int
    private var buffer = Data()
    private var discarding = false
    private var finished = false

    init(fd: Int32, maxLineBytes: Int) {
        self.fd = fd
        self.maxLineBytes = maxLineBytes
    }

    /// The next line, or nil once the descriptor reports end of file (or an error).
    mutating func next() -> Line? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[buffer.startIndex..<newline])
                buffer = Data(buffer[(newline + 1)...])
                if discarding {
                    discarding = false
                    continue
                }
                return .line(line)
            }
            if buffer.count > maxLineBytes, !discarding {
                let prefix = Data(buffer.prefix(4096))
                buffer = Data()
                discarding = true
                return .tooLong(prefix: prefix)
            }
            if discarding { buffer = Data() }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return .line(buffer)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
            } else if count == 0 || errno != EINTR {
                finished = true
            }
        }
    }
}
