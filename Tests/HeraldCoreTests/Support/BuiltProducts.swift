import Foundation

/// Executables built beside the test bundle (`herald`, `herald-plugins`, `herald-test-plugins`).
enum BuiltProducts {
    static var directory: URL { PluginPoolFixtures.productsDirectory }

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
}
