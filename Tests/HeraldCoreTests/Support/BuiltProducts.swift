import Foundation

/// Executables built beside the test bundle (`herald`, `herald-plugins`, `herald-test-plugins`).
enum BuiltProducts {
    static let directory: URL = {
        // The test runner lives in the products folder (…/debug/HeraldPackageTests.xctest).
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !url.path.isEmpty, url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("herald").path) { return url }
            url.deleteLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug")
    }()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
}
