import Channels
import CurlKit
import Foundation
import Store

extension HeraldRuntime {
    /// Runs `body` with a dispatcher over `store`, sending through one libcurl client, and shuts the client
    /// down afterwards (whether `body` returns or throws), so no transfer outlives the call.
    public func withDispatcher<T: Sendable>(
        store: any OutboxStore, owner: OwnerID, _ body: (Dispatcher) async throws -> T
    ) async throws -> T {
        let client = CurlClient(configuration: CurlConfiguration(
            userAgent: "Herald/1.0", caBundlePath: configuration.daemon.caBundle?.path))
        let dispatcher = Dispatcher(store: store, owner: owner, configuration: configuration, logger: logger) { policy in
            CurlTransport(client: client, options: TransferOptions(
                connectTimeout: .milliseconds(Int64(min(policy.timeout, 10) * 1000)),
                timeout: .milliseconds(Int64(policy.timeout * 1000))))
        }
        do {
            let result = try await body(dispatcher)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
