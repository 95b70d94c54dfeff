import Foundation

/// A configured recipient that a channel skips, with where it was written and why.
public struct RejectedRecipient: Sendable, Hashable, CustomStringConvertible {
    /// Where the entry was written, e.g. `etc/stakeholders.txt:12` (or `to[3]` when unknown).
    public var position: String
    /// The entry as written (an address is not a secret).
    public var entry: String
    /// Why it is skipped, e.g. `no '@' in the address`.
    public var reason: String
    /// The entry's index in ``DestinationSettings/recipients`` (so config code can point at its node);
    /// nil for a recipient written in the URL itself.
    public var index: Int?

    /// Creates a rejection.
    public init(position: String, entry: String, reason: String, index: Int? = nil) {
        self.position = position
        self.entry = entry
        self.reason = reason
        self.index = index
    }

    /// `etc/list.txt:12: 'bob@' skipped: nothing after the '@'`.
    public var description: String { "\(position): '\(entry)' skipped: \(reason)" }
}

/// A channel that skips bad recipients instead of refusing the whole destination, and says which.
///
/// `herald check` prints each as a warning at its position; the other recipients are still sent to.
public protocol RecipientScreening {
    /// The recipients left out, in the order they were configured.
    var rejectedRecipients: [RejectedRecipient] { get }
}

/// The recipients of an email destination, validated once when the channel is made: one delivery each,
/// looked up by id in constant time (lists of 10,000 are normal).
struct EmailRecipientList: Sendable, Hashable {
    /// Valid mailboxes in configured order; the id of each delivery is the mailbox's canonical address.
    let mailboxes: [EmailAddress]
    /// Entries skipped, with position and reason.
    let rejected: [RejectedRecipient]
    private let index: [String: Int]

    /// Screens `settings.recipients` (plus any taken from the URL, listed first with positions
    /// `url` + `what`): invalid entries and repeats are rejected with their position; throws when no
    /// valid recipient is left.
    init(_ settings: DestinationSettings, fromURL: [String] = []) throws(ChannelError) {
        var mailboxes: [EmailAddress] = []
        var rejected: [RejectedRecipient] = []
        var index: [String: Int] = [:]
        var firstSeen: [String: String] = [:]
        let entries: [(String, String, Int?)] = fromURL.enumerated().map { ("url recipient \($0.offset + 1)", $0.element, nil) }
            + settings.recipients.indices.map { (settings.position(ofRecipient: $0), settings.recipients[$0], $0) }
        for (position, entry, entryIndex) in entries {
            do {
                let mailbox = try EmailAddress(parsing: entry)
                let id = mailbox.canonical
                if let earlier = firstSeen[id] {
                    rejected.append(RejectedRecipient(position: position, entry: entry, reason: "already listed at \(earlier)",
                                                      index: entryIndex))
                    continue
                }
                firstSeen[id] = position
                index[id] = mailboxes.count
                mailboxes.append(mailbox)
            } catch {
                rejected.append(RejectedRecipient(position: position, entry: entry, reason: error.message, index: entryIndex))
            }
        }
        if mailboxes.isEmpty {
            if rejected.isEmpty {
                throw ChannelError("an email destination needs recipients: to: [a@example.gov.uk] or recipients_file: PATH")
            }
            throw ChannelError("none of the \(rejected.count) recipients is a usable address (first: \(rejected[0]))")
        }
        self.mailboxes = mailboxes
        self.rejected = rejected
        self.index = index
        ids = mailboxes.map(\.canonical)
    }

    /// Delivery ids in order (each mailbox's canonical address), kept rather than recomputed: the
    /// dispatcher and rendering read them for every delivery.
    let ids: [String]

    /// The mailbox with delivery id `id`, or nil when it is no longer configured.
    func mailbox(_ id: String) -> EmailAddress? {
        index[id].map { mailboxes[$0] }
    }
}
