/// One poll of one listing as the status page lists it, like blackbox_exporter's recent probes:
/// what `Polling`'s journal records and `StatusPages` renders.
public struct PollRecord: Sendable, Equatable {
    /// How a poll ended.
    public enum Outcome: Sendable, Equatable {
        case running
        case succeeded
        /// The `reason` label and the error message (CM's codeDesc and message; no secrets).
        case failed(reason: String, message: String)
    }

    /// Seconds since the epoch.
    public var start: Double
    /// Nil while the poll runs.
    public var durationSeconds: Double?
    public var outcome: Outcome
    /// Log lines (logfmt) written while the poll ran, at every level including debug.
    public var lines: [String]
    /// Lines left out because the poll logged more than the journal keeps.
    public var droppedLines: Int

    public init(
        start: Double, durationSeconds: Double? = nil, outcome: Outcome = .running,
        lines: [String] = [], droppedLines: Int = 0
    ) {
        self.start = start
        self.durationSeconds = durationSeconds
        self.outcome = outcome
        self.lines = lines
        self.droppedLines = droppedLines
    }

    /// `running`, `ok`, or `failed (reason)`.
    public var outcomeText: String {
        switch outcome {
        case .running: "running"
        case .succeeded: "ok"
        case .failed(let reason, _): "failed (\(reason))"
        }
    }
}
