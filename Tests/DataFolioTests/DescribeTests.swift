import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("describe()")
struct DescribeTests {
    let utc = TimeZone(identifier: "UTC") ?? .current

    @Test func layoutFollowsThePythonRules() throws {
        let temp = TemporaryFolder("describe")
        let folio = try DataFolio(at: temp.path("f"), metadata: [
            "experiment": "exp1", "notes": .string(String(repeating: "x", count: 80)),
            "tags": [0, 1, 2, 3, 4, 5, 6, 7], "params": ["a": 1, "b": 2, "c": 3, "d": 4],
            "Upper": true, "nested": ["k": nil],
        ])
        try folio.add("config", ["a": 1], description: "Config")
        try folio.add("emb", NDArray([1, 2, 3] as [Int64]), description: "Embeddings", inputs: ["config"])
        try folio.add("start", Date(timeIntervalSince1970: 1_705_314_600), description: "Start")
        let now = ISO8601DateFormatter().date(from: folio.metadata["created_at"]?.stringValue?.replacingOccurrences(of: ".", with: "").prefix(19).appending("Z") ?? "") ?? Date()
        let text = folio.describe(DescribeOptions(maxMetadataFields: 5, now: now, timeZone: utc))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "DataFolio: \(folio.location)")
        #expect(lines[1] == String(repeating: "=", count: lines[0].count))
        #expect(lines[3].hasPrefix("Created: Today at "))
        #expect(lines[3].hasSuffix(" UTC"))
        #expect(lines[6] == "Metadata (6 fields):")
        #expect(lines[7] == "  • Upper: True")
        #expect(lines[8] == "  • experiment: exp1")
        #expect(lines[9] == "  • nested: {'k': None}")
        #expect(lines[10] == "  • notes: " + String(repeating: "x", count: 60) + "... (20 more chars)")
        #expect(lines[11] == "  • params: {'a': 1, 'b': 2, 'c': 3, ...} (1 more fields)")
        #expect(lines[12] == "  ... (1 more fields)")
        #expect(text.contains("Numpy Arrays (1):\n  • emb: Embeddings\n    ↳ shape: [3], dtype: int64\n    ↳ size: 152 B\n    ↳ inputs: config\n"))
        #expect(text.hasSuffix("Timestamps (1):\n  • start: Start\n    ↳ time: 2024-01-15 10:30:00 UTC\n    ↳ size: 47 B"))
        let empty = try DataFolio(at: temp.path("empty"))
        let emptyText = empty.describe(DescribeOptions(timeZone: utc))
        #expect(emptyText.hasSuffix(" UTC\n"))
        #expect(emptyText.split(separator: "\n").count == 4)
        let shown = empty.describe(DescribeOptions(showEmpty: true, timeZone: utc))
        #expect(shown.contains("Tables (0):\n  (none)\n"))
        #expect(shown.hasSuffix("Timestamps (0):\n  (none)"))
    }

    @Test func payloadSizesListedFolderByFolderMatchOneByOne() throws {
        let temp = TemporaryFolder("describe-sizes")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", ["lr": 0.1])
        try folio.add("runs/a/config", ["lr": 0.2])
        try folio.add("embeddings", try NDArray(shape: [3, 4], (0..<12).map(Float.init)))
        try folio.add("clean", try Table([Column(name: "id", [1, 2, 3] as [Int64])]))
        let folder = temp.url.appendingPathComponent("plots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(repeating: 1, count: 300).write(to: folder.appendingPathComponent("roc.png"))
        try folio.add("plots", file: folder)
        let external = temp.url.appendingPathComponent("raw.csv")
        try Data("a\n1\n".utf8).write(to: external)
        try folio.add("raw", reference: external.path)
        try folio.add("gone", 1)
        try FileManager.default.removeItem(atPath: folio.location(of: try folio.item("gone")) ?? "")

        let sizes = folio.payloadSizes(of: folio.items)
        for item in folio.items {
            #expect(sizes[item.name] == folio.payloadSize(of: item), "\(item.name)")
        }
        // A reference has no payload, a deleted payload no size; the rest all have one.
        #expect(Set(sizes.keys) == ["config", "runs/a/config", "embeddings", "clean", "plots"])
        #expect(sizes["plots"] == 300)
        #expect(folio.describe().contains("size: 300 B"))
    }

    @Test func humanTimes() throws {
        let temp = TemporaryFolder("times")
        let folio = try DataFolio(at: temp.path("f"), metadata: ["created_at": "2024-01-05T09:05:00+00:00", "updated_at": "2024-01-04T23:59:59.5Z"])
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let noon = Date(timeIntervalSince1970: 1_704_474_000)   // 2024-01-05 17:00 UTC = 12:00 New York
        let text = folio.describe(DescribeOptions(now: noon, timeZone: newYork))
        #expect(text.contains("Created: Today at 4:05 AM "))
        #expect(text.contains("Updated: Yesterday at 6:59 PM "))
        let later = folio.describe(DescribeOptions(now: noon.addingTimeInterval(86_400 * 40), timeZone: utc))
        #expect(later.contains("Created: January 05, 2024 at 9:05 AM UTC"))
    }

    @Test func patternsPathsAndArchivedItems() throws {
        let temp = TemporaryFolder("pattern")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("runs/a/score", 1)
        try folio.add("runs/b/score", 2)
        try folio.add("other", 3)
        let filtered = folio.describe(DescribeOptions(pattern: "runs/*", showPaths: true, timeZone: utc))
        #expect(filtered.contains("JSON Data (2):"))
        #expect(!filtered.contains("• other"))
        #expect(filtered.contains("    ↳ path: \(temp.path("f"))/artifacts/runs/a/score--r2.json"))
        #expect(folio.items(matching: "*/b/*").map(\.name) == ["runs/b/score"])
    }

    /// The same folio described by Python 2.3.0 and by Swift gives the same text.
    @Test(.interop) func matchesPythonByteForByte() throws {
        let temp = TemporaryFolder("describe-py")
        let make = #"""
import sys, datetime
import numpy as np
from datafolio import DataFolio
from sklearn.linear_model import LogisticRegression
root = sys.argv[1]
f = DataFolio(root + "/f", metadata={"experiment": "exp1", "lr": 0.02, "notes": "x" * 80, "tags": list(range(8)),
    "params": {"a": 1, "b": 2.5, "c": None, "d": "q'uote"}, "Flag": True, "empty": [], "uni": "é ü"})
f.add("config", {"a": 1, "b": [1, 2]}, description="Config")
f.add("extra", [1, 2, 3])
f.add("emb", np.arange(12, dtype=np.int64).reshape(3, 4), description="Embeddings", inputs=["config"])
f.add("ns/arr", np.zeros(3, dtype=np.float16))
f.add("start", datetime.datetime(2024, 1, 15, 10, 30, tzinfo=datetime.timezone.utc), description="Start")
open(root + "/plot.png", "wb").write(b"\x89PNG" + bytes(86))
f.add_file(root + "/plot.png", category="plots", description="A plot")
open(root + "/raw.csv", "w").write("a,b\n1,2\n")
f.reference_table("raw", root + "/raw.csv", table_format="csv", description="Raw CSV", inputs=["config"])
clf = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
f.add_model("clf", clf, inputs=["emb"])
f.create_snapshot("v1", description="Baseline", tags=["baseline", "paper"], capture_git=False)
f.create_snapshot("v2", capture_git=False)
f.metadata["lr"] = 0.03
print(f.describe(return_string=True, max_metadata_fields=6), end="")
"""#
        let output = try InteropPython.run(make, arguments: [temp.path], environment: ["TZ": "UTC"])
        let folio = try DataFolio(at: temp.path("f"))
        // Python prints the path as given; give Swift the same.
        let swift = folio.describe(DescribeOptions(maxMetadataFields: 6, timeZone: utc))
        let python = output.stdout
        let pythonLines = python.split(separator: "\n", omittingEmptySubsequences: false)
        let swiftLines = swift.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(pythonLines.count == swiftLines.count)
        for (index, (p, s)) in zip(pythonLines, swiftLines).enumerated() where index > 1 {
            #expect(p == s, "line \(index)")
        }
    }
}
