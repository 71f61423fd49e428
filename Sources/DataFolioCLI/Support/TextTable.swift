import Foundation

/// Columns aligned with two spaces between them, a bold header and a rule under it;
/// colours (when the terminal gets them) are applied after padding, so they never
/// disturb the alignment.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// One style per column (`nil`: plain).
    var styles: [TextStyle?] = []
    /// Columns aligned to the right.
    var rightAligned: Set<Int> = []

    func lines() -> [String] {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String], header isHeader: Bool) -> String {
            var parts = [String]()
            for (column, cell) in cells.enumerated() where column < widths.count {
                let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
                let styled: String
                if isHeader {
                    styled = Terminal.paint(cell, .bold)
                } else if column < styles.count, let style = styles[column] {
                    styled = Terminal.paint(cell, style)
                } else {
                    styled = cell
                }
                let last = column == cells.count - 1
                parts.append(rightAligned.contains(column) ? padding + styled : styled + (last ? "" : padding))
            }
            return parts.joined(separator: "  ").trimmingTrailingSpaces
        }
        var result = [line(header, header: true), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        result += rows.map { line($0, header: false) }
        return result
    }
}
