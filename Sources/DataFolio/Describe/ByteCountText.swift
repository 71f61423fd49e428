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
        return oneDecimal(bytes, unit: unit) + " " + units[unit]
    }

    /// `bytes / 1024^unit` with one decimal, as `%.1f` prints it: the exact quotient
    /// rounded half to even (a power of two divides exactly, so `%.1f` sees the exact
    /// value too). Computed in integers, which is much faster than formatting a double.
    private static func oneDecimal(_ bytes: Int, unit: Int) -> String {
        let shift = 10 * unit
        let (tenfold, overflow) = bytes.multipliedReportingOverflow(by: 10)
        guard !overflow, bytes >= 0 else { return String(format: "%.1f", Double(bytes) / Double(1 << shift)) }
        let divisor = 1 << shift
        var tenths = tenfold >> shift
        let remainder = tenfold & (divisor - 1)
        if remainder > divisor / 2 || (remainder == divisor / 2 && tenths % 2 == 1) { tenths += 1 }
        return "\(tenths / 10).\(tenths % 10)"
    }
}
