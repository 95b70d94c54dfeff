import Foundation

/// What a report plugin returns: a format-neutral document that Herald renders for each
/// destination (a thread of posts, a chat message with blocks, an email).
///
/// An empty digest (no title, no summary, no items) means "nothing to post": Herald records the
/// run as successful and sends nothing.
public struct Digest: Sendable, Hashable, Codable {
    /// The headline, e.g. "Mutuals Support Programme: 2 years on".
    public var title: String
    /// One line that stands on its own, e.g. "21 awards to date, 14 to SMEs, £1m of support".
    public var summary: String
    /// The body, in order.
    public var sections: [Section]
    /// Hashtags without the `#`, e.g. `["mutuals"]`.
    public var hashtags: [String]
    /// Links to cite at the end, e.g. the sources of the figures.
    public var links: [Link]

    /// Creates a digest.
    public init(title: String, summary: String = "", sections: [Section] = [], hashtags: [String] = [], links: [Link] = []) {
        self.title = title
        self.summary = summary
        self.sections = sections
        self.hashtags = hashtags
        self.links = links
    }

    /// The digest that means "nothing to post".
    public static let empty = Digest(title: "")

    /// Whether there is nothing to post: no title, no summary and no items.
    public var isEmpty: Bool {
        title.isEmpty && summary.isEmpty && sections.allSatisfy { $0.items.isEmpty }
    }

    /// A titled group of items, e.g. "Top recipients".
    public struct Section: Sendable, Hashable, Codable {
        /// The section's heading; may be empty.
        public var title: String
        /// The section's lines, in order.
        public var items: [Item]

        /// Creates a section.
        public init(title: String, items: [Item]) {
            self.title = title
            self.items = items
        }
    }

    /// One line of a digest, optionally with an amount and a link.
    public struct Item: Sendable, Hashable, Codable {
        /// The line's text, complete on its own ("Knowsley Youth Mutual: £93,000").
        public var text: String
        /// The amount the line is about, for renderers that show figures in a column.
        public var amount: Money?
        /// A link for the line, typically its source.
        public var link: URL?

        /// Creates an item.
        public init(_ text: String, amount: Money? = nil, link: URL? = nil) {
            self.text = text
            self.amount = amount
            self.link = link
        }
    }

    /// A titled link.
    public struct Link: Sendable, Hashable, Codable {
        /// The text to show.
        public var title: String
        /// The address.
        public var url: URL

        /// Creates a link.
        public init(title: String, url: URL) {
            self.title = title
            self.url = url
        }
    }
}
