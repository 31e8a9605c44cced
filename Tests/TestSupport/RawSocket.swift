import Foundation

/// Test support shared by the test targets (not linked into any product).
///
/// A plain TCP connection to 127.0.0.1 from a chosen loopback address, for what libcurl will
/// not do: ambiguous framing, garbage and oversized headers, TLS records on a plain port,
/// requests sent a byte at a time, connections held open.
public struct RawSocket: Sendable {
    public let fd: Int32

    /// Connects from `source` (any 127.x.y.z works on Linux without setup); nil when refused.
    /// Reads and writes give up after `timeout`.
    public init?(port: UInt16, source: String = "127.0.0.1", timeout: Duration = .seconds(5)) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        let micros =
            Int(timeout.components.seconds) * 1_000_000
            + Int(timeout.components.attoseconds / 1_000_000_000_000)
        var limit = timeval(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard Self.bind(fd, source), Self.connect(fd, port) else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
    }

    private static func address(_ host: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    private static func bind(_ fd: Int32, _ source: String) -> Bool {
        var local = address(source, 0)
        return withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func connect(_ fd: Int32, _ port: UInt16) -> Bool {
        var remote = address("127.0.0.1", port)
        return withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Sends every byte of `text`; false when the connection refused them.
    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends every byte; false when the connection refused them.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Everything received until the server closes (or the read times out).
    public func receiveAll() -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// True once the server has closed the connection (a read returns EOF or a reset), false
    /// when `within` passes first.
    public func closedByServer(within: Duration) -> Bool {
        let deadline = ContinuousClock.now + within
        var byte: UInt8 = 0
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let millis = Int32(
                max(1, Int64(left / .milliseconds(1))))
            guard poll(&poller, 1, millis) > 0 else { continue }
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return true }
        }
        return false
    }

    /// Reads one response (headers and a `Content-Length` body) and returns its status; nil
    /// when the connection ends first.
    public func readResponseStatus() -> Int? {
        var received: [UInt8] = []
        var byte: UInt8 = 0
        let endOfHead = Array("\r\n\r\n".utf8)
        while received.count < endOfHead.count || Array(received.suffix(endOfHead.count)) != endOfHead {
            guard recv(fd, &byte, 1, 0) == 1 else { return nil }
            received.append(byte)
        }
        let head = String(decoding: received, as: UTF8.self)
        let length =
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        var body = [UInt8](repeating: 0, count: max(1, length))
        var got = 0
        while got < length {
            let n = body[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            got += n
        }
        return head.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    /// Ends the sending side (the server reads end of stream); answers can still be read.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    public func close() { Glibc.close(fd) }

    /// Sends `request` on a new connection from `source`, ends the sending side and returns
    /// everything the server answers until it closes ("" when it drops the connection); nil
    /// when the connection is refused.
    public static func exchange(
        port: UInt16, source: String = "127.0.0.1", timeout: Duration = .seconds(5),
        _ request: [UInt8]
    ) -> String? {
        guard let socket = RawSocket(port: port, source: source, timeout: timeout) else { return nil }
        defer { socket.close() }
        socket.send(request)
        socket.shutdownWrite()
        return socket.receiveAll()
    }

    /// ``exchange(port:source:timeout:_:)`` of a text request.
    public static func exchange(
        port: UInt16, source: String = "127.0.0.1", timeout: Duration = .seconds(5), _ request: String
    ) -> String? {
        exchange(port: port, source: source, timeout: timeout, Array(request.utf8))
    }
}
