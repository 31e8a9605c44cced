import CCKMSimulator
import Testing

@Suite("Configuration, addresses and settings")
struct BuildingBlockTests {
    @Test("listen addresses: host:port, [IPv6]:port and :port")
    func listenAddresses() throws {
        #expect(
            try ListenAddress(parsing: "127.0.0.1:8080")
                == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress(parsing: "[::1]:9") == ListenAddress(host: "::1", port: 9))
        #expect(try ListenAddress(parsing: ":8443") == ListenAddress(host: nil, port: 8443))
        #expect(ListenAddress(host: "::1", port: 9).description == "[::1]:9")
        for bad in ["8080", "host:", "host:99999", "::1:80"] {
            #expect(throws: SimulatorError.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }

    @Test("a bad configuration is refused naming the field")
    func configurationValidation() {
        func message(_ change: (inout SimulatorConfiguration) -> Void) -> String? {
            var configuration = SimulatorConfiguration()
            change(&configuration)
            do {
                try configuration.validate()
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message { _ in } == nil)
        #expect(message { $0.listings = ["aws", "nimbus"] }?.hasPrefix("listings:") == true)
        #expect(message { $0.tokenLifetimeSeconds = 0 }?.hasPrefix("tokenLifetimeSeconds:") == true)
        #expect(
            message {
                $0.failureRate = 0.8
                $0.abortRate = 0.3
            }?.hasPrefix("failureRate + abortRate") == true)
        #expect(message { $0.maxPageSize = 0 }?.hasPrefix("maxPageSize:") == true)
        #expect(message { $0.regionSeconds = 0 }?.hasPrefix("regionSeconds:") == true)
    }

    @Test("binding a port in use fails with a SimulatorError")
    func bindFailure() throws {
        let first = try CCKMSimulator(configuration: SimulatorConfiguration(historyPerListing: 0))
        defer { first.shutdown() }
        #expect(throws: SimulatorError.self) {
            _ = try CCKMSimulator(
                configuration: SimulatorConfiguration(port: first.port, historyPerListing: 0))
        }
        #expect(first.baseURL == "http://127.0.0.1:\(first.port)")
        first.shutdown()  // a second call is harmless
    }

    @Test("outcome names parse, unknown ones become a verbatim status")
    func outcomeNames() {
        #expect(JobOutcome(name: "failed") == .failed)
        #expect(JobOutcome(name: "running") == .running)
        #expect(JobOutcome(name: "error") == .status("error"))
    }
}
