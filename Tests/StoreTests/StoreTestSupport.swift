import Foundation
import Testing

@testable import Store

/// A fresh database path in its own temporary folder, removed afterwards.
func withStorePath<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder.appendingPathComponent("state.sqlite").path)
}

/// A fresh store in its own temporary folder.
func withStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
    try await withStorePath { path in
        let store = try SQLiteStore(path: path)
        return try await body(store, path)
    }
}

enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let alice = OwnerID(hostname: "host-a", pid: 100, startNanos: 1)
    static let bob = OwnerID(hostname: "host-b", pid: 200, startNanos: 2)
    static let carol = OwnerID(hostname: "host-c", pid: 300, startNanos: 3)

    static func minutes(_ n: Double) -> TimeInterval { n * 60 }

    /// A policy under which exactly the given owners are dead, and leases last a minute.
    static func policy(dead: Set<OwnerID> = [], lease: Duration = .seconds(60)) -> ReclaimPolicy {
        ReclaimPolicy(leaseDuration: lease, isOwnerAlive: { !dead.contains($0) })
    }
}

extension RunClaim {
    var claimedRun: Run? {
        if case .claimed(let run) = self { return run }
        return nil
    }
}

/// The code of the `StoreError` that `body` throws, or `nil` if it throws something else or nothing.
func storeErrorCode(_ body: () async throws -> Void) async -> StoreError.Code? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error.code
    } catch {
        return nil
    }
}
