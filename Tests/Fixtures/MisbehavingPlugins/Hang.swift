import Foundation
import ReportKit

/// Never returns.
public struct Hang: ReportPlugin {
    public typealias Options = NoOptions

    public static let name = "hang"
    public static let version = "1.0.0"
    public static let summary = "Test plugin: never returns."

    public init() {}

    public func report(_ context: ReportContext<Options>) throws -> Digest {
        FileHandle.standardError.write(Data("hang: going to sleep forever\n".utf8))
        while true { sleep(3600) }
    }
}
