import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// The README's quick start, compiled and run as written (the values it uses are defined
/// first, and its folder is inside a temporary one), so the first code a reader copies
/// always works.
@Suite("The README's examples")
struct ReadmeQuickStartTests {
    struct RunSettings: Codable, Equatable { var seed: Int; var epochs: Int }
    struct Customer: Codable, Equatable { var id: Int; var city: String? }
    struct Classifier: Codable { var depth: Int; var thresholds: [Double] }

    @Test func quickStart() async throws {
        let temp = TemporaryFolder("readme")
        let (location, cleanTable) = try synchronousPart(temp)

        // --- README: async code ---
        let shared = try await DataFolio.open(at: location)
        try await shared.add("clean", cleanTable, overwrite: true)
        let values = try await shared.getMany(["config", "clean"])
        // --- end ---

        #expect(values["config"]?.json == ["lr": 0.01, "layers": [64, 32]])
        #expect(values["clean"]?.table == cleanTable)
        #expect(await shared.validate().isValid)
    }

    func synchronousPart(_ temp: TemporaryFolder) throws -> (String, Table) {
        // The README's relative path, inside a temporary folder (the tests share the
        // process's current folder, so it is not changed).
        let location = temp.path("experiments/churn-v3")

        let cleanTable = try Table([Column(name: "id", [1, 2, 3] as [Int64]), Column(name: "city", strings: ["Oslo", nil, "Lima"])])
        let float32s = (0..<(1000 * 128)).map { Float($0 % 97) }
        let customers = [Customer(id: 1, city: "Oslo"), Customer(id: 2, city: nil)]
        let classifier = Classifier(depth: 6, thresholds: [0.2, 0.8])
        let weights: TensorDictionary = ["fc.weight": try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float])]
        let rocURL = temp.url.appendingPathComponent("roc.png")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: rocURL)
        let folio = try DataFolio(at: location)
        folio.warningHandler = { _ in }

        // --- README: Quick start ---
        try folio.add("raw", reference: "s3://lab/raw/2026-11.parquet", description: "November export")
        try folio.add("clean", cleanTable, description: "Deduplicated rows", inputs: ["raw"])
        try folio.add("embeddings", try NDArray(shape: [1000, 128], float32s), inputs: ["clean"])
        try folio.add("config", ["lr": 0.01, "layers": [64, 32]])
        try folio.add("run", json: RunSettings(seed: 7, epochs: 20))
        try folio.add("customers", rows: customers)
        try folio.add("accuracy", 0.95)
        try folio.add("started", Date())
        try folio.add("classifier", model: classifier, hyperparameters: ["depth": 6], inputs: ["clean"])
        try folio.add("net", model: PyTorchModel(stateDict: weights, modelClass: "Net", initArguments: ["input_dim": 10]))
        try folio.add("weights", weights)
        try folio.add("plots/roc", file: rocURL, category: "plots")

        let clean = try folio.get("clean", as: Table.self)
        let rows: [Customer] = try folio.get("customers")
        let run: RunSettings = try folio.get("run")
        let big = try folio.get("embeddings", memoryMapped: true)
        let ids = try folio.get("clean", columns: ["id"])
        if let array = try folio.value("embeddings").array { print(array.shape) }
        print(try folio.data.clean.inputs, try folio.data.raw.dependents)

        try folio.updateMetadata { $0["experiment"] = "baseline" }
        print(folio.describe())
        try folio.add("tmp1", 1)
        try folio.add("tmp2", 2)
        try folio.delete(["tmp1", "tmp2"])
        try folio.batch { folio in
            try folio.add("a", 1)
            try folio.add("b", 2, inputs: ["a"])
        }

        try folio.createSnapshot("paper-v1", description: "Figures 2–4", tags: ["paper"])
        let paper = try DataFolio.snapshot("paper-v1", of: location)
        print(try folio.changes(since: "paper-v1").modified)
        // --- end of the quick start ---

        #expect(clean == cleanTable)
        #expect(rows == customers)
        #expect(run == RunSettings(seed: 7, epochs: 20))
        #expect(big.shape == [1000, 128])
        #expect(ids.columnNames == ["id"])
        #expect(paper.itemNames.count == folio.itemNames.count)
        #expect(folio.validate().isValid)
        return (location, cleanTable)
    }
}
