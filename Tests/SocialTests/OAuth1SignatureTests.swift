@testable import Channels
import Foundation
import Testing

/// The signer against the published example (X's "Creating a signature" page) and protocols.md's recomputed
/// vectors; oauthlib checks every live request in the X receiver.
@Suite struct OAuth1SignatureTests {
    let signer = OAuth1Signature(
        consumerKey: "xvz1evFS4wEEPTGEFPHBog", consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
    let nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
    let timestamp = 1_318_622_958

    @Test func publishedExampleWithFormParameters() {
        let oauth = signer.oauthParameters(nonce: nonce, timestamp: timestamp)
        let extra = [("status", "Hello Ladies + Gentlemen, a signed OAuth request!"), ("include_entities", "true")]
        #expect(signer.signature(method: "POST", url: "https://api.twitter.com/1/statuses/update.json", oauthParameters: oauth,
                                 extraParameters: extra) == "tnnArxj06cWHq44gCs1OSKk/jLY=")
        #expect(signer.signature(method: "POST", url: "https://api.twitter.com/1.1/statuses/update.json", oauthParameters: oauth,
                                 extraParameters: extra) == "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")
    }

    @Test func jsonBodyIsNotSigned() {
        let oauth = signer.oauthParameters(nonce: nonce, timestamp: timestamp)
        let base = OAuth1Signature.baseString(method: "post", url: "https://API.X.com:443/2/tweets", parameters: oauth)
        #expect(base == "POST&https%3A%2F%2Fapi.x.com%2F2%2Ftweets&oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0")
        #expect(signer.signature(method: "POST", url: "https://api.x.com/2/tweets", oauthParameters: oauth) == "lr+tV/DKclEvXKVjG6tgaSSLV0k=")
    }

    @Test func headerEncodesTheSignature() {
        let header = signer.authorization(method: "POST", url: "https://api.x.com/2/tweets", nonce: nonce, timestamp: timestamp)
        #expect(header.hasPrefix("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce=\""))
        #expect(header.contains("oauth_signature=\"lr%2BtV%2FDKclEvXKVjG6tgaSSLV0k%3D\""))
        #expect(header.hasSuffix("oauth_version=\"1.0\""))
        #expect(!header.contains(signer.consumerSecret) && !header.contains(signer.tokenSecret))
    }

    @Test func percentEncodingIsRFC3986() {
        #expect(OAuth1Signature.encode("a b+c/é~") == "a%20b%2Bc%2F%C3%A9~")
        #expect(OAuth1Signature.nonce().count == 32)
        #expect(OAuth1Signature.nonce() != OAuth1Signature.nonce())
    }
}
