import Foundation
import Synchronization

/// A budget of bcrypt checks per source address (an IPv4 address, or an IPv6 /64): each check
/// takes a token, a success gives it back, and tokens come back at one per ``Policy/refill``
/// up to ``Policy/burst``. An address without tokens is answered 429 at once, so a flood of
/// wrong passwords from it costs no bcrypt time.
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

    /// Takes a token for one check from `address`: nil when granted, else how long until the
    /// next one comes back.
    public func admit(_ address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let key = Self.sourceKey(address)
        return buckets.withLock { buckets in
            var bucket = refilled(buckets[key], now: now)
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return policy.refill * (1 - bucket.tokens)
            }
            bucket.tokens -= 1
            if buckets[key] == nil && buckets.count >= policy.maxAddresses { forgetSome(&buckets, now: now) }
            buckets[key] = bucket
            return nil
        }
    }

    /// Gives back the token of a check that succeeded.
    public func refund(_ address: String, now: ContinuousClock.Instant = .now) {
        let key = Self.sourceKey(address)
        buckets.withLock { buckets in
            guard var bucket = buckets[key] else { return }
            bucket = refilled(bucket, now: now)
            bucket.tokens = min(Double(policy.burst), bucket.tokens + 1)
            buckets[key] = bucket.tokens >= Double(policy.burst) ? nil : bucket
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
