import CZlib

/// gzip for `/metrics` answers (zlib through the CZlib shim).
enum Gzip {
    /// `bytes` gzip-compressed at a fast level (scrapes favour speed over ratio).
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: czlib_gzip_bound(bytes.count))
        var written = output.count
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                czlib_gzip(input.baseAddress, input.count, out.baseAddress, &written, 1)
            }
        }
        precondition(status == 0, "zlib failed on a buffer sized by compressBound")
        output.removeSubrange(written...)
        return output
    }
}
