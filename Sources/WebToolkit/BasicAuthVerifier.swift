import CCrypt
import Foundation
import Synchronization

/// Checks `Authorization: Basic …` against the configured bcrypt hashes with the system's
/// `crypt_r` (libxcrypt), remembering verdicts so that bcrypt runs once per credentials.
///
/// bcrypt costs ~70 ms at cost 10. Verdicts are cached as exporter-toolkit caches them, keyed
/// by an HMAC-SHA256 of user, stored hash and password under a key drawn at start, so no
/// password is kept, even hashed without a secret; a changed hash in the file changes the
/// key, so reloads need no flush. Successes and failures have separate caches, so a flood of
/// wrong passwords cannot evict a right one. An unknown user is checked against a dummy
/// hash, so it costs what a known user with a wrong password costs and does not reveal which
/// users exist.
///
/// ``lookup(authorization:users:)`` answers from the caches without bcrypt; what needs
/// bcrypt comes back as a ``BcryptCheck`` to run elsewhere (``BcryptPool``).
public final class BasicAuthVerifier: Sendable {
    /// bcrypt (cost 10, htpasswd) of a random string nobody kept.
    static let dummyHash = "$2y$10$mCAOlG1dITged/7A2TO1hePu6Dzf5zWfGOcFyH01t7i.f7u8RRvoS"

    /// What the caches say about one `Authorization` header.
    public enum Lookup: Sendable {
        /// Right credentials, verified before.
        case accepted
        /// Credentials already found wrong, or a header that is not `Basic` credentials.
        case refused
        /// No `Authorization` header: not an attempt, just the challenge to send.
        case missing
        /// Unknown yet: run the check (it remembers its verdict).
        case needsCheck(BcryptCheck)
    }

    /// How long a verdict is remembered.
    public let cacheTTL: Duration
    private let hmacKey: [UInt8]
    private let successes: Mutex<VerdictCache>
    private let failures: Mutex<VerdictCache>
    private let bcryptRunCount = Atomic<Int>(0)
    private let now: @Sendable () -> ContinuousClock.Instant

    /// `maxEntries` successes and `maxFailures` failures are remembered for `cacheTTL` after
    /// their last use.
    /// - Parameter now: the monotonic clock the caches expire by; tests pass one they advance.
    public init(
        cacheTTL: Duration = .seconds(60), maxEntries: Int = 256, maxFailures: Int = 4096,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.cacheTTL = cacheTTL
        self.now = now
        successes = Mutex(VerdictCache(capacity: maxEntries, ttl: cacheTTL))
        failures = Mutex(VerdictCache(capacity: maxFailures, ttl: cacheTTL))
        var random = SystemRandomNumberGenerator()
        hmacKey = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
    }

    /// bcrypt computations so far (tests use it to see the caches work).
    public var bcryptRuns: Int { bcryptRunCount.load(ordering: .relaxed) }

    /// The cached verdict for `authorization`, or the check that finds it.
    public func lookup(authorization: String?, users: [String: String]) -> Lookup {
        guard let authorization else { return .missing }
        guard let (user, password) = Self.credentials(authorization) else { return .refused }
        let known = users[user]
        let hash = known ?? Self.dummyHash
        let fingerprint = fingerprint(user: user, hash: hash, password: password)
        if let fingerprint {
            let now = now()
            if known != nil && successes.withLock({ $0.contains(fingerprint, now: now) }) { return .accepted }
            if failures.withLock({ $0.contains(fingerprint, now: now) }) { return .refused }
        }
        return .needsCheck(
            BcryptCheck(
                verifier: self, password: password, hash: hash, userKnown: known != nil,
                fingerprint: fingerprint))
    }

    /// True when `authorization` carries a user of `users` and the password matching its hash;
    /// runs bcrypt on the calling thread when the caches do not know.
    public func verify(authorization: String?, users: [String: String]) -> Bool {
        switch lookup(authorization: authorization, users: users) {
        case .accepted: true
        case .refused, .missing: false
        case .needsCheck(let check): check.run()
        }
    }

    /// User and password of a `Basic` authorization header, or nil when it is not one.
    static func credentials(_ header: String) -> (user: String, password: String)? {
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

    /// Runs bcrypt for `check` and remembers the verdict; a verdict cached since the lookup
    /// (the same credentials checked just before, on the same pool thread) is reused.
    fileprivate func run(_ check: BcryptCheck) -> Bool {
        if let fingerprint = check.fingerprint {
            let now = ContinuousClock.now
            if check.userKnown && successes.withLock({ $0.contains(fingerprint, now: now) }) { return true }
            if failures.withLock({ $0.contains(fingerprint, now: now) }) { return false }
        }
        bcryptRunCount.add(1, ordering: .relaxed)
        // bcrypt first, unknown users too (against the dummy hash): same cost, same timing.
        let matches = ccrypt_verify(check.password, check.hash) == 1
        let accepted = matches && check.userKnown
        if let fingerprint = check.fingerprint {
            let now = now()
            if accepted {
                successes.withLock { $0.insert(fingerprint, now: now) }
            } else {
                failures.withLock { $0.insert(fingerprint, now: now) }
            }
        }
        return accepted
    }

    /// Nil when GnuTLS's HMAC fails: the credentials are then checked every time, not cached.
    private func fingerprint(user: String, hash: String, password: String) -> CredentialFingerprint? {
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
        return rc == 0 ? CredentialFingerprint(out) : nil
    }
}

/// One bcrypt verification the caches could not answer; ``run()`` takes ~70 ms at cost 10, so
/// the server runs it on a ``BcryptPool`` thread, never on a libmicrohttpd worker.
public struct BcryptCheck: Sendable {
    fileprivate let verifier: BasicAuthVerifier
    fileprivate let password: String
    fileprivate let hash: String
    fileprivate let userKnown: Bool
    fileprivate let fingerprint: CredentialFingerprint?

    /// Verifies the password and caches the verdict; true when it is right.
    public func run() -> Bool { verifier.run(self) }
}
