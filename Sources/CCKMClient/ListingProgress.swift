/// What an incremental poll of one listing carries over to the next, so work that outgrows
/// one poll resumes where it stopped instead of starting again: the catch-ups under way,
/// the pass over the running set, the jobs whose reads fail, and where the one-by-one reads of
/// running jobs go on.
public struct ListingProgress: Sendable {
    public var catchUp = ListingCatchUp()
    public var jobReads = JobReadRetries()
    /// The pass over the running set under way, when it outgrew a poll.
    public var runningSet = RunningSetRound()
    /// The id of the last running job read one by one: the next poll starts after it.
    public var lastReadByID: String?
    /// False when the last poll left jobs held as running that it did not see again: a pass
    /// over the running set that spanned polls (jobs shown by its earlier pages may have
    /// finished since), or one-by-one reads cut by the budget. Those jobs may have finished:
    /// No consistency check runs then.
    public internal(set) var runningHeldIsCurrent = true
    /// Jobs held as running that the last poll did not see and left to the catch-up it opened
    /// (``RunningJobReads/leaveToCatchUp(besides:seen:)``): read one by one by the next poll
    /// if still held as running then.
    public internal(set) var leftToCatchUp: Set<String> = []

    public init() {}
}
