import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Data is never changed silently, and hostile catalogs give errors, never traps.
@Suite("Data is never changed silently")
struct DataIntegrityTests {
    @Test func jsonWithoutAnExactFormIsRefusedWithItsPath() throws {
        let temp = TemporaryFolder("exact-json")
        let folio = try DataFolio(at: temp.path("f"))
        #expect { try folio.add("m", ["a": 1, "b": .double(.nan)]) } throws: { error in
            (error as? DataFolioError)?.message.contains("$.b") == true
        }
        #expect { try folio.add("m", ["runs": [["loss": .double(-.infinity)]]]) } throws: { error in
            (error as? DataFolioError)?.message.contains("$.runs[0].loss") == true
        }
        struct Metrics: Encodable { var loss: Double }
        #expect { try folio.add("m", json: Metrics(loss: .nan)) } throws: { error in
            (error as? DataFolioError)?.message.contains("'loss'") == true
        }
        #expect { try folio.add("m", json: ["big": UInt64.max]) } throws: { error in
            (error as? DataFolioError)?.message.contains("18446744073709551615") == true
        }
        #expect(folio.itemNames.isEmpty)
        // Text read for a folio: integers beyond 64 bits and numbers beyond a double are
        // refused where they are; ordinary numbers are exact.
        let strict = JSONParsingOptions(sourceName: "x.json", exactNumbers: true)
        #expect { try JSONValue(parsing: #"{"a": {"b": [1, 123456789012345678901234567890]}}"#, options: strict) } throws: { error in
            (error as? DataFolioError)?.message.contains("$.a.b[1]") == true
        }
        #expect(throws: DataFolioError.self) { try JSONValue(parsing: #"{"x": 1e400}"#, options: strict) }
        #expect(throws: DataFolioError.self) { try JSONValue(parsing: #"[NaN]"#, options: strict) }
        #expect(throws: DataFolioError.self) { try JSONValue(parsing: #"{"weird key": -Infinity}"#, options: strict) }
        #expect(try JSONValue(parsing: #"{"a": 9223372036854775807, "b": -9223372036854775808, "c": 0.1, "d": 1e300}"#, options: strict)
            == ["a": .int(.max), "b": .int(.min), "c": 0.1, "d": 1e300])
    }

    @Test func numpyDatetimesExportWithoutATimeZone() throws {
        let seconds = try NDArray(shape: [2], dtype: .datetime64(.second), bytes: [1_705_332_600, Int64.min].flatMap { value in
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        })
        #expect(try seconds.jsonValue() == ["2024-01-15T15:30:00", .null])
        #expect(NDArray.datetimeText(1_705_332_600_123_456, unit: .microsecond) == "2024-01-15T15:30:00.123456")
        #expect(NDArray.datetimeText(-1, unit: .nanosecond) == "1969-12-31T23:59:59.999999999")
        #expect(NDArray.datetimeText(19737, unit: .day) == "2024-01-15")
        #expect(NDArray.datetimeText(-3000, unit: .year) == "-1030")
        #expect(NDArray.datetimeText(5, unit: .millisecond, multiplier: 10) == "1970-01-01T00:00:00.050")
        #expect(NDArray.datetimeText(Int64.max, unit: .day, multiplier: 7) == nil, "an overflow is no date, never a trap")
    }

    @Test func inputsAreCheckedAsTheyAreRecorded() throws {
        let temp = TemporaryFolder("inputs")
        let folio = try DataFolio(at: temp.path("f"))
        let warnings = WarningCollector()
        folio.warningHandler = { warnings.append($0) }
        #expect { try folio.add("a", 1, inputs: ["a"]) } throws: { error in
            (error as? DataFolioError)?.message.contains("itself") == true
        }
        try folio.add("b", 2, inputs: ["nope"])
        #expect(warnings.warnings.map(\.message).contains { $0.contains("nope") })
        #expect(try folio.inputs(of: "b") == ["nope"], "lineage is recorded as given")
    }

    @Test(arguments: [
        #"{"schema_version": 2, "revision": 9223372036854775807, "metadata": {}, "items": [], "snapshots": {}}"#,
        #"{"schema_version": 2, "revision": -5, "metadata": {}, "items": [], "snapshots": {}}"#,
        #"{"schema_version": 9223372036854775807, "revision": 1, "metadata": {}, "items": [], "snapshots": {}}"#,
        #"{"schema_version": 2, "revision": 1e300, "metadata": {}, "items": [], "snapshots": {}}"#,
    ])
    func absurdCatalogNumbersAreErrors(_ catalog: String) throws {
        let temp = TemporaryFolder("absurd")
        try FileManager.default.createDirectory(atPath: temp.path("f"), withIntermediateDirectories: true)
        try Data(catalog.utf8).write(to: URL(fileURLWithPath: temp.path("f/items.json")))
        #expect(throws: DataFolioError.self) { try DataFolio(at: temp.path("f")) }
    }

    @Test func absurdItemFieldsAreShownNotTrappedOn() throws {
        let temp = TemporaryFolder("absurd-items")
        try FileManager.default.createDirectory(atPath: temp.path("f"), withIntermediateDirectories: true)
        let catalog = #"""
        {"schema_version": 2, "revision": 1, "metadata": {}, "snapshots": {}, "items": [
          {"name": "a", "item_type": "numpy_array", "filename": "../../../etc/passwd", "shape": [9223372036854775807, 9223372036854775807], "dtype": "float32", "is_current": true},
          {"name": "t", "item_type": "included_table", "filename": "t.parquet", "num_rows": 9223372036854775807, "size_bytes": -1, "is_current": true}
        ]}
        """#
        try Data(catalog.utf8).write(to: URL(fileURLWithPath: temp.path("f/items.json")))
        let folio = try DataFolio(at: temp.path("f"))
        _ = folio.describe()
        #expect { try folio.get("a", as: NDArray.self) } throws: { error in
            (error as? DataFolioError)?.message.contains("'..'") == true
        }
        #expect(!folio.validate().isValid)
        try folio.add("ok", 1)
        #expect(folio.revision == 2)
    }

    @Test func deepLineageIsWalkedWithoutRecursion() throws {
        // A 30,000-deep chain, written straight into a catalog (committing it item by
        // item would take minutes and prove nothing more).
        let depth = 30_000
        let temp = TemporaryFolder("deep")
        try FileManager.default.createDirectory(atPath: temp.path("f"), withIntermediateDirectories: true)
        var items = [JSONValue]()
        items.reserveCapacity(depth)
        for index in 0..<depth {
            var entry: JSONObject = [
                "name": .string("n\(index)"), "item_type": "referenced_table", "path": "file:///nowhere.csv",
                "table_format": "csv", "version_id": .string("n\(index)--r1"), "is_current": true,
            ]
            if index > 0 { entry["inputs"] = [.string("n\(index - 1)")] }
            items.append(.object(entry))
        }
        let catalog: JSONValue = ["schema_version": 2, "revision": 1, "metadata": [:], "items": .array(items), "snapshots": [:]]
        try Data(catalog.formattedBytes()).write(to: URL(fileURLWithPath: temp.path("f/items.json")))
        let folio = try DataFolio(at: temp.path("f"))
        let graph = folio.lineage
        #expect(graph.ancestors(of: "n\(depth - 1)").count == depth - 1)
        #expect(graph.descendants(of: "n0").count == depth - 1)
        let tree = graph.tree
        #expect(tree.hasPrefix("n\(depth - 1)\n"))
        #expect(tree.contains("(level \(depth - 1)) n0"))
        #expect(tree.utf8.count < depth * 160, "the text grows with the graph, not with its depth squared")
        #expect(try folio.dependents(of: "n0") == ["n1"])
    }

    @Test func cyclesFromHandEditedCatalogsEnd() throws {
        let graph = LineageGraph(nodes: [
            .init(name: "a", inputs: ["c"]), .init(name: "b", inputs: ["a"]), .init(name: "c", inputs: ["b"]),
        ])
        #expect(graph.ancestors(of: "a").sorted() == ["b", "c"])
        #expect(graph.tree.contains("(cycle)"))
    }
}
