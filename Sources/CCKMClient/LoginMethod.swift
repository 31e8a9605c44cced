/// The grant the exporter logs in with (`auth.grant`, `--cm.auth-grant`), as CM names it in
/// `grant_type`.
///
/// - `password` and `refresh_token`: a configured refresh token is tried first, the password
///   is the fallback, and renewal uses the refresh token the last password login returned.
/// - `client_credential`: CM identifies a registered client by the TLS client certificate it
///   presents; the answer carries a JWT and no refresh token, so renewal is a new login.
/// - `user_certificate`: CM matches the client certificate's subject DN to a user's
///   `certificate_subject_dn`; the answer carries a refresh token, used for renewal.
public enum LoginMethod: String, Sendable, CaseIterable {
    case password
    case refreshToken = "refresh_token"
    case clientCredential = "client_credential"
    case userCertificate = "user_certificate"

    /// True for the grants that authenticate with the TLS client certificate.
    public var usesClientCertificate: Bool { self == .clientCredential || self == .userCertificate }
}
