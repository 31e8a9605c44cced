import Foundation
import Synchronization

/// Notices when a file changes (modification time, size, inode) by looking every few
/// seconds from one small thread; cheaper and more portable than inotify for one file that
/// changes rarely, and it also sees a file replaced by rename (how secrets get rotated).
public final class WebConfigWatcher: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Starts watching `path`; `onChange` runs on the watcher's thread.
    public init(path: String, interval: Duration = .seconds(3), onChange: @escaping @Sendable () -> Void) {
        let seconds = interval / .seconds(1)
        // Read before the thread starts: a change made between init and the thread's first
        // look would otherwise become the baseline and never be seen.
        let first = Self.signature(path)
        Thread.detachNewThread { [self] in
            var last = first
            while !self.stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: seconds)
                if self.stopped.load(ordering: .relaxed) { break }
                let now = Self.signature(path)
                if now != last {
                    last = now
                    onChange()
                }
            }
        }
    }

    /// Stops watching (the thread ends within one interval).
    public func stop() { stopped.store(true, ordering: .relaxed) }

    private struct Signature: Equatable {
        var modified: Int
        var modifiedNanoseconds: Int
        var size: Int
        var inode: UInt
    }

    private static func signature(_ path: String) -> Signature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Signature(
            modified: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
            size: Int(info.st_size), inode: UInt(info.st_ino))
    }
}
