import Foundation
import Synchronization

extension Snapshot {
    /// Positions by id, built for each record kind on its first lookup, so that lookups cost a hash,
    /// not a scan, and a plugin that never looks an award up never pays for hashing a million ids.
    final class Index: Sendable {
        private let organisations = Mutex<[String: Int]?>(nil)
        private let awards = Mutex<[String: Int]?>(nil)
        private let suppliers = Mutex<[String: Int]?>(nil)
        private let milestones = Mutex<[String: Int]?>(nil)

        func organisation(_ id: String, in records: [Organisation]) -> Int? {
            Index.position(of: id, in: organisations) { records.lazy.map(\.id) }
        }

        func award(_ id: String, in records: Awards) -> Int? {
            Index.position(of: id, in: awards) { records.lazy.map(\.id) }
        }

        func supplier(_ id: String, in records: [Supplier]) -> Int? {
            Index.position(of: id, in: suppliers) { records.lazy.map(\.id) }
        }

        func milestone(_ id: String, in records: [Milestone]) -> Int? {
            Index.position(of: id, in: milestones) { records.lazy.map(\.id) }
        }

        /// The position of the first record with `id`, building the map under the lock on first use
        /// (two threads asking at once build it once).
        private static func position<S: Sequence<String>>(of id: String, in map: borrowing Mutex<[String: Int]?>,
                                                          ids: () -> S) -> Int? {
            map.withLock { map in
                if map == nil {
                    var built: [String: Int] = [:]
                    for (i, id) in ids().enumerated() where built[id] == nil { built[id] = i }
                    map = built
                }
                return map![id]
            }
        }
    }
}
