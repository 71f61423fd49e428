import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// The examples of the DocC articles (Sources/DataFolio/DataFolio.docc), compiled and run.
@Suite("The documentation's examples")
struct ArticleExampleTests {
    struct RunSettings: Codable { var seed: Int; var epochs: Int }
    struct Customer: Codable { var id: Int }
    struct LinearModel: Codable { var weights: [Double]; var bias: Double }
    struct Run: Sendable { var id: Int; var table: Table }

    /// The GettingStarted article's error-handling example.
    static func missingItemMessage(_ folio: DataFolio) -> String? {
        do {
            let run = try folio.get("rn", as: RunSettings.self)
            print(run)
        } catch where error.code == .itemNotFound {
            return error.localizedDescription
        } catch {
            return nil
        }
        return nil
    }

    func example(_ temp: TemporaryFolder) throws -> (DataFolio, Table, TensorDictionary) {
        let folio = try DataFolio(at: temp.path("experiments/churn-v3"))
        folio.warningHandler = { _ in }
        let table = try Table([Column(name: "id", [1, 2] as [Int64])])
        let tensors: TensorDictionary = ["w": NDArray([1, 2] as [Float])]
        return (folio, table, tensors)
    }

    @Test func gettingStarted() async throws {
        let temp = TemporaryFolder("article-start")
        let (folio, table) = try gettingStartedSynchronously(temp)

        let shared = try await DataFolio.open(at: temp.path("experiments/churn-v3"))
        try await shared.add("clean", table, overwrite: true)
        let values = try await shared.getMany(["config", "embeddings"])
        #expect(values.count == 2)
        #expect(try await folio.get("clean", as: Table.self) == table)
    }

    func gettingStartedSynchronously(_ temp: TemporaryFolder) throws -> (DataFolio, Table) {
        let (folio, table, tensors) = try example(temp)
        let customers = [Customer(id: 1)]
        try Data([1]).write(to: temp.url.appendingPathComponent("roc.png"))
        let roc = temp.url.appendingPathComponent("roc.png")

        try folio.add("clean", table, description: "Deduplicated rows", inputs: ["raw"])
        try folio.add("customers", rows: customers)
        try folio.add("embeddings", try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]))
        try folio.add("config", ["lr": 0.01, "layers": [64, 32]])
        try folio.add("run", json: RunSettings(seed: 7, epochs: 20))
        try folio.add("started", Date())
        try folio.add("weights", tensors)
        try folio.add("classifier", model: LinearModel(weights: [0.5], bias: 0.1))
        try folio.add("net", model: PyTorchModel(stateDict: tensors, modelClass: "Net"))
        try folio.add("roc", file: roc, category: "plots")
        try folio.add("raw", reference: "s3://lab/raw/2026-11.parquet")

        let clean = try folio.get("clean", as: Table.self)
        let rows = try folio.get("customers", as: [Customer].self)
        let run: RunSettings = try folio.get("run")
        let big = try folio.get("embeddings", memoryMapped: true)
        let ids = try folio.get("clean", columns: ["id"])
        #expect(clean == table && rows.count == 1 && run.epochs == 20 && big.count == 4 && ids.rowCount == 2)

        #expect(Self.missingItemMessage(folio)?.contains("Did you mean 'run'?") == true)

        try folio.createSnapshot("paper-v1", description: "Figures 2–4", tags: ["paper"])
        let paper = try folio.snapshot("paper-v1")
        #expect(try folio.changes(since: "paper-v1").modified.isEmpty && paper.isReadOnly)
        return (folio, table)
    }

    @Test func concurrencyAndDurability() async throws {
        let temp = TemporaryFolder("article-concurrency")
        let (folio, table, _) = try example(temp)
        let runs = (0..<4).map { Run(id: $0, table: table) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for run in runs {
                group.addTask { try await folio.add("runs/\(run.id)", run.table) }
            }
            try await group.waitForAll()
        }
        #expect(folio.itemNames.count == 4)
    }

    @Test func snapshotsAndTables() throws {
        let temp = TemporaryFolder("article-snapshots")
        let (folio, table, _) = try example(temp)
        try folio.add("clean", table)
        try folio.add("events", table)
        try folio.createSnapshot("v1", capture: [])
        try folio.createSnapshot("paper-v1", description: "Figures 2–4", tags: ["paper"], capture: [.git])
        try folio.createSnapshot("v2", capture: [])
        let paper = try folio.snapshot("paper-v1")
        _ = try paper.get("clean", as: Table.self)
        let changes = try folio.changes(since: "paper-v1")
        let between = try folio.compareSnapshots("v1", "v2")
        try folio.restoreSnapshot("paper-v1")
        try folio.exportSnapshot("paper-v1", to: temp.path("release/paper-v1"))
        #expect(changes.isEmpty && between.isEmpty)

        let schema = try folio.tableSchema("events")
        let ids = try folio.get("events", columns: ["id"])
        #expect(schema.rowCount == ids.rowCount)
    }

    @Test func arraysAndTensors() throws {
        let temp = TemporaryFolder("article-arrays")
        let (folio, _, _) = try example(temp)
        let rowsStored = (0..<70).flatMap { row in (0..<128).map { Float(row) + Float($0) / 1000 } }
        try folio.add("embeddings", try NDArray(shape: [70, 128], rowsStored))
        try folio.add("weights", ["dense.weight": try NDArray(shape: [2, 2], [0.5, 1, 2, 4] as [Float])] as TensorDictionary)

        let embeddings = try folio.get("embeddings", as: NDArray.self)
        let x = try embeddings[0, 5, as: Float.self]
        let all = try embeddings.values(as: Float.self)
        #expect(x == 0.005 && all == rowsStored)

        let norm = try embeddings.withUnsafeBufferPointer(of: Float.self) { floats in
            floats.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        #expect(norm == rowsStored.reduce(0) { $0 + $1 * $1 }.squareRoot())

        var batches: [[Int]] = []
        for start in stride(from: 0, to: embeddings.shape[0], by: 32) {
            let batch = try embeddings.rows(start..<min(start + 32, embeddings.shape[0]))
            try batch.withUnsafeBufferPointer(of: Float.self) { floats in
                print(batch.shape, floats.count)
            }
            batches.append(batch.shape)
        }
        #expect(batches == [[32, 128], [32, 128], [6, 128]])

        let big = try folio.get("embeddings", memoryMapped: true)
        let firstRow = try big.row(0)
        #expect(try firstRow.values(as: Float.self) == Array(rowsStored[0..<128]))

        let weights = try folio.get("weights", as: TensorDictionary.self)
        if let kernel = weights["dense.weight"] {
            let first = try kernel[0, 0, as: Float.self]
            print(first)
            #expect(first == 0.5)
        } else {
            Issue.record("The weights lost their tensor.")
        }

        let matrix = try NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
        let fromBytes = try NDArray(shape: [2], dtype: .float32, data: Data([0, 0, 128, 63, 0, 0, 0, 64]))
        #expect(try matrix[1, 2, as: Float.self] == 6 && fromBytes.values(as: Float.self) == [1, 2])
    }
}
