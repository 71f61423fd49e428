import ArgumentParser
import DataFolio
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo folio with one item of every kind, and describe it.",
        discussion: """
            The demo folio shows what a folio holds: a table and a reference to an external CSV,
            arrays, JSON values, a timestamp, a file, a Swift model, PyTorch weights and a tensor
            set, linked by their inputs, plus a snapshot. Open it from Python with
            `datafolio.DataFolio(PATH)` to see the same items.

            Example:
              datafolio demo demo-folio && datafolio -f demo-folio lineage
            """)

    @Argument(help: "Where to create the demo folio (must not exist yet); nothing is written outside it.")
    var path: String = "demo-folio"

    func run() throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            throw CommandFailure("'\(path)' already exists; choose a new path for the demo folio.")
        }
        let folio = try DemoFolio.make(at: path)
        Terminal.print(folio.describe())
        Terminal.print("Next: datafolio -f \(path) lineage   ·   datafolio -f \(path) validate")
    }
}

/// The contents of the demo folio.
enum DemoFolio {
    struct ThresholdModel: Codable {
        var feature: String
        var cutoff: Double
        var labels: [String]
    }

    struct TrainingSettings: Codable {
        var seed: Int
        var epochs: Int
        var learningRate: Double
        var layers: [Int]
    }

    static func make(at path: String) throws -> DataFolio {
        let folio = try DataFolio(at: path, metadata: ["experiment": "demo", "owner": "datafolio"])
        folio.warningHandler = { _ in }

        // The files the demo starts from (the referenced CSV, the notes) live in the demo
        // folder too, outside the folio's own sub-folders: the demo writes nothing outside
        // the path it was given.
        let external = URL(fileURLWithPath: path).absoluteURL.appendingPathComponent("external")
        try FileManager.default.createDirectory(at: external, withIntermediateDirectories: false)
        let csv = external.appendingPathComponent("raw-measurements.csv")
        try Data("sensor,reading\na,1.5\nb,2.25\nc,3.0\n".utf8).write(to: csv)
        try folio.add("raw", reference: csv.path, format: .csv, description: "Raw sensor readings (external CSV)")

        let clean = try Table([
            Column(name: "sensor", categories: ["a", "b", "c", "a"]),
            Column(name: "reading", [1.5, 2.25, nil, 1.75] as [Double?]),
            Column(name: "taken_at", timestamps: (0..<4).map { Date(timeIntervalSince1970: 1_764_158_400 + Double($0) * 3600) }, timeZone: "UTC"),
            Column(name: "valid", [true, true, false, true]),
        ])
        try folio.add("clean", clean, description: "Readings, deduplicated", inputs: ["raw"])
        try folio.add(
            "settings", json: TrainingSettings(seed: 7, epochs: 20, learningRate: 0.01, layers: [64, 32]),
            description: "Training settings")
        try folio.add("thresholds", ["low": 0.2, "high": 0.8, "labels": ["ok", "alert"]], description: "Alert thresholds", inputs: ["raw"])
        var values = [Float]()
        for row in 0..<4 { for column in 0..<3 { values.append(Float(row) * 0.5 + Float(column)) } }
        try folio.add(
            "embeddings", try NDArray(shape: [4, 3], values), description: "Sensor embeddings",
            inputs: ["clean", "settings"])
        try folio.add(
            "detector", model: ThresholdModel(feature: "reading", cutoff: 2.0, labels: ["ok", "alert"]),
            hyperparameters: ["metric": "f1"], description: "Threshold detector", inputs: ["raw", "thresholds"])
        var weights = TensorDictionary()
        weights["fc.weight"] = try NDArray(shape: [2, 3], [0.5, -0.25, 1, 0, 0.75, -1] as [Float])
        weights["fc.bias"] = NDArray([0.1, -0.1] as [Float])
        try folio.add(
            "net", model: PyTorchModel(stateDict: weights, modelClass: "SensorNet", modelModule: "models", initArguments: ["input_dim": 3, "classes": 2]),
            description: "Sensor classifier (PyTorch weights)", inputs: ["embeddings", "settings"])
        try folio.add("net_export", weights, metadata: ["format": "pt"], description: "The same weights as safetensors", inputs: ["net"])
        try folio.add("accuracy", 0.93, description: "Validation accuracy", inputs: ["net"])
        try folio.add("trained_at", Date(timeIntervalSince1970: 1_764_158_400), description: "When training finished")
        let notes = external.appendingPathComponent("notes.md")
        try Data("# Demo run\n\nEverything here was made by `datafolio demo`.\n".utf8).write(to: notes)
        try folio.add("notes", file: notes, category: "docs", description: "Run notes", inputs: ["accuracy"])
        try folio.createSnapshot("baseline", description: "The demo as first built", tags: ["demo"], capture: [])
        return folio
    }
}
