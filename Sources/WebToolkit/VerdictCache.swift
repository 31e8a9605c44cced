/// An HMAC-SHA256 of user, stored hash and password (``BasicAuthVerifier``): what the caches
/// remember instead of any password.
struct CredentialFingerprint: Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32)
        func word(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        words = (word(0), word(8), word(16), word(24))
    }

    static func == (a: Self, b: Self) -> Bool { a.words == b.words }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

/// Fingerprints with an expiry, at most `capacity` of them: when full, the oldest entry
/// makes room (first in, first out), so a flood of new entries cannot grow it. A hit renews
/// the entry's expiry: credentials in use (a scraper's) stay verified.
struct VerdictCache {
    private let capacity: Int
    private let ttl: Duration
    private var expiries: [CredentialFingerprint: (expiry: ContinuousClock.Instant, slot: Int)] = [:]
    private var order: [CredentialFingerprint?]
    private var next = 0

    init(capacity: Int, ttl: Duration) {
        self.capacity = max(1, capacity)
        self.ttl = ttl
        order = Array(repeating: nil, count: self.capacity)
    }

    var count: Int { expiries.count }

    /// True when `key` was inserted or last found less than the TTL before `now`.
    mutating func contains(_ key: CredentialFingerprint, now: ContinuousClock.Instant) -> Bool {
        guard let entry = expiries[key] else { return false }
        if entry.expiry > now {
            expiries[key] = (now + ttl, entry.slot)
            return true
        }
        expiries[key] = nil
        order[entry.slot] = nil
        return false
    }

    mutating func insert(_ key: CredentialFingerprint, now: ContinuousClock.Instant) {
        if let entry = expiries[key] {
            expiries[key] = (now + ttl, entry.slot)
            return
        }
        if let evicted = order[next] { expiries[evicted] = nil }
        order[next] = key
        expiries[key] = (now + ttl, next)
        next = (next + 1) % capacity
    }
}
