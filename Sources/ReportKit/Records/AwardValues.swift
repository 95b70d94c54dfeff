import Foundation

extension Award {
    /// An award's fields as plain stored values: what an award built in memory holds, what a stored
    /// award is read into when all of it is needed (comparing, hashing, encoding), and the JSON form
    /// (the property names are the keys, as they were when ``Award`` stored them itself).
    struct Values: Sendable, Hashable, Codable {
        var id: String
        var title: String
        var description: String
        var amount: Money
        var amountIsApproximate = false
        var awardDate: LocalDate
        var recipientId: String
        var recipientName: String
        var funderId: String?
        var funderName: String?
        var supplierIds: [String] = []
        var programme: Programme?
        var sector: String?
        var supportTypes: [String] = []
        var plannedStart: LocalDate?
        var plannedEnd: LocalDate?
        var durationMonths: Int?
        var fromOpenCall: Bool?
        var dateModified: Date?
        var provenance: [Provenance] = []
        var origin: RecordOrigin?

        init(id: String, title: String, description: String, amount: Money, awardDate: LocalDate, recipientId: String,
             recipientName: String) {
            self.id = id
            self.title = title
            self.description = description
            self.amount = amount
            self.awardDate = awardDate
            self.recipientId = recipientId
            self.recipientName = recipientName
        }

        /// Decodes an award; only id, title, amount, awardDate and the recipient are required. Keys are
        /// read in declaration order, so the first bad one is the one an error names.
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            title = try c.decode(String.self, forKey: .title)
            description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
            amount = try c.decode(Money.self, forKey: .amount)
            amountIsApproximate = try c.decodeIfPresent(Bool.self, forKey: .amountIsApproximate) ?? false
            awardDate = try c.decode(LocalDate.self, forKey: .awardDate)
            recipientId = try c.decode(String.self, forKey: .recipientId)
            recipientName = try c.decode(String.self, forKey: .recipientName)
            funderId = try c.decodeIfPresent(String.self, forKey: .funderId)
            funderName = try c.decodeIfPresent(String.self, forKey: .funderName)
            supplierIds = try c.decodeIfPresent([String].self, forKey: .supplierIds) ?? []
            programme = try c.decodeIfPresent(Programme.self, forKey: .programme)
            sector = try c.decodeIfPresent(String.self, forKey: .sector)
            supportTypes = try c.decodeIfPresent([String].self, forKey: .supportTypes) ?? []
            plannedStart = try c.decodeIfPresent(LocalDate.self, forKey: .plannedStart)
            plannedEnd = try c.decodeIfPresent(LocalDate.self, forKey: .plannedEnd)
            durationMonths = try c.decodeIfPresent(Int.self, forKey: .durationMonths)
            fromOpenCall = try c.decodeIfPresent(Bool.self, forKey: .fromOpenCall)
            dateModified = try c.decodeIfPresent(Date.self, forKey: .dateModified)
            provenance = try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? []
            origin = try c.decodeIfPresent(RecordOrigin.self, forKey: .origin)
        }
    }
}
