import Foundation
import ReportKit

/// Small constructors so that each test shows only the fields its rule depends on.
enum Build {
    static func date(_ text: String) -> LocalDate { LocalDate(parsing: text)! }

    static func source(_ url: String) -> [Provenance] {
        [Provenance(url: URL(string: url)!, publisher: "Example", title: "Example source", confidence: .sourced)]
    }

    static func mutual(_ id: String, _ name: String, spunOut: String?, status: Organisation.MutualStatus = .live,
                       ceased: String? = nil, sectors: [String] = [], url: String? = nil) -> Organisation {
        Organisation(id: id, name: name, roles: [.mutual], mutualStatus: status, sectors: sectors,
                     spinOutDate: spunOut.map(date), ceasedDate: ceased.map(date),
                     provenance: source(url ?? "https://example.org/\(id)"))
    }

    static func milestone(_ id: String, _ kind: Milestone.Kind, _ on: String, _ title: String,
                          anchors: Bool = false, subjects: [String] = []) -> Milestone {
        Milestone(id: id, kind: kind, date: date(on), subjectIds: subjects, title: title, anchorsSeries: anchors,
                  provenance: source("https://example.org/\(id)"))
    }

    static func award(_ id: String, _ amount: String, on: String, to recipientId: String, _ recipientName: String,
                      currency: String = "GBP", programme: String? = "Mutuals Support Programme",
                      sector: String? = nil, suppliers: [String] = [], approximate: Bool = false) -> Award {
        Award(id: id, title: "Award \(id)", amount: Money(Decimal(string: amount)!, currency: currency),
              amountIsApproximate: approximate, awardDate: date(on), recipientId: recipientId,
              recipientName: recipientName, funderId: "GB-GOR-D2", funderName: "Cabinet Office",
              supplierIds: suppliers, programme: programme.map { Award.Programme(code: nil, title: $0) },
              sector: sector, provenance: source("https://example.org/\(id)"))
    }
}

extension Digest {
    /// Every item's text, section by section, for compact assertions.
    var texts: [String] { sections.flatMap { $0.items.map(\.text) } }

    /// The items of the section titled `title`.
    func items(in title: String) -> [Digest.Item] { sections.first { $0.title == title }?.items ?? [] }
}
