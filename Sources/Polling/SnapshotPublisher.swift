import JobMetrics

/// Where ``ExporterState`` sends each snapshot after a poll, in the order taken (never two at
/// once). The exporter renders it into the cache `/metrics` serves; the bench's pollers drop
/// it. A closure rather than a protocol: the one thing a listener does is take the value.
package typealias SnapshotPublisher = @Sendable (MetricsSnapshot) -> Void
