/// Which of the configured CipherTrust Managers this replica polls, when several replicas share
/// one configuration (`--shard`, `--total-shards`, `--shard.from-pod-name`; `shard` and
/// `total_shards` in the file), as kube-state-metrics shards Kubernetes objects.
///
/// A CM belongs to the shard whose **rendezvous (highest-random-weight) weight** for the CM's
/// name is highest: each shard `s` weighs a name as `mix(fnv1a64(name) ^ mix(s + 1))`, and the
/// heaviest wins (the lowest ordinal on a tie). Going from N to N+1 shards therefore moves only
/// the CMs the new shard now outweighs, about 1/(N+1) of them, and every one of them to the new
/// shard; modulo hashing (`hash % N`) would move most CMs, between old shards too. The hash is
/// FNV-1a 64 over the name's UTF-8 bytes with splitmix64's finalizer as `mix`: the same on
/// every replica, platform and run (Swift's `Hasher` is seeded per process and cannot be used).
public struct ShardAssignment: Sendable, Equatable {
    /// This replica's ordinal, `0 ..< totalShards`.
    public var shard: Int
    /// How many shards the configuration is split into; 1: this replica polls every CM.
    public var totalShards: Int

    /// One shard: every CM, the default.
    public static let unsharded = ShardAssignment(shard: 0, totalShards: 1)

    /// The largest `--total-shards` accepted.
    public static let maximumShards = 1024

    public init(shard: Int, totalShards: Int) {
        self.shard = shard
        self.totalShards = totalShards
    }

    /// True with more than one shard: only then does the exporter export its shard metrics.
    public var isSharded: Bool { totalShards > 1 }

    /// True when this shard polls the CM named `name`.
    public func owns(_ name: String) -> Bool { Self.owner(of: name, totalShards: totalShards) == shard }

    /// The ordinal of the shard that polls the CM named `name` among `totalShards` shards.
    public static func owner(of name: String, totalShards: Int) -> Int {
        let nameHash = fnv1a64(name)
        var best = 0
        var bestWeight: UInt64 = 0
        for candidate in 0..<max(totalShards, 1) {
            let weight = mix(nameHash ^ mix(UInt64(candidate) &+ 1))
            if candidate == 0 || weight > bestWeight {
                best = candidate
                bestWeight = weight
            }
        }
        return best
    }

    /// FNV-1a, 64 bits, over the UTF-8 bytes of `text`.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// splitmix64's finalizer: every input bit moves every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The ordinal at the end of a StatefulSet pod name: `cckm-exporter-3` → 3; nil when the
    /// name does not end in `-` and decimal digits after a non-empty prefix.
    public static func ordinal(fromPodName name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-"), dash > name.startIndex else { return nil }
        let digits = name[name.index(after: dash)...]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(digits)
    }

    /// Checks `shard` against `totalShards`; each error names the field the value came from.
    package static func validated(
        shard: Int, shardField: String, totalShards: Int, totalField: String
    ) throws(ConfigurationError) -> ShardAssignment {
        guard (1...maximumShards).contains(totalShards) else {
            throw ConfigurationError(
                field: totalField, problem: "must be 1 to \(maximumShards), got \(totalShards)")
        }
        guard shard >= 0 else {
            throw ConfigurationError(field: shardField, problem: "must not be negative, got \(shard)")
        }
        guard shard < totalShards else {
            throw ConfigurationError(
                field: shardField,
                problem: "must be less than \(totalField) (\(totalShards)), got \(shard)")
        }
        return ShardAssignment(shard: shard, totalShards: totalShards)
    }
}

/// Where the shard settings came from before the file is read: the command line's values, and
/// the flag the ordinal came from (`--shard`, or `--shard.from-pod-name`, which the file may not
/// override).
public struct ShardDefaults: Sendable, Equatable {
    public var assignment: ShardAssignment
    /// The flag that gave the ordinal; `--shard` when none was given.
    public var shardField: String
    /// True when `--shard.from-pod-name` gave the ordinal: a `shard` key in the file is an error.
    public var fromPodName: Bool

    public init(
        assignment: ShardAssignment = .unsharded, shardField: String = "--shard", fromPodName: Bool = false
    ) {
        self.assignment = assignment
        self.shardField = shardField
        self.fromPodName = fromPodName
    }
}

extension ExporterConfiguration {
    /// The targets this replica polls: every one when unsharded, else those its shard owns.
    public var ownedTargets: [TargetConfiguration] {
        sharding.isSharded ? targets.filter { sharding.owns($0.name) } : targets
    }
}
