import DataFolioSupport

/// One node of the flattened (depth-first) Parquet schema.
struct SchemaElement: Sendable, Equatable {
    var type: ParquetPhysicalType?
    var typeLength: Int32?
    var repetition: Repetition?
    var name: String = ""
    var numChildren: Int32?
    var convertedType: ConvertedType?
    var scale: Int32?
    var precision: Int32?
    var fieldID: Int32?
    var logicalType: LogicalType?

    init(name: String) {
        self.name = name
    }

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var element = SchemaElement(name: "")
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: element.type = ParquetPhysicalType(rawValue: try r.readI32(field.type))
            case 2: element.typeLength = try r.readI32(field.type)
            case 3:
                let raw = try r.readI32(field.type)
                guard let repetition = Repetition(rawValue: raw) else {
                    throw DataFolioError.corrupt("Parquet", "a schema node has an unknown repetition \(raw)")
                }
                element.repetition = repetition
            case 4: element.name = try r.readString(field.type)
            case 5: element.numChildren = try r.readI32(field.type)
            case 6: element.convertedType = ConvertedType(rawValue: try r.readI32(field.type))
            case 7: element.scale = try r.readI32(field.type)
            case 8: element.precision = try r.readI32(field.type)
            case 9: element.fieldID = try r.readI32(field.type)
            case 10:
                guard field.type == .structure else { throw DataFolioError.corrupt("Parquet", "a logical type is not a struct") }
                element.logicalType = try LogicalType(from: &r)
            default: try r.skip(field.type)
            }
        }
        self = element
    }

    func write(to writer: inout ThriftCompactWriter) {
        if let type { writer.i32Field(1, type.rawValue) }
        if let typeLength { writer.i32Field(2, typeLength) }
        if let repetition { writer.i32Field(3, repetition.rawValue) }
        writer.stringField(4, name)
        if let numChildren { writer.i32Field(5, numChildren) }
        if let convertedType { writer.i32Field(6, convertedType.rawValue) }
        if let scale { writer.i32Field(7, scale) }
        if let precision { writer.i32Field(8, precision) }
        if let fieldID { writer.i32Field(9, fieldID) }
        if let logicalType {
            writer.structField(10) { w in logicalType.write(to: &w) }
        }
    }
}

/// A key-value pair of file or column metadata (for example `pandas` or `ARROW:schema`).
///
/// ```swift
/// let pandas = reader.metadata.keyValueMetadata.first { $0.key == "pandas" }?.value
/// ```
public struct ParquetKeyValue: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The value; Parquet allows a key without one.
    public var value: String?

    /// Creates a pair.
    ///
    /// ```swift
    /// let options = ParquetWriteOptions(keyValueMetadata: [ParquetKeyValue(key: "source", value: "sensor-7")])
    /// ```
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }

    init(from reader: inout ThriftCompactReader) throws(DataFolioError) {
        var key = ""
        var value: String?
        try reader.readStruct { (r: inout ThriftCompactReader, field: ThriftField) throws(DataFolioError) in
            switch field.id {
            case 1: key = try r.readString(field.type)
            case 2: value = try r.readString(field.type)
            default: try r.skip(field.type)
            }
        }
        self.init(key: key, value: value)
    }

    func write(to writer: inout ThriftCompactWriter) {
        writer.stringField(1, key)
        if let value { writer.stringField(2, value) }
    }
}
