import CurlKit
import Foundation
import Testing

@Suite struct HTTPMessageTests {
    @Test func headerLookupIgnoresCaseAndTakesTheFirst() {
        let response = HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "7"), HTTPHeader("retry-after", "9")])
        #expect(response.header("retry-after") == "7")
        #expect(response.header("RETRY-AFTER") == "7")
        #expect(response.header("X-Missing") == nil)
        let request = HTTPRequest(method: "POST", url: "https://example.invalid/", headers: [HTTPHeader("webhook-id", "k1")])
        #expect(request.header("Webhook-Id") == "k1")
    }
}
