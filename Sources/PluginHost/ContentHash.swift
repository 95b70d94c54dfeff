/// A 64-bit content hash over four independent lanes of eight bytes, so that a 100 MB snapshot is
/// hashed in a few milliseconds rather than the tenth of a second byte-at-a-time FNV-1a took.
///
/// It names and checks snapshot files (a torn or swapped file is caught); it is not a defence
/// against someone forging files in Herald's own state folder.
public enum ContentHash {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// The hash of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var lanes = Lanes()
        let whole = bytes.count / 32 * 32
        lanes.blocks(UnsafeRawBufferPointer(rebasing: bytes[0..<whole]))
        return lanes.finish(count: bytes.count, tail: UnsafeRawBufferPointer(rebasing: bytes[whole...]))
    }

    /// The four lanes, fed whole 32-byte blocks.
    struct Lanes {
        var a = p1, b = p2, c = p1 ^ p2, d = p1 &+ p2

        @inline(__always) static func round(_ acc: UInt64, _ word: UInt64) -> UInt64 {
            let x = acc &+ word &* p2
            return ((x << 31) | (x >> 33)) &* p1
        }

        /// Feeds `bytes`, whose length is a multiple of 32.
        mutating func blocks(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            let n = bytes.count
            while i + 32 <= n {
                a = Lanes.round(a, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                b = Lanes.round(b, bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                c = Lanes.round(c, bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                d = Lanes.round(d, bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
        }

        /// The hash of `count` bytes in all, whose last `tail.count` (< 32) were not fed as a block.
        func finish(count: Int, tail: UnsafeRawBufferPointer) -> UInt64 {
            var h = Lanes.round(Lanes.round(Lanes.round(Lanes.round(UInt64(count), a), b), c), d)
            for byte in tail { h = Lanes.round(h, UInt64(byte)) }
            h ^= h >> 33
            h = h &* p2
            h ^= h >> 29
            h = h &* p1
            h ^= h >> 32
            return h
        }
    }
}
