import ExporterConfig
import JobMetrics
import Logging

extension ExporterConfiguration {
    /// The shard metrics of this configuration: nil when unsharded (none are written then).
    var shardMetrics: ShardMetrics? {
        guard sharding.isSharded else { return nil }
        let owned = ownedTargets.count
        return ShardMetrics(
            ordinal: sharding.shard, totalShards: sharding.totalShards, ownedTargets: owned,
            otherShardsTargets: targets.count - owned)
    }

    /// `shard` and `total_shards` for the pollers' log line, when sharded.
    var shardLogMetadata: Logger.Metadata {
        guard sharding.isSharded else { return [:] }
        return ["shard": "\(sharding.shard)", "total_shards": "\(sharding.totalShards)"]
    }
}
