import CurlKit
import Foundation
import ReportKit

/// Matrix rooms: `matrixs://ACCESS_TOKEN@HOMESERVER[:PORT]/!ROOM_ID:SERVER[/!ROOM_ID…]` (https) or
/// `matrix://…` (http), Apprise's token form. `?msgtype=text` sends `m.text` instead of the default
/// `m.notice` (meant for bots). `to:` adds room ids; one delivery per room and part. Apprise's
/// `user:password@` login form and `#alias` rooms need extra round trips (login, alias lookup), so
/// they are refused with a message saying what to use instead.
///
/// PUT `/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}` with the delivery key as txnId
/// (the homeserver answers a repeat with the original event, so resending is safe), `Authorization:
/// Bearer`, and content `{"msgtype","body","format":"org.matrix.custom.html","formatted_body"}`. A whole
/// event must stay ≤ 65,536 bytes; content is kept ≤ 60,000 bytes of JSON (room for the envelope) and a
/// larger digest is split into several messages, in order. The remote id is `event_id`.
public struct MatrixChannel: HTTPChannel {
    public static let contentLimit = 60_000

    public let settings: DestinationSettings
    public var recipients: [String] { rooms }
    public var deduplicatesByKey: Bool { true }
    public var secrets: [String] { [token] }

    let base: ServiceBase
    let endpoint: ServiceBase?
    let token: String
    let rooms: [String]
    let messageType: String

    /// Parses the settings; throws naming the problem, never the token.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "matrix" || raw.scheme == "matrixs" else {
            throw ChannelError("not a Matrix URL (expected matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM_ID:SERVER)")
        }
        let (user, password, hostPort) = raw.userInfoAndHost
        if password != nil {
            throw ChannelError("Matrix user:password login is not supported: use an access token, "
                + "matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM_ID:SERVER")
        }
        guard let token = user, !token.isEmpty else {
            throw ChannelError("a Matrix destination needs an access token: matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM_ID:SERVER")
        }
        guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ChannelError("the Matrix access token has characters a token cannot have")
        }
        self.token = token
        let (host, port) = try RawServiceURL.hostAndPort(hostPort, what: "matrix://")
        base = ServiceBase(scheme: raw.scheme == "matrixs" ? "https" : "http", host: host, port: port)
        var rooms: [String] = []
        let segments = raw.pathSegments
        for (index, room) in (segments + settings.recipients).enumerated() {
            let what = index < segments.count ? "room \(index + 1) of the URL" : "to[\(index - segments.count)]"
            let room = room.trimmingCharacters(in: .whitespaces)
            if room.hasPrefix("#") {
                throw ChannelError("\(what): room aliases (#…) are not supported: use the room id (!…:server, "
                    + "shown in the room's settings)")
            }
            guard room.hasPrefix("!"), room.contains(":"), room.count > 3 else {
                throw ChannelError("\(what): a Matrix room id looks like !opaque:server")
            }
            if !rooms.contains(room) { rooms.append(room) }
        }
        guard !rooms.isEmpty else { throw ChannelError("a Matrix destination needs a room: matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM_ID:SERVER") }
        self.rooms = rooms
        switch raw.queryValue("msgtype")?.lowercased() ?? "notice" {
        case "notice", "m.notice": messageType = "m.notice"
        case "text", "m.text": messageType = "m.text"
        default: throw ChannelError("matrix: msgtype must be notice or text")
        }
    }

    // MARK: - Rendering

    enum Block {
        case title(String)
        case paragraph(String)
        case heading(String)
        case item(String, URL?)
        case source(String, URL)

        var text: String {
            switch self {
            case .title(let text), .paragraph(let text), .heading(let text), .item(let text, _), .source(let text, _): text
            }
        }

        func with(text: String, link: Bool) -> Block {
            switch self {
            case .title: .title(text)
            case .paragraph: .paragraph(text)
            case .heading: .heading(text)
            case .item(_, let url): .item(text, link ? url : nil)
            case .source(_, let url): link ? .source(text, url) : .item(text, nil)
            }
        }

        var isListItem: Bool {
            switch self {
            case .item, .source: true
            default: false
            }
        }
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func blocks(_ digest: Digest) -> [Block] {
        var blocks: [Block] = []
        if !digest.title.isEmpty { blocks.append(.title(digest.title)) }
        if !digest.summary.isEmpty { blocks.append(.paragraph(digest.summary)) }
        for section in digest.sections where !section.items.isEmpty {
            if !section.title.isEmpty { blocks.append(.heading(section.title)) }
            blocks += section.items.map { .item($0.text, $0.link) }
        }
        if !digest.hashtags.isEmpty { blocks.append(.paragraph(digest.hashtags.map { "#" + $0 }.joined(separator: " "))) }
        if !digest.links.isEmpty {
            blocks.append(.heading("Sources"))
            blocks += digest.links.map { .source($0.title, $0.url) }
        }
        // A block too long to fit a message on its own is cut (at sentences, then words) into several.
        let splitter = TextSplitter.utf8(limit: 6_000)
        return blocks.flatMap { block -> [Block] in
            let pieces = splitter.split(block.text)
            guard pieces.count > 1 else { return [block] }
            return pieces.enumerated().map { block.with(text: $0.element, link: $0.offset == pieces.count - 1) }
        }
    }

    /// The content of one message holding `blocks`.
    func content(_ blocks: [Block]) -> JSON {
        var plain: [String] = []
        var html = ""
        var inList = false
        for (index, block) in blocks.enumerated() {
            if block.isListItem != inList {
                html += inList ? "</ul>" : "<ul>"
                inList = block.isListItem
            }
            let previousIsItem = index > 0 && blocks[index - 1].isListItem
            let separator = index == 0 ? "" : (block.isListItem && previousIsItem ? "\n" : "\n\n")
            switch block {
            case .title(let text):
                plain.append(separator + text)
                html += "<h3>\(Self.escapeHTML(text))</h3>"
            case .paragraph(let text):
                plain.append(separator + text)
                html += "<p>\(Self.escapeHTML(text).replacingOccurrences(of: "\n", with: "<br>"))</p>"
            case .heading(let text):
                plain.append(separator + text)
                html += "<h4>\(Self.escapeHTML(text))</h4>"
            case .item(let text, let url):
                plain.append(separator + "- " + text + (url.map { " (\($0.absoluteString))" } ?? ""))
                html += "<li>\(Self.escapeHTML(text))"
                    + (url.map { " (<a href=\"\(Self.escapeHTML($0.absoluteString))\">source</a>)" } ?? "") + "</li>"
            case .source(let title, let url):
                plain.append(separator + "- \(title): \(url.absoluteString)")
                html += "<li><a href=\"\(Self.escapeHTML(url.absoluteString))\">\(Self.escapeHTML(title))</a></li>"
            }
        }
        if inList { html += "</ul>" }
        return .object([
            ("msgtype", .string(messageType)),
            ("body", .string(plain.joined())),
            ("format", .string("org.matrix.custom.html")),
            ("formatted_body", .string(html)),
        ])
    }

    /// The contents of a digest: blocks packed into messages of ≤ ``contentLimit`` bytes.
    ///
    /// Each block is measured once, alone (its own `<ul>` and separator included, so the sum bounds
    /// the real size from above); a group is then serialised once and checked exactly.
    func messages(_ digest: Digest) -> [Data] {
        let overhead = content([]).data.count
        var groups: [[Block]] = []
        var current: [Block] = []
        var size = overhead
        for block in Self.blocks(digest) {
            let cost = content([block]).data.count - overhead + 8
            if !current.isEmpty, size + cost > Self.contentLimit {
                groups.append(current)
                current = []
                size = overhead
            }
            current.append(block)
            size += cost
        }
        if !current.isEmpty { groups.append(current) }
        return groups.flatMap { group -> [Data] in
            let data = content(group).data
            if data.count <= Self.contentLimit || group.count == 1 { return [data] }
            // Not expected (the estimate is an upper bound); halve rather than exceed the limit.
            let half = group.count / 2
            return [content(Array(group[..<half])).data, content(Array(group[half...])).data]
        }
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let bodies = messages(digest)
        return rooms.flatMap { room in
            bodies.enumerated().map { ChannelMessage(recipient: room, part: $0.offset, partCount: bodies.count, payload: $0.element) }
        }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        guard rooms.contains(message.recipient) else {
            throw ChannelError("room '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        let path = "/_matrix/client/v3/rooms/\(Percent.encode(message.recipient))/send/m.room.message/\(Percent.encode(key))"
        return HTTPRequest(method: "PUT", url: base.overridden(by: endpoint).url(path: path),
                           headers: [HTTPHeader("Authorization", "Bearer " + token), HTTPHeader("Content-Type", "application/json")],
                           body: message.payload)
    }

    /// 200 `{"event_id"}` sent with that id; 429 `M_LIMIT_EXCEEDED` retry after the longest of
    /// `Retry-After` and `retry_after_ms`; `M_UNKNOWN_TOKEN`/`M_FORBIDDEN`/`M_TOO_LARGE`… dead with the
    /// errcode; 5xx retry.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        var serviceError: String?
        if let code = reply?["errcode"] as? String {
            serviceError = code + ((reply?["error"] as? String).map { ": " + $0 } ?? "")
        }
        let delay = JSONReply.seconds(reply?["retry_after_ms"]).map { $0 / 1000 }
        return ResponseRules.verdict(response, now: now, remoteID: JSONReply.identifier(reply?["event_id"]),
                                     serviceError: serviceError, serviceDelay: delay, scrub: scrub)
    }
}
