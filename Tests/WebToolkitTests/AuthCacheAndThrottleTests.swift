import Foundation
import HTTPServer
import Synchronization
import Testing

@testable import WebToolkit

/// The pieces that keep a basic-auth flood cheap: failures cached like successes (keyed by an
/// HMAC, never the password), a per-address budget of bcrypt checks, a bounded pool, and a
/// counter whose log line comes at most every 10 s.
@Suite("Basic auth under a flood: caches, throttle, pool, failure log")
struct AuthCacheAndThrottleTests {
    private static let users = [BcryptFixture.quick.user: BcryptFixture.quick.hash]

    private static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    @Test("a wrong password is checked once, then refused from the cache; a right one still passes")
    func failuresAreCached() {
        let verifier = BasicAuthVerifier()
        for _ in 0..<5 {
            #expect(!verifier.verify(authorization: Self.basic("quick", "wrong"), users: Self.users))
        }
        for _ in 0..<5 {
            #expect(!verifier.verify(authorization: Self.basic("nobody", "x"), users: Self.users))
        }
        #expect(verifier.bcryptRuns == 2)
        #expect(verifier.verify(authorization: Self.basic("quick", "quick pass"), users: Self.users))
        #expect(verifier.bcryptRuns == 3)
        // A new hash for the user (a reload) is a new key: the cached failure no longer applies.
        #expect(
            !verifier.verify(
                authorization: Self.basic("quick", "wrong"), users: ["quick": BcryptFixture.aPrefix.hash]))
        #expect(verifier.bcryptRuns == 4)
    }

    @Test("a flood of new wrong passwords cannot evict a verified success")
    func floodKeepsSuccesses() {
        let verifier = BasicAuthVerifier(maxEntries: 4, maxFailures: 4)
        #expect(verifier.verify(authorization: Self.basic("quick", "quick pass"), users: Self.users))
        for index in 0..<20 {
            #expect(!verifier.verify(authorization: Self.basic("quick", "wrong \(index)"), users: Self.users))
        }
        let runs = verifier.bcryptRuns
        guard
            case .accepted = verifier.lookup(
                authorization: Self.basic("quick", "quick pass"), users: Self.users)
        else {
            Issue.record("the verified credentials were evicted")
            return
        }
        #expect(verifier.bcryptRuns == runs)
    }

    @Test("the failure cache is bounded, oldest out first, and entries expire")
    func verdictCacheBounds() {
        let start = ContinuousClock.now
        var cache = VerdictCache(capacity: 3, ttl: .seconds(60))
        let keys = (0..<5).map { index in CredentialFingerprint([UInt8](repeating: UInt8(index), count: 32)) }
        for key in keys { cache.insert(key, now: start) }
        #expect(cache.count == 3)
        let evicted = [cache.contains(keys[0], now: start), cache.contains(keys[1], now: start)]
        let newest = cache.contains(keys[4], now: start)
        let expired = cache.contains(keys[4], now: start + .seconds(61))
        #expect(evicted == [false, false])
        #expect(newest)
        #expect(!expired)
    }

    @Test("an address may fail `burst` checks, then waits; successes cost nothing; the debt is bounded")
    func throttleBudget() {
        let throttle = AuthThrottle(policy: .init(burst: 3, refill: .seconds(10)))
        let start = ContinuousClock.now
        for _ in 0..<3 {
            #expect(throttle.admit("127.0.0.9", now: start) == nil)
            throttle.recordFailure("127.0.0.9", now: start)
        }
        let wait = throttle.admit("127.0.0.9", now: start)
        #expect(wait.map { $0 > .seconds(9) && $0 <= .seconds(10) } == true, "\(String(describing: wait))")
        #expect(throttle.admit("127.0.0.10", now: start) == nil, "another address has its own budget")
        #expect(throttle.throttledAddresses(now: start) == 1)
        #expect(throttle.admit("127.0.0.9", now: start + .seconds(10)) == nil, "one token back after 10 s")
        throttle.recordFailure("127.0.0.9", now: start + .seconds(10))
        #expect(throttle.admit("127.0.0.9", now: start + .seconds(10)) != nil)
        for _ in 0..<100 { throttle.recordFailure("127.0.0.11", now: start) }
        let longest = throttle.admit("127.0.0.11", now: start)
        #expect(longest.map { $0 <= .seconds(40) } == true, "\(String(describing: longest))")
    }

    @Test("a used success stays cached; an unused one expires")
    func successesRenewWhenUsed() {
        let start = ContinuousClock.now
        var cache = VerdictCache(capacity: 4, ttl: .seconds(60))
        let used = CredentialFingerprint([UInt8](repeating: 1, count: 32))
        let unused = CredentialFingerprint([UInt8](repeating: 2, count: 32))
        cache.insert(used, now: start)
        cache.insert(unused, now: start)
        var hits: [Bool] = []
        for minute in 1...5 { hits.append(cache.contains(used, now: start + .seconds(50 * minute))) }
        let expired = cache.contains(unused, now: start + .seconds(61))
        #expect(hits == [true, true, true, true, true])
        #expect(!expired)
    }

    @Test("IPv6 addresses share their /64; IPv4-mapped addresses count as IPv4")
    func throttleKeys() {
        #expect(AuthThrottle.sourceKey("2001:db8:1:2::5") == AuthThrottle.sourceKey("2001:db8:1:2:ffff::1"))
        #expect(AuthThrottle.sourceKey("2001:db8:1:2::5") != AuthThrottle.sourceKey("2001:db8:1:3::5"))
        #expect(AuthThrottle.sourceKey("::ffff:127.0.0.5") == "127.0.0.5")
        #expect(AuthThrottle.sourceKey("127.0.0.5") == "127.0.0.5")
    }

    @Test("the throttle forgets addresses beyond its bound")
    func throttleBound() {
        let throttle = AuthThrottle(policy: .init(burst: 1, refill: .seconds(10), maxAddresses: 8))
        let start = ContinuousClock.now
        for index in 0..<100 {
            #expect(throttle.admit("10.0.0.\(index)", now: start) == nil)
            throttle.recordFailure("10.0.0.\(index)", now: start)
        }
        #expect(throttle.throttledAddresses(now: start) <= 8)
    }

    @Test("the pool refuses work beyond its queue and runs the rest")
    func poolBound() {
        let pool = BcryptPool(threads: 1, queueLimit: 2)
        let gate = DispatchSemaphore(value: 0)
        let ran = Atomic<Int>(0)
        let started = DispatchSemaphore(value: 0)
        #expect(
            pool.submit {
                started.signal()
                gate.wait()
                ran.add(1, ordering: .relaxed)
            })
        #expect(started.wait(timeout: .now() + 5) == .success)
        #expect(pool.submit { ran.add(1, ordering: .relaxed) })
        #expect(pool.submit { ran.add(1, ordering: .relaxed) })
        #expect(!pool.submit { ran.add(100, ordering: .relaxed) })
        gate.signal()
        let done = DispatchSemaphore(value: 0)
        let deadline = ContinuousClock.now + .seconds(5)
        while ran.load(ordering: .relaxed) < 3 && ContinuousClock.now < deadline {
            _ = done.wait(timeout: .now() + 0.01)
        }
        #expect(ran.load(ordering: .relaxed) == 3)
    }

    @Test("failures are counted one by one but reported at most once per interval, with no user name")
    func failureReports() {
        let reports = Mutex<[AuthFailureCounter.Report]>([])
        let counter = AuthFailureCounter(logInterval: .seconds(10)) { report in
            reports.withLock { $0.append(report) }
        }
        let start = ContinuousClock.now
        for index in 0..<100 {
            counter.record(
                address: "127.0.0.8", throttled: index >= 95, now: start + .milliseconds(index * 10))
        }
        #expect(counter.count == 100)
        #expect(reports.withLock { $0.count } == 1)
        counter.record(address: "127.0.0.9", throttled: false, now: start + .seconds(11))
        let all = reports.withLock { $0 }
        #expect(all.count == 2)
        #expect(
            all.last == AuthFailureCounter.Report(failures: 100, throttled: 5, latestAddress: "127.0.0.9"))
    }
}
