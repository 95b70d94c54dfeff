/// One award as ``AwardTable/rowWords`` 32-bit words: indexes into the table's strings and lists,
/// the amount as an integer mantissa and a decimal exponent, dates packed as `year<<16 | month<<8 | day`.
///
/// Word layout (the snapshot file stores it as is, little-endian):
///
/// | words | field |
/// |---|---|
/// | 0–10 | id, title, description, currency, recipientId, recipientName, funderId, funderName, programme code, programme title, sector (string indexes; ``StringTable/none`` for nil) |
/// | 11–13 | supplier ids, support types, provenance (list indexes; none for empty) |
/// | 14–15 | origin source, origin location (or its prefix when word 21 has ``Flag/originIndex``) |
/// | 16–17 | origin number appended to the prefix (a JSON index or a line), low word first |
/// | 18–20 | amount mantissa (low, high) and exponent (two's complement) |
/// | 21 | flags (``Flag``) |
/// | 22 | amount as written, when ``Flag/amountText`` (a mantissa beyond 64 bits) |
/// | 23–25 | award date, planned start, planned end (packed; 0 for nil) |
/// | 26–27 | duration in months (two's complement, low word first) |
/// | 28–29 | date modified (bits of a `Double`, seconds since 2001) |
public struct AwardRow: Sendable {
    /// Flag bits of word 21.
    public enum Flag {
        /// The amount is negative.
        public static let negative: UInt32 = 1 << 0
        /// The amount is approximate.
        public static let approximate: UInt32 = 1 << 1
        /// `fromOpenCall` is known; its value is ``openCall``.
        public static let openCallKnown: UInt32 = 1 << 2
        /// From an open call.
        public static let openCall: UInt32 = 1 << 3
        /// The amount is the text in word 22, not the mantissa.
        public static let amountText: UInt32 = 1 << 4
        /// `dateModified` is present.
        public static let dateModified: UInt32 = 1 << 5
        /// `durationMonths` is present.
        public static let duration: UInt32 = 1 << 6
        /// The record has an origin.
        public static let origin: UInt32 = 1 << 7
        /// The origin's location is word 15 followed by the number in words 16–17.
        public static let originIndex: UInt32 = 1 << 8
    }

    static let stringWords = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 22]
    static let supplierIdsWord = 11
    static let supportTypesWord = 12
    static let provenanceWord = 13
    static let originIndexWord = 16
    static let flagsWord = 21

    /// The words, all ``StringTable/none`` or zero until set.
    public var words: InlineArray<32, UInt32>

    /// An empty row: every string absent, every number zero.
    public init() {
        words = InlineArray(repeating: 0)
        for k in AwardRow.stringWords { words[k] = StringTable.none }
        for k in [AwardRow.supplierIdsWord, AwardRow.supportTypesWord, AwardRow.provenanceWord] { words[k] = StringTable.none }
    }

    public var id: UInt32 { get { words[0] } set { words[0] = newValue } }
    public var title: UInt32 { get { words[1] } set { words[1] = newValue } }
    public var description: UInt32 { get { words[2] } set { words[2] = newValue } }
    public var currency: UInt32 { get { words[3] } set { words[3] = newValue } }
    public var recipientId: UInt32 { get { words[4] } set { words[4] = newValue } }
    public var recipientName: UInt32 { get { words[5] } set { words[5] = newValue } }
    public var funderId: UInt32 { get { words[6] } set { words[6] = newValue } }
    public var funderName: UInt32 { get { words[7] } set { words[7] = newValue } }
    public var programmeCode: UInt32 { get { words[8] } set { words[8] = newValue } }
    public var programmeTitle: UInt32 { get { words[9] } set { words[9] = newValue } }
    public var sector: UInt32 { get { words[10] } set { words[10] = newValue } }
    public var supplierIds: UInt32 { get { words[11] } set { words[11] = newValue } }
    public var supportTypes: UInt32 { get { words[12] } set { words[12] = newValue } }
    public var provenance: UInt32 { get { words[13] } set { words[13] = newValue } }
    public var originSource: UInt32 { get { words[14] } set { words[14] = newValue } }
    public var originLocation: UInt32 { get { words[15] } set { words[15] = newValue } }
    public var originIndex: UInt64 {
        get { UInt64(words[17]) << 32 | UInt64(words[16]) }
        set { words[16] = UInt32(truncatingIfNeeded: newValue); words[17] = UInt32(truncatingIfNeeded: newValue >> 32) }
    }
    public var mantissa: UInt64 {
        get { UInt64(words[19]) << 32 | UInt64(words[18]) }
        set { words[18] = UInt32(truncatingIfNeeded: newValue); words[19] = UInt32(truncatingIfNeeded: newValue >> 32) }
    }
    public var exponent: Int32 { get { Int32(bitPattern: words[20]) } set { words[20] = UInt32(bitPattern: newValue) } }
    public var flags: UInt32 { get { words[21] } set { words[21] = newValue } }
    public var amountText: UInt32 { get { words[22] } set { words[22] = newValue } }
    public var awardDate: UInt32 { get { words[23] } set { words[23] = newValue } }
    public var plannedStart: UInt32 { get { words[24] } set { words[24] = newValue } }
    public var plannedEnd: UInt32 { get { words[25] } set { words[25] = newValue } }
    public var durationMonths: Int64 {
        get { Int64(bitPattern: UInt64(words[27]) << 32 | UInt64(words[26])) }
        set {
            let bits = UInt64(bitPattern: newValue)
            words[26] = UInt32(truncatingIfNeeded: bits); words[27] = UInt32(truncatingIfNeeded: bits >> 32)
        }
    }
    public var dateModified: Double {
        get { Double(bitPattern: UInt64(words[29]) << 32 | UInt64(words[28])) }
        set {
            let bits = newValue.bitPattern
            words[28] = UInt32(truncatingIfNeeded: bits); words[29] = UInt32(truncatingIfNeeded: bits >> 32)
        }
    }

    /// Whether the origin location is a prefix plus ``originIndex``.
    var hasOriginIndex: Bool { flags & Flag.originIndex != 0 }

    /// `year<<16 | month<<8 | day`, 0 for a missing month or day; 0 overall for no date.
    public static func packDate(year: Int, month: Int?, day: Int?) -> UInt32 {
        UInt32(year) << 16 | UInt32(month ?? 0) << 8 | UInt32(day ?? 0)
    }
}

/// One provenance entry as six words: url, publisher, title (string indexes), published (a packed
/// date), quote (string index), confidence (0 sourced, 1 news, 2 inferred, 3 illustrative).
public struct ProvenanceRow: Sendable, Hashable {
    static let wordCount = 6
    static let stringWords = [0, 1, 2, 4]
    /// The words.
    public var words: [UInt32]

    /// An entry with no fields, confidence `sourced`.
    public init() { words = [StringTable.none, StringTable.none, StringTable.none, 0, StringTable.none, 0] }
    init(words: [UInt32]) { self.words = words }

    public var url: UInt32 { get { words[0] } set { words[0] = newValue } }
    public var publisher: UInt32 { get { words[1] } set { words[1] = newValue } }
    public var title: UInt32 { get { words[2] } set { words[2] = newValue } }
    public var published: UInt32 { get { words[3] } set { words[3] = newValue } }
    public var quote: UInt32 { get { words[4] } set { words[4] = newValue } }
    public var confidence: UInt32 { get { words[5] } set { words[5] = newValue } }
}
