import DataFolio
import DataFolioReport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Report model from a folio")
struct ReportModelTests {
    @Test func demoFolioPreviews() throws {
        let temp = TemporaryFolder("report-model")
        let folio = try TestFolios.demo(in: temp)
        let model = try ReportModel(folio: folio)
        #expect(model.items.map{ $0.name } == folio.items.map{ $0.name })
        #expect(model.header.title == "demo-folio")
        #expect(model.header.location.hasPrefix("/"))
        #expect(model.header.metadata.contains(ReportField(key: "experiment", value: "\"demo\"")))
        func item(_ name: String) throws -> ReportItem {
            try #require(model.items.first { $0.name == name })
        }

        // A stored table: row count, Parquet statistics, first rows (null as nil).
        let clean = try item("clean")
        #expect(clean.kind == .table && clean.inputs == ["raw"] && clean.dependents == ["embeddings"])
        guard case .table(let table) = clean.preview else { Issue.record("clean: \(clean.preview)"); return }
        #expect(table.rowCount == 4)
        #expect(table.statisticsSource == .parquetStatistics)
        let reading = try #require(table.columns.first { $0.name == "reading" })
        #expect(reading.nullCount == 1 && reading.minimum == "1.5" && reading.maximum == "2.25")
        let takenAt = try #require(table.columns.first { $0.name == "taken_at" })
        #expect(takenAt.minimum == "2025-11-26T12:00:00Z" && takenAt.maximum == "2025-11-26T15:00:00Z")
        #expect(table.columns.first { $0.name == "sensor" }?.maximum == "c")
        #expect(table.headRows.count == 4)
        #expect(table.headRows[2] == ["c", nil, "2025-11-26T14:00:00Z", "false"])

        // A referenced CSV: read in full, statistics computed.
        guard case .table(let raw) = try item("raw").preview else { Issue.record("raw"); return }
        #expect(raw.statisticsSource == .data && raw.rowCount == 3)
        #expect(raw.columns.map{ $0.maximum } == ["c", "3.0"])

        // An array: shape, dtype, statistics and histogram of every value.
        guard case .array(let array) = try item("embeddings").preview else { Issue.record("embeddings"); return }
        #expect(array.shape == [4, 3] && array.dtype == "float32")
        let statistics = try #require(array.statistics)
        #expect(statistics.minimum == 0 && statistics.maximum == 3.5 && statistics.mean == 1.75)
        #expect(statistics.histogram.reduce(0, +) == 12 && !statistics.isSampled)

        guard case .json(let thresholds) = try item("thresholds").preview else { Issue.record("thresholds"); return }
        #expect(thresholds.text.contains("\"labels\": [") && thresholds.typeName == "dict")
        guard case .timestamp(let time) = try item("trained_at").preview else { Issue.record("trained_at"); return }
        #expect(time.iso.hasPrefix("2025-11-26T12:00:00"))

        guard case .model(let detector) = try item("detector").preview else { Issue.record("detector"); return }
        #expect(detector.modelType == "ThresholdModel" && detector.format == "json")
        #expect(detector.hyperparameters == [ReportField(key: "metric", value: "\"f1\"")])
        #expect(detector.body?.text.contains("\"cutoff\": 2.0") == true)

        guard case .model(let net) = try item("net").preview else { Issue.record("net"); return }
        #expect(net.modelType == "SensorNet" && net.initArguments.map{ $0.key } == ["input_dim", "classes"])
        #expect(net.tensors?.tensors.map{ $0.name } == ["fc.weight", "fc.bias"] && net.tensors?.totalBytes == 32)
        guard case .tensors(let exported) = try item("net_export").preview else { Issue.record("net_export"); return }
        #expect(exported.tensors.first { $0.name == "fc.weight" }?.shape == [2, 3])

        guard case .file(let notes) = try item("notes").preview, case .text(let text, 0) = notes.content else { Issue.record("notes"); return }
        #expect(text.hasPrefix("# Demo run") && notes.category == "docs")
        guard case .file(let plot) = try item("plots/roc").preview, case .image(let type, let bytes) = plot.content else { Issue.record("plot"); return }
        #expect(type == "image/png" && bytes.starts(with: PNGImage.signature))

        // The snapshot timeline and the working state since it.
        #expect(model.snapshots.map{ $0.name } == ["baseline"])
        #expect(model.snapshots[0].changes == nil && model.snapshots[0].itemCount == 12)
        #expect(model.changesSinceNewestSnapshot?.isEmpty == true)
    }

    @Test func snapshotTimelineListsChanges() throws {
        let temp = TemporaryFolder("report-timeline")
        let folio = try DataFolio(at: temp.path("f"), metadata: ["stage": "draft"])
        try folio.add("a", 1)
        try folio.add("b", 2)
        try folio.createSnapshot("v1", capture: [])
        try folio.add("a", 10, overwrite: true)
        try folio.delete(["b"])
        try folio.add("c", 3, inputs: ["a"])
        try folio.setMetadata("stage", "final")
        try folio.createSnapshot("v2", description: "Second", tags: ["paper"], capture: [])
        try folio.add("d", 4)

        let model = try ReportModel(folio: folio)
        #expect(model.snapshots.map{ $0.name } == ["v2", "v1"])
        let changes = try #require(model.snapshots[0].changes)
        #expect(changes.from == "v1" && changes.to == "v2")
        #expect(changes.added == ["c"] && changes.removed == ["b"] && changes.modified == ["a"])
        #expect(changes.metadataChanges == [ReportMetadataChange(key: "stage", old: "\"draft\"", new: "\"final\"")])
        #expect(model.snapshots[0].tags == ["paper"] && model.snapshots[0].description == "Second")
        #expect(model.changesSinceNewestSnapshot?.added == ["d"])

        // A report of a snapshot shows that snapshot's items.
        let old = try ReportModel(folio: folio, snapshot: "v1")
        #expect(old.items.map{ $0.name } == ["a", "b"])
        #expect(old.header.snapshot == "v1" && old.snapshots.first { $0.isShown }?.name == "v1")
        #expect(old.changesSinceNewestSnapshot == nil)
        guard case .json(let a) = old.items[0].preview else { Issue.record("a"); return }
        #expect(a.text == "1")
        #expect(throws: DataFolioError.self) { try ReportModel(folio: folio, snapshot: "nope") }
    }

    @Test func unreadableItemsGetANoteInsteadOfFailingTheReport() throws {
        let temp = TemporaryFolder("report-damaged")
        let folio = try DataFolio(at: temp.path("f"))
        try folio.add("table", try Table([Column(name: "x", [1, 2] as [Int64])]))
        try folio.add("array", NDArray([1, 2, 3] as [Double]))
        try folio.add("ghost", reference: temp.path("nowhere.parquet"))
        // Damage the payloads behind the library's back.
        for entry in folio.items {
            guard let path = folio.location(of: entry), entry.name != "ghost" else { continue }
            try Data("not what it claims".utf8).write(to: URL(fileURLWithPath: path))
        }
        let model = try ReportModel(folio: folio)
        for item in model.items where item.name != "ghost" {
            guard case .unavailable(let reason) = item.preview else { Issue.record("\(item.name): \(item.preview)"); continue }
            #expect(reason.hasPrefix("The content could not be read"))
        }
        guard case .table(let ghost) = model.items[2].preview else { Issue.record("ghost"); return }
        #expect(ghost.note?.contains("missing") == true)
        #expect(model.html().contains("could not be read"))
    }

    @Test func parquetStatisticsCombineRowGroups() throws {
        let temp = TemporaryFolder("report-parquet")
        let values: [Int64?] = (0..<1_000).map { $0 % 7 == 0 ? nil : Int64($0 - 300) }
        let names = (0..<1_000).map { "name-\(String(format: "%04d", 999 - $0))" }
        let table = try Table([Column(name: "n", values), Column(name: "s", strings: names)])
        let path = temp.path("t.parquet")
        var options = ParquetWriteOptions()
        options.rowGroupSize = 128
        try table.writeParquet(to: path, options: options)
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroupCount == 8)
        let preview = try TablePreview(parquet: reader)
        let n = try #require(preview.columns.first)
        #expect(n.nullCount == values.filter { $0 == nil }.count)
        #expect(n.minimum == "-299" && n.maximum == "699")
        #expect(preview.columns[1].minimum == "name-0000" && preview.columns[1].maximum == "name-0999")
        #expect(preview.headRows.count == 5 && preview.headRows[0] == [nil, "name-0999"])

        // Without statistics, nothing is made up.
        options.statistics = false
        try table.writeParquet(to: temp.path("plain.parquet"), options: options)
        let plain = try TablePreview(parquet: ParquetReader(path: temp.path("plain.parquet")))
        #expect(plain.columns.allSatisfy { $0.minimum == nil && $0.maximum == nil })
    }

    @Test func arraysAreSampledWithinBounds() throws {
        let values = (0..<1_000_000).map { Float($0 % 1000) }
        let preview = ArrayPreview(try NDArray(shape: [1000, 1000], values))
        let statistics = try #require(preview.statistics)
        #expect(statistics.sampledCount == 100_000 && statistics.totalCount == 1_000_000 && statistics.isSampled)
        // Every tenth element: 0, 10, …, 990.
        #expect(statistics.minimum == 0 && statistics.maximum == 990 && statistics.mean == 495)
        #expect(statistics.histogram.count == 24 && statistics.histogram.reduce(0, +) == 100_000)

        // Byte order, half precision, NaN and infinities.
        let big = try NDArray(shape: [3], dtype: DType(kind: .signedInteger, itemSize: 4, byteOrder: .bigEndian), bytes: [0, 0, 0, 1, 255, 255, 255, 254, 0, 0, 1, 0])
        #expect(ArrayPreview(big).statistics?.minimum == -2 && ArrayPreview(big).statistics?.maximum == 256)
        let half = try NDArray(shape: [2], dtype: .float16, bytes: [0x00, 0x3C, 0x00, 0xC0])   // 1.0, -2.0
        #expect(ArrayPreview(half).statistics?.mean == -0.5)
        let odd = ArrayPreview(NDArray([1, .nan, .infinity, 3] as [Double]))
        #expect(odd.statistics?.nanCount == 1 && odd.statistics?.infiniteCount == 1 && odd.statistics?.mean == 2)
        let text = ArrayPreview(try NDArray(shape: [2], strings: ["α", "<b>"]))
        #expect(text.statistics == nil && text.firstValues == ["α", "<b>"])
        #expect(ArrayPreview(try NDArray.zeros(shape: [0, 3], dtype: .float32)).statistics == nil)
    }

    @Test func fileContentIsRecognised() {
        var budget = 1_000
        let png = PNGImage(width: 2, height: 2) { _, _ in (1, 2, 3) }.encoded
        guard case .image("image/png", _) = FilePreview.Content(fileName: "a.bin", bytes: png, fileSize: png.count, imageBudget: &budget) else {
            Issue.record("png")
            return
        }
        #expect(budget == 1_000 - png.count)
        var empty = 0
        guard case .none(let reason) = FilePreview.Content(fileName: "a.png", bytes: png, fileSize: png.count, imageBudget: &empty) else {
            Issue.record("budget")
            return
        }
        #expect(reason.contains("budget"))
        let svg = Array("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".utf8)
        guard case .image("image/svg+xml", _) = FilePreview.Content(fileName: "x.svg", bytes: svg, fileSize: svg.count) else {
            Issue.record("svg")
            return
        }
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 300_000)
        guard case .none(let large) = FilePreview.Content(fileName: "p.jpg", bytes: jpeg, fileSize: jpeg.count) else {
            Issue.record("jpeg")
            return
        }
        #expect(large.contains("too large"))
        // Text is cut on a character boundary; binary data is not shown as text.
        let text = Array(String(repeating: "é", count: 2_000).utf8)
        guard case .text(let head, let omitted) = FilePreview.Content(fileName: "t.txt", bytes: text, fileSize: text.count) else {
            Issue.record("text")
            return
        }
        #expect(head.count == 1_000 && omitted == 2_000)
        guard case .none = FilePreview.Content(fileName: "b.txt", bytes: [0x41, 0x00, 0x42], fileSize: 3) else {
            Issue.record("binary")
            return
        }
    }

    @Test func limitsShrinkWithManyItems() {
        let limits = ReportLimits()
        #expect(limits.fitted(toItemCount: 50) == limits)
        let many = limits.fitted(toItemCount: 2_000)
        #expect(many.tableRows == 3 && many.jsonCharacters == 300 && many.tableColumns < limits.tableColumns)
        #expect(limits.fitted(toItemCount: 1_000_000).tableRows >= 2)
    }
}
