import DataFolioJSON
import DataFolioSupport
import DataFolioTable
import Testing

/// Struct, map, large and fixed-size list columns in the table model: types, validation,
/// builders, access, slicing, equality, and their text and JSON forms.
@Suite("Nested columns")
struct NestedColumnTests {
    static let point = ColumnType.struct([.init("x", .int64), .init("label", .string)])

    static func points() throws -> Column {
        try Column(name: "p", type: point, values: [.struct([("x", 1), ("label", "a")]), .null, .struct([("x", .null), ("label", .null)])])
    }

    @Test(arguments: [
        (ColumnType.struct([.init("x", .int32), .init("y", .string, isNullable: false)]), "struct<x: int32, y: string not null>"),
        (.map(key: .string, value: .list(.int64)), "map<string, list<element: int64>>"),
        (.largeList(.float64), "large_list<element: double>"),
        (.fixedSizeList(.int16, size: 3), "fixed_size_list<element: int16>[3]"),
        (.mapEntry(key: .int32, value: .string), "struct<key: int32 not null, value: string>"),
    ])
    func arrowNames(type: ColumnType, name: String) {
        #expect(type.arrowName == name)
        #expect(type.isNested)
    }

    @Test func previewNamesAndTrees() {
        let type = ColumnType.list(.struct([.init("ts", .int64), .init("tags", .map(key: .string, value: .int32))]))
        #expect(type.previewName == "list<struct<ts: int64, tags: map<string, int32>>>")
        #expect(ColumnType.fixedSizeList(.dictionary(.string, ordered: false), size: 2).previewName == "list<category>[2]")
        #expect(
            type.schemaTree(name: "events") == """
                events: list
                └─ element: struct
                   ├─ ts: int64
                   └─ tags: map
                      ├─ key: string not null
                      └─ value: int32
                """)
        #expect(ColumnType.int64.schemaTree(name: "id") == "id: int64")
        let deep = ColumnType.struct([.init("a", .struct([.init("b", .list(.int8))])), .init("c", .bool, isNullable: false)])
        #expect(
            deep.schemaTree(name: "s") == """
                s: struct
                ├─ a: struct
                │  └─ b: list
                │     └─ element: int8
                └─ c: bool not null
                """)
    }

    @Test func validationRejectsDisagreement() throws {
        let x = Column(name: "x", [1, 2] as [Int64])
        let label = Column(name: "label", strings: ["a", "b"])
        #expect(throws: Never.self) { try Column(name: "p", type: Self.point, count: 2, data: .struct([x, label]), validity: nil) }
        let cases: [(String, ColumnType, ColumnData, Int)] = [
            ("too few fields", Self.point, .struct([x]), 2),
            ("fields out of order", Self.point, .struct([label, x]), 2),
            ("field of another length", Self.point, .struct([x, label]), 3),
            ("renamed field", Self.point, .struct([x.renamed("y"), label]), 2),
            ("uneven fixed-size list", .fixedSizeList(.int64, size: 2), .list(offsets: [0, 2, 3], values: Column(name: "e", [1, 2, 3] as [Int64])), 2),
            ("map of wrong entries", .map(key: .string, value: .int64), .list(offsets: [0, 2], values: x), 1),
            ("map with a null key", .map(key: .int64, value: .string), .list(offsets: [0, 2], values: try Column(
                name: "entries", type: .mapEntry(key: .int64, value: .string), count: 2,
                data: .struct([Column(name: "key", [1, nil] as [Int64?]), label.renamed("value")]), validity: nil)), 1),
        ]
        for (name, type, data, count) in cases {
            #expect(throws: DataFolioError.self, "\(name)") { try Column(name: "c", type: type, count: count, data: data, validity: nil) }
        }
    }

    @Test func buildersKeepNullsApartAtEveryLevel() throws {
        let points = try Self.points()
        #expect(points.nullCount == 1)
        #expect(points[1] == .null)
        #expect(points[2] == .struct([("x", .null), ("label", .null)]))
        #expect(points[1] != points[2])
        // Missing fields are null; unknown fields and wrong kinds are refused.
        var builder = try ColumnBuilder(name: "p", type: Self.point)
        try builder.append(.struct([("label", "only")]))
        #expect(builder.build()[0] == .struct([("x", .null), ("label", "only")]))
        #expect(throws: DataFolioError.self) { try Column(name: "p", type: Self.point, values: [.struct([("z", 1)])]) }
        #expect(throws: DataFolioError.self) { try Column(name: "p", type: Self.point, values: [[1, 2]]) }
        #expect(throws: DataFolioError.self) { try ColumnBuilder(name: "p", type: .struct([.init("a", .int8), .init("a", .int8)])) }
        // A null fixed-size list still spans its values; a wrong size is refused.
        let pairs = try Column(name: "f", type: .fixedSizeList(.int32, size: 2), values: [[1, 2], .null, [.null, 4]])
        if case .list(let offsets, let values) = pairs.data {
            #expect(offsets == [0, 2, 4, 6])
            #expect(values.count == 6 && values.nullCount == 3)
        }
        #expect(pairs.values == [[1, 2], .null, [.null, 4]])
        #expect(throws: DataFolioError.self) { try Column(name: "f", type: .fixedSizeList(.int32, size: 2), values: [[1]]) }
        // Maps keep their entries in order and refuse null keys.
        let map = try Column(name: "m", type: .map(key: .string, value: .int64), values: [.map([("b", 1), ("a", .null)]), .map([]), .null])
        #expect(map.values == [.map([("b", 1), ("a", .null)]), .map([]), .null])
        #expect(throws: DataFolioError.self) { try Column(name: "m", type: .map(key: .string, value: .int64), values: [.map([(.null, 1)])]) }
        let large = try Column(name: "l", type: .largeList(.string), values: [["a"], [], .null])
        #expect(large.values == [["a"], [], .null])
        #expect(Column.nulls(name: "n", type: .map(key: .string, value: .int8), count: 2).nullCount == 2)
    }

    @Test func slicingConcatenatingAndEquality() throws {
        let points = try Self.points()
        #expect(points.rows(1..<3).values == [.null, .struct([("x", .null), ("label", .null)])])
        let grid = try Column(name: "g", type: .list(.list(.int64)), values: [[[1], []], .null, [[2, 3]]])
        #expect(grid.rows(2..<3).values == [[[2, 3]]])
        let joined = try Table(concatenating: [try Table([points, grid]), try Table([points.rows(0..<1), grid.rows(0..<1)])])
        #expect(joined["p"]?.values == points.values + [points[0]])
        #expect(joined["g"]?.values == grid.values + [grid[0]])
        // Equality looks at the values, not at what null rows store.
        let x = Column(name: "x", [1, 99] as [Int64])
        let label = Column(name: "label", strings: ["a", "zzz"])
        let other = try Column(name: "p", type: Self.point, count: 2, data: .struct([x, label]), validity: Bitmap([true, false]))
        #expect(other == (try Column(name: "p", type: Self.point, values: [.struct([("x", 1), ("label", "a")]), .null])))
        #expect(points != points.renamed("q"))
    }

    @Test func compactTextIsBoundedAndEscaped() {
        let cell: TableValue = .struct([("x", 1), ("tags", ["a", "b"]), ("odd name", "q\"\n")])
        #expect(cell.compactText() == #"{x: 1, tags: ["a", "b"], "odd name": "q\"\n"}"#)
        #expect(cell.description == cell.compactText())
        #expect(cell.compactText(maxWidth: 10) == "{x: 1, ta…")
        #expect(TableValue.map([(1, "a"), (2, .null)]).compactText() == #"{1: "a", 2: null}"#)
        #expect(TableValue.list([.date(daysSinceEpoch: 0), .null]).compactText() == "[1970-01-01, null]")
        #expect(TableValue.string("top").compactText() == "top")
        // A huge list renders only what fits.
        let huge = TableValue.list((0..<100_000).map { .int(Int64($0)) })
        #expect(huge.compactText(maxWidth: 12) == "[0, 1, 2, 3…")
        #expect(TableValue.list(["日本", "語"]).compactText(maxWidth: 8) == #"["日本"…"#)
    }

    @Test func jsonValuesFollowTheKeyType() throws {
        #expect(TableValue.struct([("a", 1), ("b", [.binary([255])])]).jsonValue == ["a": 1, "b": ["/w=="]])
        #expect(TableValue.map([("k", 1.5)]).jsonValue == ["k": 1.5])
        #expect(TableValue.map([(1, "x")]).jsonValue == [[1, "x"]])
        #expect(TableValue.uint(.max).jsonValue == .double(Double(UInt64.max)))
        let ints = try Column(name: "m", type: .map(key: .int32, value: .string), values: [.map([]), .map([(3, "c")])])
        // An empty map of integer keys is still a list of pairs, like its neighbours.
        #expect(ints.jsonValue(at: 0) == [])
        #expect(ints.jsonValue(at: 1) == [[3, "c"]])
        let texts = try Column(name: "m", type: .map(key: .string, value: .timestamp(.second, timeZone: "UTC")), values: [.map([])])
        #expect(texts.jsonValue(at: 0) == [:])
        #expect(try Self.points().jsonValue(at: 0) == ["x": 1, "label": "a"])
        #expect(TableValue.struct([("d", .decimal("1.50"))]).exportValue == .struct([("d", .string("1.50"))]))
        #expect(TableValue.map([(1, 2)]).exportValue == .list([.list([1, 2])]))
    }

    @Test func previewAndCSVShowNestedCells() throws {
        let table = try Table([
            Column(name: "id", [1, 2, 3] as [Int64]),
            try Self.points(),
            try Column(name: "m", type: .map(key: .string, value: .int64), values: [.map([("k", 1)]), .null, .map([])]),
        ])
        let lines = table.preview(maxCellWidth: 12).split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "   id  p             m", "int64  struct<x: i…  map<string,…", "─────  ────────────  ────────────",
                #"    1  {x: 1, labe…  {"k": 1}"#, "    2  null          null", "    3  {x: null, l…  {}",
            ])
        let csv = try table.csvText().split(separator: "\n").map(String.init)
        #expect(csv[1] == #"1,"{""x"": 1, ""label"": ""a""}","{""k"": 1}""#)
        #expect(csv[2] == "2,,")
        #expect(csv[3] == #"3,"{""x"": null, ""label"": null}",{}"#)
        #expect(table.schemaTree.hasPrefix("id: int64\np: struct\n├─ x: int64\n└─ label: string\nm: map"))
    }
}
