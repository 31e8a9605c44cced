import Foundation
import Synchronization
import TestSupport
import Testing

/// A SIGTERM or SIGHUP that arrives while the exporter is still starting (parsing flags,
/// loading the configuration, binding the port: tens of milliseconds) must not meet the
/// default action: SIGTERM stops it cleanly (exit 0), SIGHUP leaves it running.
@Suite(
    "Signals during start-up",
    .enabled(if: FileManager.default.isExecutableFile(atPath: exporterBinary.path)))
struct StartupSignalTests {
    static let arguments = [
        "--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1s", "--poll.timeout=1s",
    ]

    /// Signals blocked by the main thread of `pid` (`SigBlk` of /proc/PID/status), or nil once
    /// the process is gone.
    static func blockedSignals(_ pid: pid_t) -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return nil
        }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }) else {
            return nil
        }
        return UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
    }

    static func bit(_ signal: Int32) -> UInt64 { 1 << UInt64(signal - 1) }

    /// Waits until `pid` blocks SIGTERM and SIGHUP: the first thing its `main` does. False when
    /// it never does within 10 s (or exits first).
    static func waitUntilSignalsBlocked(_ pid: pid_t) -> Bool {
        let wanted = bit(SIGTERM) | bit(SIGHUP)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard let mask = blockedSignals(pid) else { return false }
            if mask & wanted == wanted { return true }
            usleep(100)
        }
        return false
    }

    /// The process's stderr, collected line by line on a background thread.
    final class ErrorLines: Sendable {
        private let text = Mutex("")
        private let arrived = NSCondition()

        init(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [self] handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil }
                text.withLock { $0 += String(decoding: data, as: UTF8.self) }
                arrived.lock()
                arrived.broadcast()
                arrived.unlock()
            }
        }

        /// Waits (at most 10 s) until the output contains `needle`.
        func wait(for needle: String) -> Bool {
            let deadline = Date().addingTimeInterval(10)
            arrived.lock()
            defer { arrived.unlock() }
            while !text.withLock({ $0.contains(needle) }) {
                if !arrived.wait(until: deadline) { return text.withLock { $0.contains(needle) } }
            }
            return true
        }

        var all: String { text.withLock { $0 } }
    }

    private func start() throws -> (Process, ErrorLines) {
        let process = Process()
        process.executableURL = exporterBinary
        process.arguments = Self.arguments
        let errors = Pipe()
        process.standardError = errors
        let lines = ErrorLines(errors)
        try process.run()
        return (process, lines)
    }

    /// Waits at most 10 s for `process` to end; kills it and returns false when it does not.
    private func waitForExit(_ process: Process) -> Bool {
        if eventually(timeout: .seconds(10), { !process.isRunning }) { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    @Test("SIGTERM as soon as main has started: exit 0, not 143")
    func sigtermDuringStartup() throws {
        let (process, lines) = try start()
        let blocked = Self.waitUntilSignalsBlocked(process.processIdentifier)
        kill(process.processIdentifier, SIGTERM)
        #expect(blocked, "main never blocked SIGTERM and SIGHUP")
        #expect(waitForExit(process), "still running 10 s after SIGTERM")
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0, "\(lines.all)")
    }

    @Test("SIGHUP as soon as main has started: it keeps starting and serves, then stops on SIGTERM")
    func sighupDuringStartup() throws {
        let (process, lines) = try start()
        let blocked = Self.waitUntilSignalsBlocked(process.processIdentifier)
        kill(process.processIdentifier, SIGHUP)
        #expect(blocked, "main never blocked SIGTERM and SIGHUP")
        // Nothing to reload before it runs: the SIGHUP is dropped, not fatal.
        #expect(lines.wait(for: "msg=\"first poll succeeded\""), "\(lines.all)")
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGTERM)
        #expect(waitForExit(process), "still running 10 s after SIGTERM")
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0)
    }

    @Test("a SIGTERM already pending when the process starts is not lost: exit 0")
    func pendingSigterm() throws {
        // Spawned with SIGTERM blocked, so the signal sent right away waits, pending, for the
        // exporter to take it: ignoring it (SIG_IGN) at start-up would discard it for good.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([exporterBinary.path] + Self.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, exporterBinary.path, &actions, &attributes, argv, environ) == 0)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                Issue.record("still running 10 s after a pending SIGTERM")
                return
            }
            usleep(2000)
        }
        #expect(status & 0x7f == 0, "killed by signal \(status & 0x7f)")
        #expect((status >> 8) & 0xff == 0)
    }
}
