import Foundation
import Testing

/// The `plugin-registry` build tool that feeds the pool's host: which declarations count as
/// plugins, and the errors that stop a build whose plugin list is stale.
@Suite
struct PluginPoolRegistryTests {
    private struct Run {
        var status: Int32
        var stderr: String
        var files: [String: String]
    }

    /// Lays out `plugins/<Folder>/<file>` from `sources`, runs the tool for `modules`, and
    /// returns its status, standard error and the files it wrote.
    private func runTool(sources: [String: String], modules: [String]) throws -> Run {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herald-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let plugins = root.appendingPathComponent("plugins")
        for (path, text) in sources {
            let url = plugins.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        let output = root.appendingPathComponent("out")
        var tool = PluginPoolFixtures.productsDirectory.appendingPathComponent("plugin-registry-tool")
        if !FileManager.default.isExecutableFile(atPath: tool.path) {
            tool = PluginPoolFixtures.productsDirectory.appendingPathComponent("plugin-registry")
        }
        let process = Process()
        process.executableURL = tool
        process.arguments = ["--plugins-dir", plugins.path, "--output-dir", output.path]
            + modules.flatMap { ["--module", $0, plugins.appendingPathComponent($0).path] }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var files: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? [] {
            files[name] = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
        }
        return Run(status: process.terminationStatus, stderr: stderr, files: files)
    }

    @Test func findsTopLevelConformancesOnly() throws {
        let run = try runTool(sources: [
            "Alpha/Alpha.swift": """
                import ReportKit
                // struct Commented: ReportPlugin {}
                /* struct Block: ReportPlugin { /* nested */ } */
                let text = "struct InString: ReportPlugin {}"
                let multi = \"\"\"
                    struct InMultiline: ReportPlugin {}
                    \"\"\"
                let raw = #"struct InRaw: "ReportPlugin" \\(x)"#
                @available(macOS 14, *)
                public final class Alpha: Sendable, ReportKit.ReportPlugin {
                    struct Nested: ReportPlugin {}
                }
                public struct Helper: Codable {}
                """,
            "Alpha/More/Beta.swift": """
                public struct Beta {}
                extension Beta: Sendable,
                    ReportPlugin where Self: Sendable {}
                """,
        ], modules: ["Alpha"])
        #expect(run.status == 0, "\(run.stderr)")
        // The module declares a type of its own name, so its types are written unqualified.
        #expect(run.files["GeneratedRegistry+Alpha.swift"]?.contains("[Alpha.self, Beta.self]") == true,
                "\(run.files)")
        #expect(run.files["GeneratedRegistry.swift"]?.contains("let generatedPlugins: [any ReportPlugin.Type] = [pluginsOfAlpha]") == true)
    }

    @Test func qualifiesTypesWithTheirModule() throws {
        let run = try runTool(sources: ["Gamma/Plugin.swift": "public struct Plugin: ReportPlugin {}"], modules: ["Gamma"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.files["GeneratedRegistry+Gamma.swift"]?.contains("[Gamma.Plugin.self]") == true)
    }

    @Test func aFolderMissingFromTheListFailsNamingTheFix() throws {
        let run = try runTool(sources: [
            "Alpha/Alpha.swift": "public struct Alpha: ReportPlugin {}",
            "NewPlugin/NewPlugin.swift": "public struct NewPlugin: ReportPlugin {}",
        ], modules: ["Alpha"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: the report plugin list in Package.swift does not match the folders in plugins/"))
        #expect(run.stderr.contains("not in Package.swift: plugins/NewPlugin"))
        #expect(run.stderr.contains("Run `make plugins`"))
        #expect(run.files.isEmpty, "nothing is written when the build must fail")
    }

    @Test func aListedModuleWithoutItsFolderFails() throws {
        let run = try runTool(sources: ["Alpha/Alpha.swift": "public struct Alpha: ReportPlugin {}"], modules: ["Alpha", "Gone"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("in Package.swift but no folder: plugins/Gone"))
    }

    @Test func aFolderWithoutAPublicPluginFails() throws {
        let run = try runTool(sources: [
            "Empty/Helper.swift": "public struct Helper {}",
            "Hidden/Hidden.swift": "struct Hidden: ReportPlugin {}",
        ], modules: ["Empty", "Hidden"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("plugins/Empty declares no ReportPlugin type"))
        #expect(run.stderr.contains("Hidden.swift:1:1: error: 'Hidden' conforms to ReportPlugin but is not public"))
    }
}
