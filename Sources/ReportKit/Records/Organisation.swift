import Foundation

/// An organisation: a mutual, a parent public body, a funder or a managing agent.
///
/// Field names follow the record model in the programme-data reference; the 360Giving column each
/// maps to is noted on the field.
public struct Organisation: Sendable, Hashable, Codable, Identifiable {
    /// The legal form of an organisation.
    public enum LegalForm: String, Sendable, Hashable, Codable, CaseIterable {
        /// Community interest company.
        case cic
        /// Community benefit society.
        case cbs
        /// Co-operative society.
        case coop
        /// Company limited by guarantee.
        case clg
        /// Company limited by shares.
        case cls
        /// Limited liability partnership.
        case llp
        /// A public body.
        case publicBody = "public_body"
        /// Not known.
        case unknown
    }

    /// What part an organisation plays in the programme.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// A public-service mutual.
        case mutual
        /// The public body a mutual spun out of.
        case parentBody = "parent_body"
        /// A funder.
        case funder
        /// The agent that managed the programme.
        case managingAgent = "managing_agent"
    }

    /// Where a mutual stands.
    public enum MutualStatus: String, Sendable, Hashable, Codable, CaseIterable {
        /// Exploring whether to spin out.
        case exploring
        /// Preparing to spin out.
        case inDevelopment = "in_development"
        /// Trading as a mutual.
        case live
        /// Has ceased trading.
        case ceased
        /// Gave up the spin-out.
        case withdrawn
    }

    /// An org-id (`GB-COH-09506232`) or a `360G-<prefix>-<slug>` id. 360Giving: `Recipient Org:Identifier`.
    public var id: String
    /// The organisation's name. 360Giving: `Recipient Org:Name`.
    public var name: String
    /// Other names it is known by. 360Giving: `Recipient Org:Alternate Name`.
    public var alternateNames: [String]
    /// Companies House number, leading zeros kept. 360Giving: `Recipient Org:Company Number`.
    public var companyNumber: String?
    /// Charity number. 360Giving: `Recipient Org:Charity Number`.
    public var charityNumber: String?
    /// FCA Mutuals Public Register number.
    public var mprNumber: String?
    /// The legal form. 360Giving: `Recipient Org:Organisation Type` is free text, so this is an extension.
    public var legalForm: LegalForm?
    /// The parts it plays.
    public var roles: Set<Role>
    /// For mutuals, where it stands.
    public var mutualStatus: MutualStatus?
    /// Service areas, e.g. `health`, `youth`. 360Giving: `Classifications:Code` with vocabulary `msp-sector`.
    public var sectors: [String]
    /// The id of the public body it spun out of.
    public var parentBodyId: String?
    /// When it spun out, at the precision known. 360Giving: `Actual Dates:Start Date` titled "Spin-out".
    public var spinOutDate: LocalDate?
    /// When it ceased trading. 360Giving: `Actual Dates`.
    public var ceasedDate: LocalDate?
    /// Region or place. 360Giving: `Recipient Org:Location:Name`.
    public var region: String?
    /// Its web address. 360Giving: `Recipient Org:Web Address`.
    public var url: URL?
    /// The sources that support this record. 360Giving: `Data Source`.
    public var provenance: [Provenance]
    /// Where Herald read it from; set by gathering.
    public var origin: RecordOrigin?

    /// Creates an organisation.
    public init(id: String, name: String, alternateNames: [String] = [], companyNumber: String? = nil,
                charityNumber: String? = nil, mprNumber: String? = nil, legalForm: LegalForm? = nil,
                roles: Set<Role> = [], mutualStatus: MutualStatus? = nil, sectors: [String] = [],
                parentBodyId: String? = nil, spinOutDate: LocalDate? = nil, ceasedDate: LocalDate? = nil,
                region: String? = nil, url: URL? = nil, provenance: [Provenance] = [], origin: RecordOrigin? = nil) {
        self.id = id
        self.name = name
        self.alternateNames = alternateNames
        self.companyNumber = companyNumber
        self.charityNumber = charityNumber
        self.mprNumber = mprNumber
        self.legalForm = legalForm
        self.roles = roles
        self.mutualStatus = mutualStatus
        self.sectors = sectors
        self.parentBodyId = parentBodyId
        self.spinOutDate = spinOutDate
        self.ceasedDate = ceasedDate
        self.region = region
        self.url = url
        self.provenance = provenance
        self.origin = origin
    }

    /// Whether the organisation has ceased trading (by status or by a ceased date).
    public var hasCeased: Bool { mutualStatus == .ceased || ceasedDate != nil }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            alternateNames: try c.decodeIfPresent([String].self, forKey: .alternateNames) ?? [],
            companyNumber: try c.decodeIfPresent(String.self, forKey: .companyNumber),
            charityNumber: try c.decodeIfPresent(String.self, forKey: .charityNumber),
            mprNumber: try c.decodeIfPresent(String.self, forKey: .mprNumber),
            legalForm: try c.decodeIfPresent(LegalForm.self, forKey: .legalForm),
            roles: try c.decodeIfPresent(Set<Role>.self, forKey: .roles) ?? [],
            mutualStatus: try c.decodeIfPresent(MutualStatus.self, forKey: .mutualStatus),
            sectors: try c.decodeIfPresent([String].self, forKey: .sectors) ?? [],
            parentBodyId: try c.decodeIfPresent(String.self, forKey: .parentBodyId),
            spinOutDate: try c.decodeIfPresent(LocalDate.self, forKey: .spinOutDate),
            ceasedDate: try c.decodeIfPresent(LocalDate.self, forKey: .ceasedDate),
            region: try c.decodeIfPresent(String.self, forKey: .region),
            url: try c.decodeIfPresent(URL.self, forKey: .url),
            provenance: try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? [],
            origin: try c.decodeIfPresent(RecordOrigin.self, forKey: .origin))
    }
}
