import CurlKit
import Foundation
import ReportKit

/// The embedded outbox, `file://PATH`: each message is a file in a folder, named by job, logical time
/// and destination, so the same run delivered twice lands on the same name.
///
/// `file://var/outbox` is relative to Herald's home, `file:///srv/outbox` absolute. The message is the
/// plain rendering (``PlainTextRendering``); its recipient is the file's path inside the folder. A file
/// appears whole or not at all and is never overwritten, so the channel deduplicates by itself.
public struct FileChannel: Channel {
    public let settings: DestinationSettings
    /// The folder messages are written into.
    public let folder: URL
    public var recipients: [String] { [] }
    public var deduplicatesByKey: Bool { true }
    public var secrets: [String] { [] }

    /// Parses `file://PATH`, resolving a relative path against `home`.
    public init(_ settings: DestinationSettings, home: URL) throws(ChannelError) {
        guard let range = settings.url.range(of: "://"), settings.url[..<range.lowerBound].lowercased() == "file" else {
            throw ChannelError("not a file:// URL")
        }
        let remainder = String(settings.url[range.upperBound...])
        guard !remainder.isEmpty else { throw ChannelError("file:// needs a folder, e.g. file://var/outbox") }
        guard settings.recipients.isEmpty else { throw ChannelError("a file outbox takes no recipients ('to:')") }
        self.settings = settings
        let path = remainder.removingPercentEncoding ?? remainder
        folder = path.hasPrefix("/") ? URL(fileURLWithPath: path) : home.appendingPathComponent(path)
    }

    /// The file name for a message: `<job>/<logical time, UTC>--<destination>.txt`,
    /// e.g. `weekly-anniversaries/2014-03-03T090000Z--outbox.txt`.
    public static func relativePath(job: String, logicalTime: Date, destination: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: logicalTime)
        let stamp = String(format: "%04d-%02d-%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        return "\(job)/\(stamp)--\(destination).txt"
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let path = Self.relativePath(job: context.job, logicalTime: context.logicalTime, destination: settings.name)
        return [ChannelMessage(recipient: path, part: 0, partCount: 1, payload: Data(PlainTextRendering.render(digest).utf8))]
    }

    public func transmission(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> Transmission {
        .file(path: folder.appendingPathComponent(message.recipient).path, contents: message.payload)
    }

    /// Writes the file; the same content already there is a repeat and counts as sent.
    public func send(_ message: ChannelMessage, key: String, context: RequestContext, via transport: any ChannelTransport) async -> SendReport {
        do {
            switch try Self.deliver(message.payload, to: folder, relativePath: message.recipient) {
            case .written(let url): return SendReport(verdict: .sent(remoteID: url.path))
            case .alreadyPresent(let url): return SendReport(verdict: .sent(remoteID: url.path))
            }
        } catch {
            return SendReport(verdict: .dead(reason: error.description))
        }
    }

    /// What happened to a message written to the outbox.
    public enum Outcome: Sendable, Hashable {
        /// The file was created.
        case written(URL)
        /// A file with the same content was already there: this message was delivered before.
        case alreadyPresent(URL)
    }

    /// Writes `data` to `folder/relativePath` only if no file is there yet.
    ///
    /// The file appears whole or not at all (written beside it, then hard-linked into place, which
    /// fails rather than replaces when the name exists). An existing file with the same content is a
    /// repeat delivery and is left alone; one with different content is never overwritten.
    public static func deliver(_ data: Data, to folder: URL, relativePath: String) throws(FileChannelError) -> Outcome {
        let target = folder.appendingPathComponent(relativePath)
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw FileChannelError(path: target.path, message: "cannot create the folder: \(error.localizedDescription)")
        }
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard fm.createFile(atPath: temporary.path, contents: data) else {
            throw FileChannelError(path: temporary.path, message: "cannot write the file")
        }
        defer { unlink(temporary.path) }
        if link(temporary.path, target.path) == 0 { return .written(target) }
        let code = errno
        guard code == EEXIST else {
            throw FileChannelError(path: target.path, message: String(cString: strerror(code)))
        }
        if fm.contents(atPath: target.path) == data { return .alreadyPresent(target) }
        throw FileChannelError(
            path: target.path,
            message: "a different message for this job, logical time and destination is already in the outbox; "
                + "it was not overwritten (move it away to deliver again)")
    }
}

/// A message the outbox could not take.
public struct FileChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What went wrong.
    public var message: String

    /// "path: message".
    public var description: String { "\(path): \(message)" }
}
