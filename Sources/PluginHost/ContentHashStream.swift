/// ``ContentHash`` of bytes that arrive in pieces: equal to the hash of the pieces joined, so a
/// snapshot is hashed as it is written, without being assembled in memory first or read back.
public struct ContentHashStream {
    private var lanes = ContentHash.Lanes()
    private var count = 0
    /// Bytes of an unfinished 32-byte block.
    private var pending: [UInt8] = []

    /// An empty stream.
    public init() { pending.reserveCapacity(32) }

    /// Adds `bytes` after those already added.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        count += bytes.count
        var rest = bytes
        if !pending.isEmpty {
            let take = min(32 - pending.count, rest.count)
            pending.append(contentsOf: rest[rest.startIndex..<(rest.startIndex + take)])
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + take)...])
            guard pending.count == 32 else { return }
            pending.withUnsafeBytes { lanes.blocks($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = rest.count / 32 * 32
        lanes.blocks(UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<(rest.startIndex + whole)]))
        pending.append(contentsOf: rest[(rest.startIndex + whole)...])
    }

    /// The hash of everything added.
    public func finish() -> UInt64 {
        pending.withUnsafeBytes { lanes.finish(count: count, tail: $0) }
    }
}
