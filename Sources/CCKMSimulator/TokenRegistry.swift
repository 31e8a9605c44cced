import Foundation

/// The JWTs and refresh tokens the simulator has issued.
///
/// Tokens are JWT-shaped (`header.payload.signature`, base64url) with `iat`/`exp` claims, but
/// the simulator only ever looks them up: the signature is random bytes.
struct TokenRegistry: Sendable {
    private var expiries: [String: Double] = [:]
    private var refreshTokens: [String: String] = [:]

    init(presetRefreshTokens: [String], username: String) {
        for token in presetRefreshTokens { refreshTokens[token] = username }
    }

    /// A login's answer: the JWT and, for the password grant, a new refresh token.
    struct Issued: Sendable {
        var jwt: String
        var duration: Int
        var refreshToken: String?
        var clientID: String
    }

    mutating func issue(
        username: String, withRefreshToken: Bool, lifetimeSeconds: Int, now: Double
    ) -> Issued {
        purgeExpired(now: now)
        var random = SystemRandomNumberGenerator()  // tokens must not be predictable
        let jwt = Self.jwt(
            username: username, issuedAt: now, lifetime: lifetimeSeconds, random: &random)
        expiries[jwt] = now + Double(lifetimeSeconds)
        var refreshToken: String?
        if withRefreshToken {
            let token = Self.base64URL(
                (0..<48).map { _ in UInt8.random(in: 0...255, using: &random) })
            refreshTokens[token] = username
            refreshToken = token
        }
        return Issued(
            jwt: jwt, duration: lifetimeSeconds, refreshToken: refreshToken,
            clientID: JobID(random: &random).string)
    }

    /// The user a refresh token was issued to, or nil.
    func user(forRefreshToken token: String) -> String? { refreshTokens[token] }

    /// Checks an `Authorization` header value; throws the 401 CM would send.
    func authorize(_ header: String?, now: Double) throws(APIError) {
        guard let header, header.lowercased().hasPrefix("bearer ") else {
            throw .unauthorized("Authorization header with a Bearer token is required")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let expiry = expiries[token] else {
            throw .unauthorized(
                token.split(separator: ".").count == 3 ? "Token is invalid" : "Token is malformed")
        }
        if now >= expiry {
            let late = max(1, Int((now - expiry).rounded(.up)))
            throw .unauthorized("Token is expired by \(late)s")
        }
    }

    /// Revokes every refresh token (issued or preset).
    mutating func revokeRefreshTokens() { refreshTokens = [:] }

    /// Makes every issued JWT expire at `now` (refresh tokens stay valid).
    mutating func expireAll(now: Double) {
        for key in expiries.keys { expiries[key] = min(expiries[key]!, now) }
    }

    /// Forgets JWTs that expired over an hour ago, so a long run does not grow without bound.
    private mutating func purgeExpired(now: Double) {
        guard expiries.count > 1000 else { return }
        expiries = expiries.filter { $0.value > now - 3600 }
    }

    private static func jwt(
        username: String, issuedAt: Double, lifetime: Int, random: inout SystemRandomNumberGenerator
    ) -> String {
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        var claims = JSONWriter()
        claims.raw("{\"iss\":\"kylo\",\"preferred_username\":")
        claims.string(username)
        claims.raw(",\"jwtid\":")
        claims.string(JobID(random: &random).string)
        claims.raw(",\"iat\":")
        claims.int(Int(issuedAt))
        claims.raw(",\"exp\":")
        claims.int(Int(issuedAt) + lifetime)
        claims.raw("}")
        let signature = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        return [Array(header.utf8), claims.bytes, signature].map(base64URL).joined(separator: ".")
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
