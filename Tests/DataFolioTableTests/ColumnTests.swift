import DataFolioSupport
import DataFolioTable
import Foundation
import Testing

@Suite("Column builders and accessors")
struct ColumnTests {
    /// Checks a scalar type with no nulls, some nulls and only nulls.
    func checkScalar<T: ColumnScalar & Equatable>(_ values: [T], type: ColumnType) throws {
        let plain = Column(name: "x", values)
        #expect(plain.type == type)
        #expect(plain.count == values.count)
        #expect(plain.nullCount == 0)
        #expect(plain.validity == nil)
        #expect(try plain.values(as: T.self) == values.map { $0 })

        let withNulls: [T?] = values.enumerated().map { $0.offset % 2 == 1 ? nil : $0.element }
        let nullable = Column(name: "x", withNulls)
        #expect(nullable.nullCount == values.count / 2)
        #expect(try nullable.values(as: T.self) == withNulls)
        for (i, value) in withNulls.enumerated() {
            #expect(nullable.isNull(i) == (value == nil))
            #expect(nullable[i].isNull == (value == nil))
        }

        let allNull = Column(name: "x", [T?](repeating: nil, count: 5))
        #expect(allNull.nullCount == 5)
        #expect(allNull.nullCount == allNull.values.filter { $0.isNull }.count)
        #expect(try allNull.values(as: T.self) == [T?](repeating: nil, count: 5))

        let empty = Column(name: "x", [T]())
        #expect(empty.count == 0 && empty.isEmpty)
        #expect(try empty.values(as: T.self).isEmpty)
    }

    @Test func scalarTypes() throws {
        try checkScalar([true, false, true], type: .bool)
        try checkScalar([Int8.min, 0, Int8.max], type: .int8)
        try checkScalar([Int16.min, 0, Int16.max], type: .int16)
        try checkScalar([Int32.min, 0, Int32.max], type: .int32)
        try checkScalar([Int64.min, 0, Int64.max], type: .int64)
        try checkScalar([Int.min, 0, Int.max], type: .int64)
        try checkScalar([UInt8.max, 0, 1], type: .uint8)
        try checkScalar([UInt16.max, 0, 1], type: .uint16)
        try checkScalar([UInt32.max, 0, 1], type: .uint32)
        try checkScalar([UInt64.max, 0, 1], type: .uint64)
        try checkScalar([Float(1.5), -0.25, .infinity], type: .float32)
        try checkScalar([1.5, -0.25, .greatestFiniteMagnitude, 1e-300], type: .float64)
    }

    @Test func cellsWidenIntegersAndFloats() {
        #expect(Column(name: "a", [Int8(-3)])[0] == .int(-3))
        #expect(Column(name: "a", [UInt32(7)])[0] == .uint(7))
        #expect(Column(name: "a", [Float(0.5)])[0] == .double(0.5))
        #expect(Column(name: "a", [true])[0] == .bool(true))
    }

    @Test func valuesConvertWithoutLoss() throws {
        let small = Column(name: "a", [1, nil, 3] as [Int32?])
        #expect(try small.values(as: Int64.self) == [1, nil, 3])
        #expect(try small.values(as: Double.self) == [1, nil, 3])
        #expect(try small.int64s() == [1, nil, 3])
        #expect(try small.doubles() == [1, nil, 3])
        let large = Column(name: "a", [300] as [Int64])
        #expect(throws: DataFolioError.self) { try large.values(as: Int8.self) }
        #expect(throws: DataFolioError.self) { try Column(name: "a", [1.5]).values(as: Int64.self) }
        #expect(try Column(name: "a", [2.0]).values(as: Int64.self) == [2])
        #expect(throws: DataFolioError.self) { try Column(name: "a", strings: ["1"]).doubles() }
        #expect(throws: DataFolioError.self) { try Column(name: "a", [1]).bools() }
    }

    @Test func float16() throws {
        let column = Column(name: "h", float16: [1.5, nil, -2, 65504])
        #expect(column.type == .float16)
        #expect(column.nullCount == 1)
        #expect(column.values == [.double(1.5), .null, .double(-2), .double(65504)])
        #expect(try column.doubles() == [1.5, nil, -2, 65504])
        guard case .float16(let bits) = column.data else {
            Issue.record("float16 column stores \(column.data)")
            return
        }
        #expect(bits[0] == 0x3E00)
    }

    @Test func strings() {
        let values: [String?] = ["Ada", nil, "", "Grüße 👋 日本", nil]
        let column = Column(name: "名前", strings: values)
        #expect(column.type == .string)
        #expect(column.name == "名前")
        #expect(column.nullCount == 2)
        #expect(column.strings() == values)
        #expect(column[3] == .string("Grüße 👋 日本"))
        #expect(column[2] == .string(""))
        #expect(Column(name: "s", strings: ["a", "b"]).validity == nil)
        #expect(Column(name: "s", strings: [nil, nil]).strings() == [nil, nil])
        #expect(Column(name: "s", strings: []).strings().isEmpty)
    }

    @Test func binary() throws {
        let values: [[UInt8]?] = [[0, 1, 255], nil, []]
        let column = Column(name: "b", binary: values)
        #expect(column.type == .binary)
        #expect(try column.binaries() == values)
        #expect(column[0] == .binary([0, 1, 255]))
        #expect(column[0].description == "0x0001ff")
        #expect(throws: DataFolioError.self) { try Column(name: "a", [1]).binaries() }
    }

    @Test func fixedSizeBinary() throws {
        let uuid: [UInt8] = Array(0..<16)
        let column = try Column(name: "id", fixedWidth: 16, binary: [uuid, nil])
        #expect(column.type == .fixedSizeBinary(16))
        #expect(try column.binaries() == [uuid, nil])
        #expect(throws: DataFolioError.self) { try Column(name: "id", fixedWidth: 16, binary: [[1, 2]]) }
    }

    @Test func dates() throws {
        let day = 86_400.0
        let values: [Date?] = [
            Date(timeIntervalSince1970: 0), nil, Date(timeIntervalSince1970: 19_000 * day + 3600),
            Date(timeIntervalSince1970: -1),
        ]
        let column = Column(name: "d", dates: values)
        #expect(column.type == .date)
        #expect(column.values == [.date(daysSinceEpoch: 0), .null, .date(daysSinceEpoch: 19_000), .date(daysSinceEpoch: -1)])
        #expect(try column.dates() == [
            Date(timeIntervalSince1970: 0), nil, Date(timeIntervalSince1970: 19_000 * day), Date(timeIntervalSince1970: -day),
        ])
        #expect(column[2].description == "2022-01-08")
        #expect(column[3].description == "1969-12-31")
        let raw = Column(name: "d", daysSinceEpoch: [0, nil, 18_262])
        #expect(raw.type == .date)
        #expect(raw[2].description == "2020-01-01")
    }

    @Test func timestamps() throws {
        let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let column = Column(name: "t", timestamps: [instant, nil], unit: .microsecond, timeZone: "UTC")
        #expect(column.type == .timestamp(.microsecond, timeZone: "UTC"))
        #expect(column[0] == .timestamp(1_700_000_000_123_456, .microsecond, timeZone: "UTC"))
        #expect(column[0].description == "2023-11-14T22:13:20.123456Z")
        let back = try column.dates()
        #expect(abs((back[0] ?? .distantPast).timeIntervalSince(instant)) < 1e-6)
        #expect(back[1] == nil)

        let naive = Column(name: "t", timestamps: [Date(timeIntervalSince1970: -0.5)], unit: .millisecond)
        #expect(naive.type == .timestamp(.millisecond, timeZone: nil))
        #expect(naive[0] == .timestamp(-500, .millisecond, timeZone: nil))
        #expect(naive[0].description == "1969-12-31T23:59:59.500")

        let seconds = Column(name: "t", timestamps: [Date(timeIntervalSince1970: 86_400)], unit: .second)
        #expect(seconds[0].description == "1970-01-02T00:00:00")
        let nanos = Column(name: "t", timestamps: [1, nil], unit: .nanosecond, timeZone: "UTC")
        #expect(nanos[0].description == "1970-01-01T00:00:00.000000001Z")
        #expect(nanos.nullCount == 1)
    }

    @Test func categories() throws {
        let values: [String?] = ["red", "blue", nil, "red", "green"]
        let column = Column(name: "colour", categories: values)
        #expect(column.type == .dictionary(.string, ordered: false))
        #expect(column.strings() == values)
        #expect(column[3] == .string("red"))
        guard case .dictionary(let indices, let dictionary) = column.data else {
            Issue.record("not dictionary data")
            return
        }
        #expect(dictionary.strings() == ["red", "blue", "green"])
        #expect(indices[3] == 0)

        let coded = try Column(name: "size", categories: ["S", "M", "L"], codes: [2, -1, 0, nil], ordered: true)
        #expect(coded.type == .dictionary(.string, ordered: true))
        #expect(coded.strings() == ["L", nil, "S", nil])
        #expect(throws: DataFolioError.self) { try Column(name: "size", categories: ["S"], codes: [1]) }
        // Same values through different dictionaries are equal.
        let other = try Column(name: "colour", categories: ["green", "blue", "red"], codes: [2, 1, nil, 2, 0])
        #expect(column == other)
    }

    @Test func decimals() throws {
        let values: [String?] = ["12.50", "-0.01", nil, "99999999.99", "0", "-99999999.99"]
        let column = try Column(name: "price", decimals: values, precision: 10, scale: 2)
        #expect(column.type == .decimal(precision: 10, scale: 2))
        #expect(try column.decimalStrings() == ["12.50", "-0.01", nil, "99999999.99", "0.00", "-99999999.99"])
        #expect(try column.doubles() == [12.5, -0.01, nil, 99999999.99, 0, -99999999.99])
        #expect(column[1] == .decimal("-0.01"))
        // More integer digits than precision - scale, or more fraction digits, do not fit.
        #expect(throws: DataFolioError.self) { try Column(name: "p", decimals: ["123456789.00"], precision: 10, scale: 2) }
        #expect(throws: DataFolioError.self) { try Column(name: "p", decimals: ["1.005"], precision: 10, scale: 2) }
        #expect(throws: DataFolioError.self) { try Column(name: "p", decimals: ["abc"], precision: 10, scale: 2) }
        #expect(throws: DataFolioError.self) { try Column(name: "p", decimals: ["1"], precision: 40, scale: 2) }
        // Trailing zero fraction digits and exponents are exact.
        let exact = try Column(name: "p", decimals: ["1.500", "2.5e1", "-3E-2"], precision: 5, scale: 2)
        #expect(try exact.decimalStrings() == ["1.50", "25.00", "-0.03"])
        // The full 38 digits.
        let big = String(repeating: "9", count: 38)
        let wide = try Column(name: "p", decimals: [big, "-" + big], precision: 38, scale: 0)
        #expect(try wide.decimalStrings() == [big, "-" + big])
        let scaled = try Column(name: "p", decimals: ["-0.5"], precision: 38, scale: 38)
        #expect(try scaled.decimalStrings() == ["-0.50000000000000000000000000000000000000"])
    }

    @Test func lists() throws {
        let column = try Column(name: "tags", type: .list(.string), values: [["a", "b"], .null, [], ["c"]])
        #expect(column.type == .list(.string))
        #expect(column.nullCount == 1)
        #expect(column[0] == .list([.string("a"), .string("b")]))
        #expect(column[2] == .list([]))
        #expect(column[0].description == "[\"a\", \"b\"]")
        let nested = try Column(name: "m", type: .list(.list(.int64)), values: [[[1, 2], [3]], [[]]])
        #expect(nested[0] == .list([.list([.int(1), .int(2)]), .list([.int(3)])]))
        #expect(throws: DataFolioError.self) { try Column(name: "m", type: .list(.int64), values: [1]) }
    }

    @Test func genericBuilderConverts() throws {
        let doubles = try Column(name: "x", type: .float64, values: [1, 2.5, nil])
        #expect(try doubles.doubles() == [1, 2.5, nil])
        let small = try Column(name: "x", type: .int8, values: [1, -128, nil])
        #expect(small.values == [.int(1), .int(-128), .null])
        #expect(throws: DataFolioError.self) { try Column(name: "x", type: .int8, values: [128]) }
        #expect(throws: DataFolioError.self) { try Column(name: "x", type: .uint8, values: [-1]) }
        #expect(throws: DataFolioError.self) { try Column(name: "x", type: .bool, values: ["yes"]) }
        let stamps = try Column(
            name: "t", type: .timestamp(.nanosecond, timeZone: nil),
            values: [.timestamp(5, .microsecond, timeZone: nil), .date(daysSinceEpoch: 1)])
        #expect(stamps.values == [
            .timestamp(5000, .nanosecond, timeZone: nil), .timestamp(86_400_000_000_000, .nanosecond, timeZone: nil),
        ])
        #expect(throws: DataFolioError.self) {
            try Column(name: "t", type: .timestamp(.second, timeZone: nil), values: [.timestamp(5, .millisecond, timeZone: nil)])
        }
        let categories = try Column(name: "c", type: .dictionary(.string, ordered: false), values: ["a", "b", "a", nil])
        #expect(categories.strings() == ["a", "b", "a", nil])
        let half = try Column(name: "h", type: .float16, values: [0.5, nil])
        #expect(half.values == [.double(0.5), .null])
        let nulls = Column.nulls(name: "n", type: .list(.date), count: 3)
        #expect(nulls.count == 3 && nulls.nullCount == 3 && nulls.type == .list(.date))
    }

    @Test func validatingInitAcceptsAgreeingParts() throws {
        let column = try Column(
            name: "s", type: .string, count: 2, data: .bytes(offsets: [0, 2, 2], values: Array("hi".utf8)),
            validity: Bitmap([true, false]))
        #expect(column.strings() == ["hi", nil])
        let noNulls = try Column(name: "x", type: .int32, count: 2, data: .int32([1, 2]), validity: Bitmap([true, true]))
        #expect(noNulls.validity == nil)
        // Dictionary indices at null rows are not checked.
        let dictionary = Column(name: "d", strings: ["a"])
        let coded = try Column(
            name: "c", type: .dictionary(.string, ordered: false), count: 2,
            data: .dictionary(indices: [0, 99], dictionary: dictionary), validity: Bitmap([true, false]))
        #expect(coded.strings() == ["a", nil])
        let empty = try Column(name: "e", type: .string, count: 0, data: .bytes(offsets: [0], values: []), validity: nil)
        #expect(empty.count == 0)
    }

    @Test func validatingInitRejectsDisagreement() {
        let cases: [(ColumnType, Int, ColumnData, Bitmap?)] = [
            (.int64, 2, .int32([1, 2]), nil),                                // wrong data kind
            (.int32, 3, .int32([1, 2]), nil),                                // wrong length
            (.int32, 2, .int32([1, 2]), Bitmap([true])),                     // wrong validity length
            (.int32, -1, .int32([]), nil),                                   // negative count
            (.string, 2, .bytes(offsets: [0, 1], values: [65]), nil),       // too few offsets
            (.string, 1, .bytes(offsets: [0, 5], values: [65]), nil),       // offset past the end
            (.string, 2, .bytes(offsets: [0, 1, 0], values: [65]), nil),    // decreasing
            (.binary, 1, .bytes(offsets: [-1, 0], values: []), nil),        // negative
            (.fixedSizeBinary(4), 2, .fixedBytes(width: 4, values: [1, 2, 3]), nil),
            (.fixedSizeBinary(4), 1, .fixedBytes(width: 2, values: [1, 2]), nil),
            (.decimal(precision: 5, scale: 1), 1, .fixedBytes(width: 8, values: [UInt8](repeating: 0, count: 8)), nil),
            (.decimal(precision: 0, scale: 0), 1, .fixedBytes(width: 16, values: [UInt8](repeating: 0, count: 16)), nil),
            (.dictionary(.string, ordered: false), 1,
             .dictionary(indices: [1], dictionary: Column(name: "d", strings: ["a"])), nil),
            (.dictionary(.string, ordered: false), 1,
             .dictionary(indices: [-1], dictionary: Column(name: "d", strings: ["a"])), nil),
            (.dictionary(.int64, ordered: false), 1,
             .dictionary(indices: [0], dictionary: Column(name: "d", strings: ["a"])), nil),
            (.list(.int64), 1, .list(offsets: [0, 2], values: Column(name: "v", [1])), nil),
            (.list(.string), 1, .list(offsets: [0, 1], values: Column(name: "v", [1])), nil),
            (.date, 1, .int64([1]), nil),
            (.timestamp(.second, timeZone: nil), 1, .int32([1]), nil),
        ]
        for (type, count, data, validity) in cases {
            #expect(throws: DataFolioError.self, "\(type) \(data)") {
                try Column(name: "x", type: type, count: count, data: data, validity: validity)
            }
        }
    }

    @Test func slicing() throws {
        let strings = Column(name: "s", strings: ["a", nil, "ccc", "dd", nil, "f", "g", "h", "i", "j"])
        #expect(strings.rows(2..<5).strings() == ["ccc", "dd", nil])
        #expect(strings.rows(0..<0).count == 0)
        #expect(strings.rows(9..<10).strings() == ["j"])
        let ints = Column(name: "i", [1, nil, 3, 4] as [Int64?])
        #expect(ints.rows(1..<3) == Column(name: "i", [nil, 3] as [Int64?]))
        let lists = try Column(name: "l", type: .list(.int64), values: [[1], [2, 3], nil, [4]])
        #expect(lists.rows(1..<4).values == [[2, 3], .null, [4]])
        let categories = Column(name: "c", categories: ["x", "y", "x"])
        #expect(categories.rows(1..<3).strings() == ["y", "x"])
        let decimals = try Column(name: "d", decimals: ["1.0", "2.5", nil], precision: 4, scale: 1)
        #expect(try decimals.rows(1..<3).decimalStrings() == ["2.5", nil])
    }

    @Test func equalityIgnoresValuesAtNullRows() throws {
        let a = try Column(name: "x", type: .int64, count: 2, data: .int64([1, 7]), validity: Bitmap([true, false]))
        let b = try Column(name: "x", type: .int64, count: 2, data: .int64([1, 9]), validity: Bitmap([true, false]))
        #expect(a == b)
        #expect(a != Column(name: "x", [1, 7] as [Int64]))
        #expect(a != a.renamed("y"))
        let s1 = try Column(name: "s", type: .string, count: 2, data: .bytes(offsets: [0, 1, 3], values: Array("abc".utf8)), validity: Bitmap([true, false]))
        let s2 = Column(name: "s", strings: ["a", nil])
        #expect(s1 == s2)
        #expect(Column(name: "f", [Double.nan, 1]) == Column(name: "f", [Double.nan, 1]))
        #expect(Column(name: "f", [Float.nan]) == Column(name: "f", [Float.nan]))
        #expect(Column(name: "f", [1.0]) != Column(name: "f", [Float(1.0)]))
        #expect(Column(name: "f", [1.0]) != Column(name: "f", [2.0]))
    }
}
