extension Table {
    /// An aligned text rendering of the first rows, for terminals.
    ///
    /// The header row holds the column names and the next row their types; numbers are
    /// aligned right, nulls read `null`, cells longer than `maxCellWidth` end in `…`, and
    /// columns that do not fit in `maxWidth` are left out (a final `…` column says so).
    ///
    /// ```swift
    /// print(table.preview(maxRows: 5))
    /// // id     name    score
    /// // int64  string  double
    /// // ─────  ──────  ──────
    /// //     1  Ada        0.5
    /// //     2  null      0.25
    /// // … 98 more rows
    /// ```
    public func preview(maxRows: Int = 20, maxWidth: Int = 120, maxCellWidth: Int = 32) -> String {
        let shownRows = min(max(maxRows, 0), rowCount)
        let cellLimit = max(maxCellWidth, 4)
        var blocks: [(header: String, type: String, cells: [String], right: Bool, width: Int)] = []
        var usedWidth = 0
        var hiddenColumns = 0
        for (index, column) in columns.enumerated() {
            let header = DisplayWidth.truncate(Table.printable(column.name), to: cellLimit)
            let type = DisplayWidth.truncate(column.type.previewName, to: cellLimit)
            let nested = column.type.isNested
            let cells = (0..<shownRows).map { row in
                // Nested cells render only as much as fits, already escaped.
                nested
                    ? column[row].compactText(maxWidth: cellLimit)
                    : DisplayWidth.truncate(Table.printable(column[row].description), to: cellLimit)
            }
            let width = ([header, type] + cells).map(DisplayWidth.of).max() ?? 1
            let separator = blocks.isEmpty ? 0 : 2
            // Keep room for the "…" column when more columns follow.
            let reserve = index < columns.count - 1 ? 3 : 0
            if !blocks.isEmpty && usedWidth + separator + width + reserve > maxWidth {
                hiddenColumns = columns.count - index
                break
            }
            usedWidth += separator + width
            blocks.append((header, type, cells, column.type.isNumeric, max(width, 1)))
        }
        var lines: [String] = []
        func line(_ parts: [String]) -> String {
            var text = parts.joined(separator: "  ")
            if hiddenColumns > 0 { text += "  …" }
            while text.last == " " { text.removeLast() }
            return text
        }
        lines.append(line(blocks.map { DisplayWidth.pad($0.header, to: $0.width, right: $0.right) }))
        lines.append(line(blocks.map { DisplayWidth.pad($0.type, to: $0.width, right: $0.right) }))
        lines.append(line(blocks.map { String(repeating: "─", count: $0.width) }))
        for row in 0..<shownRows {
            lines.append(line(blocks.map { DisplayWidth.pad($0.cells[row], to: $0.width, right: $0.right) }))
        }
        if columns.isEmpty { lines = ["(no columns)"] }
        if rowCount > shownRows {
            let more = rowCount - shownRows
            lines.append("… \(more) more row\(more == 1 ? "" : "s")")
        }
        if hiddenColumns > 0 {
            let names = columns.suffix(hiddenColumns).map(\.name)
            let list = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
            let note = "… \(hiddenColumns) more column\(hiddenColumns == 1 ? "" : "s"): \(list)"
            lines.append(DisplayWidth.truncate(note, to: max(maxWidth, 20)))
        }
        return lines.joined(separator: "\n")
    }

    /// Text with control characters shown as escapes, so one cell stays on one line.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

extension Table: CustomStringConvertible {
    /// The size and a preview of the first ten rows.
    public var description: String {
        "\(rowCount) row\(rowCount == 1 ? "" : "s") × \(columns.count) column\(columns.count == 1 ? "" : "s")\n"
            + preview(maxRows: 10, maxWidth: 100, maxCellWidth: 24)
    }
}

extension Column: CustomStringConvertible {
    /// The name, type, size and first few values.
    public var description: String {
        let shown = (0..<min(count, 5)).map { self[$0].compactText(maxWidth: 40) }.joined(separator: ", ")
        return "\(name): \(type.arrowName) × \(count) [\(shown)\(count > 5 ? ", …" : "")]"
    }
}

extension ColumnType {
    /// A short type name for table headers: `category` for dictionaries, `list<int64>`,
    /// `struct<x: double, y: double>`, `map<string, int64>`, and pyarrow's name otherwise.
    public var previewName: String {
        switch self {
        case .dictionary(let valueType, let ordered):
            valueType == .string ? (ordered ? "category(ordered)" : "category") : "dictionary<\(valueType.previewName)>"
        case .list(let element): "list<\(element.previewName)>"
        case .largeList(let element): "large_list<\(element.previewName)>"
        case .fixedSizeList(let element, let size): "list<\(element.previewName)>[\(size)]"
        case .struct(let fields): "struct<" + fields.map { "\($0.name): \($0.type.previewName)" }.joined(separator: ", ") + ">"
        case .map(let key, let value): "map<\(key.previewName), \(value.previewName)>"
        default: arrowName
        }
    }
}
