import CCKMSimulator
import Foundation
import Testing

/// One way a real CM may behave under the exporter, for the living-CM property test.
struct LivingCMScenario: Sendable, CustomTestStringConvertible {
    let name: String
    let behaviour: APIBehaviour

    var testDescription: String { name }

    /// The page size CM actually serves for a `limit` of `asked`.
    func servedPageSize(asked: Int, maxPageSize: Int) -> Int {
        min(asked, maxPageSize, behaviour.pages.silentCap ?? .max)
    }

    /// The scenarios to run: every one, or those whose name contains `LIVING_CM_SCENARIOS`
    /// (e.g. `cluster`).
    static var selected: [LivingCMScenario] {
        guard let filter = ProcessInfo.processInfo.environment["LIVING_CM_SCENARIOS"], !filter.isEmpty else {
            return all
        }
        return all.filter { $0.name.contains(filter) }
    }

    static let all: [LivingCMScenario] = [
        LivingCMScenario(
            name: "newest first, silent page cap 40, null empty pages, unknown ids answered 500",
            behaviour: {
                var behaviour = APIBehaviour(stuckJobs: 45)
                behaviour.pages = PageBehaviour(silentCap: 40, emptyPage: .null)
                behaviour.unknownJobStatus = 500
                return behaviour
            }()),
        LivingCMScenario(
            name: "oldest first with sort ignored, empty pages without resources or total",
            behaviour: {
                var behaviour = APIBehaviour(sortHonoured: false, defaultOrder: .oldestFirst, stuckJobs: 45)
                behaviour.pages = PageBehaviour(emptyPage: .absent)
                return behaviour
            }()),
        LivingCMScenario(
            name: "2-node cluster, one node 5 s behind",
            behaviour: {
                var behaviour = APIBehaviour(stuckJobs: 45)
                behaviour.cluster = ClusterBehaviour(nodes: 2, laggingNodes: 1, lagSeconds: 5)
                return behaviour
            }()),
    ]
}

/// How long a living-CM run lives and which seeds run: the CI defaults, or the environment's
/// `LIVING_CM_SEEDS` (`1,2,7` or `1-20`) and `LIVING_CM_LIFE_POLLS` for the longer run of
/// `scripts/living-cm.sh`.
enum LivingCMPlan {
    static let seeds: [UInt64] =
        parseSeeds(ProcessInfo.processInfo.environment["LIVING_CM_SEEDS"]) ?? [1, 2, 3]
    static let lifePolls = ProcessInfo.processInfo.environment["LIVING_CM_LIFE_POLLS"].flatMap(Int.init) ?? 24

    static func parseSeeds(_ text: String?) -> [UInt64]? {
        guard let text, !text.isEmpty else { return nil }
        var seeds: [UInt64] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { UInt64($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] {
                seeds += Array(bounds[0]...bounds[1])
            } else if bounds.count == 1 {
                seeds.append(bounds[0])
            }
        }
        return seeds.isEmpty ? nil : seeds
    }
}
