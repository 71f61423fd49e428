import DataFolioJSON
import DataFolioSupport
import Foundation

extension DataFolio {
    /// Adds a point in time, stored in UTC with microsecond precision.
    ///
    /// ```swift
    /// try folio.add("started", Date(), description: "When the run began")
    /// let started: Date = try folio.get("started")
    /// ```
    @discardableResult
    public func add(
        _ name: String, _ date: Date, description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let micros = ISOTimestamp.microseconds(of: date)
        let iso = ISOTimestamp.string(microseconds: micros)
        let payload = JSONValue.object(["iso_string": .string(iso)]).formattedBytes()
        let new = NewItem(name: name, kind: .timestamp, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".json")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            _ = try transaction.writePayload(at: path) { writer throws(DataFolioError) in try writer.write(payload) }
            return KindFields(fields: [
                "iso_string": .string(iso),
                "unix_timestamp": .double(Double(micros) / 1_000_000),
                "created_at": .string(ISOTimestamp.now()),
            ])
        }
    }
}

/// `timestamp` items: a UTC instant, in the catalog and in a small JSON file.
enum TimestampItem: ItemHandler {
    static let kind = ItemKind.timestamp
    static let describeSection = DescribeSection.timestamps

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .timestamp(try date(of: item, in: folio))
    }

    /// Python reads only the file's `iso_string`; do the same so both agree.
    static func date(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> Date {
        let bytes = try folio.payloadBytes(of: item)
        let value = try JSONValue(parsing: bytes, options: JSONParsingOptions(sourceName: "The timestamp file of '\(item.name)'"))
        guard let text = value["iso_string"]?.stringValue, let date = ISOTimestamp.parseDate(text) else {
            throw DataFolioError(.corruptData, "The timestamp file of '\(item.name)' has no readable 'iso_string'.")
        }
        return date
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = [String]()
        if let iso = item.field("iso_string")?.stringValue, let micros = ISOTimestamp.parseMicroseconds(iso) {
            let (seconds, _) = ISOTimestamp.floorDivide(micros, 1_000_000)
            let text = ISOTimestamp.string(microseconds: seconds * 1_000_000)
            lines.append("time: " + text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC")
        }
        lines += context.sizeAndInputs(item)
        return lines
    }
}
