import Foundation

extension Snapshot {
    /// A snapshot's awards, in order: a random-access collection of ``Award``.
    ///
    /// Use it as you would an array: `for award in snapshot.awards`, `.filter { … }`, `.map(\.id)`,
    /// `.count`, `[0]`, `.sorted { … }`; the methods that return a collection of awards return an
    /// `[Award]`. Awards of a snapshot read from a snapshot file (every plugin run) are read from the
    /// file's rows as they are reached, so a pass over a million of them builds no million strings;
    /// `Array(snapshot.awards)` gives an array where one is needed.
    public struct Awards: RandomAccessCollection, Sendable, Hashable, Codable {
        fileprivate enum Backing: Sendable {
            case array([Award])
            case store(any AwardStore)
        }

        private let backing: Backing

        /// The awards of `array`.
        init(_ array: [Award]) { backing = .array(array) }

        /// The rows of `store`.
        init(store: any AwardStore) { backing = .store(store) }

        public var startIndex: Int { 0 }

        public var endIndex: Int {
            switch backing {
            case .array(let a): a.count
            case .store(let s): s.awardCount
            }
        }

        public subscript(position: Int) -> Award {
            switch backing {
            case .array(let a):
                return a[position]
            case .store(let s):
                precondition(position >= 0 && position < s.awardCount, "Index out of range")
                return Award(store: s, row: position)
            }
        }

        /// Steps through the awards holding the store once, rather than asking the collection for its
        /// end and its backing at every step: a pass over a million stored awards is most of what a
        /// plugin like funding-summary costs.
        public struct Iterator: IteratorProtocol {
            private let backing: Backing
            private let end: Int
            private var position = 0

            fileprivate init(_ backing: Backing, end: Int) {
                self.backing = backing
                self.end = end
            }

            public mutating func next() -> Award? {
                guard position < end else { return nil }
                defer { position += 1 }
                switch backing {
                case .array(let a): return a[position]
                case .store(let s): return Award(store: s, row: position)
                }
            }
        }

        public func makeIterator() -> Iterator { Iterator(backing, end: endIndex) }

        public static func == (a: Awards, b: Awards) -> Bool { a.elementsEqual(b) }

        /// Whether the awards are those of `array`, in order.
        public static func == (a: Awards, b: [Award]) -> Bool { a.elementsEqual(b) }

        /// Whether the awards are those of `array`, in order.
        public static func == (a: [Award], b: Awards) -> Bool { a.elementsEqual(b) }

        /// Hashes like an array of the same awards.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(count)
            for award in self { hasher.combine(award) }
        }

        /// Decodes a JSON list of awards.
        public init(from decoder: any Decoder) throws {
            self.init(try [Award](from: decoder))
        }

        /// Encodes as a JSON list of awards, as `[Award]` does.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            for award in self { try c.encode(award) }
        }
    }
}
