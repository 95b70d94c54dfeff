import Foundation
import Scheduling
import Testing

/// Compares Herald with cronsim 2.8 on generated cases (see Fixtures/generate_cronsim_fixtures.py).
///
/// Set HERALD_CRONSIM_FIXTURES to a colon-separated list of extra fixture files to check
/// freshly generated seeds as well as the checked-in one.
struct CronsimFixtureTests {
    struct Case: Decodable {
        var e: String
        var z: String
        var a: String
        var f: [String]?
        var x: String?
    }

    struct Document: Decodable {
        var seed: Int
        var cases: [Case]
    }

    static var fixturePaths: [String] {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var paths = [here.appendingPathComponent("Fixtures/cronsim_fixtures.json").path]
        if let extra = ProcessInfo.processInfo.environment["HERALD_CRONSIM_FIXTURES"] {
            paths += extra.split(separator: ":").map(String.init)
        }
        return paths
    }

    @Test(arguments: fixturePaths)
    func matchesCronsim(path: String) throws {
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(document.cases.count > 100)
        var mismatches: [String] = []
        for item in document.cases {
            if let problem = Self.mismatch(item) {
                mismatches.append(problem)
            }
        }
        let report = mismatches.prefix(8).joined(separator: "\n")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(document.cases.count) cases differ from cronsim (\(path), seed \(document.seed)):\n\(report)")
    }

    /// A description of how Herald differs from cronsim on one case, or nil if it doesn't.
    static func mismatch(_ item: Case) -> String? {
        let context = "expr '\(item.e)' zone \(item.z) after \(item.a)"
        guard let zone = TimeZone(identifier: item.z) else { return "\(context): unknown zone" }
        guard let after = RFC3339.parse(item.a) else { return "\(context): unparsable start" }
        let expression: CronExpression
        do {
            expression = try CronExpression(item.e)
        } catch {
            guard let field = item.x else { return "\(context): Herald rejects (\(error)) but cronsim accepts" }
            let expected = field == "*" ? nil : field
            return error.field == expected ? nil
                : "\(context): Herald blames \(error.field ?? "the whole expression") (\(error)), cronsim \(field)"
        }
        guard let expected = item.f else {
            return "\(context): Herald accepts but cronsim rejects (\(item.x ?? "?"))"
        }
        let actual = expression.fires(after: after, in: zone, count: 5).map { RFC3339.format($0, in: zone) }
        return actual == expected ? nil : "\(context):\n  cronsim \(expected)\n  herald  \(actual)"
    }
}
