import DataFolioArrow
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Arrow IPC files and streams written by pyarrow, read back exactly.
@Suite("Arrow IPC interop with pyarrow")
struct ArrowInteropTests {
    /// Writes the test table in every layout pyarrow offers and, next to each, the
    /// values as canonical JSON (integers and floats as text, dates as day numbers,
    /// timestamps as raw counts, binary as hex).
    static let script = #"""
        import sys, json, decimal, datetime
        import numpy as np
        import pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc
        folder = sys.argv[1]
        n = 7
        def nulls(values, every=3):
            return [None if i % every == 2 else v for i, v in enumerate(values)]
        cols = {
            "i8": pa.array(nulls([-128, 127, 0, 5, -1, 3, 2]), pa.int8()),
            "i16": pa.array([-32768, 32767, 0, 1, 2, 3, 4], pa.int16()),
            "i32": pa.array(nulls([-2**31, 2**31 - 1, 0, 7, 8, 9, 10]), pa.int32()),
            "i64": pa.array(nulls([-2**63, 2**63 - 1, 0, 1, 2, 3, 4]), pa.int64()),
            "u8": pa.array([0, 255, 1, 2, 3, 4, 5], pa.uint8()),
            "u16": pa.array([0, 65535, 1, 2, 3, 4, 5], pa.uint16()),
            "u32": pa.array([0, 2**32 - 1, 1, 2, 3, 4, 5], pa.uint32()),
            "u64": pa.array(nulls([0, 2**64 - 1, 1, 2, 3, 4, 5]), pa.uint64()),
            "f16": pa.array(np.array([0.5, -2, 65504, 0.1, 1, 2, 3], dtype=np.float16)),
            "f32": pa.array(nulls([0.1, -1.5, 3.4e38, 1e-45, 2, 3, 4]), pa.float32()),
            "f64": pa.array([0.1, float("nan"), float("inf"), -0.0, None, 1e300, 5e-324], pa.float64()),
            "b": pa.array(nulls([True, False, True, True, False, False, True]), pa.bool_()),
            "s": pa.array(nulls(["a", "", "ünï 🎉", "x" * 40, "q\"", "line\nbreak", "z"]), pa.string()),
            "ls": pa.array(["l" + str(i) for i in range(n)], pa.large_string()),
            "sv": pa.array(nulls(["short", "a much longer string view", "", "x", "y" * 13, "z", "w"]), pa.string_view()),
            "bin": pa.array(nulls([b"\x00\x01", b"", b"abc", b"\xff", b"d", b"e", b"f"]), pa.binary()),
            "lbin": pa.array([bytes([i]) * i for i in range(n)], pa.large_binary()),
            "fsb": pa.array(nulls([bytes([i, i + 1, i + 2]) for i in range(n)]), pa.binary(3)),
            "dec": pa.array(nulls([decimal.Decimal("1.500"), decimal.Decimal("-2.250"), decimal.Decimal("0.000"),
                                   decimal.Decimal("9999999.999"), decimal.Decimal("0.001"), decimal.Decimal("-0.001"), decimal.Decimal("42")]),
                            pa.decimal128(10, 3)),
            "d32": pa.array(nulls([datetime.date(2024, 1, 31), datetime.date(1970, 1, 1), datetime.date(1969, 12, 31),
                                   datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(2000, 2, 29), datetime.date(2024, 2, 29)]), pa.date32()),
            "d64": pa.array([datetime.date(2024, 1, i + 1) for i in range(n)], pa.date64()),
            "ts_s": pa.array([-1, 0, 1, 2**40, 5, 6, 7], pa.timestamp("s")),
            "ts_ms": pa.array(nulls([-1, 0, 1, 2**45, 5, 6, 7]), pa.timestamp("ms")),
            "ts_us": pa.array([-1, 0, 1, 2**50, 5, 6, 7], pa.timestamp("us", tz="Europe/Oslo")),
            "ts_ns": pa.array(nulls([-1, 0, 1, 2**62, 5, 6, 7]), pa.timestamp("ns", tz="UTC")),
            "cat": pa.array(nulls(["red", "blue", "red", "green", "blue", "red", "red"])).dictionary_encode(),
            "ocat": pa.DictionaryArray.from_arrays(pa.array([0, 1, 0, 2, 1, None, 0], pa.int8()), pa.array(["lo", "mid", "hi"]), ordered=True),
            "icat": pa.array([10, 20, 10, 30, 20, 10, 10], pa.int64()).dictionary_encode(),
            "lst": pa.array([[1, 2], None, [], [3], [4, None], [5, 6, 7], [8]], pa.list_(pa.int64())),
            "llst": pa.array([["a"], ["b", "c"], None, [], ["d"], ["e"], ["f"]], pa.large_list(pa.string())),
            "nul": pa.array([None] * n, pa.null()),
        }
        table = pa.table(cols)

        def canon(field, value):
            if value is None:
                return None
            t = field.type
            if pa.types.is_dictionary(t):
                t = t.value_type
            if pa.types.is_integer(t):
                return str(value)
            if pa.types.is_floating(t):
                return repr(float(value))
            if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_binary_view(t):
                return value.hex()
            if pa.types.is_decimal(t):
                return str(value)
            if pa.types.is_date(t):
                return str((value - datetime.date(1970, 1, 1)).days)
            if pa.types.is_list(t) or pa.types.is_large_list(t):
                return [canon(pa.field("e", t.value_type), v) for v in value]
            return value

        expected = {}
        for field in table.schema:
            column = table.column(field.name)
            if pa.types.is_timestamp(field.type):
                values = [None if v is None else str(v) for v in column.cast(pa.int64()).to_pylist()]
            else:
                values = [canon(field, v) for v in column.to_pylist()]
            expected[field.name] = {"type": str(field.type), "values": values}
        json.dump(expected, open(folder + "/expected.json", "w"))

        feather.write_feather(table, folder + "/default.feather", chunksize=3)
        feather.write_feather(table, folder + "/plain.feather", compression="uncompressed", chunksize=3)
        feather.write_feather(table, folder + "/zstd.feather", compression="zstd", chunksize=2)
        feather.write_feather(table, folder + "/lz4.feather", compression="lz4", chunksize=4)
        with ipc.new_file(folder + "/file.arrow", table.schema) as writer:
            writer.write_table(table, max_chunksize=3)
        with ipc.new_stream(folder + "/stream.arrows", table.schema) as writer:
            writer.write_table(table, max_chunksize=2)
        options = ipc.IpcWriteOptions(compression="zstd", emit_dictionary_deltas=True)
        order = []
        with ipc.new_stream(folder + "/deltas.arrows", table.schema, options=options) as writer:
            for start in range(0, n, 2):
                # The text categories grow from batch to batch, so later batches send deltas.
                part = table.slice(start, 2)
                chunk = part.column("cat").to_pylist()
                for v in chunk:
                    if v is not None and v not in order:
                        order.append(v)
                indices = pa.array([None if v is None else order.index(v) for v in chunk], pa.int32())
                cat = pa.DictionaryArray.from_arrays(indices, pa.array(order, pa.string()))
                arrays = [cat if name == "cat" else part.column(name).combine_chunks() for name in part.column_names]
                writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=table.schema))
        print("ok")
        """#

    /// The canonical JSON text of a cell, as the script writes it.
    static func canonical(_ cell: TableValue) -> Any? {
        switch cell {
        case .null: return nil
        case .bool(let flag): return flag
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let v): return v
        case .string(let text): return text
        case .binary(let bytes): return bytes.map { String(format: "%02x", $0) }.joined()
        case .date(let days): return String(days)
        case .timestamp(let v, _, _): return String(v)
        case .decimal(let text): return text
        case .list(let items): return items.map(canonical)
        case .struct(let fields): return Dictionary(fields.map { ($0.name, canonical($0.value) as Any) }, uniquingKeysWith: { first, _ in first })
        case .map(let entries): return entries.map { [canonical($0.key), canonical($0.value)] as [Any?] }
        }
    }

    static func same(_ actual: Any?, _ expected: Any?) -> Bool {
        switch (actual, expected) {
        case (nil, nil), (nil, is NSNull): return true
        case (let double as Double, let text as String):
            guard let value = Double(text) else { return false }
            return value.bitPattern == double.bitPattern || (value.isNaN && double.isNaN)
        case (let a as String, let b as String): return a == b
        case (let a as Bool, let b as Bool): return a == b
        case (let a as [Any?], let b as [Any]):
            return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        default: return false
        }
    }

    /// The table type each Arrow type reads as.
    static let types: [String: ColumnType] = [
        "i8": .int8, "i16": .int16, "i32": .int32, "i64": .int64, "u8": .uint8, "u16": .uint16, "u32": .uint32,
        "u64": .uint64, "f16": .float16, "f32": .float32, "f64": .float64, "b": .bool, "s": .string, "ls": .string,
        "sv": .string, "bin": .binary, "lbin": .binary, "fsb": .fixedSizeBinary(3), "dec": .decimal(precision: 10, scale: 3),
        "d32": .date, "d64": .date, "ts_s": .timestamp(.second, timeZone: nil), "ts_ms": .timestamp(.millisecond, timeZone: nil),
        "ts_us": .timestamp(.microsecond, timeZone: "Europe/Oslo"), "ts_ns": .timestamp(.nanosecond, timeZone: "UTC"),
        "cat": .dictionary(.string, ordered: false), "ocat": .dictionary(.string, ordered: true), "icat": .int64,
        "lst": .list(.int64), "llst": .list(.string), "nul": .string,
    ]

    @Test(.interop) func readsEveryLayoutExactly() throws {
        let folder = TemporaryFolder("arrow-interop")
        let output = try InteropPython.run(ArrowInteropTests.script, arguments: [folder.path])
        #expect(output.stdout.contains("ok"))
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.path("expected.json")))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        for (file, format, batches) in [
            ("default.feather", ArrowIPCReader.Format.file, 3), ("plain.feather", .file, 3), ("zstd.feather", .file, 4),
            ("lz4.feather", .file, 2), ("file.arrow", .file, 3), ("stream.arrows", .stream, 4), ("deltas.arrows", .stream, 4),
        ] {
            let reader = try ArrowIPCReader(path: folder.path(file))
            #expect(reader.format == format, "\(file)")
            var parts: [Table] = []
            while let batch = try reader.next() {
                #expect(reader.schema.matches(batch), "\(file)")
                parts.append(batch)
            }
            #expect(parts.count == batches, "\(file)")
            let table = try Table(concatenating: parts)
            #expect(table.rowCount == 7)
            #expect(table.columnNames == expectedOrder)
            for column in table.columns {
                #expect(column.type == ArrowInteropTests.types[column.name], "\(file): \(column.name) is \(column.type)")
                let values = try #require(expected[column.name]?["values"] as? [Any])
                for (row, value) in values.enumerated() {
                    let actual = ArrowInteropTests.canonical(column[row])
                    #expect(ArrowInteropTests.same(actual, value), "\(file): \(column.name)[\(row)] is \(column[row]), expected \(value)")
                }
            }
            #expect(reader.bytesRead <= (reader.inputSize ?? 0))
        }
    }

    let expectedOrder = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f16", "f32", "f64", "b", "s", "ls", "sv", "bin", "lbin",
        "fsb", "dec", "d32", "d64", "ts_s", "ts_ms", "ts_us", "ts_ns", "cat", "ocat", "icat", "lst", "llst", "nul",
    ]

    @Test(.interop) func readsSelectedColumnsAndRefusesNested() throws {
        let folder = TemporaryFolder("arrow-nested")
        try InteropPython.run(#"""
            import sys
            import pyarrow as pa, pyarrow.feather as feather
            t = pa.table({
                "id": [1, 2, 3],
                "point": pa.array([{"x": 1, "y": 2.5}, None, {"x": 3, "y": 4.5}]),
                "tags": pa.array([{"a": 1}, {}, None], pa.map_(pa.string(), pa.int64())),
                "t": pa.array([1, 2, 3], pa.time64("us")),
                "name": ["a", "b", None],
            })
            feather.write_feather(t, sys.argv[1] + "/nested.feather")
            feather.write_feather(pa.table({"a": [1, 2]}), sys.argv[1] + "/v1.feather", version=1)
            """#, arguments: [folder.path])
        do {
            _ = try ArrowIPCReader(path: folder.path("nested.feather"))
            Issue.record("a struct column was accepted")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("column 'point' is struct"))
        }
        var reader = try ArrowIPCReader(path: folder.path("nested.feather"), columns: ["name", "id"])
        let table = try reader.readAll()
        #expect(table.columnNames == ["name", "id"])
        #expect(table["id"]?.values == [1, 2, 3])
        #expect(table["name"]?.strings() == ["a", "b", nil])
        #expect(throws: DataFolioError.self) { try ArrowIPCReader(path: folder.path("nested.feather"), columns: ["t"]) }
        #expect(throws: DataFolioError.self) { try ArrowIPCReader(path: folder.path("nested.feather"), columns: ["nope"]) }
        do {
            _ = try ArrowIPCReader(path: folder.path("v1.feather"))
            Issue.record("a Feather version 1 file was accepted")
        } catch {
            #expect(error.code == .unsupportedFeature)
            #expect(error.message.contains("Feather version 1"))
        }
    }

    @Test(.interop) func readsAStreamFromAPipe() throws {
        let folder = TemporaryFolder("arrow-pipe")
        try InteropPython.run(#"""
            import sys
            import pyarrow as pa, pyarrow.ipc as ipc
            t = pa.table({"k": list(range(100000)), "v": [str(i % 13) for i in range(100000)]})
            with ipc.new_stream(sys.argv[1] + "/big.arrows", t.schema, options=ipc.IpcWriteOptions(compression="lz4")) as w:
                w.write_table(t, max_chunksize=30000)
            """#, arguments: [folder.path])
        let bytes = try LocalFile.read(folder.path("big.arrows"))
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let writer = Thread {
            bytes.withUnsafeBytes { raw in _ = try? LocalFile.writeAll(fd: writeEnd, path: "pipe", raw) }
            close(writeEnd)
        }
        writer.start()
        let reader = try ArrowIPCReader(input: FileInput(fileDescriptor: fds[0], name: "the pipe"))
        #expect(reader.format == .stream)
        var count = 0
        var batches = 0
        while let batch = try reader.next() {
            #expect(try batch["k"]?.int64s().first == Int64(count))
            count += batch.rowCount
            batches += 1
        }
        close(fds[0])
        #expect(count == 100_000 && batches == 4)
    }
}
