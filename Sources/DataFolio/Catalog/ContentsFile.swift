/// `CONTENTS.md`: a table of the current items, regenerated after every commit for
/// people browsing the folder. Nothing reads it back; the layout is the one the
/// Python datafolio writes, so alternating writers produce clean diffs.
enum ContentsFile {
    static func render(_ catalog: Catalog) -> [UInt8] {
        let lines = [
            "# Contents",
            "",
            "> **Derived file — do not edit.** Regenerated from `items.json`, which is the authoritative catalog. This reflects manifest revision **\(catalog.revision)**.",
            "",
            "| Name | Type | Location | Description |",
            "| --- | --- | --- | --- |",
        ]
        // UTF-8 byte order is code-point order, which is how Python sorts the names.
        let rows = catalog.items.lazy.filter(\.isCurrent).map { $0.contentsRow(row) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var out = Array((lines.joined(separator: "\n") + "\n").utf8)
        out.reserveCapacity(out.count + rows.count * 80)
        for entry in rows {
            out.append(contentsOf: entry.row)
        }
        return out
    }

    /// `| name | type | location | description |\n`
    static func row(_ item: CatalogItem) -> [UInt8] {
        let cells = [item.name, item.itemType, location(of: item), item.fields["description"]?.stringValue ?? ""]
        return Array(("| " + cells.map(escape).joined(separator: " | ") + " |\n").utf8)
    }

    static func location(of item: CatalogItem) -> String {
        if item.kind == .referencedTable, let path = item.fields["path"]?.stringValue {
            return path + " (external reference)"
        }
        if let relative = item.relativePayloadPath { return relative }
        return item.filename ?? ""
    }

    /// `|` becomes `\|`; line breaks (`\r\n`, `\n`, `\r`) become one space each.
    static func escape(_ cell: String) -> String {
        guard cell.utf8.contains(where: { $0 == 0x7C || $0 == 0x0A || $0 == 0x0D }) else { return cell }
        var out = [UInt8]()
        out.reserveCapacity(cell.utf8.count + 4)
        var previousWasCR = false
        for byte in cell.utf8 {
            switch byte {
            case 0x7C: out.append(0x5C); out.append(0x7C)
            case 0x0D: out.append(0x20)
            case 0x0A where previousWasCR: break
            case 0x0A: out.append(0x20)
            default: out.append(byte)
            }
            previousWasCR = byte == 0x0D
        }
        return String(decoding: out, as: UTF8.self)
    }
}
