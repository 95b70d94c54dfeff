import Foundation

/// Makes the channel for a destination from its URL's scheme (or, for raw `https://` URLs, its host).
public enum ChannelRegistry {
    /// The schemes Herald sends to, e.g. `slack`, `jsons`.
    public static let schemes: [String] = ["file", "json", "jsons", "slack", "discord", "teams", "workflow", "workflows",
                                           "tgram", "matrix", "matrixs", "smtp", "smtps", "sendgrid", "mailgun", "postmark",
                                           "notify", "mastodon", "mastodons", "toot", "toots", "bluesky", "bsky", "x",
                                           "twitter", "tweet"]

    /// The channel for `settings`; throws (without repeating credentials) when the URL is unusable.
    /// Relative `file://` folders resolve against `home`.
    public static func channel(for settings: DestinationSettings, home: URL) throws(ChannelError) -> any Channel {
        guard let range = settings.url.range(of: "://") else {
            throw ChannelError("not a service URL (expected scheme://…)")
        }
        let scheme = settings.url[..<range.lowerBound].lowercased()
        switch scheme {
        case "file": return try FileChannel(settings, home: home)
        case "json", "jsons": return try WebhookChannel(settings)
        case "slack": return try SlackChannel(settings)
        case "discord": return try DiscordChannel(settings)
        case "teams", "workflow", "workflows": return try TeamsChannel(settings)
        case "tgram": return try TelegramChannel(settings)
        case "matrix", "matrixs": return try MatrixChannel(settings)
        case "smtp", "smtps": return try SMTPChannel(settings)
        case "sendgrid": return try SendGridChannel(settings)
        case "mailgun": return try MailgunChannel(settings)
        case "postmark": return try PostmarkChannel(settings)
        case "notify": return try NotifyChannel(settings)
        case "mastodon", "mastodons", "toot", "toots": return try MastodonChannel(settings)
        case "bluesky", "bsky": return try BlueskyChannel(settings)
        case "x", "twitter", "tweet": return try XChannel(settings)
        case "http", "https":
            if SlackChannel.recognises(settings.url) { return try SlackChannel(settings) }
            if DiscordChannel.recognises(settings.url) { return try DiscordChannel(settings) }
            if TeamsChannel.recognises(settings.url) { return try TeamsChannel(settings) }
            throw ChannelError("\(scheme):// URLs are accepted for Slack, Discord and Teams workflow webhooks only; "
                + "use jsons://host/path (or json://) for a generic webhook")
        default:
            throw ChannelError("unknown destination type '\(scheme)://' (supported: "
                + schemes.map { "\($0)://" }.joined(separator: ", ") + ")")
        }
    }
}
