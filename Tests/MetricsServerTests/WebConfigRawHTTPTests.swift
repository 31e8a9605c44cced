import Foundation
import Testing

/// Bytes over a plain TCP socket to 127.0.0.1, for what libcurl will not send: garbage,
/// oversized headers, idle connections, TLS records on the plain port.
enum RawHTTP {
    /// A connected socket, or nil when the connection was refused.
    static func connect(port: UInt16, timeoutSeconds: Int = 5) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            close(fd)
            return nil
        }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Everything the server sends until it closes (or the read times out).
    static func receiveAll(_ fd: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return received
    }

    /// Sends `request` on a new connection and returns the answer as text ("" when dropped).
    static func exchange(port: UInt16, _ request: String) throws -> String {
        try exchange(port: port, Array(request.utf8))
    }

    static func exchange(port: UInt16, _ request: [UInt8], timeoutSeconds: Int = 5) throws -> String {
        guard let fd = connect(port: port, timeoutSeconds: timeoutSeconds) else {
            throw HarnessError(description: "connection refused")
        }
        defer { close(fd) }
        send(fd, request)
        shutdown(fd, Int32(SHUT_WR))
        return String(decoding: receiveAll(fd), as: UTF8.self)
    }
}

@Suite("Raw socket helper")
struct WebConfigRawHTTPTests {
    @Test("a refused port gives nil")
    func refusedPort() {
        // Port 1 on loopback is closed on any sane test machine.
        #expect(RawHTTP.connect(port: 1) == nil)
    }
}
