#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Identifies one daemon process that can own runs: `"hostname:pid:start-nanos"`.
///
/// The start time makes the id unique even when a pid is reused, which is the normal case in a container where the
/// daemon is always pid 1. Ids written by other tools are kept verbatim: the parsed parts are optional.
public struct OwnerID: Hashable, Sendable, CustomStringConvertible {
    /// The id as stored.
    public let rawValue: String

    /// Wraps a stored id.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Builds an id from its parts.
    ///
    /// - Parameters:
    ///   - hostname: The host the process runs on.
    ///   - pid: The process id.
    ///   - startNanos: When the process started, in nanoseconds since 1970 (only its uniqueness matters).
    public init(hostname: String, pid: Int32, startNanos: UInt64) {
        self.rawValue = "\(hostname):\(pid):\(startNanos)"
    }

    /// The id of this process, fixed at first use.
    public static let current: OwnerID = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let nanos = UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
        return OwnerID(hostname: currentHostname(), pid: getpid(), startNanos: nanos)
    }()

    /// The host part, if the id has the `hostname:pid:start-nanos` form.
    public var hostname: String? { parts?.hostname }

    /// The process id part, if the id has the `hostname:pid:start-nanos` form.
    public var pid: Int32? { parts?.pid }

    public var description: String { rawValue }

    // Parsed from the right so that a hostname containing ':' (unusual, but not ours to forbid) survives.
    private var parts: (hostname: String, pid: Int32, startNanos: UInt64)? {
        let pieces = rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count >= 3,
            let nanos = UInt64(pieces[pieces.count - 1]),
            let pid = Int32(pieces[pieces.count - 2])
        else {
            return nil
        }
        let host = pieces[..<(pieces.count - 2)].joined(separator: ":")
        guard !host.isEmpty else { return nil }
        return (host, pid, nanos)
    }

    private static func currentHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

extension OwnerID {
    /// Whether the process named by `owner` may still be running, as far as this host can tell.
    ///
    /// This is the default liveness check for ``ReclaimPolicy``. It answers `false` only when it is sure:
    /// - the owner is on this host and its pid is this process's pid but it is not ``current``
    ///   (an earlier incarnation, as with pid 1 in a restarted container), or
    /// - the owner is on this host and no process has its pid.
    ///
    /// Owners on other hosts, ids it cannot parse, and pids now used by some other process all count as alive;
    /// for those the heartbeat lease decides.
    ///
    /// - Important: Instances that share a database file must either run in one pid namespace or have distinct
    ///   hostnames; two containers with the same hostname would see each other's pids as dead.
    @Sendable
    public static func isProbablyAlive(_ owner: OwnerID) -> Bool {
        if owner == current { return true }
        guard let host = owner.hostname, let pid = owner.pid, host == current.hostname else { return true }
        if pid == current.pid { return false }
        guard pid > 0 else { return true }
        if kill(pid, 0) == 0 { return true }
        // EPERM means the process exists but belongs to someone else.
        return errno != ESRCH
    }
}
