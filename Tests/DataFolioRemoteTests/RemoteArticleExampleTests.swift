import DataFolio
import DataFolioS3
import DataFolioS3TestSupport
import DataFolioTestSupport
import Foundation
import Testing

/// The Remote Folios article's examples, run against a real bucket. The locations are the
/// test server's (`s3://http://127.0.0.1:PORT/bucket/…`) instead of the article's
/// `s3://lab/…`, and the stores the fixture registers stand in for
/// `RemoteStorage.register()`, which would also accept locations off this machine.
@Suite("Remote Folios article", .seaweed)
struct RemoteArticleExampleTests {
    @Test func examplesRunOnABucket() throws {
        RemoteFixture.registerLoopbackStores()
        let server = try RemoteFixture.server()
        let temp = TemporaryFolder("remote-article")
        let lab = RemoteFixture.location(RemoteFixture.freshPrefix("article"), endpoint: server.endpoint)

        // Opening (or creating) a folio in a bucket, adding and reading by column.
        let scores = try Table([
            Column(name: "user", strings: ["ada", "bo", "cy"]),
            Column(name: "score", [0.5, 0.25, 0.75]),
            Column(name: "segment", [Int64(1), 2, 1]),
        ])
        let embeddings = try NDArray(shape: [3, 2], [Float](repeating: 0.5, count: 6))
        let folio = try DataFolio(at: lab + "/experiments/churn")      // opens, or creates
        try folio.add("clean", scores)
        try folio.add("embeddings", embeddings, inputs: ["clean"])
        let clean: Table = try folio.get("clean", columns: ["user", "score"])
        #expect(clean == (try scores.selecting(["user", "score"])))
        #expect(try DataFolio(at: lab + "/experiments/churn", options: .readOnly).get("embeddings", as: NDArray.self) == embeddings)

        // A replica of a local folio, with progress.
        let baseline = try DataFolio(at: temp.path("runs/baseline"))
        try baseline.add("metrics", json: ["auc": 0.91])
        try baseline.add("scores", scores)
        let reports = Counter()
        var options = CopyOptions.replica
        options.progress = { progress in
            reports.increment()
            print(progress.finishedBytes, "of", progress.totalBytes)
        }
        try DataFolio(at: temp.path("runs/baseline"), options: .readOnly).copy(to: lab + "/runs/baseline", options: options)
        let replica = try DataFolio(at: lab + "/runs/baseline", options: .readOnly)
        #expect(replica.itemNames.sorted() == baseline.itemNames.sorted())
        #expect(replica.revision == baseline.revision)
        #expect(reports.value > 0)

        // A table referenced where it lies in the bucket, read by column.
        try scores.writeParquet(to: temp.path("2026-11.parquet"))
        let raw = lab + "/raw/2026-11.parquet"
        let key = String(raw.dropFirst(("s3://" + server.endpoint + "/" + RemoteFixture.bucket + "/").count))
        _ = try RemoteFixture.client(endpoint: server.endpoint, server: server)
            .putObject(key, bytes: Array(try Data(contentsOf: temp.url.appendingPathComponent("2026-11.parquet"))))
        try folio.add("raw", reference: raw)
        let ids = try folio.get("raw", columns: ["user"])
        #expect(ids == (try scores.selecting(["user"])))
    }
}

/// A count that progress callbacks on other threads can raise.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
