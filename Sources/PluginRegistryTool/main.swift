import Foundation

// plugin-registry: run by the PluginRegistry build-tool plugin on every build of herald-plugins.
//
//   plugin-registry --plugins-dir DIR --output-dir DIR [--module NAME DIR]...
//
// 1. Fails when the folders in plugins/ and the plugin modules herald-plugins depends on (the
//    generated list in Package.swift) differ, naming the folders and the command that fixes it.
// 2. Finds the ReportPlugin types of each module (rule in SwiftDeclarationScanner) and writes
//    GeneratedRegistry.swift (the `generatedPlugins` array) plus one file per module holding
//    that module's types, so each file imports a single plugin module and type names from
//    different plugins can never clash.

struct Arguments {
    var pluginsDirectory: URL
    var outputDirectory: URL
    var modules: [(name: String, directory: URL)]

    init(_ arguments: [String]) throws {
        var pluginsDirectory: URL?
        var outputDirectory: URL?
        var modules: [(String, URL)] = []
        var i = 0
        func value(_ offset: Int) throws -> String {
            guard i + offset < arguments.count else { throw UsageError(message: "\(arguments[i]) needs a value") }
            return arguments[i + offset]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--plugins-dir": pluginsDirectory = URL(fileURLWithPath: try value(1)); i += 2
            case "--output-dir": outputDirectory = URL(fileURLWithPath: try value(1)); i += 2
            case "--module": modules.append((try value(1), URL(fileURLWithPath: try value(2)))); i += 3
            default: throw UsageError(message: "unknown argument '\(arguments[i])'")
            }
        }
        guard let pluginsDirectory, let outputDirectory else {
            throw UsageError(message: "usage: plugin-registry --plugins-dir DIR --output-dir DIR [--module NAME DIR]...")
        }
        self.pluginsDirectory = pluginsDirectory
        self.outputDirectory = outputDirectory
        self.modules = modules
    }
}

struct UsageError: Error { var message: String }

/// One `error:` line per problem, in the `path:line:column: error:` form editors understand.
var problems: [String] = []

func pluginFolders(in directory: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { name in
        var isDirectory: ObjCBool = false
        return !name.hasPrefix(".")
            && FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }.sorted()
}

func swiftFiles(under directory: URL) -> [URL] {
    // Resolved first: the enumerator does not descend into a folder reached through a symlink.
    let root = directory.resolvingSymlinksInPath()
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        .sorted { $0.path < $1.path }
}

/// The Swift expressions naming the module's plugin types, e.g. `FundingSummary.self`.
@MainActor func pluginTypes(module: String, directory: URL) -> [String] {
    var declarations: [(file: URL, declaration: TopLevelDeclaration)] = []
    for file in swiftFiles(under: directory) {
        guard let source = try? String(contentsOf: file, encoding: .utf8) else {
            problems.append("\(file.path):1:1: error: cannot read this file as UTF-8")
            continue
        }
        declarations += SwiftDeclarationScanner.declarations(in: source).map { (file, $0) }
    }
    let typesByName = Dictionary(declarations.filter { $0.declaration.kind != "extension" }.map { ($0.declaration.name, $0) },
                                 uniquingKeysWith: { first, _ in first })
    let accessible: Set<String> = ["public", "open", "package"]
    var found: [String] = []
    for (file, declaration) in declarations where declaration.inherits.contains("ReportPlugin") {
        let location = "\(file.path):\(declaration.line):1"
        let typeDeclaration = declaration.kind == "extension" ? typesByName[declaration.name] : (file, declaration)
        if let (typeFile, type) = typeDeclaration, type.modifiers.isDisjoint(with: accessible) {
            problems.append("\(typeFile.path):\(type.line):1: error: '\(type.name)' conforms to ReportPlugin but is not "
                + "public; herald-plugins cannot see it. Declare it 'public \(type.kind) \(type.name)'.")
            continue
        }
        if declaration.isGeneric || typeDeclaration?.declaration.isGeneric == true {
            problems.append("\(location): error: '\(declaration.name)' is generic; a plugin must be a concrete type.")
            continue
        }
        if !found.contains(declaration.name) { found.append(declaration.name) }
    }
    if found.isEmpty {
        problems.append("\(directory.path):1:1: error: plugins/\(module) declares no ReportPlugin type. Declare one at "
            + "the top level of a file, e.g. 'public struct \(module): ReportPlugin { ... }' (or "
            + "'extension \(module): ReportPlugin'); nested types are not found.")
    }
    // Qualify with the module unless it declares a type of its own name, which would shadow the module.
    let qualify = typesByName[module] == nil
    return found.map { qualify ? "\(module).\($0).self" : "\($0).self" }
}

func writeIfChanged(_ text: String, to url: URL) throws {
    // An unchanged file keeps its timestamp, so a no-op build does not recompile herald-plugins.
    if let existing = try? String(contentsOf: url, encoding: .utf8), existing == text { return }
    try text.write(to: url, atomically: true, encoding: .utf8)
}

func identifier(_ module: String) -> String {
    "pluginsOf" + module.prefix(1).uppercased() + module.dropFirst()
}

@MainActor func run() throws {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let listed = arguments.modules.map(\.name).sorted()
    let folders = pluginFolders(in: arguments.pluginsDirectory)
    let unlisted = folders.filter { !listed.contains($0) }
    let missing = listed.filter { !folders.contains($0) }
    if !unlisted.isEmpty || !missing.isEmpty {
        var details: [String] = []
        if !unlisted.isEmpty { details.append("not in Package.swift: " + unlisted.map { "plugins/\($0)" }.joined(separator: ", ")) }
        if !missing.isEmpty { details.append("in Package.swift but no folder: " + missing.map { "plugins/\($0)" }.joined(separator: ", ")) }
        problems.append("error: the report plugin list in Package.swift does not match the folders in plugins/ ("
            + details.joined(separator: "; ") + "). Run `make plugins` to update Package.swift, then build again.")
    }

    var files: [(name: String, text: String)] = []
    var arrays: [String] = []
    for module in arguments.modules.sorted(by: { $0.name < $1.name }) {
        let types = pluginTypes(module: module.name, directory: module.directory)
        arrays.append(identifier(module.name))
        files.append(("GeneratedRegistry+\(module.name).swift", """
            // Generated by plugin-registry from plugins/\(module.name). Do not edit.
            import ReportKit
            import \(module.name)

            let \(identifier(module.name)): [any ReportPlugin.Type] = [\(types.joined(separator: ", "))]

            """))
    }
    files.append(("GeneratedRegistry.swift", """
        // Generated by plugin-registry from the report plugin list in Package.swift. Do not edit.
        import ReportKit

        /// Every report plugin linked into herald-plugins, in module order.
        let generatedPlugins: [any ReportPlugin.Type] = [\(arrays.joined(separator: ", "))].flatMap { $0 }

        """))

    guard problems.isEmpty else {
        for problem in problems { FileHandle.standardError.write(Data((problem + "\n").utf8)) }
        exit(1)
    }
    try FileManager.default.createDirectory(at: arguments.outputDirectory, withIntermediateDirectories: true)
    for file in files {
        try writeIfChanged(file.text, to: arguments.outputDirectory.appendingPathComponent(file.name))
    }
}

do {
    try run()
} catch let error as UsageError {
    FileHandle.standardError.write(Data("error: plugin-registry: \(error.message)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("error: plugin-registry: \(error)\n".utf8))
    exit(1)
}
