// The ceiling for the delivery benchmark: the same signed webhook requests Herald's dispatcher sends,
// driven straight through CurlKit at a fixed concurrency, with no outbox, no claims and no bookkeeping.
//
//   herald-bench webhook-ceiling URLS_FILE SECRET CONCURRENCY
//
// URLS_FILE holds one subscriber URL per line (json://, http://). Prints one line:
// `ceiling: N requests in S s = R req/s (F failed)`.
import Channels
import CurlKit
import Foundation
import ReportKit

let arguments = CommandLine.arguments
guard arguments.count == 5, arguments[1] == "webhook-ceiling", let concurrency = Int(arguments[4]), concurrency > 0 else {
    FileHandle.standardError.write(Data("usage: herald-bench webhook-ceiling URLS_FILE SECRET CONCURRENCY\n".utf8))
    exit(2)
}
let urls = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
let channel = try WebhookChannel(DestinationSettings(name: "bench", url: urls[0], secret: arguments[3], recipients: Array(urls.dropFirst())))
let digest = Digest(title: "healthy bench", summary: "bench", sections: [Digest.Section(title: "counts", items: [Digest.Item("awards 0")])])
let messages = channel.render(digest, context: RenderContext(job: "bench", logicalTime: Date(timeIntervalSince1970: 0), runID: "1"))
let client = CurlClient()
let started = ContinuousClock.now
let failures = await withTaskGroup(of: Int.self) { group in
    var next = 0
    var failed = 0
    func add() {
        let message = messages[next]
        let key = "bench\(next)"
        next += 1
        group.addTask {
            guard let request = try? channel.request(for: message, key: key, context: RequestContext(now: Date())),
                  let response = try? await client.execute(request), (200..<300).contains(response.status) else { return 1 }
            return 0
        }
    }
    while next < min(concurrency, messages.count) { add() }
    for await failure in group {
        failed += failure
        if next < messages.count { add() }
    }
    return failed
}
let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
await client.shutdown()
print(String(format: "ceiling: %d requests in %.3f s = %.0f req/s (%d failed)", messages.count, seconds,
             Double(messages.count) / seconds, failures))
