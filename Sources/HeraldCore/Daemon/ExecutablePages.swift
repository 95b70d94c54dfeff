import Glibc

/// The pages of the herald executable that the process has touched, given back when the daemon goes idle.
///
/// Start-up (argument parsing, YAML, migrations, the plugin pool) and each run touch megabytes of code
/// that an idle daemon does not need, and on Linux a page fault maps the 64 KiB around it, so they stay
/// counted in the resident set until memory runs short. Unmapping them with `MADV_DONTNEED` costs
/// nothing later but minor faults: the pages of a read-only file mapping come back from the page cache,
/// unchanged, the next time they are used.
///
/// Only mappings of the executable that are not writable and hold no private (copy-on-write) pages are
/// released: the RELRO segment was written by the loader before it was made read-only, and dropping it
/// would lose those relocations, so it shows `Anonymous:` above zero in `smaps` and is left alone.
enum ExecutablePages {
    /// Releases the resident pages of the executable's clean read-only mappings; returns how many KiB
    /// were resident in them before, or nil when `/proc` could not be read (nothing is released then).
    @discardableResult
    static func release() -> Int? {
        guard let releasable = releasableMappings() else { return nil }
        var released = 0
        for mapping in releasable {
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 { released += mapping.residentKiB }
        }
        return released
    }

    /// This process's mappings of its own executable that ``release()`` may unmap, or nil when `/proc` cannot be read.
    static func releasableMappings() -> [Mapping]? {
        guard let executable = readLink("/proc/self/exe"), let smaps = readAll("/proc/self/smaps") else { return nil }
        return mappings(in: smaps).filter { $0.path == executable && $0.isReleasable }
    }

    struct Mapping {
        var start: UInt
        var end: UInt
        var permissions: Substring
        var path: Substring
        var residentKiB = 0
        var anonymousKiB = 0

        /// Read-only, private and never written: every resident page is the page cache's copy.
        var isReleasable: Bool {
            !permissions.contains("w") && permissions.hasSuffix("p") && anonymousKiB == 0
        }
    }

    /// Parses `/proc/self/smaps`: a header line per mapping (`start-end perms offset dev inode path`)
    /// followed by `Key: value kB` lines.
    static func mappings(in smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.hasSuffix(":") {
                guard !result.isEmpty, fields.count >= 2, let kib = Int(fields[1]) else { continue }
                switch first {
                case "Rss:": result[result.count - 1].residentKiB = kib
                case "Anonymous:": result[result.count - 1].anonymousKiB = kib
                default: break
                }
                continue
            }
            let range = first.split(separator: "-")
            guard range.count == 2, fields.count >= 5,
                  let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16) else { continue }
            result.append(Mapping(start: start, end: end, permissions: fields[1],
                                  path: fields.count >= 6 ? fields[5] : ""))
        }
        return result
    }

    private static func readLink(_ path: String) -> Substring? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return Substring(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads a `/proc` file to its end (they report a size of zero, so it cannot be sized first).
    private static func readAll(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
