import Foundation

/// Sizes for people, in base 1024 as Python's `describe` prints them: `90 B`, `1.7 KB`,
/// `12.0 MB`. Shared by `describe` and the command's own output so that one size reads the
/// same everywhere.
package enum ByteCountText {
    package static func text(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var size = Double(bytes)
        var unit = 0
        while size >= 1024 && unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return String(format: "%.1f", size) + " " + units[unit]
    }
}
