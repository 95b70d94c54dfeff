import Foundation

/// A destination's service URL, parsed far enough to know which channel sends to it.
///
/// Messages about a bad address never repeat the address itself: it may hold a token.
public struct DestinationAddress: Sendable, Hashable {
    /// The kinds of destination Herald can send to.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `file://PATH`: one file per message in a folder, the embedded outbox.
        case file
    }

    /// Which channel sends to this address.
    public let kind: Kind
    /// Everything after `scheme://`.
    public let remainder: String

    /// Parses `url`; throws naming the problem (unknown scheme, missing parts).
    public init(_ url: String) throws(DestinationAddressError) {
        guard let range = url.range(of: "://") else {
            throw DestinationAddressError(message: "not a service URL (expected scheme://…, e.g. file://var/outbox)")
        }
        let scheme = url[..<range.lowerBound].lowercased()
        guard let kind = Kind(rawValue: scheme) else {
            let known = Kind.allCases.map { "\($0.rawValue)://" }.joined(separator: ", ")
            throw DestinationAddressError(message: "unknown destination type '\(scheme)://' (supported: \(known))")
        }
        self.kind = kind
        self.remainder = String(url[range.upperBound...])
        if remainder.isEmpty { throw DestinationAddressError(message: "\(scheme):// needs a path") }
    }

    /// For `file://` addresses: the folder, resolved against `home` when relative
    /// (`file://var/outbox` is `<home>/var/outbox`, `file:///srv/outbox` is absolute).
    public func folder(home: URL) -> URL {
        let path = remainder.removingPercentEncoding ?? remainder
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : home.appendingPathComponent(path)
    }
}

/// A destination URL that cannot be used, and why.
public struct DestinationAddressError: Error, Sendable, Hashable {
    /// What is wrong, without the URL's credentials.
    public var message: String
}
