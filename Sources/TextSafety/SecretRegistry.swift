import Synchronization

/// The secrets this process holds for CipherTrust Manager right now (passwords, refresh
/// tokens, the JWTs CM issued), so that every place text leaves the process — log lines, the
/// poll journal, `/` and `/debug` — can scrub them out, whichever path CM's text took to get
/// there.
///
/// Process-wide on purpose: a JWT is minted deep inside a poller's client, and a sink that
/// missed one secret would be the leak. Each owner (one token provider) registers its own
/// secrets and withdraws them when it goes away, keeping the configured ones and the
/// newest ``perOwner`` of those CM issued.
public final class SecretRegistry: Sendable {
    /// The registry the exporter's sinks read.
    public static let shared = SecretRegistry()
    /// Secrets kept per owner.
    public static let perOwner = 16

    private struct Entry {
        /// The configured secrets: kept as long as the owner lives.
        var pinned: [String] = []
        /// Secrets CM handed out, oldest first.
        var recent: [String] = []
        var all: [String] { pinned + recent }
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var scrubber = SecretScrubber(secrets: [])

        mutating func rebuild() { scrubber = SecretScrubber(secrets: entries.values.flatMap(\.all)) }
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds `secrets` (empty ones are ignored) to those of `owner`: `pinned` ones (the
    /// configured password and refresh token) stay while the owner lives, the others (JWTs and
    /// refresh tokens CM issued) only the newest ``perOwner``.
    public func register(_ secrets: [String], owner: AnyObject, pinned: Bool = false) {
        let key = ObjectIdentifier(owner)
        state.withLock { state in
            var entry = state.entries[key, default: Entry()]
            let new = secrets.filter { !$0.isEmpty && !entry.all.contains($0) }
            guard !new.isEmpty else { return }
            if pinned {
                entry.pinned += new
            } else {
                entry.recent += new
                if entry.recent.count > Self.perOwner {
                    entry.recent.removeFirst(entry.recent.count - Self.perOwner)
                }
            }
            state.entries[key] = entry
            state.rebuild()
        }
    }

    /// Forgets every secret of `owner` (call from its `deinit`).
    public func withdraw(owner: ObjectIdentifier) {
        state.withLock { state in
            guard state.entries.removeValue(forKey: owner) != nil else { return }
            state.rebuild()
        }
    }

    /// A scrubber for every secret registered now.
    public var scrubber: SecretScrubber { state.withLock { $0.scrubber } }

    /// `text` without any piece of a registered secret.
    public func scrub(_ text: String) -> String { scrubber.scrub(text) }
}
