import JobMetrics
import TestSupport
import Testing

@testable import MetricsExposition

/// `cckm_cm_client_certificate_expiry_timestamp_seconds` appears only for CMs with a client
/// certificate: without one the output is what it was before (the golden files stay).
@Suite("Client certificate expiry metric")
struct ClientCertificateExpiryTests {
    private static func text(_ snapshot: MetricsSnapshot, _ format: ExpositionFormat) -> String {
        String(decoding: ExpositionWriter.render(snapshot, format: format), as: UTF8.self)
    }

    @Test("no certificate: no family and not one byte changed")
    func absentWithoutCertificate() {
        for format in ExpositionFormat.allCases {
            var snapshot = ExpositionFixtures.snapshot
            snapshot.clientCertificateExpiry = [:]
            snapshot.clientCertificateRotationRefused = [:]
            #expect(!Self.text(snapshot, format).contains("client_certificate"))
            #expect(
                ExpositionWriter.render(snapshot, format: format)
                    == ExpositionWriter.render(ExpositionFixtures.snapshot, format: format))
        }
    }

    @Test("one gauge per CM, sorted by cm, in name order after cckm_api_requests_total")
    func gaugePerCM() {
        var snapshot = ExpositionFixtures.snapshot
        snapshot.clientCertificateExpiry = ["prod": 1_798_761_600, "lab": 1_767_225_600.5]
        let text = Self.text(snapshot, .prometheusText)
        let expected = """
            # HELP cckm_cm_client_certificate_expiry_timestamp_seconds When the client certificate presented to this CipherTrust Manager expires (its notAfter), as last read from its file; written only when one is configured.
            # TYPE cckm_cm_client_certificate_expiry_timestamp_seconds gauge
            cckm_cm_client_certificate_expiry_timestamp_seconds{cm="lab"} 1767225600.5
            cckm_cm_client_certificate_expiry_timestamp_seconds{cm="prod"} 1798761600

            """
        #expect(text.contains(expected), "\(text)")
        let api = text.range(of: "# HELP cckm_api_requests_total")
        let expiry = text.range(of: "# HELP cckm_cm_client_certificate_expiry")
        #expect(api != nil && expiry != nil && api!.lowerBound < expiry!.lowerBound)
        let openMetrics = Self.text(snapshot, .openMetrics)
        #expect(
            openMetrics.contains(
                "cckm_cm_client_certificate_expiry_timestamp_seconds{cm=\"prod\"} 1798761600.0"))
    }

    @Test("a refused rotation: 1 for its CM, 0 for the others, after the expiry family")
    func rotationRefusedGauge() {
        var snapshot = ExpositionFixtures.snapshot
        snapshot.clientCertificateExpiry = ["prod": 1_798_761_600, "lab": 1_767_225_600]
        snapshot.clientCertificateRotationRefused = ["prod": true, "lab": false]
        let text = Self.text(snapshot, .prometheusText)
        #expect(text.contains("# TYPE cckm_cm_client_certificate_rotation_refused gauge\n"), "\(text)")
        #expect(text.contains("cckm_cm_client_certificate_rotation_refused{cm=\"lab\"} 0\n"))
        #expect(text.contains("cckm_cm_client_certificate_rotation_refused{cm=\"prod\"} 1\n"))
        let expiry = text.range(of: "# HELP cckm_cm_client_certificate_expiry")
        let refused = text.range(of: "# HELP cckm_cm_client_certificate_rotation_refused")
        #expect(expiry != nil && refused != nil && expiry!.lowerBound < refused!.lowerBound)
        let grammar = ExpositionGrammar.check(
            Self.text(snapshot, .openMetrics) + "# EOF\n", format: .openMetrics)
        #expect(grammar.problems.isEmpty, "\(grammar.problems)")
    }
}
