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

extension Fixtures {
    /// Writes `bytes` to a new file in a fresh temporary folder.
    static func writeBytes(_ bytes: [UInt8], name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-gathering-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}

/// Runs a Python snippet (the independent reference for expected values) and returns its output.
enum Python {
    static func run(_ code: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PythonFailed(status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct PythonFailed: Error { var status: Int32 }
}

import ReportKit
import SnapshotArchive

/// Decodes archive bytes back into awards, as the plugin host does.
enum SnapshotArchiveDecoding {
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [Award] {
        try SnapshotArchive(decoding: bytes).awards.awards()
    }
}
