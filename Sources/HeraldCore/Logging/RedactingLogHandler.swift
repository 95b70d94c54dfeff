import Foundation
import Synchronization
import Logging

/// A log handler that scrubs secrets out of every message and metadata value before passing it on.
///
/// Secrets reach Herald only through `${env:}` and `${file:}` in config; the loader records each
/// substituted value, and this handler replaces them wherever they would be printed, whichever code
/// path formatted them.
public struct RedactingLogHandler: LogHandler {
    private var inner: any LogHandler
    private let secrets: @Sendable () -> Set<String>

    /// Wraps `inner`, replacing each of `secrets` with `****`.
    public init(wrapping inner: any LogHandler, secrets: Set<String>) {
        self.inner = inner
        self.secrets = { secrets }
    }

    /// Wraps `inner`, reading the secrets to scrub at each event (they grow when config is reloaded).
    init(wrapping inner: any LogHandler, secrets: Secrets) {
        self.inner = inner
        self.secrets = { secrets.all }
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: scrub(event.message.description))
        event.metadata = event.metadata?.mapValues { .string(scrub($0.description)) }
        inner.log(event: event)
    }

    func scrub(_ text: String) -> String {
        secrets().sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "****") }
    }
}
