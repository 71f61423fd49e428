import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// The CSV reader against pandas' `read_csv` with its default options, on awkward files.
@Suite("CSV reader compared with pandas")
struct CSVPandasComparisonTests {
    /// Awkward files, each a test of one part of the rules.
    static let files: [String: [UInt8]] = [
        "quotes.csv": [0xEF, 0xBB, 0xBF] + Array((
            "id,name,note,score\r\n"
            + "1,\"Smith, John\",\"He said \"\"hi\"\"\",1.5\r\n"
            + "2,\"multi\r\nline\",plain,2\r\n"
            + "3,Ann,\"x,y\",-0.25\r\n"
            + "4,\"ab\"cd,\"\"\"\",1e-3\r\n").utf8),
        "missing.csv": Array((
            "a,b,c,d\n"
            + "1,NA,x,1.0\n"
            + "2,N/A,,2\n"
            + "3,null\n"
            + "\n"
            + "4,#N/A,None,nan\n"
            + "5,-NaN,<NA>,NULL\n"
            + "6,n/a,1.#IND,-nan\n").utf8),
        "numbers.csv": Array((
            "i,u,big,mix,f,flag,s,pad,neg\n"
            + "1,18446744073709551615,123456789012345678901234567890,1,1e3,True,007, 7 ,-1\n"
            + "-9223372036854775808,0,1,x,2.5E-3,false,010,8\t,9223372036854775808\n"
            + "9223372036854775807,9223372036854775808,2,2.5,-inf,TRUE,abc,9,2\n"
            + "0,1,3,4,Infinity,FALSE,x,10,3\n").utf8),
        "dates.csv": Array((
            "d,t,tz,mixed\n"
            + "2024-01-31,2024-01-31T10:20:30,2024-01-31T10:20:30Z,2024-01-01\n"
            + "1999-12-31,2024-02-29 00:00:00.5,2024-01-31T12:20:30+02:00,2024-01-02T06:30\n"
            + ",1970-01-01T00:00:00.123456,,\n").utf8),
        "cr.csv": Array("x,y\r1,a\r2,b\r3,\"c\rd\"\r".utf8),
        "wide.csv": wide(),
    ]

    /// 200 rows of 50 columns: integers, doubles, text, booleans, integers with gaps.
    static func wide() -> [UInt8] {
        func cell(_ row: Int, _ column: Int) -> String {
            switch column % 5 {
            case 0: return String(row * column)
            case 1: return String(Double(row) / 8)
            case 2: return "s\(row)"
            case 3: return row % 2 == 0 ? "True" : "False"
            default: return row % 7 == 0 ? "" : String(row)
            }
        }
        var text = (0..<50).map { "c\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<200 {
            text += (0..<50).map { cell(row, $0) }.joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }

    /// Reads each file with pandas (default options, and again with nullable dtypes) and
    /// prints the columns as JSON: dtypes, values (numbers as text), and for text that
    /// looks like dates, the instants pandas parses it to.
    static let script = #"""
        import sys, json, re, math
        import pandas as pd
        out = {}
        for path in sys.argv[1:]:
            df = pd.read_csv(path)
            nullable = pd.read_csv(path, dtype_backend="numpy_nullable")
            columns = []
            for name in df.columns:
                s = df[name]
                values = []
                for v in s.tolist():
                    if v is None or (isinstance(v, float) and math.isnan(v)):
                        values.append(None)
                    elif isinstance(v, bool):
                        values.append(v)
                    elif isinstance(v, float):
                        values.append(repr(v))
                    elif isinstance(v, int):
                        values.append(str(v))
                    else:
                        values.append(str(v))
                instants = None
                texts = [v for v in values if v is not None]
                if texts and all(isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}", v) for v in texts):
                    parsed = pd.to_datetime(s, format="ISO8601", utc=True)
                    instants = [None if pd.isna(x) else str(x.value) for x in parsed]
                columns.append({"name": str(name), "dtype": str(s.dtype), "nullable": str(nullable[name].dtype),
                                "values": values, "instants": instants})
            out[path] = columns
        print(json.dumps(out))
        """#

    @Test(.interop) func agreesWithPandas() throws {
        let folder = TemporaryFolder("csv-pandas")
        var paths: [String] = []
        for (name, bytes) in CSVPandasComparisonTests.files.sorted(by: { $0.key < $1.key }) {
            try LocalFile.writeAtomically(bytes, to: folder.path(name), sync: false)
            paths.append(folder.path(name))
        }
        let output = try InteropPython.run(CSVPandasComparisonTests.script, arguments: paths)
        let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        let results = try #require(parsed as? [String: [[String: Any]]])
        var compared = 0
        for path in paths {
            let table = try Table(csvFile: path)
            let columns = try #require(results[path])
            #expect(table.columnNames == columns.compactMap { $0["name"] as? String }, "\(path)")
            for expected in columns {
                let name = try #require(expected["name"] as? String)
                let column = try #require(table[name])
                let dtype = expected["dtype"] as? String ?? ""
                let nullable = expected["nullable"] as? String ?? ""
                let values = expected["values"] as? [Any] ?? []
                let label = "\(URL(fileURLWithPath: path).lastPathComponent): \(name) (\(column.type), pandas \(dtype)/\(nullable))"
                #expect(column.count == values.count, "\(label)")
                // The types: pandas' nullable dtypes name ours; text is where pandas keeps
                // integers too large for 64 bits, and where it leaves dates unparsed.
                switch column.type {
                case .int64: #expect(nullable == "Int64", "\(label)")
                case .uint64: #expect(nullable == "UInt64", "\(label)")
                case .float64: #expect(nullable == "Float64" || (nullable == "Int64" && column.nullCount == column.count), "\(label)")
                case .bool: #expect(nullable == "boolean", "\(label)")
                case .string: #expect(dtype == "str" || dtype == "object", "\(label)")
                case .date, .timestamp: #expect(dtype == "str", "\(label)")
                default: Issue.record("\(label): unexpected type")
                }
                let instants = expected["instants"] as? [Any]
                for (row, value) in values.enumerated() where row < column.count {
                    let cell = column[row]
                    switch (cell, value) {
                    case (.null, is NSNull): break
                    case (.int(let v), let text as String):
                        // pandas makes an integer column with gaps float ("3.0"); ours stays integer.
                        let asFloat = text.contains(".") && Double(text) == Double(v)
                        #expect(String(v) == text || asFloat, "\(label) row \(row): \(v) vs \(text)")
                    case (.uint(let v), let text as String): #expect(String(v) == text, "\(label) row \(row)")
                    case (.double(let v), let text as String):
                        #expect(Double(text)?.bitPattern == v.bitPattern, "\(label) row \(row): \(v) vs \(text)")
                    case (.bool(let v), let flag as Bool): #expect(v == flag, "\(label) row \(row)")
                    case (.string(let v), let text as String): #expect(v == text, "\(label) row \(row)")
                    case (.date(let days), _):
                        let instant = (instants?[row] as? String).flatMap { Int64($0) }
                        #expect(instant == Int64(days) * 86_400_000_000_000, "\(label) row \(row)")
                    case (.timestamp(let v, let unit, _), _):
                        let instant = (instants?[row] as? String).flatMap { Int64($0) }
                        #expect(instant == v * (1_000_000_000 / unit.perSecond), "\(label) row \(row)")
                    default:
                        Issue.record("\(label) row \(row): \(cell) but pandas has \(value)")
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 10_000)
    }
}
