import Foundation

/// A file re-read only when it changed: its `stat` (device, inode, size, modification time) is
/// compared with the last one read, and a new content is reported only when the bytes differ.
/// A Kubernetes Secret or ConfigMap rewritten in place (a new `..data` symlink target) changes
/// the inode; cert-manager or a Vault agent rewriting the file changes its size or time.
struct WatchedFile: Sendable {
    let path: String
    private var stamp: Stamp?
    /// The content last read.
    private(set) var content: [UInt8]?

    private struct Stamp: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    /// Reads the file now: ``content`` is what it holds (nil when it cannot be read).
    init(path: String) {
        self.path = path
        self.stamp = Self.stamp(path)
        self.content = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// The file's new content when it changed since the last read, else nil (also nil while
    /// it cannot be read or is empty: a file being replaced keeps its last good content).
    mutating func changedContent() -> [UInt8]? {
        let now = Self.stamp(path)
        guard let now, now != stamp else { return nil }
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        stamp = now
        let bytes = [UInt8](data)
        guard bytes != content else { return nil }
        content = bytes
        return bytes
    }

    private static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec)
    }
}
