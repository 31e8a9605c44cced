import Foundation
import Synchronization

/// A budget of failed bcrypt checks per source address (an IPv4 address, or an IPv6 /64): each
/// failed check takes a token, tokens come back at one per ``Policy/refill`` up to
/// ``Policy/burst``. An address without tokens is answered 429 at once, so a flood of wrong
/// passwords from it costs no bcrypt time. Successful checks cost nothing, so sixteen
/// connections of one scraper verifying the same credentials at once are not throttled; the
/// checks one address can have in flight before its failures count are bounded by the
/// ``BcryptPool`` queue, and its debt by ``Policy/burst`` (at most `burst + 1` refills to wait).
///
/// Only checks are throttled: credentials already verified (cached) are answered from any
/// address, so a scraper behind the same NAT as an attacker keeps working.
public final class AuthThrottle: Sendable {
    /// How many failed checks an address gets, and how fast they come back.
    public struct Policy: Sendable {
        /// Checks an address may fail in a row before it waits.
        public var burst: Int
        /// Time for one failed check to be forgiven.
        public var refill: Duration
        /// Addresses tracked at most; beyond, the longest-forgiven ones are forgotten.
        public var maxAddresses: Int

        public init(burst: Int = 5, refill: Duration = .seconds(10), maxAddresses: Int = 4096) {
            self.burst = burst
            self.refill = refill
            self.maxAddresses = maxAddresses
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let policy: Policy
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Nil when `address` may have a check run now, else how long until it may.
    public func admit(_ address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let key = Self.sourceKey(address)
        return buckets.withLock { buckets in
            guard let bucket = buckets[key] else { return nil }
            let current = refilled(bucket, now: now)
            buckets[key] = current
            return current.tokens >= 1 ? nil : policy.refill * (1 - current.tokens)
        }
    }

    /// Takes a token from `address` for a check that failed.
    public func recordFailure(_ address: String, now: ContinuousClock.Instant = .now) {
        let key = Self.sourceKey(address)
        buckets.withLock { buckets in
            var bucket = refilled(buckets[key], now: now)
            bucket.tokens = max(-Double(policy.burst), bucket.tokens - 1)
            if buckets[key] == nil && buckets.count >= policy.maxAddresses { forgetSome(&buckets, now: now) }
            buckets[key] = bucket
        }
    }

    /// Addresses currently short of tokens (for the failure log line).
    public func throttledAddresses(now: ContinuousClock.Instant = .now) -> Int {
        buckets.withLock { buckets in buckets.values.filter { refilled($0, now: now).tokens < 1 }.count }
    }

    private func refilled(_ bucket: Bucket?, now: ContinuousClock.Instant) -> Bucket {
        guard var bucket else { return Bucket(tokens: Double(policy.burst), updated: now) }
        let elapsed = now - bucket.updated
        if elapsed > .zero {
            bucket.tokens = min(Double(policy.burst), bucket.tokens + elapsed / policy.refill)
            bucket.updated = now
        }
        return bucket
    }

    /// Drops forgiven buckets; when none is, the one that will be forgiven soonest.
    private func forgetSome(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < Double(policy.burst) }
        if buckets.count >= policy.maxAddresses,
            let fullest = buckets.max(by: {
                refilled($0.value, now: now).tokens < refilled($1.value, now: now).tokens
            })
        {
            buckets[fullest.key] = nil
        }
    }

    /// The throttled unit of an address: IPv4 as is (also when written IPv4-mapped, as a
    /// dual-stack socket reports it), IPv6 by its /64, which one host usually owns whole.
    static func sourceKey(_ address: String) -> String {
        if address.hasPrefix("::ffff:"), address.contains(".") { return String(address.dropFirst(7)) }
        guard address.contains(":") else { return address }
        var bytes = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        .joined(separator: ":") + "::/64"
    }
}
