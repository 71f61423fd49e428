import DataFolio
import DataFolioTestSupport
import Foundation

/// Folios for the report tests, built through the library.
enum TestFolios {
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

    /// The demo folio of `datafolio demo` (every kind of item, linked by inputs, one
    /// snapshot), plus a small PNG plot.
    static func demo(in temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("demo-folio"), metadata: ["experiment": "demo", "owner": "datafolio"])
        folio.warningHandler = { _ in }
        let csv = temp.url.appendingPathComponent("demo-folio-raw.csv")
        try Data("sensor,reading\na,1.5\nb,2.25\nc,3.0\n".utf8).write(to: csv)
        try folio.add("raw", reference: csv.path, format: .csv, description: "Raw sensor readings (external CSV)")
        let clean = try Table([
            Column(name: "sensor", categories: ["a", "b", "c", "a"]),
            Column(name: "reading", [1.5, 2.25, nil, 1.75] as [Double?]),
            Column(name: "taken_at", timestamps: (0..<4).map { Date(timeIntervalSince1970: 1_764_158_400 + Double($0) * 3600) }, timeZone: "UTC"),
            Column(name: "valid", [true, true, false, true]),
        ])
        try folio.add("clean", clean, description: "Readings, deduplicated", inputs: ["raw"])
        try folio.add("settings", json: TrainingSettings(seed: 7, epochs: 20, learningRate: 0.01, layers: [64, 32]), description: "Training settings")
        try folio.add("thresholds", ["low": 0.2, "high": 0.8, "labels": ["ok", "alert"]], description: "Alert thresholds", inputs: ["raw"])
        var values = [Float]()
        for row in 0..<4 { for column in 0..<3 { values.append(Float(row) * 0.5 + Float(column)) } }
        try folio.add("embeddings", try NDArray(shape: [4, 3], values), description: "Sensor embeddings", inputs: ["clean", "settings"])
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
        let notes = temp.url.appendingPathComponent("notes.md")
        try Data("# Demo run\n\nEverything here was made by `datafolio demo`.\n".utf8).write(to: notes)
        try folio.add("notes", file: notes, category: "docs", description: "Run notes", inputs: ["accuracy"])
        let plot = temp.url.appendingPathComponent("roc.png")
        try Data(PNGImage(width: 24, height: 16) { x, y in (UInt8(x * 10), UInt8(y * 15), 200) }.encoded).write(to: plot)
        try folio.add("plots/roc", file: plot, category: "plots", description: "ROC curve", inputs: ["net"])
        try folio.createSnapshot("baseline", description: "The demo as first built", tags: ["demo"], capture: [])
        return folio
    }

    /// A folio of `count` items of every kind, with generous content (wide tables with
    /// long text, large JSON values, long text files, pictures), linked in pipelines.
    static func large(count: Int, in temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("large-folio"), metadata: ["experiment": "sweep", "runs": .int(Int64(count / 10))])
        folio.warningHandler = { _ in }
        var random = SeededRandom(seed: 2_000)
        let text = String(repeating: "lorem ipsum dolor sit amet <b>&</b> ", count: 200)
        // Content well beyond what a report shows of an item (the limits tighten with
        // 2,000 items to 3 columns and 3 rows of a table, 300 characters of JSON or text).
        let wide = try Table((0..<16).map { column in
            column % 3 == 0
                ? Column(name: "label_\(column)", strings: (0..<20).map { "row \($0) " + String(text.prefix(120)) })
                : Column(name: "value_\(column)", (0..<20).map { Double($0) * 1.5 + Double(column) } as [Double])
        })
        let bigJSON = JSONValue.object(JSONObject((0..<100).map { ("key_\($0)", JSONValue.string(String(text.prefix(80)))) }))
        let picture = PNGImage(width: 64, height: 48) { x, y in (UInt8(x * 4), UInt8(y * 5), 90) }.encoded
        let pictureFile = temp.url.appendingPathComponent("plot.png")
        try Data(picture).write(to: pictureFile)
        let textFile = temp.url.appendingPathComponent("log.txt")
        try Data(text.utf8).write(to: textFile)
        try folio.batch { folio in
            try folio.add("shared/config", ["lr": 0.01, "layers": [64, 32]], description: "Settings shared by every run")
            var index = 1
            var run = 0
            while index < count {
                let prefix = "runs/\(run)"
                let steps: [(String, () throws -> Void)] = [
                    ("\(prefix)/data", { try folio.add("\(prefix)/data", wide, description: "Training rows of run \(run)") }),
                    ("\(prefix)/params", {
                        let description = "Parameters of run \(run) " + text.prefix(60)
                        try folio.add("\(prefix)/params", bigJSON, description: description, inputs: ["shared/config"])
                    }),
                    ("\(prefix)/features", {
                        let values = (0..<2_000).map { _ in Float(Double(random.next() % 10_000) / 100) }
                        try folio.add("\(prefix)/features", try NDArray(shape: [40, 50], values), inputs: ["\(prefix)/data", "\(prefix)/params"])
                    }),
                    ("\(prefix)/model", {
                        try folio.add(
                            "\(prefix)/model", model: bigJSON, hyperparameters: ["depth": .int(Int64(run % 7)), "note": .string(String(text.prefix(200)))],
                            inputs: ["\(prefix)/features"])
                    }),
                    ("\(prefix)/plot", { try folio.add("\(prefix)/plot", file: pictureFile, category: "plots", inputs: ["\(prefix)/model"]) }),
                    ("\(prefix)/log", { try folio.add("\(prefix)/log", file: textFile, category: "logs", inputs: ["\(prefix)/model"]) }),
                    ("\(prefix)/score", { try folio.add("\(prefix)/score", JSONValue.double(Double(run) / 100), inputs: ["\(prefix)/model", "\(prefix)/data"]) }),
                    ("\(prefix)/finished", { try folio.add("\(prefix)/finished", Date(timeIntervalSince1970: 1_764_158_400 + Double(run) * 60)) }),
                    ("\(prefix)/summary", {
                        try folio.add("\(prefix)/summary", ["score": .double(Double(run) / 100), "notes": .string(text)], inputs: ["\(prefix)/score"])
                    }),
                    ("\(prefix)/report", { try folio.add("\(prefix)/report", file: textFile, category: "docs", inputs: ["\(prefix)/summary", "\(prefix)/plot"]) }),
                ]
                for (_, add) in steps where index < count {
                    try add()
                    index += 1
                }
                run += 1
            }
        }
        return folio
    }
}
