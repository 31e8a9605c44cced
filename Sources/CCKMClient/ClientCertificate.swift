import CCertificates
import TextFormats

/// What a PEM client certificate says about itself: when it expires, its serial and subject.
public struct ClientCertificateInfo: Sendable, Equatable {
    /// Start of validity, Unix seconds.
    public var notBefore: Double
    /// End of validity (`notAfter`), Unix seconds.
    public var notAfter: Double
    /// The serial number in upper-case hex, as `openssl x509 -serial` prints it.
    public var serial: String
    /// The subject's distinguished name (RFC 2253), e.g. `CN=metrics,O=Example`.
    public var subject: String

    public init(notBefore: Double, notAfter: Double, serial: String, subject: String) {
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.serial = serial
        self.subject = subject
    }

    /// The first certificate of a PEM text, or nil when it holds none.
    public static func read(pem: [UInt8]) -> ClientCertificateInfo? {
        var info = ccert_info()
        let result = pem.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { ccert_read($0.baseAddress, $0.count, &info) }
        }
        guard result == CCERT_OK.rawValue else { return nil }
        return ClientCertificateInfo(
            notBefore: Double(info.not_before), notAfter: Double(info.not_after),
            serial: Self.string(&info.serial), subject: Self.string(&info.subject))
    }

    /// `2026-12-06T10:00:00Z` for Unix seconds (for messages).
    public static func utc(_ seconds: Double) -> String {
        var out: [UInt8] = []
        UTCTimestamp.append(seconds, precision: .seconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func string<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// Why a client certificate and key cannot be used together (never says anything about the key's
/// bytes or its password).
public enum ClientKeyProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate file holds no PEM certificate.
    case badCertificate
    /// The key file holds no PEM private key.
    case badKey
    /// The key is encrypted and no password was given.
    case needsPassword
    /// The key is encrypted and the password given does not decrypt it.
    case wrongPassword
    /// The key is not the certificate's.
    case mismatch
    /// The certificate's `notAfter` has passed (a rotation to it is refused: CM would refuse it).
    case expired

    public var description: String {
        switch self {
        case .badCertificate: "holds no PEM certificate"
        case .badKey: "holds no PEM private key"
        case .needsPassword: "is encrypted and no key password file is given"
        case .wrongPassword: "cannot be decrypted with the key password given"
        case .mismatch: "does not belong to the client certificate"
        case .expired: "holds a certificate that has expired"
        }
    }

    /// True when the certificate file is at fault, false when the key or its password is.
    public var concernsCertificate: Bool { self == .badCertificate || self == .expired }

    /// Nil when `key` (decrypted with `password` when encrypted) belongs to `certificate`.
    public static func check(certificate: [UInt8], key: [UInt8], password: String?) -> ClientKeyProblem? {
        let result = certificate.withUnsafeBufferPointer { cert in
            key.withUnsafeBufferPointer { key in
                cert.withMemoryRebound(to: CChar.self) { cert in
                    key.withMemoryRebound(to: CChar.self) { key in
                        withOptionalCString(password) { password in
                            ccert_check_key(
                                cert.baseAddress, cert.count, key.baseAddress, key.count, password)
                        }
                    }
                }
            }
        }
        switch result {
        case CCERT_OK.rawValue: return nil
        case CCERT_BAD_CERTIFICATE.rawValue: return .badCertificate
        case CCERT_KEY_MISMATCH.rawValue: return .mismatch
        case CCERT_WRONG_PASSWORD.rawValue: return .wrongPassword
        case CCERT_NEEDS_PASSWORD.rawValue: return .needsPassword
        default: return .badKey
        }
    }
}
