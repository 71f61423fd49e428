import DataFolioTable
import Testing

@Suite("ColumnType")
struct ColumnTypeTests {
    @Test(arguments: [
        (ColumnType.bool, "bool"), (.int8, "int8"), (.int16, "int16"), (.int32, "int32"), (.int64, "int64"),
        (.uint8, "uint8"), (.uint16, "uint16"), (.uint32, "uint32"), (.uint64, "uint64"),
        (.float16, "halffloat"), (.float32, "float"), (.float64, "double"),
        (.string, "string"), (.binary, "binary"), (.fixedSizeBinary(16), "fixed_size_binary[16]"),
        (.date, "date32[day]"), (.timestamp(.microsecond, timeZone: nil), "timestamp[us]"),
        (.timestamp(.nanosecond, timeZone: "UTC"), "timestamp[ns, tz=UTC]"),
        (.timestamp(.second, timeZone: "Europe/Paris"), "timestamp[s, tz=Europe/Paris]"),
        (.timestamp(.millisecond, timeZone: nil), "timestamp[ms]"),
        (.decimal(precision: 10, scale: 2), "decimal128(10, 2)"),
        (.dictionary(.string, ordered: false), "dictionary<values=string, indices=int32, ordered=0>"),
        (.dictionary(.string, ordered: true), "dictionary<values=string, indices=int32, ordered=1>"),
        (.list(.int64), "list<element: int64>"),
        (.list(.list(.string)), "list<element: list<element: string>>"),
    ])
    func arrowNames(type: ColumnType, name: String) {
        #expect(type.arrowName == name)
        #expect(type.description == name)
    }

    @Test func classification() {
        #expect(ColumnType.uint16.isInteger && ColumnType.uint16.isNumeric)
        #expect(ColumnType.float16.isFloatingPoint && !ColumnType.float16.isInteger)
        #expect(ColumnType.decimal(precision: 5, scale: 1).isNumeric)
        #expect(!ColumnType.string.isNumeric && !ColumnType.date.isNumeric)
        #expect(ColumnType.TimeUnit.nanosecond.perSecond == 1_000_000_000)
    }
}
