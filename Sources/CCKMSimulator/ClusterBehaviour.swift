/// Several CM nodes behind a round-robin load balancer (API-FACTS: "any node in the cluster
/// may be contacted for any operation", databases replicated asynchronously). Each API request
/// goes to the next node; a lagging node answers from its copy of the data as it was
/// ``lagSeconds`` ago: jobs created since are missing, jobs purged or deleted since are still
/// there, and every job shows its state of then.
public struct ClusterBehaviour: Sendable, Equatable {
    /// Nodes behind the balancer (1: no cluster).
    public var nodes: Int
    /// How many of them lag (the last ones in the rotation).
    public var laggingNodes: Int
    /// How far behind a lagging node is, in seconds.
    public var lagSeconds: Double

    public init(nodes: Int = 1, laggingNodes: Int = 0, lagSeconds: Double = 0) {
        self.nodes = nodes
        self.laggingNodes = laggingNodes
        self.lagSeconds = lagSeconds
    }

    /// How far behind `node` (0-based, in rotation order) is.
    func lag(ofNode node: Int) -> Double {
        node >= nodes - laggingNodes ? lagSeconds : 0
    }

    func validate() throws(SimulatorError) {
        if nodes < 1 { throw SimulatorError("cluster nodes: must be at least 1") }
        if !(0..<nodes).contains(laggingNodes) && laggingNodes != 0 {
            throw SimulatorError("lagging nodes: must be fewer than the nodes")
        }
        if !(lagSeconds >= 0 && lagSeconds.isFinite) {
            throw SimulatorError("lag seconds: must be 0 or more")
        }
    }
}
