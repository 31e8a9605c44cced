/// A manual clock that also moves on by itself as a real CM's does while it answers: each
/// read moves it on by ``secondsPerRead`` (the simulator reads its clock once a request), on
/// top of what the caller advances. Jobs are then created and finish between the requests of
/// one poll, deterministically (the consistency check's tests and `cckm-bench --busy-cm`).
public final class TickingClock: SimulatorClock {
    private let base: ManualClock
    public let secondsPerRead: Double

    public init(secondsPerRead: Double, start: Double = 1_704_067_200) {
        self.secondsPerRead = max(0, secondsPerRead)
        base = ManualClock(start: start)
    }

    public func now() -> Double {
        base.advance(by: secondsPerRead)
        return base.now()
    }

    /// Moves the clock forward (a negative value is ignored).
    public func advance(by seconds: Double) { base.advance(by: seconds) }
}
