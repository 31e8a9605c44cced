import Foundation
import Testing

@testable import ExporterConfig

@Suite("Shard assignment (rendezvous hashing)")
struct ShardAssignmentTests {
    private let names = (0..<1200).map { "cm-\($0)" }

    @Test("the hash is FNV-1a 64 (the published test vectors), the same in every process")
    func stableHash() {
        #expect(ShardAssignment.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(ShardAssignment.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ShardAssignment.fnv1a64("foobar") == 0x85944171f73967e8)
        // Pinned owners: a change of hash would reshuffle every running estate.
        #expect(
            (0..<12).map { ShardAssignment.owner(of: "cm-\($0 < 10 ? "0" : "")\($0)", totalShards: 3) }
                == [2, 1, 1, 0, 1, 2, 1, 2, 2, 2, 2, 1])
    }

    @Test("every CM has exactly one owner, and the shards share them about evenly", arguments: [2, 3, 4, 8])
    func evenShare(total: Int) {
        var counts = [Int](repeating: 0, count: total)
        for name in names {
            let owners = (0..<total).filter { ShardAssignment(shard: $0, totalShards: total).owns(name) }
            #expect(owners.count == 1, "\(name): owners \(owners)")
            counts[owners[0]] += 1
        }
        let fair = names.count / total
        #expect(counts.allSatisfy { abs($0 - fair) < fair / 4 }, "\(counts)")
    }

    @Test(
        "going from N to N+1 shards moves about 1/(N+1) of the CMs, each to the new shard",
        arguments: [1, 2, 3, 7])
    func growingMovesOnlyToTheNewShard(total: Int) {
        let moved = names.filter {
            ShardAssignment.owner(of: $0, totalShards: total)
                != ShardAssignment.owner(of: $0, totalShards: total + 1)
        }
        #expect(moved.allSatisfy { ShardAssignment.owner(of: $0, totalShards: total + 1) == total })
        let expected = Double(names.count) / Double(total + 1)
        #expect(
            abs(Double(moved.count) - expected) < expected * 0.2,
            "\(moved.count) moved, about \(expected) expected")
    }

    @Test("one shard owns every CM")
    func unsharded() {
        #expect(!ShardAssignment.unsharded.isSharded)
        #expect(names.allSatisfy { ShardAssignment.unsharded.owns($0) })
    }

    @Test(
        "the ordinal of a StatefulSet pod name",
        arguments: [
            ("cckm-exporter-3", 3), ("cckm-exporter-0", 0), ("a-12", 12), ("web-1-2", 2),
        ])
    func podName(name: String, ordinal: Int) {
        #expect(ShardAssignment.ordinal(fromPodName: name) == ordinal)
    }

    @Test(
        "names without an ordinal",
        arguments: [
            "cckm-exporter", "-3", "cckm-exporter-", "cckm-exporter-x1", "$(POD_NAME)", "", "a-1234567890",
        ])
    func notAPodName(name: String) {
        #expect(ShardAssignment.ordinal(fromPodName: name) == nil)
    }

    @Test(
        "each bad value is one error naming its field",
        arguments: [
            (3, 3, "--shard: must be less than --total-shards (3), got 3"),
            (-1, 3, "--shard: must not be negative, got -1"),
            (0, 0, "--total-shards: must be 1 to 1024, got 0"),
            (0, 1025, "--total-shards: must be 1 to 1024, got 1025"),
        ])
    func validation(shard: Int, total: Int, message: String) {
        #expect(throws: ConfigurationError.self) {
            try ShardAssignment.validated(
                shard: shard, shardField: "--shard", totalShards: total, totalField: "--total-shards")
        }
        do {
            _ = try ShardAssignment.validated(
                shard: shard, shardField: "--shard", totalShards: total, totalField: "--total-shards")
        } catch {
            #expect("\(error)" == message)
        }
    }

    private static let tokenFile: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shard-tests-\(getpid())")
            .path
        _ = FileManager.default.createFile(atPath: path, contents: Data("token".utf8))
        return path
    }()

    private func parse(_ top: String, defaults: ShardDefaults = ShardDefaults()) throws
        -> ExporterConfiguration
    {
        try ConfigurationLoader.parse(
            yaml: top + """
                targets:
                  - {name: a, url: "http://127.0.0.1:1", auth: {refresh_token_file: \(Self.tokenFile)}}
                """,
            defaults: (.seconds(30), nil), sharding: defaults)
    }

    @Test("the file's shard and total_shards win over the flags'")
    func fileKeys() throws {
        let defaults = ShardDefaults(assignment: ShardAssignment(shard: 1, totalShards: 2))
        #expect(try parse("", defaults: defaults).sharding == ShardAssignment(shard: 1, totalShards: 2))
        #expect(
            try parse("total_shards: 4\n", defaults: defaults).sharding
                == ShardAssignment(shard: 1, totalShards: 4))
        #expect(
            try parse("shard: 3\ntotal_shards: 4\n").sharding == ShardAssignment(shard: 3, totalShards: 4))
    }

    @Test(
        "bad shard keys in the file name the key",
        arguments: [
            ("total_shards: 0\n", ShardDefaults(), "total_shards: must be 1 to 1024, got 0"),
            (
                "shard: 2\ntotal_shards: 2\n", ShardDefaults(),
                "shard: must be less than total_shards (2), got 2"
            ),
            (
                "total_shards: 2\n", ShardDefaults(assignment: ShardAssignment(shard: 5, totalShards: 1)),
                "--shard: must be less than total_shards (2), got 5"
            ),
            ("shard: x\n", ShardDefaults(), "shard: must be a whole number, got \"x\""),
            (
                "shard: 1\ntotal_shards: 3\n",
                ShardDefaults(
                    assignment: ShardAssignment(shard: 2, totalShards: 1),
                    shardField: "--shard.from-pod-name", fromPodName: true),
                "shard: cannot be combined with --shard.from-pod-name"
            ),
        ])
    func badFileKeys(yaml: String, defaults: ShardDefaults, message: String) {
        do {
            _ = try parse(yaml, defaults: defaults)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
