import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Progress reports of the long folio-wide work: validation and snapshot export.
@Suite("Progress of validation and snapshot export")
struct ProgressTests {
    /// A folio with a 10 MiB array (hashed in several pieces), JSON, a folder item and a
    /// version that only a snapshot still needs.
    static func folio(_ temp: TemporaryFolder) throws -> DataFolio {
        let folio = try DataFolio(at: temp.path("f"))
        var generator = SeededRandom(seed: 17)
        let values = (0..<(10 << 18)).map { _ in Float.random(in: -1...1, using: &generator) }
        try folio.add("big", try NDArray(shape: [10 << 18], values))
        try folio.add("config", ["lr": 0.1])
        let folder = temp.url.appendingPathComponent("plots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 5000).write(to: folder.appendingPathComponent("a.png"))
        try folio.add("plots", file: folder)
        try folio.createSnapshot("v1")
        try folio.add("config", ["lr": 0.2], overwrite: true)
        return folio
    }

    /// The size of every payload file of the folio's folders (folder items' files excluded).
    static func payloadFileBytes(_ folio: DataFolio, _ temp: TemporaryFolder) throws -> Int {
        var total = 0
        for folder in ["artifacts", "tables", "models"] {
            let url = temp.url.appendingPathComponent("f/\(folder)")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names {
                let values = try url.appendingPathComponent(name).resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
                if values.isRegularFile == true { total += values.fileSize ?? 0 }
            }
        }
        return total
    }

    @Test func validationReportsVersionsAndHashedBytes() throws {
        let temp = TemporaryFolder("progress-validate")
        let folio = try Self.folio(temp)
        var reports = [ValidationProgress]()
        let report = folio.validate { reports.append($0) }
        #expect(report.isValid)
        // Current big, config, plots, and the first config that snapshot v1 pins.
        #expect(report.results.count == 4)
        let last = try #require(reports.last)
        #expect(last.totalVersions == 4 && last.checkedVersions == 4)
        let expectedBytes = try Self.payloadFileBytes(folio, temp)
        #expect(expectedBytes > 10 << 20)
        #expect(last.totalBytes == expectedBytes && last.hashedBytes == expectedBytes)
        // The array is reported piece by piece while it is hashed, not only when done.
        #expect(reports.contains { $0.checkedVersions == 0 && $0.hashedBytes > 0 && $0.hashedBytes < expectedBytes })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.hashedBytes <= $1.hashedBytes && $0.checkedVersions <= $1.checkedVersions })

        // Without a handler nothing is measured and the report is the same.
        #expect(folio.validate() == report)
    }

    @Test func snapshotExportReportsCopiedFiles() throws {
        let temp = TemporaryFolder("progress-export")
        let folio = try Self.folio(temp)
        let last = LastValue<CopyProgress>()
        let exported = try folio.exportSnapshot("v1", to: temp.path("out")) { last.set($0) }
        #expect(exported.itemNames.sorted() == ["big", "config", "plots"])
        let final = try #require(last.get())
        // The snapshot's files: the array, the first config and the folder's one file.
        #expect(final.totalFiles == 3 && final.finishedFiles == 3)
        #expect(final.finishedBytes == final.totalBytes && final.copiedBytes == final.totalBytes)
        #expect(final.totalBytes > 10 << 20)
    }
}
