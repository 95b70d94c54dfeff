import Foundation
import PluginHost

extension PluginRunError {
    /// The error for a request that did not get a clean answer.
    ///
    /// - Parameters:
    ///   - subject: who is speaking, e.g. "plugin 'trap'".
    ///   - pid: the child's process id.
    ///   - deadline: the time the request was given, for the timeout message.
    static func failure(of outcome: ChildOutcome, plugin: String, subject: String, pid: Int32,
                        deadline: Duration) -> PluginRunError {
        switch outcome {
        case .terminated(.signaled(let signal), let stderr):
            let name = ChildTermination.signalName(signal)
            return PluginRunError(code: .crashed, plugin: plugin,
                                  message: "\(subject) crashed: its plugin host (pid \(pid)) was killed by \(name)",
                                  detail: stderr.joined(separator: "\n"), signal: name)
        case .terminated(.exited(let status), let stderr):
            return PluginRunError(code: .exited, plugin: plugin,
                                  message: "\(subject) ended its plugin host (pid \(pid)), which exited with status \(status)",
                                  detail: stderr.joined(separator: "\n"), exitStatus: status)
        case .timedOut(let stderr):
            return PluginRunError(code: .timedOut, plugin: plugin,
                                  message: "\(subject) did not finish within \(deadline); its plugin host (pid \(pid)) was killed",
                                  detail: stderr.joined(separator: "\n"))
        case .violation(let reason, let output):
            return PluginRunError(code: .protocolViolation, plugin: plugin,
                                  message: "\(subject): its plugin host (pid \(pid)) \(reason); it was killed",
                                  detail: "first bytes of the output: \(excerpt(output))")
        case .response(let response):
            return PluginRunError(code: .protocolViolation, plugin: plugin,
                                  message: "\(subject): its plugin host (pid \(pid)) gave an answer of the wrong kind; it was killed",
                                  detail: "\(response.body)")
        case .cancelled:
            return PluginRunError(code: .unavailable, plugin: plugin, message: "\(subject): the run was cancelled")
        case .notDelivered:
            return PluginRunError(code: .unavailable, plugin: plugin,
                                  message: "\(subject): its plugin host (pid \(pid)) had ended before it could take the request")
        }
    }

    /// The error for a clean refusal from a healthy child.
    static func failure(_ failure: PluginFailure, plugin: String) -> PluginRunError {
        switch failure.code {
        case .unknownPlugin:
            return PluginRunError(code: .unknownPlugin, plugin: plugin, message: failure.message)
        case .badOptions:
            return PluginRunError(code: .badOptions, plugin: plugin, message: "plugin '\(plugin)': \(failure.message)",
                                  optionsPath: failure.path ?? [])
        case .pluginThrew:
            let code = failure.pluginCode.map { " (\($0))" } ?? ""
            return PluginRunError(code: .pluginFailed, plugin: plugin,
                                  message: "plugin '\(plugin)' failed\(code): \(failure.message)", pluginCode: failure.pluginCode)
        default:
            return PluginRunError(code: .badRequest, plugin: plugin,
                                  message: "plugin '\(plugin)': \(failure.code): \(failure.message)")
        }
    }

    /// The first `limit` bytes of `data`, quoted, with control characters and invalid UTF-8 escaped.
    static func excerpt(_ data: Data, limit: Int = 200) -> String {
        let head = data.prefix(limit)
        var text = "\""
        for scalar in String(decoding: head, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: text += "\\u{\(String(scalar.value, radix: 16))}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
        return data.count > limit ? text + " (\(data.count) bytes in all)" : text
    }
}
