import Dispatch
import Foundation
import ProcessSignals
import Synchronization
import Testing

/// ``SignalWaiter`` in this process, on SIGUSR1 (termination) and SIGUSR2 (reload) so that
/// the test runner's own SIGTERM, SIGINT and SIGHUP keep their meaning.
@Suite("Signals: a slow reload does not delay termination", .serialized)
struct SignalWaiterTests {
    /// Sends `signal` to this process until `arrived` is signalled (a dispatch source starts
    /// listening shortly after it is resumed; an earlier signal is ignored, not fatal).
    private func send(_ signal: Int32, until arrived: DispatchSemaphore, within: Duration) -> Bool {
        let deadline = ContinuousClock.now + within
        repeat {
            kill(getpid(), signal)
            if arrived.wait(timeout: .now() + .milliseconds(20)) == .success { return true }
        } while ContinuousClock.now < deadline
        return false
    }

    @Test("SIGTERM during a reload that has not finished ends the wait at once")
    func terminationDuringSlowReload() {
        let signals = SignalWaiter(terminateOn: [SIGUSR1], reloadOn: [SIGUSR2])
        let reloading = DispatchSemaphore(value: 0)
        let release = DispatchGroup()
        release.enter()
        let returned = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            signals.waitForTermination(onReload: {
                reloading.signal()
                release.wait()  // a reload that takes as long as the test wants
            })
            returned.signal()
        }
        defer { release.leave() }
        #expect(send(SIGUSR2, until: reloading, within: .seconds(5)), "the reload never started")
        #expect(
            send(SIGUSR1, until: returned, within: .seconds(3)),
            "termination waited for the reload in progress")
    }

    @Test("a termination signal sent before the wait begins is not lost")
    func terminationBeforeWait() {
        let signals = SignalWaiter(terminateOn: [SIGUSR1], reloadOn: [SIGUSR2])
        let delivered = DispatchSemaphore(value: 0)
        // The first wait consumes the signal; a probe source tells when one got through.
        let probe = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        probe.setEventHandler { delivered.signal() }
        probe.resume()
        defer { probe.cancel() }
        #expect(send(SIGUSR1, until: delivered, within: .seconds(5)))
        let returned = DispatchSemaphore(value: 0)
        let arrived = Mutex<Int32?>(nil)
        Thread.detachNewThread {
            let number = signals.waitForTermination()
            arrived.withLock { $0 = number }
            returned.signal()
        }
        #expect(returned.wait(timeout: .now() + .seconds(3)) == .success)
        #expect(arrived.withLock { $0 } == SIGUSR1, "the wait names the signal that ended it")
    }

    @Test("signals are named as the simulator prints them")
    func names() {
        #expect(SignalWaiter.name(of: SIGTERM) == "SIGTERM")
        #expect(SignalWaiter.name(of: SIGINT) == "SIGINT")
        #expect(SignalWaiter.name(of: 42) == "signal 42")
    }
}
