import Foundation
import ReportKit

/// Calls `exit(3)` in the middle of a run.
public struct ExitPlugin: ReportPlugin {
    public typealias Options = NoOptions

    public static let name = "exit"
    public static let version = "1.0.0"
    public static let summary = "Test plugin: exits with status 3."

    public init() {}

    public func report(_ context: ReportContext<Options>) throws -> Digest {
        exit(3)
    }
}
