import DataFolioParquet
import DataFolioSupport
import DataFolioTable

/// Per-column null counts and bounds of a Parquet file, combined over its row groups
/// from the statistics the writer stored (nothing is computed from the data).
///
/// Bounds are decoded for the types whose stored order is their natural order:
/// booleans, integers, floating point, text, dates and timestamps. A count or bound is
/// `nil` when any row group lacks it.
struct ParquetColumnStatistics {
    struct Column {
        var nullCount: Int?
        var minimum: String?
        var maximum: String?
    }

    /// Statistics by top-level column name.
    private(set) var columns: [String: Column] = [:]

    init(_ metadata: ParquetFileMetadata, schema: ParquetSchema) {
        guard !metadata.rowGroups.isEmpty else { return }
        var types = [String: ColumnType]()
        for field in schema.fields { if let type = field.type { types[field.name] = type } }

        struct Accumulator {
            var nulls: Int? = 0
            var low: (key: OrderedValue, text: String)?
            var high: (key: OrderedValue, text: String)?
            var boundsComplete = true
            var chunks = 0
        }
        var accumulators = [String: Accumulator]()
        for group in metadata.rowGroups {
            for chunk in group.columns where chunk.path.count == 1 {
                let name = chunk.path[0]
                guard let type = types[name] else { continue }
                var entry = accumulators[name] ?? Accumulator()
                entry.chunks += 1
                let stats = chunk.statistics
                if let count = stats?.nullCount, count >= 0, let total = entry.nulls {
                    let sum = total.addingReportingOverflow(Int(clamping: count))
                    entry.nulls = sum.overflow ? nil : sum.partialValue
                } else {
                    entry.nulls = nil
                }
                // A chunk of nulls only has no bounds; that does not make the others incomplete.
                let allNull = stats?.nullCount.map { $0 >= chunk.valueCount } ?? false
                if !allNull {
                    if let low = stats?.minimum.flatMap({ Self.decode($0, physical: chunk.physicalType, type: type) }),
                       let high = stats?.maximum.flatMap({ Self.decode($0, physical: chunk.physicalType, type: type) })
                    {
                        if let current = entry.low, !(low.key < current.key) {} else { entry.low = low }
                        if let current = entry.high, !(current.key < high.key) {} else { entry.high = high }
                    } else {
                        entry.boundsComplete = false
                    }
                }
                accumulators[name] = entry
            }
        }
        let groups = metadata.rowGroups.count
        for (name, entry) in accumulators {
            // A column missing from some row group's metadata gets no figures at all.
            guard entry.chunks == groups else { continue }
            columns[name] = Column(
                nullCount: entry.nulls,
                minimum: entry.boundsComplete ? entry.low?.text : nil,
                maximum: entry.boundsComplete ? entry.high?.text : nil)
        }
    }

    /// A PLAIN-encoded statistic as an orderable key and its display text.
    static func decode(_ bytes: [UInt8], physical: ParquetPhysicalType, type: ColumnType) -> (key: OrderedValue, text: String)? {
        func little<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            var value: T = 0
            for (shift, byte) in bytes.enumerated() { value |= T(truncatingIfNeeded: byte) << (shift * 8) }
            return value
        }
        switch type {
        case .dictionary(let valueType, _):
            return decode(bytes, physical: physical, type: valueType)
        case .bool where physical == .boolean:
            guard let byte = bytes.first else { return nil }
            return (.signed(byte & 1 == 1 ? 1 : 0), byte & 1 == 1 ? "true" : "false")
        case .int8, .int16, .int32:
            guard physical == .int32, let value = little(Int32.self) else { return nil }
            return (.signed(Int64(value)), String(value))
        case .uint8, .uint16, .uint32:
            guard physical == .int32, let value = little(UInt32.self) else { return nil }
            return (.unsigned(UInt64(value)), String(value))
        case .int64:
            guard physical == .int64, let value = little(Int64.self) else { return nil }
            return (.signed(value), String(value))
        case .uint64:
            guard physical == .int64, let value = little(UInt64.self) else { return nil }
            return (.unsigned(value), String(value))
        case .float32:
            guard physical == .float, let bits = little(UInt32.self) else { return nil }
            let value = Float(bitPattern: bits)
            guard !value.isNaN else { return nil }
            return (.real(Double(value)), TableValue.double(Double(value)).description)
        case .float64:
            guard physical == .double, let bits = little(UInt64.self) else { return nil }
            let value = Double(bitPattern: bits)
            guard !value.isNaN else { return nil }
            return (.real(value), TableValue.double(value).description)
        case .string:
            guard physical == .byteArray else { return nil }
            return (.text(bytes), String(decoding: bytes, as: UTF8.self))
        case .date:
            guard physical == .int32, let value = little(Int32.self) else { return nil }
            return (.signed(Int64(value)), TableValue.date(daysSinceEpoch: value).description)
        case .timestamp(let unit, let timeZone):
            guard physical == .int64, let value = little(Int64.self) else { return nil }
            return (.signed(value), TableValue.timestamp(value, unit, timeZone: timeZone).description)
        default:
            return nil
        }
    }
}
