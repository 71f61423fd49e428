import Foundation

/// Colours for the text of `describe` (which the library writes plain): titles and
/// section headers bold, item names cyan, detail lines dim.
enum DescribeText {
    static func colored(_ text: String) -> String {
        guard Terminal.usesColor() else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let line = String(line)
            if line.hasPrefix("DataFolio: ") || line.hasPrefix("Snapshot: ") || isSectionHeader(line) {
                return Terminal.paint(line, .bold)
            }
            if line == "[READ-ONLY MODE]" { return Terminal.paint(line, .yellow) }
            if line.hasPrefix("    ↳ ") { return Terminal.paint(line, .dim) }
            if line.hasPrefix("  • "), let colon = line.range(of: ": ") {
                let start = line.index(line.startIndex, offsetBy: 4)
                guard start <= colon.lowerBound else { return line }
                return "  • " + Terminal.paint(String(line[start..<colon.lowerBound]), .cyan) + String(line[colon.lowerBound...])
            }
            return line
        }.joined(separator: "\n")
    }

    /// `Tables (3):`, `Metadata (2 fields):`, `Snapshots (1):`.
    private static func isSectionHeader(_ line: String) -> Bool {
        guard line.hasSuffix("):"), let first = line.first, first.isUppercase, let open = line.lastIndex(of: "(") else { return false }
        let inside = line[line.index(after: open)..<line.index(line.endIndex, offsetBy: -2)]
        return inside.first?.isNumber == true
    }
}
