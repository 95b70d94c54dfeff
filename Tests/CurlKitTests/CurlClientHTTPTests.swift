import CurlKit
import Foundation
import Testing

/// What the `http` fixture echoes back.
private struct Echo: Decodable {
    var method: String
    var path: String
    var headers: [[String]]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0[0].caseInsensitiveCompare(name) == .orderedSame }?[1]
    }
}

private func connections(_ client: CurlClient, _ server: TestServer) async throws -> Int {
    let response = try await client.execute(HTTPRequest(method: "GET", url: server.url("/stats")))
    let stats = try JSONDecoder().decode([String: Int].self, from: response.body)
    return stats["connections"] ?? -1
}

@Suite struct CurlClientHTTPTests {
    @Test func postSendsHeadersAndUTF8BodyIntact() async throws {
        let server = try await TestServer.start("http")
        let client = CurlClient(configuration: .init(userAgent: "HeraldTest/1"))

        let text = #"{"text":"£10m for mutuals — ünïcödé ✓ 🎉","n":21}"#
        let request = HTTPRequest(
            method: "POST", url: server.url("/hooks/herald?x=1"),
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("webhook-id", "msg_k1"),
                      HTTPHeader("X-Empty", "")],
            body: Data(text.utf8))
        let response = try await client.execute(request)

        #expect(response.status == 201)
        #expect(response.header("x-echo-method") == "POST")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let echo = try JSONDecoder().decode(Echo.self, from: response.body)
        #expect(echo.method == "POST")
        #expect(echo.path == "/hooks/herald?x=1")
        #expect(echo.body == text)
        #expect(echo.header("webhook-id") == "msg_k1")
        #expect(echo.header("X-Empty") == "")
        #expect(echo.header("User-Agent") == "HeraldTest/1")
        #expect(echo.header("Content-Length") == String(Data(text.utf8).count))
        #expect(echo.header("Expect") == nil)

        // Other methods: PUT with a body, DELETE without.
        let put = try await client.execute(HTTPRequest(method: "PUT", url: server.url("/m/1"), body: Data("x".utf8)))
        #expect(try JSONDecoder().decode(Echo.self, from: put.body).method == "PUT")
        let delete = try await client.execute(HTTPRequest(method: "DELETE", url: server.url("/m/1")))
        #expect(delete.status == 200)
        #expect(try JSONDecoder().decode(Echo.self, from: delete.body).body == "")
        await client.shutdown()
    }

    @Test func tlsIsVerifiedAndACustomCABundleIsHonoured() async throws {
        let server = try await TestServer.start("https")
        let url = server.url("/secure", scheme: "https")

        let untrusting = CurlClient()
        do {
            _ = try await untrusting.execute(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
            Issue.record("a self-signed certificate must not be accepted")
        } catch {
            #expect(error.code == .tls, "\(error)")
            #expect(error.requestMayHaveBeenSent == false)
        }
        await untrusting.shutdown()

        let trusting = CurlClient(configuration: .init(caBundlePath: TestServer.certificatePath))
        let response = try await trusting.execute(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
        #expect(response.status == 201)
        await trusting.shutdown()
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try await TestServer.start("http")
        let client = CurlClient()
        for index in 0..<20 {
            let response = try await client.execute(HTTPRequest(method: "GET", url: server.url("/n/\(index)")))
            #expect(response.status == 200)
        }
        #expect(try await connections(client, server) == 1)
        await client.shutdown()
    }

    @Test func hundredConcurrentRequestsCompleteOverFewConnections() async throws {
        let server = try await TestServer.start("http")
        let client = CurlClient(configuration: .init(maximumConnectionsPerHost: 6))
        let url = server.url("/fan-out")
        let statuses = await withTaskGroup(of: Int.self, returning: [Int].self) { group in
            for index in 0..<100 {
                group.addTask {
                    let request = HTTPRequest(method: "POST", url: url, body: Data(#"{"i":\#(index)}"#.utf8))
                    return (try? await client.execute(request).status) ?? -1
                }
            }
            var statuses: [Int] = []
            for await status in group { statuses.append(status) }
            return statuses
        }
        #expect(statuses.count == 100)
        #expect(statuses.allSatisfy { $0 == 201 })
        let opened = try await connections(client, server)
        #expect(opened >= 1 && opened <= 6, "connections opened: \(opened)")
        await client.shutdown()
    }

    @Test func connectionRefusedIsNotSentAndRedactsSecrets() async throws {
        let client = CurlClient()
        let url = "http://alice:s3cretPass@127.0.0.1:1/services/T000/B000/XXXXtoken?sig=abc"
        do {
            _ = try await client.execute(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .couldNotConnect)
            #expect(error.curlCode == 7)
            #expect(error.requestMayHaveBeenSent == false)
            #expect(error.url == "http://127.0.0.1:1/…")
            for secret in ["s3cretPass", "alice", "XXXXtoken", "sig=abc"] {
                #expect(!error.description.contains(secret))
            }
        }
        await client.shutdown()
    }

    @Test func silentServerTimesOutAfterTheRequestLeft() async throws {
        let server = try await TestServer.start("silent")
        let client = CurlClient()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await client.execute(
                HTTPRequest(method: "POST", url: server.url("/slow"), body: Data("{}".utf8)),
                options: .init(timeout: .milliseconds(300)))
            Issue.record("expected a timeout")
        } catch {
            let elapsed = clock.now - start
            #expect(error.code == .timedOut)
            #expect(error.curlCode == 28)
            #expect(error.requestMayHaveBeenSent)
            #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(10), "took \(elapsed)")
        }
        await client.shutdown()
    }

    @Test func resetAfterReadingTheRequestMayHaveBeenSent() async throws {
        let server = try await TestServer.start("reset")
        let client = CurlClient()
        do {
            _ = try await client.execute(HTTPRequest(method: "POST", url: server.url("/"), body: Data("{}".utf8)))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .receiveFailed || error.code == .sendFailed, "\(error)")
            #expect(error.requestMayHaveBeenSent)
        }
        #expect(await server.nextLine() == "REQUEST")
        await client.shutdown()
    }

    @Test func cancellingTheTaskAbortsAnInFlightTransferPromptly() async throws {
        let server = try await TestServer.start("silent")
        let client = CurlClient()
        let url = server.url("/never")
        let task = Task { () -> Result<HTTPResponse, CurlError> in
            do throws(CurlError) {
                return .success(try await client.execute(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8))))
            } catch {
                return .failure(error)
            }
        }
        #expect(await server.nextLine() == "ACCEPT")
        #expect(await server.nextLine() == "REQUEST")
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        let result = await task.value
        let elapsed = clock.now - start
        guard case .failure(let error) = result else {
            Issue.record("expected cancellation, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        #expect(error.requestMayHaveBeenSent)
        // The server never answers: returning at all, long before the 60 s transfer timeout, is the cancel working.
        // (A generous bound: tests assert behaviour, not speed, on a shared 2-core machine.)
        #expect(elapsed < .seconds(10), "cancel took \(elapsed)")

        // The client stays usable afterwards.
        let echo = try await TestServer.start("http")
        #expect(try await client.execute(HTTPRequest(method: "GET", url: echo.url())).status == 200)
        await client.shutdown()
    }

    @Test func aTaskCancelledBeforeStartingNeverSends() async throws {
        let server = try await TestServer.start("silent")
        let client = CurlClient()
        let url = server.url()
        let task = Task { () -> CurlError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(CurlError) {
                _ = try await client.execute(HTTPRequest(method: "GET", url: url))
                return nil
            } catch {
                return error
            }
        }
        let error = await task.value
        #expect(error?.code == .cancelled)
        #expect(error?.requestMayHaveBeenSent == false)
        await client.shutdown()
    }

    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1:1/", "smtp://127.0.0.1:1/", "dict://127.0.0.1:1/x"])
    func disallowedProtocolsAreRefused(url: String) async throws {
        let client = CurlClient()
        do {
            _ = try await client.execute(HTTPRequest(method: "GET", url: url))
            Issue.record("expected \(url) to be refused")
        } catch {
            #expect(error.code == .protocolNotAllowed, "\(error)")
            #expect(error.requestMayHaveBeenSent == false)
        }
        await client.shutdown()
    }

    @Test func headerInjectionIsRejectedBeforeSending() async throws {
        let client = CurlClient()
        do {
            _ = try await client.execute(HTTPRequest(
                method: "POST", url: "http://127.0.0.1:1/", headers: [HTTPHeader("X-A", "1\r\nX-Injected: 2")]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .invalidRequest)
            #expect(error.requestMayHaveBeenSent == false)
        }
        await client.shutdown()
    }

    @Test func shutdownFailsPendingTransfersAndLaterCalls() async throws {
        let server = try await TestServer.start("silent")
        let client = CurlClient()
        let url = server.url()
        let pending = Task { () -> CurlError? in
            do throws(CurlError) {
                _ = try await client.execute(HTTPRequest(method: "POST", url: url, body: Data("{}".utf8)))
                return nil
            } catch {
                return error
            }
        }
        #expect(await server.nextLine() == "ACCEPT")
        #expect(await server.nextLine() == "REQUEST")
        await client.shutdown()

        let error = await pending.value
        #expect(error?.code == .shutdown)
        #expect(error?.requestMayHaveBeenSent == true)
        do {
            _ = try await client.execute(HTTPRequest(method: "GET", url: url))
            Issue.record("expected a failure after shutdown")
        } catch {
            #expect(error.code == .shutdown)
            #expect(error.requestMayHaveBeenSent == false)
        }
        await client.shutdown()  // a second shutdown returns at once
    }
}
