import TestSupport
import Testing

@Suite("Raw socket helper")
struct RawSocketTests {
    @Test("a refused port gives nil")
    func refusedPort() {
        // Port 1 on loopback is closed on any sane test machine.
        #expect(RawSocket(port: 1) == nil)
        #expect(RawSocket.exchange(port: 1, "GET / HTTP/1.1\r\n\r\n") == nil)
    }
}
