import DataFolio
import Foundation

/// The progress of a folio copy on standard error, when it is a terminal:
/// `[██████░░░░░░] 412.0 MB / 1.0 GB  38/100 files  96.3 MB/s  ETA 6s`, redrawn at
/// most ten times a second and cleared at the end. Nothing at all when standard error
/// is not a terminal (a log file, a pipe) or when it is switched off.
final class TransferProgressBar: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private let enabled: Bool
    private let start = DispatchTime.now()
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
    }

    /// Draws the bar for `progress`.
    func update(_ progress: CopyProgress) {
        guard enabled else { return }
        lock.withLock {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let line = TransferProgressBar.line(progress, elapsed: elapsed, width: TransferProgressBar.terminalWidth())
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
            drawn = true
        }
    }

    /// Removes the bar, so the summary line starts on a clean line.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            drawn = false
        }
    }

    /// The text of the bar (without control characters), fitted to `width` columns.
    static func line(_ progress: CopyProgress, elapsed: Double, width: Int) -> String {
        let total = max(progress.totalBytes, 0)
        let done = min(progress.finishedBytes, total)
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        // The rate counts bytes actually moved; skipped files finish instantly.
        let rate = elapsed > 0.2 ? Double(progress.copiedBytes) / elapsed : 0
        var tail = "\(ByteCountText.text(done)) / \(ByteCountText.text(total))  \(progress.finishedFiles)/\(progress.totalFiles) files"
        if rate > 0 {
            tail += "  \(ByteCountText.text(Int(rate)))/s"
            let remaining = Double(total - done) / rate
            tail += "  ETA \(timeText(remaining))"
        }
        let barWidth = max(10, min(40, width - tail.count - 4))
        let filled = Int((Double(barWidth) * fraction).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        return "[\(bar)] \(tail)"
    }

    static func timeText(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e8 else { return "?" }
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole / 60 % 60))m"
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

/// The shared part of `push` and `pull`: a replica made by `DataFolio.copy(to:options:)`.
enum FolioCopyCommand {
    static func run(from source: String, to destination: String, quiet: Bool, replace: Bool, verb: String) throws {
        let bar = TransferProgressBar(enabled: !quiet)
        let final = FinalProgress()
        var options = CopyOptions.replica
        options.replacingOtherFolio = replace
        options.progress = { progress in
            final.record(progress)
            bar.update(progress)
        }
        let copy: DataFolio
        do {
            copy = try DataFolio(at: source, options: .readOnly).copy(to: destination, options: options)
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        guard !quiet, let summary = final.value else { return }
        var line = "✓ \(verb) \(source) to \(destination) (revision \(copy.revision)): "
        line += "\(summary.copiedFiles) file\(summary.copiedFiles == 1 ? "" : "s") copied (\(ByteCountText.text(summary.copiedBytes)))"
        line += ", \(summary.skippedFiles) already there (\(ByteCountText.text(summary.skippedBytes)))"
        if summary.removedFiles > 0 { line += ", \(summary.removedFiles) obsolete removed" }
        Terminal.print(line)
    }
}

/// The last progress a copy reported (its final counts).
private final class FinalProgress: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var last: CopyProgress?

    func record(_ progress: CopyProgress) { lock.withLock { last = progress } }
    var value: CopyProgress? { lock.withLock { last } }
}
