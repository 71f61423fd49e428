import DataFolioJSON
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// The Parquet community's conformance files (a checkout of apache/parquet-testing named by
/// `DATAFOLIO_PARQUET_TESTING`): every file in `data/` that pyarrow reads must read with
/// pyarrow's values, and every file in `bad_data/` that pyarrow refuses must be refused
/// with an error (the one pyarrow reads, which crashed another reader, must read like pyarrow). The
/// checkout is not part of this repository, so the suite runs only when the variable is set.
@Suite(.serialized, .enabled(if: ParquetTestingCheckout.path != nil, "set DATAFOLIO_PARQUET_TESTING to a parquet-testing checkout"))
struct ParquetTestingConformanceTests {
    /// Lists the files, and for each one pyarrow reads writes its canonical values to
    /// `<out>/<n>.json`; prints a manifest.
    static let script = #"""
import json, os, sys
fixtures, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, fixtures)
import pyarrow as pa, pyarrow.parquet as pq
from parquet_dump import dump_table

entries = []
for folder in ["data", "bad_data"]:
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for name in sorted(files):
            if not name.endswith(".parquet"):
                continue
            path = os.path.join(dirpath, name)
            entry = {"file": os.path.relpath(path, root), "bad": folder == "bad_data"}
            try:
                table = pq.read_table(path)
                entry["nested"] = any(pa.types.is_nested(f.type) for f in table.schema)
                entry["pyarrow"] = "read"
                try:
                    expected = os.path.join(out, "%d.json" % len(entries))
                    with open(expected, "w", encoding="utf-8") as f:
                        json.dump(dump_table(table), f, ensure_ascii=False)
                    entry["expected"] = expected
                except Exception as e:
                    entry["dump_error"] = "%s: %s" % (type(e).__name__, e)
            except Exception as e:
                entry["pyarrow"] = "%s: %s" % (type(e).__name__, e)
            entries.append(entry)
print(json.dumps(entries))
"""#

    @Test func readsWhatPyarrowReadsAndRefusesBadData() throws {
        let root = try #require(ParquetTestingCheckout.path)
        let folder = TemporaryFolder("parquet-testing")
        let output = try InteropPython.run(Self.script, arguments: [fixturesFolder().path, root, folder.path])
        let entries = try JSONValue(parsing: output.stdout).arrayValue ?? []
        #expect(!entries.isEmpty, "no Parquet files under \(root)")
        var passed: [String: Int] = ["flat": 0, "nested": 0]
        var total: [String: Int] = ["flat": 0, "nested": 0]
        var refused = 0
        var bad = 0
        for entry in entries {
            guard let file = entry["file"]?.stringValue else { continue }
            let path = URL(fileURLWithPath: root).appendingPathComponent(file).path
            if entry["bad"]?.boolValue == true && entry["pyarrow"]?.stringValue != "read" {
                bad += 1
                do {
                    let table = try ParquetReader(path: path).readTable()
                    Issue.record("\(file): a damaged file read as \(table.rowCount) rows (pyarrow: \(entry["pyarrow"]?.stringValue ?? "?"))")
                } catch {
                    refused += 1
                }
                continue
            }
            // A file of bad_data/ that pyarrow reads (it crashed another reader, but the
            // format allows it) must read with pyarrow's values like the others.
            guard entry["pyarrow"]?.stringValue == "read" else { continue }
            let kind = entry["bad"]?.boolValue == true ? "bad_data read by pyarrow" : entry["nested"]?.boolValue == true ? "nested" : "flat"
            total[kind, default: 0] += 1
            guard let expectedPath = entry["expected"]?.stringValue else {
                Issue.record("\(file): pyarrow reads it but its values have no canonical form: \(entry["dump_error"]?.stringValue ?? "?")")
                continue
            }
            do {
                let table = try ParquetReader(path: path).readTable()
                let expected = try JSONValue(parsing: try LocalFile.read(expectedPath))
                if Self.matches(table, expected) {
                    passed[kind, default: 0] += 1
                } else {
                    CanonicalValues.expect(table, equals: expected, context: file)
                }
            } catch {
                Issue.record("\(file): \(error.message)")
            }
        }
        let counts = total.keys.sorted().map { "\($0) \(passed[$0] ?? 0)/\(total[$0] ?? 0)" }.joined(separator: ", ")
        print("parquet-testing: \(counts) read with pyarrow's values; bad_data refused by pyarrow: \(refused)/\(bad) refused")
    }

    /// Whether a table equals canonical JSON values, without recording anything.
    static func matches(_ table: Table, _ expected: JSONValue) -> Bool {
        guard let object = expected.objectValue, table.columnNames == object.keys else { return false }
        for (name, values) in object {
            guard let column = table[name], let wanted = values.arrayValue else { return false }
            let actual = CanonicalValues.values(of: column)
            guard actual.count == wanted.count, zip(actual, wanted).allSatisfy({ CanonicalValues.same($0, $1) }) else { return false }
        }
        return true
    }
}

/// Where the parquet-testing checkout is, from `DATAFOLIO_PARQUET_TESTING`.
enum ParquetTestingCheckout {
    static var path: String? {
        guard let path = ProcessInfo.processInfo.environment["DATAFOLIO_PARQUET_TESTING"], !path.isEmpty else { return nil }
        return path
    }
}
