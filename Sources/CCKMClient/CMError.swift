import CCKMExporter
import Foundation

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

    public init(reason: PollErrorReason, message: String, limitReached: ListingLimit? = nil) {
        self.reason = reason
        self.message = message
        self.limitReached = limitReached
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

    /// An HTTP answer with a status the caller did not expect.
    static func status(
        _ status: Int, body: [UInt8], request: String, reason: PollErrorReason = .http
    ) -> CMError {
        var message = "\(request): HTTP \(status)"
        if let detail = CMErrorBody(body)?.summary { message += " \(detail)" }
        return CMError(reason: reason, message: message)
    }

    /// The poll's budget ran out before (or while) sending `request`.
    static func deadline(request: String) -> CMError {
        CMError(reason: .timeout, message: "\(request): poll deadline exhausted")
    }

    /// Replaces every occurrence of a secret with `<redacted>`: server text is quoted in
    /// messages and a broken server could echo what it was sent.
    func scrubbing(_ secrets: [String]) -> CMError {
        var copy = self
        for secret in secrets where !secret.isEmpty {
            copy.message = copy.message.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return copy
    }
}

/// CipherTrust Manager's error answer:
/// `{"code":5,"codeDesc":"NCERRUnauthorizedAccess","message":"Token is expired by 50s",…}`.
struct CMErrorBody: Equatable {
    var codeDesc: String?
    var message: String?

    /// Longest quoted server message, so a huge error page cannot flood the log.
    static let maxMessageLength = 300

    /// Nil when `body` is not a JSON object with a string `codeDesc` or `message`.
    init?(_ body: [UInt8]) {
        guard let fields = SmallJSON.object(body) else { return nil }
        codeDesc = (fields["codeDesc"] as? String).map(Self.clean)
        message = (fields["message"] as? String).map(Self.clean)
        if codeDesc == nil && message == nil { return nil }
    }

    /// `NCERRUnauthorizedAccess: "Token is expired by 50s"`, or whichever part exists.
    var summary: String {
        [codeDesc, message.map { "\"\($0)\"" }].compactMap { $0 }.joined(separator: ": ")
    }

    private static func clean(_ text: String) -> String {
        let printable = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        guard printable.count > maxMessageLength else { return printable }
        return String(printable.prefix(maxMessageLength)) + "…"
    }
}
