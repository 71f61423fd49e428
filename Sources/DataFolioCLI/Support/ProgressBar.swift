import Foundation

/// A one-line progress display on standard error for long table work: bytes or rows
/// done, rate and time left. It shows only when standard error is a terminal, the
/// command was not asked to be quiet or to print JSON, and the work has already taken
/// about a second; it redraws at most a few times a second and erases itself at the end.
final class ProgressBar {
    private let label: String
    private let total: Int?
    private let unit: Unit
    private let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false

    enum Unit { case bytes, rows }

    /// A display for `label` out of `total` (bytes or rows), or a bare count when the
    /// total is unknown.
    init(_ label: String, total: Int?, unit: Unit, quiet: Bool) {
        self.label = label
        self.total = total
        self.unit = unit
        enabled = !quiet && isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Reports `done` units so far.
    func update(_ done: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let elapsed = now - start
        guard elapsed > 1_000_000_000, now - lastDraw > 200_000_000 else { return }
        lastDraw = now
        drawn = true
        let seconds = Double(elapsed) / 1e9
        let rate = Double(done) / seconds
        var line = "\r\u{1B}[K" + label + " "
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100) + amount(done) + " / " + amount(total)
            if rate > 0 { line += ", " + amount(Int(rate)) + "/s, " + duration(Double(total - done) / rate) + " left" }
        } else {
            line += amount(done) + (rate > 0 ? ", " + amount(Int(rate)) + "/s" : "")
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Erases the line, if one was drawn.
    func finish() {
        guard drawn else { return }
        drawn = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func amount(_ value: Int) -> String {
        switch unit {
        case .rows:
            return value >= 1_000_000 ? String(format: "%.1fM rows", Double(value) / 1e6) : "\(value) rows"
        case .bytes:
            let units = ["B", "KB", "MB", "GB", "TB"]
            var size = Double(value)
            var index = 0
            while size >= 1000, index < units.count - 1 {
                size /= 1000
                index += 1
            }
            return index == 0 ? "\(value) B" : String(format: "%.1f", size) + " " + units[index]
        }
    }

    private func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
