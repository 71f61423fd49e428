import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// How a folio behaves in the situations its users meet every day — duplicates, missing
/// and mistyped items, lineage, deletes, read-only folios, several writers, batches,
/// validation — one numbered scenario per test.
@Suite("Behaviour scenarios")
struct BehaviourScenarioTests {
    // 4. A duplicate name needs overwrite, for every kind.
    @Test func scenario04DuplicatesNeedOverwrite() throws {
        let temp = TemporaryFolder("s04")
        let folio = try DataFolio(at: temp.path("f"))
        let file = temp.url.appendingPathComponent("a.txt")
        try Data("a".utf8).write(to: file)
        let adders: [(String, (Bool) throws -> Void)] = [
            ("json", { try folio.add("json", [1, 2], overwrite: $0) }),
            ("array", { try folio.add("array", NDArray([1, 2, 3] as [Int32]), overwrite: $0) }),
            ("time", { try folio.add("time", Date(timeIntervalSince1970: 5), overwrite: $0) }),
            ("file", { try folio.add("file", file: file, overwrite: $0) }),
            ("ref", { try folio.add("ref", reference: file.path, format: .csv, overwrite: $0) }),
        ]
        for (name, add) in adders {
            try add(false)
            #expect(throws: DataFolioError.self, "\(name) accepted a duplicate") { try add(false) }
            try add(true)
            #expect(folio.contains(name))
        }
        #expect(folio.itemNames == adders.map(\.0))
        #expect(folio.validate().isValid)
    }

    // 6. Missing names and wrong types give clear, typed errors.
    @Test func scenario06MissingAndWrongType() throws {
        let temp = TemporaryFolder("s06")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("j", ["a": 1])
        do {
            let _: JSONValue = try folio.get("nope")
            Issue.record("no error")
        } catch {
            #expect(error.code == .itemNotFound)
            #expect(error.message.contains("'nope'"))
        }
        do {
            let _: NDArray = try folio.get("j")
            Issue.record("no error")
        } catch {
            #expect(error.code == .wrongItemType)
            #expect(error.message == "Item 'j' is a JSON item, not an array.")
        }
    }

    // 7. Generic dispatch: value(_:) holds the right content for each kind; inputs work.
    @Test func scenario07GenericDispatch() throws {
        let temp = TemporaryFolder("s07")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("j", 3, inputs: [])
        try folio.add("a", NDArray([1.5, 2.5] as [Double]), inputs: ["j"])
        try folio.add("t", Date(timeIntervalSince1970: 0), inputs: ["a"])
        #expect(try folio.value("j").json == 3)
        #expect(try folio.value("j").array == nil)
        let array = try #require(try folio.value("a").array)
        #expect(try array.values(as: Double.self) == [1.5, 2.5])
        #expect(try folio.value("t").date == Date(timeIntervalSince1970: 0))
        #expect(try folio.inputs(of: "t") == ["a"])
        let floats: [Double] = try folio.get("a")
        #expect(floats == [1.5, 2.5])
    }

    // 8. Lineage: inputs (plus the legacy `models` list), dependents without duplicates, graph.
    @Test func scenario08Lineage() throws {
        let temp = TemporaryFolder("s08")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("raw", 1)
        try folio.add("clean", 2, inputs: ["raw"])
        try folio.add("model", 3, inputs: ["clean", "raw"])
        try folio.add("report", 4, inputs: ["model", "clean"])
        #expect(try folio.inputs(of: "model") == ["clean", "raw"])
        #expect(try folio.dependents(of: "clean") == ["model", "report"])
        #expect(try folio.dependents(of: "report") == [])
        #expect(folio.lineage.nodes.map(\.name) == ["raw", "clean", "model", "report"])
        #expect(folio.lineage.dot.contains("\"clean\" -> \"model\";"))
        #expect(folio.lineage.mermaid.hasPrefix("flowchart LR"))
        #expect(folio.lineage.tree.hasPrefix("report\n├─ model\n"))
    }

    // 9. Delete checks every name first, warns about dependents, removes payloads.
    @Test func scenario09Delete() throws {
        let temp = TemporaryFolder("s09")
        let folio = try DataFolio(at: temp.path("f"))
        let collected = WarningCollector()
        folio.warningHandler = { collected.append($0) }
        try folio.add("a", 1)
        try folio.add("b", 2, inputs: ["a"])
        try folio.add("c", 3)
        #expect(throws: DataFolioError.self) { try folio.delete(["c", "missing"]) }
        #expect(folio.contains("c"))
        let warnings = try folio.delete(["a", "a", "c"])
        #expect(warnings.count == 1)
        #expect(warnings.first?.message == "Deleting 'a' which is used by: b. Those items may have broken lineage.")
        #expect(collected.warnings == warnings)
        #expect(folio.itemNames == ["b"])
        let files = try FileManager.default.contentsOfDirectory(atPath: temp.path("f/artifacts"))
        #expect(files == ["b--r3.json"])
        let silent = try folio.delete("b", warnAboutDependents: false)
        #expect(silent.isEmpty)
    }

    // 14. A read-only folio refuses every change, metadata included, and still reads.
    @Test func scenario14ReadOnly() throws {
        let temp = TemporaryFolder("s14")
        let writable = try DataFolio(at: temp.path("f"))
        try writable.add("a", 1)
        let before = try Data(contentsOf: URL(fileURLWithPath: temp.path("f/items.json")))
        let folio = try DataFolio(at: temp.path("f"), options: .readOnly)
        let attempts: [() throws -> Void] = [
            { try folio.add("b", 2) },
            { try folio.add("c", NDArray([1] as [Int8])) },
            { try folio.add("d", Date()) },
            { try folio.add("e", reference: "/tmp/x.csv") },
            { try folio.add("items", file: URL(fileURLWithPath: temp.path("f/items.json"))) },
            { try folio.delete("a") },
            { try folio.setMetadata("k", 1) },
            { try folio.updateMetadata { $0["k"] = 1 } },
            { try folio.batch { _ in } },
        ]
        for attempt in attempts {
            do {
                try attempt()
                Issue.record("a write went through")
            } catch let error as DataFolioError {
                #expect(error.code == .readOnly)
            }
        }
        let value: JSONValue = try folio.get("a")
        #expect(value == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path("f/items.json"))) == before)
        #expect(folio.description.hasSuffix("[READ-ONLY]"))
    }

    // 20. Two instances: B sees A's commits on its next read; a writer that missed other
    // writers' commits applies its change on top of them when it touches other items.
    @Test func scenario20MultiInstance() throws {
        let temp = TemporaryFolder("s20")
        let a = try DataFolio(at: temp.path("f"))
        let b = try DataFolio(at: temp.path("f"))
        try a.add("x", 1)
        #expect(b.contains("x"))
        try a.setMetadata("owner", "a")
        #expect(b.metadata["owner"] == "a")
        try a.delete("x")
        #expect(!b.contains("x"))
        // B writes now and is current; A is stale until it reads.
        try b.add("y", 2)
        let c = try DataFolio(at: temp.path("f"))
        try c.add("z", 3)
        try b.add("w", 4)
        #expect(Set(a.itemNames) == ["y", "z", "w"])
        #expect(b.revision == 7 && c.revision == 7)
    }

    // 21. A batch is one commit; a failure inside discards everything, payloads included.
    @Test func scenario21Batch() throws {
        let temp = TemporaryFolder("s21")
        let folio = try DataFolio(at: temp.path("f"))
        let start = folio.revision
        try folio.batch { folio in
            try folio.add("a", 1)
            try folio.add("b", 2, inputs: ["a"])
            #expect(folio.contains("a"))
        }
        #expect(folio.revision == start + 1)
        #expect(try folio.item("a").versionID == "a--r\(start + 1)")
        #expect(try folio.item("b").versionID == "b--r\(start + 1)")
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try folio.batch { folio in
                try folio.add("c", 3)
                try folio.add("d", NDArray([1, 2] as [Int64]))
                throw Failure()
            }
        }
        #expect(folio.revision == start + 1)
        #expect(!folio.contains("c"))
        let files = try FileManager.default.contentsOfDirectory(atPath: temp.path("f/artifacts")).sorted()
        #expect(files == ["a--r\(start + 1).json", "b--r\(start + 1).json"])
    }

    // 22. validate finds missing files, tampered bytes, vanished references.
    @Test func scenario22Validate() throws {
        let temp = TemporaryFolder("s22")
        let folio = try DataFolio(at: temp.path("f"))
        let external = temp.url.appendingPathComponent("ext.csv")
        try Data("a\n1\n".utf8).write(to: external)
        let shards = temp.url.appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
        try folio.add("j", 1)
        try folio.add("k", 2)
        try folio.add("ref", reference: external.path)
        try folio.add("dir", reference: shards.path)
        #expect(try folio.item("dir").fields["is_directory"] == true)
        #expect(folio.validate().isValid)
        try FileManager.default.removeItem(atPath: folio.location(of: try folio.item("j")) ?? "")
        try Data("9".utf8).write(to: URL(fileURLWithPath: folio.location(of: try folio.item("k")) ?? ""))
        try FileManager.default.removeItem(at: external)
        let report = folio.validate()
        #expect(report.damagedItems == ["j", "k", "ref"])
        #expect(report["dir"]?.isValid == true)
    }

    // 24. The data accessor and item proxies.
    @Test func scenario24DataAccessor() throws {
        let temp = TemporaryFolder("s24")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("config", ["lr": 0.1], description: "Settings")
        try folio.add("result", 0.9, inputs: ["config"])
        let proxy = folio.data.config
        #expect(proxy.exists)
        #expect(try proxy.item.description == "Settings")
        #expect(try proxy.item.kind == .jsonData)
        #expect(try proxy.dependents == ["result"])
        #expect(try folio.data.result.inputs == ["config"])
        #expect(try folio.location(of: proxy.item)?.hasSuffix("artifacts/config--r2.json") == true)
        #expect(try proxy.item.fields["data_type"] == "dict")
        let settings: [String: Double] = try folio.data.config.get()
        #expect(settings == ["lr": 0.1])
        #expect(try folio.data.config.value.json == ["lr": 0.1])
        #expect(!folio.data.missing.exists)
        #expect(throws: DataFolioError.self) { try folio.data.missing.value }
        #expect(throws: DataFolioError.self) { try folio.data.typo.inputs }
        #expect(folio.data["config"].debugDescription == "ItemProxy('config', type='json_data': Settings)")
        #expect(folio.description.hasPrefix("DataFolio(location: '"))
    }
}

/// Collects warnings delivered on another thread.
final class WarningCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = [FolioWarning]()
    func append(_ warning: FolioWarning) { lock.withLock { stored.append(warning) } }
    var warnings: [FolioWarning] { lock.withLock { stored } }
}
