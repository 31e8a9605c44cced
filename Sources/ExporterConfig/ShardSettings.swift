import StrictYAML
import Yams

/// The file's `shard` and `total_shards`: each wins over its flag, as the file's poll settings
/// do; `shard` may not be given with `--shard.from-pod-name`.
enum ShardSettings {
    static func read(_ fields: [String: YAMLField], reader: StrictYAMLReader, defaults: ShardDefaults)
        throws(ConfigurationError) -> ShardAssignment
    {
        var shard = defaults.assignment.shard
        var shardField = defaults.shardField
        var total = defaults.assignment.totalShards
        var totalField = "--total-shards"
        if let (node, path) = fields["shard"] {
            guard !defaults.fromPodName else {
                throw ConfigurationError(
                    field: path, problem: "cannot be combined with --shard.from-pod-name")
            }
            shard = try reader.int(node, at: path)
            shardField = path
        }
        if let (node, path) = fields["total_shards"] {
            total = try reader.int(node, at: path)
            totalField = path
        }
        return try ShardAssignment.validated(
            shard: shard, shardField: shardField, totalShards: total, totalField: totalField)
    }
}
