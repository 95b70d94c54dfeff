import ReportKit

/// Prints a line that is not the protocol to standard output, then returns a digest.
public struct Garbage: ReportPlugin {
    public typealias Options = NoOptions

    public static let name = "garbage"
    public static let version = "1.0.0"
    public static let summary = "Test plugin: prints to standard output."

    public init() {}

    public func report(_ context: ReportContext<Options>) throws -> Digest {
        print("DEBUG this is not the plugin protocol \u{1}")
        return Digest(title: "garbage")
    }
}
