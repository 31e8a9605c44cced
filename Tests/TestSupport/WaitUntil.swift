import Foundation
import Testing

/// Waits (bounded, on real time) until `condition` holds; records an issue on timeout unless
/// `expectTimeout`, which checks the opposite: that it stays false that long.
public func waitUntil(
    _ what: String, timeout: Double = 10, expectTimeout: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() {
            if expectTimeout { Issue.record("\(what) happened", sourceLocation: sourceLocation) }
            return
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
    if !expectTimeout { Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation) }
}
