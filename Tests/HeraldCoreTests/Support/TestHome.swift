import Foundation

/// A Herald home in a temporary folder: `etc/herald.yaml`, `schedules/`, `var/`.
struct TestHome {
    let url: URL

    /// Creates a home whose plugins come from `pluginHost` (default: the test host with `healthy`).
    /// `destinations` are more entries under `destinations:`, each line indented by two spaces.
    /// `daemon` adds keys to the `daemon:` mapping, e.g. `retry_base: 50ms`.
    init(jobs: [String: String], pluginHost: String = "herald-test-plugins", destinations: String = "",
         daemon: String = "", extraConfig: String = "") throws {
        url = try temporaryDirectory()
        try FileManager.default.createDirectory(at: url.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("schedules"), withIntermediateDirectories: true)
        try writeConfig("""
            timezone: UTC
            state: { sqlite: var/state.sqlite }
            destinations:
              outbox: { url: "file://var/outbox" }\(destinations.split(separator: "\n").map { "\n  " + $0 }.joined())
            plugins: { executable: \(BuiltProducts.url(pluginHost).path), workers: 2, timeout: 20s }
            daemon: { shutdown_grace: 10s\(daemon.isEmpty ? "" : ", " + daemon) }
            \(extraConfig)
            """)
        for (name, text) in jobs { try write(text, to: "schedules/\(name).yaml") }
    }

    var config: String { url.appendingPathComponent("etc/herald.yaml").path }
    var statePath: String { url.appendingPathComponent("var/state.sqlite").path }

    func writeConfig(_ text: String) throws { try write(text, to: "etc/herald.yaml") }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(path), options: .atomic)
    }

    /// Files under `var/outbox/<job>/`.
    func outbox(_ job: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent("var/outbox/\(job)").path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }
}
