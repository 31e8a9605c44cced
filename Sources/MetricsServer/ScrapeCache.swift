import Foundation
import JobMetrics
import MetricsExposition
import Synchronization

/// The bytes `/metrics` serves. The poller publishes a rendered snapshot once per poll; a
/// scrape only adds the server's own counters (``ServerMetrics``) and the process metrics
/// (both re-read at most once a second) and copies bytes.
/// Every body, plain and gzip, is built once per (snapshot, second, format) and then shared.
public final class ScrapeCache: Sendable {
    /// One rendered snapshot: the `cckm_*` families in every format.
    public struct Rendered: Sendable {
        public let generation: UInt64
        public let text: [UInt8]
        public let openMetrics: [UInt8]
        public let protobuf: [UInt8]
        /// Where in `text`, `openMetrics` and `protobuf` the ``ServerMetrics`` families go.
        var textServerOffset = 0
        var openMetricsServerOffset = 0
        var protobufServerOffset = 0

        /// The bytes of `format`, and where the server families go in them.
        func bytes(_ format: ExpositionFormat) -> (bytes: [UInt8], serverOffset: Int) {
            switch format {
            case .prometheusText: (text, textServerOffset)
            case .openMetrics: (openMetrics, openMetricsServerOffset)
            case .protobuf: (protobuf, protobufServerOffset)
            }
        }
    }

    /// A finished body for one format and encoding.
    public struct Body: Sendable {
        public let bytes: [UInt8]
        public let gzip: Bool
    }

    private struct Key: Hashable {
        var generation: UInt64
        var second: Int64
        var format: ExpositionFormat
        var gzip: Bool
    }

    private struct State {
        var rendered = Rendered(generation: 0, text: [], openMetrics: [], protobuf: [])
        var bodies: [Key: [UInt8]] = [:]
    }

    private let state = Mutex(State())
    private let processMetrics: @Sendable () -> ProcessMetrics
    private let serverMetrics: @Sendable () -> ServerMetrics
    private let now: @Sendable () -> Double

    public init(
        processMetrics: @escaping @Sendable () -> ProcessMetrics = { ProcessMetrics.current() },
        serverMetrics: @escaping @Sendable () -> ServerMetrics = { ServerMetrics() },
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.processMetrics = processMetrics
        self.serverMetrics = serverMetrics
        self.now = now
    }

    /// Renders `snapshot` in every format and makes it the one scrapes see.
    public func publish(_ snapshot: MetricsSnapshot) {
        let text = ExpositionWriter.renderAroundServerFamilies(snapshot, format: .prometheusText)
        let openMetrics = ExpositionWriter.renderAroundServerFamilies(snapshot, format: .openMetrics)
        let protobuf = ExpositionWriter.renderAroundServerFamilies(snapshot, format: .protobuf)
        state.withLock { state in
            state.rendered = Rendered(
                generation: state.rendered.generation + 1, text: text.bytes, openMetrics: openMetrics.bytes,
                protobuf: protobuf.bytes, textServerOffset: text.serverOffset,
                openMetricsServerOffset: openMetrics.serverOffset, protobufServerOffset: protobuf.serverOffset
            )
            state.bodies.removeAll(keepingCapacity: true)
        }
    }

    /// The latest rendered snapshot.
    public var rendered: Rendered { state.withLock { $0.rendered } }

    /// The body for a scrape in `format`, gzip-compressed when `gzip`.
    public func body(format: ExpositionFormat, gzip: Bool) -> Body {
        let second = Int64(now().rounded(.down))
        let (rendered, cached) = state.withLock { state -> (Rendered, [UInt8]?) in
            let key = Key(generation: state.rendered.generation, second: second, format: format, gzip: gzip)
            return (state.rendered, state.bodies[key])
        }
        if let cached { return Body(bytes: cached, gzip: gzip) }
        // Built outside the lock: concurrent scrapes never wait on each other's rendering.
        let (families, offset) = rendered.bytes(format)
        var bytes = Array(families[..<offset])
        bytes += ExpositionWriter.render(serverMetrics(), format: format)
        bytes += families[offset...]
        bytes += ExpositionWriter.render(processMetrics(), format: format)
        if format == .openMetrics { bytes += ExpositionWriter.openMetricsEOF }
        if gzip { bytes = Gzip.compress(bytes) }
        let key = Key(generation: rendered.generation, second: second, format: format, gzip: gzip)
        state.withLock { state in
            // Keep only bodies of the current second and snapshot.
            if state.bodies.keys.contains(where: {
                $0.second != second || $0.generation != state.rendered.generation
            }) {
                state.bodies = state.bodies.filter {
                    $0.key.second == second && $0.key.generation == state.rendered.generation
                }
            }
            if key.generation == state.rendered.generation { state.bodies[key] = bytes }
        }
        return Body(bytes: bytes, gzip: gzip)
    }
}
