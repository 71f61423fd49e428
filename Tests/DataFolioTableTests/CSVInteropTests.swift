import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// CSV written by this library and read by pandas, and the other way round.
@Suite("CSV interop with pandas")
struct CSVInteropTests {
    @Test(.interop) func pandasReadsSwiftCSV() throws {
        let folder = TemporaryFolder("csv-interop")
        let path = folder.path("swift.csv")
        let table = try Table([
            Column(name: "id", [1, 2, 3, 4]),
            Column(name: "score", [0.1, nil, -2.5e-8, 1e300] as [Double?]),
            Column(name: "ok", [true, false, true, false]),
            Column(name: "name", strings: ["Ada, Countess", "say \"hi\"", "多行\n文本", "plain"]),
            Column(name: "day", daysSinceEpoch: [0, 19_000, -1, nil]),
            Column(name: "at", timestamps: [0, 1_700_000_000_123_456, nil, -1], unit: .microsecond, timeZone: "UTC"),
        ])
        try table.writeCSV(to: path)
        let script = """
            import sys, json, math
            import pandas as pd
            df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
            assert list(df.columns) == ["id", "score", "ok", "name", "day", "at"], list(df.columns)
            assert df["id"].dtype == "int64" and df["id"].tolist() == [1, 2, 3, 4]
            s = df["score"].tolist()
            assert s[0] == 0.1 and math.isnan(s[1]) and s[2] == -2.5e-8 and s[3] == 1e300, s
            assert df["ok"].dtype == "bool" and df["ok"].tolist() == [True, False, True, False]
            assert df["name"].tolist() == ["Ada, Countess", 'say "hi"', "多行\\n文本", "plain"], df["name"].tolist()
            days = pd.to_datetime(df["day"])
            assert [str(d.date()) if not pd.isna(d) else None for d in days] == ["1970-01-01", "2022-01-08", "1969-12-31", None]
            at = pd.to_datetime(df["at"], utc=True, format="ISO8601")
            assert at[1] == pd.Timestamp("2023-11-14T22:13:20.123456Z"), at[1]
            assert at[0] == pd.Timestamp(0, tz="UTC") and pd.isna(at[2])
            assert at[3] == pd.Timestamp(-1000, tz="UTC"), at[3]
            print("ok")
            """
        let output = try InteropPython.run(script, arguments: [path])
        #expect(output.stdout.contains("ok"))
    }

    @Test(.interop) func swiftReadsPandasCSV() throws {
        let folder = TemporaryFolder("csv-interop")
        let path = folder.path("pandas.csv")
        let script = """
            import sys
            import numpy as np
            import pandas as pd
            df = pd.DataFrame({
                "id": [1, 2, 3],
                "x": [0.1, np.nan, 1/3],
                "flag": [True, False, True],
                "name": ["a,b", 'q"uote', "new\\nline"],
                "when": pd.to_datetime(["2024-01-01 10:00:00", "2024-02-29 00:00:00.5", None], format="ISO8601"),
                "utc": pd.to_datetime(["2024-01-01T10:00:00Z", None, "1999-12-31T23:59:59.999999Z"], format="ISO8601"),
                "day": ["2024-01-01", "2024-01-02", None],
                "nothing": [None, None, None],
            })
            df.to_csv(sys.argv[1])
            """
        try InteropPython.run(script, arguments: [path])
        let table = try Table(csvFile: path)
        #expect(table.columnNames == ["Unnamed: 0", "id", "x", "flag", "name", "when", "utc", "day", "nothing"])
        #expect(table["Unnamed: 0"]?.values == [0, 1, 2])
        #expect(table["id"]?.values == [1, 2, 3])
        #expect(try table["x"]?.doubles() == [0.1, nil, 1.0 / 3])
        #expect(try table["flag"]?.bools() == [true, false, true])
        #expect(table["name"]?.strings() == ["a,b", "q\"uote", "new\nline"])
        #expect(table["when"]?.type == .timestamp(.microsecond, timeZone: nil))
        #expect(table["when"]?.strings() == ["2024-01-01T10:00:00", "2024-02-29T00:00:00.500000", nil])
        #expect(table["utc"]?.type == .timestamp(.microsecond, timeZone: "UTC"))
        #expect(table["utc"]?.strings() == ["2024-01-01T10:00:00Z", nil, "1999-12-31T23:59:59.999999Z"])
        #expect(table["day"]?.type == .date)
        #expect(table["nothing"]?.nullCount == 3)
    }
}
