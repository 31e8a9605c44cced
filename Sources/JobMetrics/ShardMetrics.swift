/// What a sharded exporter says of its shard (`--total-shards` above 1 only):
/// `cckm_exporter_shard_ordinal`, `cckm_exporter_total_shards` and `cckm_exporter_targets`.
public struct ShardMetrics: Sendable, Equatable {
    /// This replica's ordinal.
    public var ordinal: Int
    public var totalShards: Int
    /// Configured CMs this shard polls.
    public var ownedTargets: Int
    /// Configured CMs other shards poll.
    public var otherShardsTargets: Int

    public init(ordinal: Int, totalShards: Int, ownedTargets: Int, otherShardsTargets: Int) {
        self.ordinal = ordinal
        self.totalShards = totalShards
        self.ownedTargets = ownedTargets
        self.otherShardsTargets = otherShardsTargets
    }

    /// One line for the status pages: which shard this is and what it polls.
    public var summary: String {
        let configured = ownedTargets + otherShardsTargets
        if ownedTargets == 0 {
            return "Shard \(ordinal) of \(totalShards) owns none of the \(configured) configured"
                + " CipherTrust Managers: it polls nothing, is ready, and serves its own metrics."
        }
        return "Shard \(ordinal) of \(totalShards) polls \(ownedTargets) of the \(configured) configured"
            + " CipherTrust Managers; the other \(otherShardsTargets) belong to other shards."
    }
}
