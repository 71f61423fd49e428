import Foundation

/// `CONTENTS.md`: a table of the current items, regenerated after every commit for
/// people browsing the folder. Nothing reads it back; the layout is the one the
/// Python datafolio writes, so alternating writers produce clean diffs.
enum ContentsFile {
    static func render(_ catalog: Catalog) -> [UInt8] {
        var lines = [
            "# Contents",
            "",
            "> **Derived file — do not edit.** Regenerated from `items.json`, which is the authoritative catalog. This reflects manifest revision **\(catalog.revision)**.",
            "",
            "| Name | Type | Location | Description |",
            "| --- | --- | --- | --- |",
        ]
        let sorted = catalog.currentItems.sorted { a, b in
            a.name.unicodeScalars.lexicographicallyPrecedes(b.name.unicodeScalars)
        }
        for item in sorted {
            let cells = [item.name, item.itemType, location(of: item), item.fields["description"]?.stringValue ?? ""]
            lines.append("| " + cells.map(escape).joined(separator: " | ") + " |")
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    static func location(of item: CatalogItem) -> String {
        if item.kind == .referencedTable, let path = item.fields["path"]?.stringValue {
            return path + " (external reference)"
        }
        if let relative = item.relativePayloadPath { return relative }
        return item.filename ?? ""
    }

    static func escape(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }
}
