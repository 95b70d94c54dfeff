import Foundation
import ReportKit

/// Traps: indexes past the end of an array, or as `{"mode": ...}` says.
public struct Trap: ReportPlugin {
    /// `mode`: `index` (default), `fatal` (`fatalError`), `slow` (prints the runtime's crash
    /// banner, waits `delayMilliseconds`, then traps: a backtrace that takes long), or `banner`
    /// (prints the banner and never ends: a backtrace that never finishes).
    public struct Options: Decodable, Sendable {
        public var mode: String?
        public var delayMilliseconds: Int?
    }

    public static let name = "trap"
    public static let version = "1.0.0"
    public static let summary = "Test plugin: crashes the host process."

    public init() {}

    public func report(_ context: ReportContext<Options>) throws -> Digest {
        switch context.options.mode {
        case "fatal":
            fatalError("trap plugin asked to fail")
        case "slow", "banner":
            FileHandle.standardError.write(Data("Fatal error: trap plugin is crashing slowly\n".utf8))
            if context.options.mode == "banner" {
                while true { sleep(3600) }
            }
            usleep(useconds_t(context.options.delayMilliseconds ?? 300) * 1000)
            fatalError("trap plugin crashed slowly")
        default:
            // The index depends on the input so the optimiser cannot prove the trap away.
            let values = Array(context.snapshot.awards.prefix(0))
            let position = context.snapshot.recordCount + 1
            return Digest(title: "unreachable \(values[position])")
        }
    }
}
