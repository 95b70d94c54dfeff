import Foundation
import ReportKit

/// The plugins of one host process, reachable by name, with their options decoding erased.
///
/// Only the serve loop's thread touches it, so it needs no locking and is not `Sendable`.
final class PluginCatalogue {
    /// One plugin, with its generic parts captured in closures.
    struct Entry {
        let description: PluginDescription
        let validate: (JSONValue) throws(PluginFailure) -> Void
        let run: (ReportRequest, TimeZone, Snapshot) throws(PluginFailure) -> Digest
    }

    let descriptions: [PluginDescription]
    private let entries: [String: Entry]

    /// Fails when two plugins share a name: jobs could not tell them apart.
    init(_ plugins: [any ReportPlugin.Type]) throws(PluginFailure) {
        var entries: [String: Entry] = [:]
        var descriptions: [PluginDescription] = []
        for plugin in plugins {
            let entry = Self.entry(for: plugin)
            if entries[entry.description.name] != nil {
                throw PluginFailure(code: .badRequest, message: "two plugins are named '\(entry.description.name)'")
            }
            entries[entry.description.name] = entry
            descriptions.append(entry.description)
        }
        self.entries = entries
        self.descriptions = descriptions
    }

    func entry(named name: String) throws(PluginFailure) -> Entry {
        guard let entry = entries[name] else {
            let known = descriptions.map(\.name).joined(separator: ", ")
            throw PluginFailure(code: .unknownPlugin, message: "no plugin named '\(name)' (this host has: \(known))")
        }
        return entry
    }

    private static func entry<P: ReportPlugin>(for plugin: P.Type) -> Entry {
        // Created on first use, not at startup, so a plugin whose init traps fails only its own runs.
        var instance: P?
        return Entry(
            description: PluginDescription(name: P.name, version: P.version, summary: P.summary),
            validate: { (options) throws(PluginFailure) in _ = try decodeOptions(P.Options.self, from: options) },
            run: { (request, zone, snapshot) throws(PluginFailure) in
                let options = try decodeOptions(P.Options.self, from: request.options)
                let plugin = instance ?? P()
                instance = plugin
                let context = ReportContext(job: request.job, logicalTime: request.logicalTime, timeZone: zone,
                                            options: options, previousSuccessfulRun: request.previousSuccessfulRun,
                                            snapshot: snapshot)
                do {
                    return try plugin.report(context)
                } catch let error as ReportError {
                    throw PluginFailure(code: .pluginThrew, message: error.message, pluginCode: error.code)
                } catch {
                    throw PluginFailure(code: .pluginThrew, message: String(describing: error))
                }
            })
    }

    /// Decodes options as `PluginHarness` does; a missing mapping counts as `{}`.
    static func decodeOptions<Options: Decodable>(_ type: Options.Type, from value: JSONValue) throws(PluginFailure) -> Options {
        let json = value == .null ? JSONValue.emptyObject : value
        do {
            return try JSONDecoder().decode(type, from: json.jsonData())
        } catch let error as DecodingError {
            throw badOptions(error)
        } catch {
            throw PluginFailure(code: .badOptions, message: "options: \(error)", path: [])
        }
    }

    /// Turns a decoding error into "options.items[2].name: what was wrong" plus the path.
    private static func badOptions(_ error: DecodingError) -> PluginFailure {
        var path: [any CodingKey]
        let detail: String
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
            detail = context.debugDescription
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            detail = "missing required option"
        @unknown default:
            path = []
            detail = String(describing: error)
        }
        let rendered = path.reduce("options") { text, key in
            key.intValue.map { "\(text)[\($0)]" } ?? "\(text).\(key.stringValue)"
        }
        let components = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return PluginFailure(code: .badOptions, message: "\(rendered): \(detail)", path: components)
    }
}
