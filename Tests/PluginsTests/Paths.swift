import Foundation

/// Files the tests read, located from this source file so that tests run from any directory.
enum Paths {
    /// `<repo>/Tests/PluginsTests/Paths.swift` → `<repo>`.
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The repo's shipped programme data.
    static let data = repo.appendingPathComponent("etc/data")
    /// The shared folder beside the repo, holding real 360Giving files.
    static let shared = repo.deletingLastPathComponent().appendingPathComponent("shared")
    /// The Andrew Lloyd Webber Foundation's 360Giving file (475 grants, CC BY 4.0).
    static let alwf = shared.appendingPathComponent("data/360giving/andrew-lloyd-webber-foundation.json")
    /// The independent reference calculator.
    static let fundingFigures = repo.appendingPathComponent("Tests/PluginsTests/Fixtures/funding_figures.py")
}
