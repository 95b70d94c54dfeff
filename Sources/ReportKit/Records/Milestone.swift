import Foundation

/// A dated event in the programme's life; milestones drive anniversary posts.
public struct Milestone: Sendable, Hashable, Codable, Identifiable {
    /// What kind of event a milestone is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The programme was announced.
        case programmeAnnounced = "programme_announced"
        /// The programme was launched.
        case programmeLaunched = "programme_launched"
        /// The first awards were made.
        case firstAwards = "first_awards"
        /// A batch of awards was announced.
        case awardBatchAnnounced = "award_batch_announced"
        /// An organisation spun out.
        case spinOut = "spin_out"
        /// A contract started.
        case contractStart = "contract_start"
        /// Statistics or a report were published.
        case statsPublished = "stats_published"
        /// An anniversary was marked publicly.
        case anniversaryPost = "anniversary_post"
        /// An organisation ceased.
        case ceased
        /// Anything else.
        case other
    }

    /// A stable id, e.g. `M2`.
    public var id: String
    /// What kind of event it was. 360Giving: `Actual Dates:Title`.
    public var kind: Kind
    /// When it happened, at the precision known. 360Giving: `Actual Dates:Start Date`.
    public var date: LocalDate
    /// Ids of the organisations or awards it concerns.
    public var subjectIds: [String]
    /// A short title, e.g. "Mutuals Support Programme".
    public var title: String
    /// One sentence on what happened.
    public var summary: String
    /// Whether a "N years on" series counts from this event.
    public var anchorsSeries: Bool
    /// The sources that support this record.
    public var provenance: [Provenance]
    /// Where Herald read it from; set by gathering.
    public var origin: RecordOrigin?

    /// Creates a milestone.
    public init(id: String, kind: Kind, date: LocalDate, subjectIds: [String] = [], title: String, summary: String = "",
                anchorsSeries: Bool = false, provenance: [Provenance] = [], origin: RecordOrigin? = nil) {
        self.id = id
        self.kind = kind
        self.date = date
        self.subjectIds = subjectIds
        self.title = title
        self.summary = summary
        self.anchorsSeries = anchorsSeries
        self.provenance = provenance
        self.origin = origin
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            kind: try c.decode(Kind.self, forKey: .kind),
            date: try c.decode(LocalDate.self, forKey: .date),
            subjectIds: try c.decodeIfPresent([String].self, forKey: .subjectIds) ?? [],
            title: try c.decode(String.self, forKey: .title),
            summary: try c.decodeIfPresent(String.self, forKey: .summary) ?? "",
            anchorsSeries: try c.decodeIfPresent(Bool.self, forKey: .anchorsSeries) ?? false,
            provenance: try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? [],
            origin: try c.decodeIfPresent(RecordOrigin.self, forKey: .origin))
    }
}
