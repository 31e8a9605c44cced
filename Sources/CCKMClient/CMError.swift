import Foundation
import JobMetrics
import TextFormats
import TextSafety

/// Why a request to CipherTrust Manager (and so the poll) failed: one ``PollErrorReason``
/// for the `reason` label, and a message for the log.
///
/// Messages name the method and URL path, and quote CM's `codeDesc` and `message` when the
/// answer had CM's error shape; they never hold a password, token or `Authorization` header.
public struct CMError: Error, CustomStringConvertible, Sendable, Equatable {
    public var reason: PollErrorReason
    public var message: String
    /// The limit that made the request fail, when one did (an answer over the size limit).
    public var limitReached: ListingLimit?
    /// The answer's `Retry-After`, when it had one (a wait too long to retry within the poll:
    /// a walk waits that long before it asks for the page again).
    public var retryAfterSeconds: Int?

    public init(
        reason: PollErrorReason, message: String, limitReached: ListingLimit? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.reason = reason
        self.message = message
        self.limitReached = limitReached
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}

extension CMError {
    /// A request that got no HTTP answer.
    static func transport(_ error: HTTPTransport.TransportError, request: String) -> CMError {
        let reason: PollErrorReason =
            switch error.kind {
            case .connect, .dns: .connect
            case .tls: .tls
            case .timeout: .timeout
            case .tooLarge: .decode
            // Connection reset, empty reply, body cut short: the connection failed.
            case .other: .connect
            }
        return CMError(
            reason: reason, message: "\(request): \(error.description)",
            limitReached: error.kind == .tooLarge ? .responseBytes : nil)
    }

    /// An HTTP answer with a status the caller did not expect. CM's text is scrubbed of
    /// `secrets` and of every secret in ``SecretRegistry/shared`` *before* it is cut to length.
    static func status(
        _ status: Int, body: [UInt8], request: String, reason: PollErrorReason = .http,
        secrets: [String] = []
    ) -> CMError {
        var message = "\(request): HTTP \(status)"
        let scrubbers = [SecretScrubber(secrets: secrets), SecretRegistry.shared.scrubber]
        if let detail = CMErrorBody(body)?.summary(scrubbing: scrubbers) { message += " \(detail)" }
        return CMError(reason: reason, message: message)
    }

    /// The poll's budget ran out before (or while) sending `request`.
    static func deadline(request: String) -> CMError {
        CMError(reason: .timeout, message: "\(request): poll deadline exhausted")
    }

    /// Replaces every piece of a secret (see ``SecretScrubber``) with `<redacted>`: server
    /// text is quoted in messages and a broken server could echo what it was sent.
    func scrubbing(_ secrets: [String]) -> CMError {
        var copy = self
        copy.message = SecretScrubber(secrets: secrets).scrub(message)
        return copy
    }
}

/// CipherTrust Manager's error answer:
/// `{"code":5,"codeDesc":"NCERRUnauthorizedAccess","message":"Token is expired by 50s",…}`,
/// its texts as CM sent them (scrubbed and cut only by ``summary(scrubbing:)``).
struct CMErrorBody: Equatable {
    var codeDesc: String?
    var message: String?

    /// Longest quoted server message, so a huge error page cannot flood the log.
    static let maxMessageLength = 300
    /// Longest text scrubbed: a larger one is cut to this first (it is cut to
    /// ``maxMessageLength`` afterwards anyway; scrubbing finds pieces of a secret cut here).
    static let maxScrubbedBytes = 16 * 1024

    /// Nil when `body` is not a JSON object with a string `codeDesc` or `message`.
    init?(_ body: [UInt8]) {
        guard let fields = JSONObject.parse(body) else { return nil }
        codeDesc = fields["codeDesc"] as? String
        message = fields["message"] as? String
        if codeDesc == nil && message == nil { return nil }
    }

    /// `NCERRUnauthorizedAccess: "Token is expired by 50s"`, or whichever part exists: each
    /// text scrubbed first, then control characters replaced, then cut to length.
    func summary(scrubbing scrubbers: [SecretScrubber]) -> String {
        let clean = { (text: String) in Self.clean(scrubbers.reduce(Self.bounded(text)) { $1.scrub($0) }) }
        return [codeDesc.map(clean), message.map { "\"\(clean($0))\"" }].compactMap { $0 }
            .joined(separator: ": ")
    }

    /// `text` cut to ``maxScrubbedBytes`` (a character cut in two becomes U+FFFD).
    private static func bounded(_ text: String) -> String {
        guard text.utf8.count > maxScrubbedBytes else { return text }
        return String(decoding: text.utf8.prefix(maxScrubbedBytes), as: UTF8.self)
    }

    private static func clean(_ text: String) -> String {
        let printable = String(
            String.UnicodeScalarView(text.unicodeScalars.map { VisibleText.needsEscape($0) ? " " : $0 }))
        guard printable.count > maxMessageLength else { return printable }
        return String(printable.prefix(maxMessageLength)) + "…"
    }
}
