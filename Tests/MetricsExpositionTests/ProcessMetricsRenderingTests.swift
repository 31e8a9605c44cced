import Testing

@testable import MetricsExposition

/// `process_*` rendered as client_golang names them.
@Suite struct ProcessMetricsRenderingTests {
    @Test func rendersEveryFamilyWithClientGolangNamesAndTypes() {
        let text = String(
            decoding: ExpositionWriter.render(ExpositionFixtures.process, format: .prometheusText),
            as: UTF8.self)
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12.34\n"))
        #expect(text.contains("# HELP process_resident_memory_bytes Resident memory size in bytes.\n"))
        #expect(text.contains("process_start_time_seconds 1699999000.12\n"))
        let openMetrics = String(
            decoding: ExpositionWriter.render(ExpositionFixtures.process, format: .openMetrics), as: UTF8.self
        )
        #expect(
            openMetrics.contains(
                "# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"
                    + "process_cpu_seconds_total 12.34\nprocess_cpu_seconds_created 1699999000.12\n"))
        #expect(openMetrics.contains("process_open_fds 11.0\n"))
    }

    @Test func aValueThatCouldNotBeReadLeavesItsFamilyOut() {
        var process = ExpositionFixtures.process
        process.maxFDs = nil
        let text = String(decoding: ExpositionWriter.render(process, format: .prometheusText), as: UTF8.self)
        #expect(!text.contains("process_max_fds"))
        #expect(text.contains("process_open_fds 11\n"))
    }
}
