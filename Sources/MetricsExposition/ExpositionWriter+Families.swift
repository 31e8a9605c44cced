import CMWire
import JobMetrics

/// The series of each `cckm_*` family, taken from a ``MetricsSnapshot``.
extension ExpositionWriter {
    static func histogramSeries(_ family: MetricDescriptor, _ snapshot: MetricsSnapshot) -> [HistogramSeries]
    {
        precondition(family == MetricCatalogue.syncJobDuration, "no series for histogram \(family.name)")
        return snapshot.listings.filter(\.hasListing).flatMap { listing in
            listing.finished.map { finished in
                HistogramSeries(
                    labelValues: family.values(listing.key, ["status": finished.status]),
                    histogram: finished.histogram, exemplar: finished.exemplar,
                    created: snapshot.listingCreated[listing.key])
            }
        }
    }

    static func scalarSeries(_ family: MetricDescriptor, _ snapshot: MetricsSnapshot) -> [Series] {
        switch family {
        case MetricCatalogue.apiRequests:
            apiRequestSeries(family, snapshot.apiRequests, created: snapshot.cmCreated)
        case MetricCatalogue.buildInfo: [buildInfoSeries(family, snapshot.build)]
        case MetricCatalogue.shardOrdinal, MetricCatalogue.totalShards, MetricCatalogue.targets:
            shardSeries(family, snapshot.shard)
        case MetricCatalogue.clientCertificateExpiry:
            clientCertificateSeries(snapshot.clientCertificateExpiry)
        case MetricCatalogue.clientCertificateRotationRefused:
            clientCertificateSeries(snapshot.clientCertificateRotationRefused.mapValues { $0 ? 1 : 0 })
        case MetricCatalogue.listingWalkStarted:
            snapshot.health.compactMap { health in
                health.walk.map {
                    Series(labelValues: family.values(health.key), value: .measurement($0.startedAt))
                }
            }
        case MetricCatalogue.listingCatchUpBacklog:
            snapshot.health.filter(\.attempted).map { health in
                Series(
                    labelValues: family.values(health.key),
                    value: .count(UInt64(health.catchUp?.backlog ?? 0)))
            }
        case MetricCatalogue.up, MetricCatalogue.lastPollSuccess, MetricCatalogue.pollDuration,
            MetricCatalogue.pollErrors, MetricCatalogue.limitReached:
            snapshot.health.filter(\.attempted).flatMap { health in
                healthSeries(family, health).created(snapshot.listingCreated[health.key])
            }
        default:
            snapshot.listings.filter(\.hasListing).flatMap { listing in
                jobSeries(family, listing).created(snapshot.listingCreated[listing.key])
            }
        }
    }

    private static func jobSeries(_ family: MetricDescriptor, _ listing: ListingMetrics) -> [Series] {
        let key = listing.key
        switch family {
        case MetricCatalogue.syncJobs:
            return listing.jobsByStatus.map {
                Series(labelValues: family.values(key, ["status": $0.status]), value: .count($0.count))
            }
        case MetricCatalogue.syncJobsFinished:
            return listing.finished.map {
                Series(
                    labelValues: family.values(key, ["status": $0.status]), value: .count($0.histogram.count),
                    exemplar: $0.exemplar)
            }
        case MetricCatalogue.syncJobsCancelled:
            return [
                Series(
                    labelValues: family.values(key), value: .count(listing.cancelled),
                    exemplar: listing.cancelledExemplar)
            ]
        case MetricCatalogue.syncLastCancelled:
            return listing.lastCancelled.map {
                [Series(labelValues: family.values(key), value: .measurement($0))]
            } ?? []
        case MetricCatalogue.syncRegionsInProgress:
            return [
                Series(labelValues: family.values(key), value: .count(UInt64(listing.regionsInProgressCount)))
            ]
        case MetricCatalogue.syncRegionInProgress:
            return listing.regionsInProgress.map {
                let labels = ["cloud_account": $0.cloudAccount, "cloud_region": $0.cloudRegion]
                return Series(labelValues: family.values(key, labels), value: .count(1))
            }
        case MetricCatalogue.syncOldestRunningJobStart:
            return listing.oldestRunningJobStart.map {
                [Series(labelValues: family.values(key), value: .measurement($0))]
            } ?? []
        case MetricCatalogue.syncLastFinished:
            return listing.lastFinished.map {
                Series(
                    labelValues: family.values(key, ["status": $0.status]), value: .measurement($0.seconds))
            }
        case MetricCatalogue.syncLatestJobStatus:
            return latestStatusSeries(family, listing)
        case MetricCatalogue.jobsInvalid:
            return listing.invalidJobs.map {
                Series(
                    labelValues: family.values(key, ["reason": $0.reason.rawValue]), value: .count($0.count))
            }
        default:
            preconditionFailure("no series for \(family.name)")
        }
    }

    /// 1 for the latest job's status, 0 for the other known statuses; an unknown latest
    /// status gets its own series. An empty listing shows the known statuses at 0.
    private static func latestStatusSeries(_ family: MetricDescriptor, _ listing: ListingMetrics) -> [Series]
    {
        var statuses = KnownJobStatus.allCases.map(\.rawValue)
        if let latest = listing.latestJobStatus, !statuses.contains(latest) { statuses.append(latest) }
        return statuses.map { status in
            Series(
                labelValues: family.values(listing.key, ["status": status]),
                value: .count(status == listing.latestJobStatus ? 1 : 0))
        }
    }

    private static func healthSeries(_ family: MetricDescriptor, _ health: PollHealth) -> [Series] {
        let key = health.key
        switch family {
        case MetricCatalogue.up:
            return [Series(labelValues: family.values(key), value: .count(health.up ? 1 : 0))]
        case MetricCatalogue.lastPollSuccess:
            return health.lastSuccessTimestamp.map {
                [Series(labelValues: family.values(key), value: .measurement($0))]
            } ?? []
        case MetricCatalogue.pollDuration:
            return health.lastPollDurationSeconds.map {
                [Series(labelValues: family.values(key), value: .measurement($0))]
            } ?? []
        case MetricCatalogue.limitReached:
            return ListingLimit.allCases.sorted().map { limit in
                Series(
                    labelValues: family.values(key, ["limit": limit.rawValue]),
                    value: .count(health.limitsReached[limit] ?? 0))
            }
        default:
            return PollErrorReason.allCases.map { reason in
                Series(
                    labelValues: family.values(key, ["reason": reason.rawValue]),
                    value: .count(health.errorsTotal[reason] ?? 0))
            }
        }
    }

    private static func apiRequestSeries(
        _ family: MetricDescriptor, _ requests: [APIRequestKey: UInt64], created: [String: Double]
    ) -> [Series] {
        requests.map { request, count in
            let labels = ["cm": request.cm, "code": request.code, "endpoint": request.endpoint.rawValue]
            return Series(
                labelValues: family.values(labels), value: .count(count), created: created[request.cm])
        }
    }

    private static func buildInfoSeries(_ family: MetricDescriptor, _ build: BuildInfo) -> Series {
        let labels = [
            "revision": build.revision, "swift_version": build.swiftVersion, "version": build.version,
        ]
        return Series(labelValues: family.values(labels), value: .count(1))
    }
}

extension MetricDescriptor {
    /// Label values in this family's label name order, from `cm`, `cloud` and `others`.
    func values(_ key: ListingKey, _ others: [String: String] = [:]) -> [String] {
        values(others.merging(["cm": key.cm, "cloud": key.cloud]) { own, _ in own })
    }

    /// Label values in this family's label name order; every name must have a value.
    func values(_ labels: [String: String]) -> [String] {
        precondition(labels.count == labelNames.count, "labels \(labels.keys.sorted()) for \(name)")
        return labelNames.map { name in
            guard let value = labels[name] else { preconditionFailure("no label \(name) for \(self.name)") }
            return value
        }
    }
}

extension [Series] {
    /// These series, counting from `created` when given (else from their family's start).
    fileprivate func created(_ created: Double?) -> [Series] {
        guard let created else { return self }
        return map { series in
            var series = series
            series.created = created
            return series
        }
    }
}
