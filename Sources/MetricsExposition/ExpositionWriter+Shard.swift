import JobMetrics

extension ExpositionWriter {
    /// The shard families: none for an unsharded exporter (`shard` nil), so its output is
    /// what it was before sharding existed.
    static func shardSeries(_ family: MetricDescriptor, _ shard: ShardMetrics?) -> [Series] {
        guard let shard else { return [] }
        let ordinal = String(shard.ordinal)
        switch family {
        case MetricCatalogue.shardOrdinal:
            return [Series(labelValues: [ordinal], value: .count(UInt64(shard.ordinal)))]
        case MetricCatalogue.totalShards:
            return [Series(labelValues: [], value: .count(UInt64(shard.totalShards)))]
        default:
            return [
                Series(
                    labelValues: [ordinal, "other_shards"], value: .count(UInt64(shard.otherShardsTargets))),
                Series(labelValues: [ordinal, "owned"], value: .count(UInt64(shard.ownedTargets))),
            ]
        }
    }
}
