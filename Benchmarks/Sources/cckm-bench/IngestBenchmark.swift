import CCKMClient
import CCKMSimulator
import CMWire
import Foundation
import JobMetrics
import Polling

/// Decode + aggregate of a complete listing from bytes already in memory (pages of 1000 as
/// the simulator writes them): the exporter's CPU cost of a complete poll, without HTTP.
enum IngestBenchmark {
    /// Every page of the simulator's aws listing, newest first, as raw bytes.
    static func downloadPages(_ simulator: CCKMSimulator) -> [[UInt8]] {
        let transport = HTTPTransport()
        let login = try! transport.send(
            method: "POST", url: simulator.baseURL + "/api/v1/auth/tokens",
            headers: ["Content-Type: application/json"],
            body: Array(#"{"grant_type":"password","username":"admin","password":"admin"}"#.utf8))
        let object = try! JSONSerialization.jsonObject(with: Data(login.body)) as! [String: Any]
        let token = object["jwt"] as! String
        var pages: [[UInt8]] = []
        var skip = 0
        while true {
            let page = try! transport.send(
                method: "GET",
                url: simulator.baseURL
                    + "/api/v1/cckm/aws/synchronization-jobs?skip=\(skip)&limit=1000&sort=-createdAt",
                headers: ["Authorization: Bearer \(token)"])
            let decoded = try! JobPageDecoder.decodePage(page.body)
            let delivered = decoded.jobs.count + decoded.invalid.count
            if delivered == 0 { break }
            pages.append(page.body)
            skip += delivered
            if skip >= decoded.total ?? .max { break }
        }
        return pages
    }

    /// Best of three: (wall seconds, process CPU seconds, wall seconds of decoding alone).
    /// Ingest is what a complete poll does: each page decoded, de-duplicated by the pager and
    /// applied to a ``ListingBuild`` as it comes, then the build applied to the aggregator.
    static func ingest(_ pages: [[UInt8]]) -> (Double, Double, Double) {
        var best = (Double.infinity, Double.infinity)
        var decodeSeconds = Double.infinity
        for _ in 0..<3 {
            decodeSeconds = min(decodeSeconds, decodeOnly(pages))
            let cpuStart = CPUTime.processSeconds()
            let start = ContinuousClock.now
            var pager = ListingPager(limit: 1000)
            var build = ListingBuild()
            for page in pages {
                let fresh = pager.absorb(try! JobPageDecoder.decodePage(page)).fresh
                build.add(fresh)
            }
            var aggregator = ListingAggregator(key: ListingKey(cm: "bench", cloud: "aws"))
            aggregator.apply(build)
            let wall = (ContinuousClock.now - start) / .seconds(1)
            let cpu = CPUTime.processSeconds() - cpuStart
            precondition(aggregator.knownJobs.count == build.jobCount && build.jobCount > 0)
            if wall < best.0 { best = (wall, cpu) }
        }
        return (best.0, best.1, decodeSeconds)
    }

    /// Wall seconds to decode every page (nothing kept).
    private static func decodeOnly(_ pages: [[UInt8]]) -> Double {
        let start = ContinuousClock.now
        var count = 0
        for page in pages { count += try! JobPageDecoder.decodePage(page).jobs.count }
        precondition(count > 0)
        return (ContinuousClock.now - start) / .seconds(1)
    }
}

/// `RFC3339.parse` on a mix of the forms CM writes (0–9 fraction digits, Z or offsets).
enum TimestampBenchmark {
    static func nanosecondsPerParse() -> Double {
        let fractions = ["", ".5", ".123", ".123456", ".123456789", ".000152"]
        let zones = ["Z", "Z", "Z", "+02:00", "-05:30"]
        let samples: [[UInt8]] = (0..<10_000).map { index in
            let day = 1 + index % 28
            let second = index % 60
            let text =
                String(
                    format: "2024-%02d-%02dT%02d:%02d:%02d", 1 + index % 12, day, index % 24,
                    (index / 7) % 60, second)
                + fractions[index % fractions.count] + zones[index % zones.count]
            return Array(text.utf8)
        }
        var checksum = 0.0
        let rounds = 100
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            for sample in samples {
                checksum += sample.withUnsafeBytes { RFC3339.parse($0) } ?? 0
            }
        }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        precondition(checksum > 0)
        return elapsed * 1e9 / Double(rounds * samples.count)
    }
}

/// Process CPU time (user + system, every thread).
enum CPUTime {
    static func processSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
