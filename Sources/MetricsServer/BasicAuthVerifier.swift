import CCrypt
import Foundation
import Synchronization

/// Checks `Authorization: Basic …` against the configured bcrypt hashes with the system's
/// `crypt_r` (libxcrypt).
///
/// bcrypt costs ~70 ms at cost 10 and Prometheus scrapes often, so a success is remembered
/// for ``cacheTTL`` (exporter-toolkit caches too). The cache key is an HMAC-SHA256 of user,
/// stored hash and password under a key drawn at start: no password is kept, even hashed
/// without a secret. A changed hash in the file changes the key, so reloads need no flush.
/// An unknown user is checked against a dummy hash, so the answer takes as long as for a
/// known user with a wrong password and does not reveal which users exist.
public final class BasicAuthVerifier: Sendable {
    /// bcrypt (cost 10, htpasswd) of a random string nobody kept.
    static let dummyHash = "$2y$10$mCAOlG1dITged/7A2TO1hePu6Dzf5zWfGOcFyH01t7i.f7u8RRvoS"

    /// How long a successful verification is remembered.
    public let cacheTTL: Duration
    private let maxEntries: Int
    private let hmacKey: [UInt8]
    private let successes = Mutex<[[UInt8]: ContinuousClock.Instant]>([:])
    private let bcryptRunCount = Atomic<Int>(0)
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameter now: the monotonic clock the cache expires by; tests pass one they advance.
    public init(
        cacheTTL: Duration = .seconds(60), maxEntries: Int = 256,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.cacheTTL = cacheTTL
        self.maxEntries = maxEntries
        self.now = now
        var key = [UInt8](repeating: 0, count: 32)
        if ccrypt_random(&key, key.count) != 0 {
            // GnuTLS's generator failing leaves no safe key: cache nothing rather than use zeros.
            key = []
        }
        hmacKey = key
    }

    /// bcrypt computations so far (tests use it to see the cache work).
    public var bcryptRuns: Int { bcryptRunCount.load(ordering: .relaxed) }

    /// True when `authorization` carries a user of `users` and the password matching its hash.
    public func verify(authorization: String?, users: [String: String]) -> Bool {
        guard let (user, password) = Self.credentials(authorization) else { return false }
        let known = users[user]
        let hash = known ?? Self.dummyHash
        let fingerprint = fingerprint(user: user, hash: hash, password: password)
        if known != nil, let fingerprint, isCached(fingerprint) { return true }
        bcryptRunCount.add(1, ordering: .relaxed)
        let matches = ccrypt_verify(password, hash) == 1
        guard known != nil, matches else { return false }
        if let fingerprint { remember(fingerprint) }
        return true
    }

    /// User and password of a `Basic` authorization header, or nil when it is not one.
    static func credentials(_ header: String?) -> (user: String, password: String)? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let colon = data.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        let user = String(decoding: data[..<colon], as: UTF8.self)
        let password = String(decoding: data[(colon + 1)...], as: UTF8.self)
        // crypt_r reads a C string: a NUL would cut the password short.
        if password.utf8.contains(0) { return nil }
        return (user, password)
    }

    private func fingerprint(user: String, hash: String, password: String) -> [UInt8]? {
        guard !hmacKey.isEmpty else { return nil }
        var message = Array(user.utf8)
        message.append(0)
        message += Array(hash.utf8)
        message.append(0)
        message += Array(password.utf8)
        var out = [UInt8](repeating: 0, count: 32)
        let rc = hmacKey.withUnsafeBytes { key in
            message.withUnsafeBytes { text in
                ccrypt_hmac_sha256(key.baseAddress, key.count, text.baseAddress, text.count, &out)
            }
        }
        return rc == 0 ? out : nil
    }

    private func isCached(_ fingerprint: [UInt8]) -> Bool {
        successes.withLock { entries in
            guard let expiry = entries[fingerprint] else { return false }
            if expiry > now() { return true }
            entries[fingerprint] = nil
            return false
        }
    }

    private func remember(_ fingerprint: [UInt8]) {
        successes.withLock { entries in
            if entries.count >= maxEntries {
                let instant = now()
                entries = entries.filter { $0.value > instant }
                if entries.count >= maxEntries { entries.removeAll() }
            }
            entries[fingerprint] = now() + cacheTTL
        }
    }
}
