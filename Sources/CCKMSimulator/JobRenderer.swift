/// Renders jobs exactly in the shape of the reference example (CONTRACT.md §1), field order
/// included: `id`, `uri`, `account`, `application`, `devAccount`, `createdAt`, `updatedAt`,
/// `completed_at`, `overall_status`, `detailed_status`, `cloud`, scope arrays, `abort`.
struct JobRenderer {
    let vocabulary: JobVocabulary
    let now: Double

    /// `{"skip":…,"limit":…,"total":…,"resources":[…]}`; `total` left out unless `withTotal`;
    /// a page without jobs written as `empty` says.
    func page(
        _ page: ListingSlice, totalExtra: Int = 0, withTotal: Bool = true,
        empty: PageBehaviour.EmptyPageShape = .emptyArray
    ) -> [UInt8] {
        var json = JSONWriter(capacity: 256 + page.jobs.count * 700)
        json.raw("{\"skip\":")
        json.int(page.skip)
        json.raw(",\"limit\":")
        json.int(page.limit)
        if page.jobs.isEmpty && empty != .emptyArray {
            if empty == .null, withTotal {
                json.raw(",\"total\":")
                json.int(page.total + totalExtra)
            }
            json.raw(empty == .null ? ",\"resources\":null}" : "}")
            return json.bytes
        }
        if withTotal {
            json.raw(",\"total\":")
            json.int(page.total + totalExtra)
        }
        json.raw(",\"resources\":[")
        for (offset, job) in page.jobs.enumerated() {
            if offset > 0 { json.raw(",") }
            write(job, into: &json)
        }
        json.raw("]}")
        return json.bytes
    }

    /// One job as a bare object (`GET …/{id}`, start, cancel).
    func job(_ job: SimulatedJob) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        write(job, into: &json)
        return json.bytes
    }

    private func write(_ job: SimulatedJob, into json: inout JSONWriter) {
        let timeline = job.timeline(at: now)
        let pattern = vocabulary.patterns[Int(job.pattern)]
        json.raw("{\"id\":\"")
        var idBytes: [UInt8] = []
        idBytes.reserveCapacity(36)
        job.id.write(into: &idBytes)
        json.rawBytes(idBytes)
        json.raw("\",\"uri\":\"kylo:kylo:cckm:synchronize:")
        json.rawBytes(idBytes)
        json.raw(#"","account":"kylo:kylo:admin:accounts:kylo""#)
        json.raw(#","application":"ncryptify:gemalto:admin:apps:kylo""#)
        json.raw(#","devAccount":"ncryptify:gemalto:admin:accounts:gemalto","createdAt":"#)
        json.timestamp(job.createdAt)
        json.raw(",\"updatedAt\":")
        json.timestamp(timeline.updatedAt)
        writeCompletedAt(timeline.completedAt, style: job.completedAtStyle, into: &json)
        json.raw(",\"overall_status\":")
        json.string(vocabulary.status(of: job, at: now))
        json.raw(",\"detailed_status\":{")
        for (index, state) in timeline.entries.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(pattern.entries[index])
            json.string(text(of: state))
        }
        json.raw("},\"cloud\":")
        json.string(vocabulary.listing.cloud)
        for array in pattern.arrays {
            json.raw(",")
            json.key(array.key)
            json.raw("[")
            for (index, value) in array.values.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(value)
            }
            json.raw("]")
        }
        json.raw(",\"abort\":")
        json.bool(timeline.abortRequested)
        json.raw("}")
    }

    private func writeCompletedAt(
        _ completedAt: Double?, style: CompletedAtStyle, into json: inout JSONWriter
    ) {
        if let completedAt {
            json.raw(",\"completed_at\":")
            json.timestamp(completedAt)
            return
        }
        switch style {
        case .goZeroTime: json.raw(",\"completed_at\":\"0001-01-01T00:00:00Z\"")
        case .null: json.raw(",\"completed_at\":null")
        case .absent: break
        }
    }

    private func text(of state: EntryState) -> String {
        switch state {
        case .inProgress: "in_progress"
        case .synchronized: vocabulary.listing.successText
        case .failed: vocabulary.listing.failureText
        }
    }
}
