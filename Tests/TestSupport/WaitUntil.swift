import Foundation
import Testing

/// Checks `condition` every 10 ms until it holds or `timeout` passes (real time); returns
/// whether it held. For waiting on something observable instead of sleeping for a guessed
/// duration: the one bounded poll the tests share.
public func eventually(timeout: Duration = .seconds(5), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        if ContinuousClock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return true
}

/// Waits (bounded, on real time) until `condition` holds; records an issue on timeout unless
/// `expectTimeout`, which checks the opposite: that it stays false that long.
public func waitUntil(
    _ what: String, timeout: Double = 10, expectTimeout: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) throws {
    let held = eventually(timeout: .milliseconds(Int64(timeout * 1000)), condition)
    if held && expectTimeout { Issue.record("\(what) happened", sourceLocation: sourceLocation) }
    if !held && !expectTimeout {
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
    }
}
