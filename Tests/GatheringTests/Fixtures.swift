import Foundation

/// Paths to the shared 360Giving files and to a scratch folder for files a test writes.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `shared/` sits beside the repository (CI clones it there); HERALD_SHARED overrides.
    static let shared360 = (ProcessInfo.processInfo.environment["HERALD_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? repository.deletingLastPathComponent().appendingPathComponent("shared")).appendingPathComponent("data/360giving")

    static func shared(_ name: String) -> URL { shared360.appendingPathComponent(name) }

    /// Writes `text` to a new file in a fresh temporary folder.
    static func write(_ text: String, name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-gathering-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
