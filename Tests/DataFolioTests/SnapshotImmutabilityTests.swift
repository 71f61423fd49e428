import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Long random sequences of changes, checked after every step against a simple model:
/// every live snapshot still returns byte-identical payloads and its metadata, the
/// current state matches the model, and after garbage collection no file is left that
/// nothing references and no referenced file is missing.
@Suite("Snapshots are immutable (randomized)")
struct SnapshotImmutabilityTests {
    /// What the model remembers of one item version.
    struct Version: Equatable {
        var kind: String
        /// The payload bytes (or, for a reference, its path).
        var bytes: [UInt8]
        var description: String?
    }

    struct SnapshotModel {
        var items: [String: Version]
        var metadata: JSONObject
    }


    /// The bytes the model compares for an item of a folio (or snapshot view).
    static func observed(_ folio: DataFolio, _ name: String) throws -> Version {
        let item = try folio.item(name)
        if item.kind == .referencedTable {
            return Version(kind: item.itemType, bytes: Array((item.fields["path"]?.stringValue ?? "").utf8), description: item.description)
        }
        let path = try #require(folio.location(of: item))
        return Version(kind: item.itemType, bytes: try LocalFile.read(path), description: item.description)
    }

    @Test(arguments: [11, 22, 33] as [UInt64])
    func randomHistoriesKeepEverySnapshotIntact(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let temp = TemporaryFolder("immutable-\(seed)")
        let path = temp.path("f")
        var folio = try DataFolio(at: path)
        folio.warningHandler = { _ in }
        var model = [String: Version]()
        var metadata: JSONObject = folio.metadata
        var snapshots = [String: SnapshotModel]()
        var snapshotCounter = 0
        let names = ["a", "b", "c", "ns/d", "e", "f"]

        /// Adds or overwrites `name` with a random kind and value; returns the model's version.
        func write(_ name: String, in target: DataFolio, step: Int) throws -> Version {
            let overwrite = target.contains(name)
            let description: String? = Bool.random(using: &random) ? "step \(step)" : nil
            switch Int.random(in: 0..<8, using: &random) {
            case 5:
                let rows = Int.random(in: 0..<20, using: &random)
                let table = try Table([
                    Column(name: "step", (0..<rows).map { Int64($0 * step) }),
                    Column(name: "label", strings: (0..<rows).map { $0 % 3 == 0 ? nil : "s\(step)-\($0)" }),
                ])
                try target.add(name, table, description: description, overwrite: overwrite)
            case 6:
                try target.add(name, model: ["step": .int(Int64(step)), "weights": [1, 2, .int(Int64(step))]] as JSONValue, hyperparameters: ["seed": .int(Int64(step))], description: description, overwrite: overwrite)
            case 7:
                let weights: TensorDictionary = ["w": NDArray((0..<4).map { Float($0 + step) }), "b": NDArray([Int64(step)])]
                try target.add(
                    name, model: PyTorchModel(stateDict: weights, modelClass: "Net", initArguments: ["n": .int(Int64(step))]),
                    description: description, overwrite: overwrite)
            case 0:
                try target.add(name, ["step": .int(Int64(step)), "x": .double(Double(step) / 3)], description: description, overwrite: overwrite)
            case 1:
                let count = Int.random(in: 0..<40, using: &random)
                try target.add(name, NDArray((0..<count).map { Float($0 * step) }), description: description, overwrite: overwrite)
            case 2:
                try target.add(name, Date(timeIntervalSince1970: Double(step) * 1000.5), description: description, overwrite: overwrite)
            case 3:
                let source = temp.url.appendingPathComponent("source-\(step).bin")
                try Data((0..<Int.random(in: 0..<300, using: &random)).map { UInt8(truncatingIfNeeded: $0 &* step) }).write(to: source)
                try target.add(name, file: source, description: description, overwrite: overwrite)
            default:
                let external = temp.path("ext-\(step).csv")
                try Data("a\n\(step)\n".utf8).write(to: URL(fileURLWithPath: external))
                try target.add(name, reference: external, format: .csv, description: description, overwrite: overwrite)
            }
            var version = try Self.observed(target, name)
            // An overwrite without a description keeps the previous one.
            version.description = try target.item(name).description
            return version
        }

        for step in 1...120 {
            let operation = Int.random(in: 0..<100, using: &random)
            let name = names.randomElement(using: &random) ?? "a"
            switch operation {
            case 0..<35:
                model[name] = try write(name, in: folio, step: step)
            case 35..<45:
                if model[name] != nil {
                    try folio.delete(name)
                    model[name] = nil
                }
            case 45..<52:
                try folio.setMetadata("k\(step % 3)", .int(Int64(step)))
                metadata = folio.metadata
            case 52..<60:
                // A batch: all or nothing.
                let fails = Bool.random(using: &random)
                var staged = model
                struct Abort: Error {}
                do {
                    try folio.batch { folio in
                        for _ in 0..<Int.random(in: 1...3, using: &random) {
                            let target = names.randomElement(using: &random) ?? "a"
                            staged[target] = try write(target, in: folio, step: step)
                        }
                        if fails { throw Abort() }
                    }
                    model = staged
                } catch is Abort {
                    #expect(fails)
                }
            case 60..<72:
                snapshotCounter += 1
                let snapshot = "s\(snapshotCounter)"
                try folio.createSnapshot(snapshot, capture: [])
                snapshots[snapshot] = SnapshotModel(items: model, metadata: try folio.snapshotSummary(snapshot).record["metadata_snapshot"]?.objectValue ?? [:])
            case 72..<78:
                if let snapshot = snapshots.keys.sorted().randomElement(using: &random), let saved = snapshots[snapshot] {
                    try folio.restoreSnapshot(snapshot)
                    model = saved.items
                    metadata = folio.metadata
                }
            case 78..<86:
                if let snapshot = snapshots.keys.sorted().randomElement(using: &random) {
                    try folio.deleteSnapshot(snapshot, removingOrphans: Bool.random(using: &random))
                    snapshots[snapshot] = nil
                }
            case 86..<92:
                try folio.collectGarbage()
                try checkNoStrayOrMissingFiles(folio)
            default:
                folio = try DataFolio(at: path)
                folio.warningHandler = { _ in }
            }

            // The current state matches the model.
            #expect(Set(folio.itemNames) == Set(model.keys), "step \(step)")
            for (item, version) in model {
                #expect(try Self.observed(folio, item) == version, "step \(step): current \(item)")
            }
            var expectedMetadata = metadata
            expectedMetadata["updated_at"] = folio.metadata["updated_at"]
            #expect(folio.metadata.hasSameMembers(as: expectedMetadata), "step \(step): metadata")
            // Every live snapshot is intact.
            for (snapshot, saved) in snapshots {
                let view = try folio.snapshot(snapshot)
                #expect(Set(view.itemNames) == Set(saved.items.keys), "step \(step): snapshot \(snapshot)")
                for (item, version) in saved.items {
                    #expect(try Self.observed(view, item) == version, "step \(step): snapshot \(snapshot) item \(item)")
                }
                #expect(view.metadata == saved.metadata, "step \(step): snapshot \(snapshot) metadata")
            }
        }
        try folio.collectGarbage()
        try checkNoStrayOrMissingFiles(folio)
        #expect(folio.validate().isValid)
    }

    func checkNoStrayOrMissingFiles(_ folio: DataFolio) throws {
        let catalog = try JSONValue(parsing: try LocalFile.read(folio.location + "/items.json"))
        var referenced = Set<String>()
        for entry in catalog["items"]?.arrayValue ?? [] {
            guard let type = entry["item_type"]?.stringValue, let folder = ItemKind(rawValue: type).folder,
                  let filename = entry["filename"]?.stringValue
            else { continue }
            referenced.insert(folder + "/" + filename)
        }
        var present = Set<String>()
        for folder in ["tables", "models", "artifacts"] {
            let root = URL(fileURLWithPath: folio.location + "/" + folder)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = files?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    present.insert(folder + "/" + url.path.dropFirst(root.path.count + 1))
                }
            }
        }
        #expect(present == referenced, "stray: \(present.subtracting(referenced)), missing: \(referenced.subtracting(present))")
    }
}
