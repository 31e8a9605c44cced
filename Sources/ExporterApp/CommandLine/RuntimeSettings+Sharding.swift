import ExporterConfig

extension RuntimeSettings {
    /// `--shard` (or the ordinal of `--shard.from-pod-name`) and `--total-shards`, validated
    /// against each other unless a file is read, which may still give `total_shards` (or
    /// `shard`) and is then checked with them (``ShardDefaults``).
    static func shardDefaults(_ options: ExporterOptions) throws(ConfigurationError) -> ShardDefaults {
        var shard = options.shard ?? 0
        var field = "--shard"
        if let podName = options.shardFromPodName {
            field = "--shard.from-pod-name"
            guard options.shard == nil else {
                throw ConfigurationError(field: field, problem: "cannot be combined with --shard")
            }
            guard let ordinal = ShardAssignment.ordinal(fromPodName: podName) else {
                throw ConfigurationError(
                    field: field,
                    problem:
                        "\"\(podName)\" is not a StatefulSet pod name ending in -ORDINAL like cckm-exporter-3 (is POD_NAME set from metadata.name?)"
                )
            }
            shard = ordinal
        }
        let total = options.totalShards ?? 1
        // With a file, its total_shards may make room for the ordinal: checked once it is read.
        let bound = options.configFile == nil ? total : ShardAssignment.maximumShards
        _ = try ShardAssignment.validated(
            shard: 0, shardField: field, totalShards: total, totalField: "--total-shards")
        _ = try ShardAssignment.validated(
            shard: shard, shardField: field, totalShards: bound, totalField: "--total-shards")
        return ShardDefaults(
            assignment: ShardAssignment(shard: shard, totalShards: total), shardField: field,
            fromPodName: options.shardFromPodName != nil)
    }
}
