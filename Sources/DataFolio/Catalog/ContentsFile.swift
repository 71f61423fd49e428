import DataFolioSupport
import Foundation

/// `CONTENTS.md`: a table of the current items, regenerated after every commit for
/// people browsing the folder. Nothing reads it back; the layout is the one the
/// Python datafolio writes, so alternating writers produce clean diffs.
enum ContentsFile {
    /// Writes the file for `catalog` to `output`, a megabyte at a time.
    static func write(_ catalog: Catalog, to output: any ByteOutput) throws(DataFolioError) {
        let lines = [
            "# Contents",
            "",
            "> **Derived file — do not edit.** Regenerated from `items.json`, which is the authoritative catalog. This reflects manifest revision **\(catalog.revision)**.",
            "",
            "| Name | Type | Location | Description |",
            "| --- | --- | --- | --- |",
        ]
        // UTF-8 byte order is code-point order, which is how Python sorts the names.
        let current = catalog.items.filter(\.isCurrent).sorted { precedes($0.name, $1.name) }
        var out = Array((lines.joined(separator: "\n") + "\n").utf8)
        out.reserveCapacity(Catalog.writeChunk + (64 << 10))
        for item in current {
            appendRow(item, to: &out)
            if out.count >= Catalog.writeChunk {
                try output.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try output.write(out)
    }

    /// Appends `| name | type | location | description |\n`.
    static func appendRow(_ item: CatalogItem, to out: inout [UInt8]) {
        out.append(contentsOf: [0x7C, 0x20])
        appendCell(item.name, to: &out)
        out.append(contentsOf: [0x20, 0x7C, 0x20])
        appendCell(item.itemType, to: &out)
        out.append(contentsOf: [0x20, 0x7C, 0x20])
        // `location(of:)`, without joining the folder and file name first.
        let wroteLocation = item.kind == .referencedTable && item.referencePath != nil ? false : item.withText(.filename) { filename in
            guard let folder = item.folder, let filename else { return false }
            appendCell(folder, to: &out)
            out.append(0x2F)
            appendCell(filename, to: &out)
            return true
        }
        if !wroteLocation { appendCell(location(of: item), to: &out) }
        out.append(contentsOf: [0x20, 0x7C, 0x20])
        // An empty description is no description: an empty cell either way.
        item.withText(.description) { description in
            if let description { appendCell(description, to: &out) }
        }
        out.append(contentsOf: [0x20, 0x7C, 0x0A])
    }

    /// Whether `a` sorts before `b` by UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let compared = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in
                let common = min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let order = memcmp(x, y, common)
                    if order != 0 { return order < 0 }
                }
                return a.count < b.count
            }
        }
        return (compared ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func location(of item: CatalogItem) -> String {
        if item.kind == .referencedTable, let path = item.referencePath {
            return path + " (external reference)"
        }
        if let relative = item.relativePayloadPath { return relative }
        return item.filename ?? ""
    }

    /// `|` becomes `\|`; line breaks (`\r\n`, `\n`, `\r`) become one space each.
    static func appendCell(_ cell: String, to out: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { appendCell(UnsafeRawBufferPointer($0), to: &out) }
    }

    static func appendCell(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        // The bytes of a String or of the catalog's text: memory already bound to UInt8.
        let cell = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        for byte in cell where byte == 0x7C || byte == 0x0A || byte == 0x0D {
            appendEscapedCell(bytes, to: &out)
            return
        }
        // A typed buffer is copied in one go.
        out.append(contentsOf: cell)
    }

    private static func appendEscapedCell(_ cell: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var previousWasCR = false
        for byte in cell {
            switch byte {
            case 0x7C: out.append(0x5C); out.append(0x7C)
            case 0x0D: out.append(0x20)
            case 0x0A where previousWasCR: break
            case 0x0A: out.append(0x20)
            default: out.append(byte)
            }
            previousWasCR = byte == 0x0D
        }
    }
}
