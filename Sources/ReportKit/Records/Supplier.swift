import Foundation

/// A supplier of professional support bought by the programme (the OCDS view of an award).
public struct Supplier: Sendable, Hashable, Codable, Identifiable {
    /// Company size, as the OCDS `partyDetails_scale` extension records it.
    public enum Scale: String, Sendable, Hashable, Codable, CaseIterable {
        /// Fewer than 10 staff.
        case micro
        /// A small or medium-sized enterprise.
        case sme
        /// A large enterprise.
        case large
        /// Not known.
        case unknown

        /// Whether the supplier counts as an SME (micro businesses are SMEs), or nil when unknown.
        public var isSME: Bool? {
            switch self {
            case .micro, .sme: return true
            case .large: return false
            case .unknown: return nil
            }
        }
    }

    /// An org-id such as `GB-COH-01234567`. OCDS: `parties[].id`.
    public var id: String
    /// The supplier's name. OCDS: `parties[].name`.
    public var name: String
    /// Its size. OCDS: `parties[].details.scale`; 360Giving extension column `Supplier:Scale`.
    public var scale: Scale
    /// Whether it is a voluntary, community or social enterprise. Contracts Finder: `details.vcse`.
    public var isVCSE: Bool?
    /// Ids of the organisations in its consortium, if it is one.
    public var consortiumOf: [String]
    /// Its web address.
    public var url: URL?
    /// The sources that support this record.
    public var provenance: [Provenance]
    /// Where Herald read it from; set by gathering.
    public var origin: RecordOrigin?

    /// Creates a supplier.
    public init(id: String, name: String, scale: Scale = .unknown, isVCSE: Bool? = nil, consortiumOf: [String] = [],
                url: URL? = nil, provenance: [Provenance] = [], origin: RecordOrigin? = nil) {
        self.id = id
        self.name = name
        self.scale = scale
        self.isVCSE = isVCSE
        self.consortiumOf = consortiumOf
        self.url = url
        self.provenance = provenance
        self.origin = origin
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            scale: try c.decodeIfPresent(Scale.self, forKey: .scale) ?? .unknown,
            isVCSE: try c.decodeIfPresent(Bool.self, forKey: .isVCSE),
            consortiumOf: try c.decodeIfPresent([String].self, forKey: .consortiumOf) ?? [],
            url: try c.decodeIfPresent(URL.self, forKey: .url),
            provenance: try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? [],
            origin: try c.decodeIfPresent(RecordOrigin.self, forKey: .origin))
    }
}
