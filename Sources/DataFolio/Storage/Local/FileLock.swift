#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport

/// An exclusive `flock` on an open lock file, taken the way Python's `filelock.FileLock`
/// takes it (`LOCK_EX | LOCK_NB`, retried after growing pauses), so that Swift and Python
/// processes exclude each other. POSIX record locks would not exclude flock holders on
/// Linux. The lock owns its descriptor and closes it on release.
final class FileLock {
    private var fd: Int32

    /// Takes the lock on `fd`, or closes `fd` and throws.
    ///
    /// - Parameters:
    ///   - timeout: seconds to wait without progress.
    ///   - maximumPause: the longest pause between attempts, in microseconds.
    ///   - madeProgress: asked between attempts; `true` (another holder got somewhere)
    ///     starts the timeout again.
    ///   - timedOut: the error to throw when the timeout runs out.
    ///   - failed: the error for an `errno` that is not "held by someone else".
    init(
        descriptor fd: Int32, timeout: Double, maximumPause: UInt32,
        madeProgress: () -> Bool = { false },
        timedOut: () -> DataFolioError, failed: (Int32) -> DataFolioError
    ) throws(DataFolioError) {
        let allowance = Int64(max(0, min(timeout, 86_400)) * 1_000_000)
        var deadline = ISOTimestamp.nowMicroseconds() + allowance
        var pause: UInt32 = 200
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK || code == EAGAIN else {
                close(fd)
                throw failed(code)
            }
            let now = ISOTimestamp.nowMicroseconds()
            if madeProgress() {
                deadline = now + allowance
            } else if now >= deadline {
                close(fd)
                throw timedOut()
            }
            usleep(pause)
            pause = min(pause * 2, maximumPause)
        }
        self.fd = fd
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
