// Side-by-side timings of DataFolio for Swift and the Python tools on the same work.
//
//   swift build -c release && .build/release/DataFolioBenchmarks --python .venv-interop/bin/python
//
// (scripts/benchmark.sh does both.) Each figure is the median of several runs; the
// ratio is Python time / Swift time, so higher is better for Swift.
import DataFolio
import DataFolioSupport
import Foundation

struct Options {
    var python = ".venv-interop/bin/python"
    var datafolioCLI: String?
    var only: Set<String> = []
    var runs = 5
    var workFolder = NSTemporaryDirectory()
    var tableRows = 5_000_000
    /// Folio sizes of the scale section, in items (`--scale-sizes 1000,20000,100000`).
    var scaleSizes = [1_000, 20_000, 100_000]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch argument {
            case "--python": python = value; index += 1
            case "--cli": datafolioCLI = value; index += 1
            case "--only": only = Set(value.split(separator: ",").map(String.init)); index += 1
            case "--runs": runs = Int(value) ?? runs; index += 1
            case "--work": workFolder = value; index += 1
            case "--table-rows": tableRows = Int(value) ?? tableRows; index += 1
            case "--scale-sizes":
                let sizes = value.split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }
                if !sizes.isEmpty { scaleSizes = sizes }
                index += 1
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
            index += 1
        }
    }
}

/// Child mode: `--child parquet-read FILE`, `--child parquet-write FILE` or
/// `--child parquet-write-nested FILE`, run in a separate process so its peak memory can be
/// measured on its own. Prints `seconds peak-bytes`. The table modes (`csv-import`,
/// `export-csv`, …) take their files after; `scale-generate FOLIO COUNT FILE` builds the
/// scale section's folio.
if CommandLine.arguments.count >= 4 && CommandLine.arguments[1] == "--child",
    try TableBenchmarks.runChild(CommandLine.arguments[2], Array(CommandLine.arguments[3...]))
{
    exit(0)
}
if CommandLine.arguments.count >= 4 && CommandLine.arguments[1] == "--child",
    try ScaleBenchmarks.runChild(CommandLine.arguments[2], Array(CommandLine.arguments[3...]))
{
    exit(0)
}
if CommandLine.arguments.count == 4 && CommandLine.arguments[1] == "--child" {
    let file = CommandLine.arguments[3]
    let start = DispatchTime.now().uptimeNanoseconds
    switch CommandLine.arguments[2] {
    case "parquet-read":
        let table = try ParquetReader(path: file).readTable(parallel: false)
        precondition(table.rowCount > 0)
    case "parquet-write-nested":
        let table = try ParquetBenchmarkData.nestedTable(rows: ParquetBenchmarkData.nestedRows)
        let begin = DispatchTime.now().uptimeNanoseconds
        try table.writeParquet(to: file)
        print(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9, ParquetBenchmarkData.peakMemory())
        exit(0)
    case "parquet-write", "parquet-write-plain", "parquet-write-parallel":
        let table = try ParquetBenchmarkData.table(rows: ParquetBenchmarkData.rows)
        let begin = DispatchTime.now().uptimeNanoseconds
        let mode = CommandLine.arguments[2]
        let options = ParquetWriteOptions(dictionary: mode != "parquet-write-plain", parallel: mode == "parquet-write-parallel")
        try table.writeParquet(to: file, options: options)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        print(elapsed, ParquetBenchmarkData.peakMemory())
        exit(0)
    default:
        exit(2)
    }
    print(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, ParquetBenchmarkData.peakMemory())
    exit(0)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let cli = options.datafolioCLI
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("datafolio").path

struct Row {
    var name: String
    var swift: Double
    var python: Double
    var target: String
    var note = ""
}
var rows = [Row]()

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Writes `bytes` to a new file at `path` and flushes it to the disk.
func writeAndFlush(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = write(fd, bytes.baseAddress.map { $0 + offset }, min(bytes.count - offset, 8 << 20))
        guard written > 0 else { throw CocoaError(.fileWriteUnknown) }
        offset += written
    }
    guard fdatasync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
}

func freshFolder(_ label: String) -> String {
    let path = options.workFolder + "/datafolio-bench-\(label)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.removeItem(atPath: path)
    return path
}

/// Runs a process and returns its standard output; exits on failure.
@discardableResult
func run(_ executable: String, _ arguments: [String]) -> String {
    runProcess(executable, arguments)
}

/// Runs a process and returns its standard output; exits on failure.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch {
        FileHandle.standardError.write(Data("cannot run \(executable): \(error)\n".utf8))
        exit(1)
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        FileHandle.standardError.write(Data("\(executable) \(arguments.prefix(1)) failed with status \(process.terminationStatus)\n".utf8))
        exit(1)
    }
    return String(decoding: data, as: UTF8.self)
}

/// The wall time of a whole process, from spawn to exit, with its output discarded
/// (posix_spawn directly: Foundation's Process adds tens of milliseconds of its own).
func timeProcess(_ executable: String, _ arguments: [String]) -> Double {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
        FileHandle.standardError.write(Data("cannot run \(executable)\n".utf8))
        exit(1)
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs a Python snippet that prints one number (seconds) per line; returns them.
func python(_ script: String, _ arguments: [String] = []) -> [Double] {
    run(options.python, ["-c", script] + arguments).split(separator: "\n").compactMap { Double($0) }
}

func wanted(_ name: String) -> Bool { options.only.isEmpty || options.only.contains(name) }

func report(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

// MARK: 1,000 adds of small JSON values

if wanted("json-adds") {
    report("1,000 JSON adds…")
    var swiftTimes = [Double]()
    for _ in 0..<3 {
        let path = freshFolder("adds")
        let folio = try DataFolio(at: path)
        swiftTimes.append(try seconds {
            for i in 0..<1000 {
                try folio.add("v\(i)", ["i": .int(Int64(i)), "x": [1.5, 2.5], "name": "value"])
            }
        })
        try? FileManager.default.removeItem(atPath: path)
    }
    let pythonTimes = (0..<3).flatMap { _ in
        python(#"""
import sys, time, shutil
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
t = time.perf_counter()
for i in range(1000):
    f.add(f"v{i}", {"i": i, "x": [1.5, 2.5], "name": "value"})
print(time.perf_counter() - t)
shutil.rmtree(sys.argv[1])
"""#, [freshFolder("adds-py")])
    }
    rows.append(Row(name: "1,000 adds of small JSON values (1,000 commits)", swift: median(swiftTimes), python: median(pythonTimes), target: "≥ 10×"))
    // The same work as one commit, for reference.
    var batchTimes = [Double]()
    var pythonBatch = [Double]()
    for _ in 0..<3 {
        let path = freshFolder("batch")
        let folio = try DataFolio(at: path)
        batchTimes.append(try seconds {
            try folio.batch { folio in
                for i in 0..<1000 { try folio.add("v\(i)", ["i": .int(Int64(i)), "x": [1.5, 2.5], "name": "value"]) }
            }
        })
        try? FileManager.default.removeItem(atPath: path)
        pythonBatch += python(#"""
import sys, time, shutil
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
t = time.perf_counter()
with f.batch():
    for i in range(1000):
        f.add(f"v{i}", {"i": i, "x": [1.5, 2.5], "name": "value"})
print(time.perf_counter() - t)
shutil.rmtree(sys.argv[1])
"""#, [freshFolder("batch-py")])
    }
    rows.append(Row(name: "the same 1,000 adds in one batch (one commit)", swift: median(batchTimes), python: median(pythonBatch), target: "—"))
}

// MARK: cold describe (whole process)

if wanted("describe") {
    report("cold describe…")
    let path = freshFolder("describe")
    let folio = try DataFolio(at: path)
    try folio.batch { folio in
        for i in 0..<1000 { try folio.add("v\(i)", ["i": .int(Int64(i)), "name": "value"], description: "value \(i)") }
    }
    let pythonCLI = URL(fileURLWithPath: options.python).deletingLastPathComponent().appendingPathComponent("datafolio").path
    var swiftTimes = [Double]()
    var pythonTimes = [Double]()
    for _ in 0..<options.runs {
        swiftTimes.append(timeProcess(cli, ["-f", path, "describe"]))
        pythonTimes.append(timeProcess(pythonCLI, ["-f", path, "describe"]))
    }
    rows.append(Row(name: "cold `datafolio describe`, 1,000 items (whole process)", swift: median(swiftTimes), python: median(pythonTimes), target: "≥ 10×"))
    try? FileManager.default.removeItem(atPath: path)
}

// MARK: 256 MiB float32 array: add and get

if wanted("array") {
    report("256 MiB array add and get…")
    let count = 64 * 1024 * 1024
    let values = [Float](uninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer[i] = Float(i % 1000) * 0.5 }
        initialized = count
    }
    let array = try NDArray(shape: [count / 1024, 1024], values)
    var addTimes = [Double]()
    var getTimes = [Double]()
    var mappedTimes = [Double]()
    var payload = ""
    // Each run writes into a fresh folio and removes it afterwards, so no run pays for
    // the page cache the previous one filled.
    var path = ""
    for _ in 0..<3 {
        if !path.isEmpty { try? FileManager.default.removeItem(atPath: path) }
        path = freshFolder("array")
        let folio = try DataFolio(at: path)
        addTimes.append(try seconds { try folio.add("emb", array) })
        payload = folio.location(of: try folio.item("emb")) ?? ""
    }
    let folio = try DataFolio(at: path)
    for _ in 0..<options.runs {
        getTimes.append(try seconds {
            let loaded: NDArray = try folio.get("emb")
            precondition(loaded.count == count)
        })
        mappedTimes.append(try seconds {
            let loaded = try folio.get("emb", memoryMapped: true)
            precondition(loaded.count == count)
        })
    }
    let pythonAdd = python(#"""
import sys, time, shutil
import numpy as np
from datafolio import DataFolio
a = (np.arange(64 * 1024 * 1024, dtype=np.float32) % 1000 * 0.5).reshape(-1, 1024)
for run in range(3):
    f = DataFolio(f"{sys.argv[1]}-{run}")
    t = time.perf_counter()
    f.add("emb", a)
    print(time.perf_counter() - t)
    shutil.rmtree(f"{sys.argv[1]}-{run}")
"""#, [freshFolder("array-py")])
    let numpyLoad = python(#"""
import sys, time
import numpy as np
for run in range(5):
    t = time.perf_counter()
    a = np.load(sys.argv[1])
    assert a.size == 64 * 1024 * 1024
    print(time.perf_counter() - t)
    del a
"""#, [payload])
    // The two floors of the same add, each alone: the payload's bytes written to a new
    // file and flushed with fdatasync (in a fresh folder each run, as the add's file is),
    // and their MD5, which the catalog records and which no thread can split. The add
    // runs them side by side, so it cannot beat the slower of the two.
    var diskTimes = [Double]()
    var md5Times = [Double]()
    try values.withUnsafeBytes { bytes in
        for _ in 0..<3 {
            let folder = freshFolder("floor")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            diskTimes.append(try seconds { try writeAndFlush(bytes, to: folder + "/floor.bin") })
            try? FileManager.default.removeItem(atPath: folder)
            md5Times.append(seconds {
                var md5 = MD5()
                md5.update(bytes)
                precondition(md5.finalize().count == 16)
            })
        }
    }
    let addMedian = median(addTimes)
    let floor = max(median(diskTimes), median(md5Times))
    rows.append(Row(name: "add a 256 MiB float32 array (write + MD5)", swift: addMedian, python: median(pythonAdd), target: "≥ 2.5×"))
    rows.append(Row(
        name: "the disk alone: write those 256 MiB to a new file and fdatasync it", swift: median(diskTimes), python: .nan, target: "—"))
    rows.append(Row(name: "MD5 alone: those 256 MiB hashed on one core", swift: median(md5Times), python: .nan, target: "—"))
    rows.append(Row(
        name: String(format: "the add ÷ the slower of the two floors: %.2f×", addMedian / floor), swift: addMedian, python: .nan,
        target: "≤ 1.15×"))
    rows.append(Row(name: "get that array (vs `numpy.load`)", swift: median(getTimes), python: median(numpyLoad), target: "≥ 1×"))
    rows.append(Row(name: "get that array memory-mapped (vs `numpy.load`)", swift: median(mappedTimes), python: median(numpyLoad), target: "—"))
    try? FileManager.default.removeItem(atPath: path)
}

// MARK: Snapshot of a folio with 1,000 items and 2 GB of payload

if wanted("snapshot") {
    report("snapshot of 1,000 items / 2 GB…")
    let path = freshFolder("snapshot")
    let folio = try DataFolio(at: path)
    let perItem = 2_000_000_000 / 1000 / 4
    let block = NDArray((0..<perItem).map { Float($0 % 977) })
    try folio.batch { folio in
        for i in 0..<1000 { try folio.add("part\(i)", block, description: "part \(i)") }
    }
    func folderBytes() -> [String: Int] {
        var sizes = [String: Int]()
        let root = URL(fileURLWithPath: path)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey])
        while let url = files?.nextObject() as? URL {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            let stamp = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
            sizes[url.path] = (values?.fileSize ?? 0) ^ Int(stamp * 1e6)
        }
        return sizes
    }
    var times = [Double]()
    var rewritten = Set<String>()
    var written = 0
    for run in 0..<options.runs {
        let before = folderBytes()
        times.append(try seconds { try folio.createSnapshot("s\(run)", capture: []) })
        let after = folderBytes()
        for (file, stamp) in after where before[file] != stamp { rewritten.insert(URL(fileURLWithPath: file).lastPathComponent) }
        written = (try? FileManager.default.attributesOfItem(atPath: path + "/items.json")[.size] as? Int) ?? 0
    }
    let pythonTimes = python(#"""
import sys, time
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
for run in range(int(sys.argv[2])):
    t = time.perf_counter()
    f.create_snapshot(f"py{run}", capture_git=False)
    print(time.perf_counter() - t)
"""#, [path, String(options.runs)])
    rows.append(Row(
        name: "create a snapshot of 1,000 items / 2 GB (files rewritten: \(rewritten.sorted().joined(separator: ", ")); catalog \(written / 1024) KB)",
        swift: median(times), python: median(pythonTimes), target: "< 50 ms"))
    try? FileManager.default.removeItem(atPath: path)
}

// MARK: Parquet: 10 million rows

if wanted("parquet") {
    report("Parquet, 10 million rows…")
    let folder = freshFolder("parquet")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let me = CommandLine.arguments[0]
    func child(_ mode: String, _ file: String) -> (seconds: Double, peak: Int) {
        let parts = run(me, ["--child", mode, file]).split(separator: " ")
        return (Double(parts.first ?? "") ?? .nan, Int(parts.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0)
    }
    // Swift writes the data once; pyarrow reads it and writes its own files from it, so
    // both sides work on identical values.
    // Runs alternate between the two sides, so drifts in the machine's speed hit both.
    var swiftDictionary = [(seconds: Double, peak: Int)]()
    var swiftPlain = [(seconds: Double, peak: Int)]()
    var swiftParallel = [(seconds: Double, peak: Int)]()
    var pyarrow = [Substring]()
    for _ in 0..<3 {
        swiftDictionary.append(child("parquet-write", folder + "/swift.parquet"))
        swiftPlain.append(child("parquet-write-plain", folder + "/swift-plain.parquet"))
        swiftParallel.append(child("parquet-write-parallel", folder + "/swift-parallel.parquet"))
        pyarrow += run(options.python, ["-c", #"""
import sys, time
import pyarrow as pa, pyarrow.parquet as pq
folder = sys.argv[1]
table = pq.read_table(folder + "/swift.parquet")
table = pa.table({name: table.column(name).combine_chunks() for name in table.column_names})
t = time.perf_counter(); pq.write_table(table, folder + "/pyarrow.parquet"); print("write", time.perf_counter() - t)
t = time.perf_counter(); pq.write_table(table, folder + "/pyarrow-plain.parquet", use_dictionary=False); print("plain", time.perf_counter() - t)
print("bytes", table.nbytes)
"""#, folder]).split(separator: "\n")
    }
    func pythonTimes(_ label: String) -> [Double] {
        pyarrow.filter { $0.hasPrefix(label + " ") }.compactMap { Double($0.split(separator: " ").last ?? "") }
    }
    let tableBytes = Int(pythonTimes("bytes").first ?? 0)
    // Reads alternate between the two sides, so drifts in the machine's speed hit both.
    var swiftRead = [(seconds: Double, peak: Int)]()
    var pyarrowRead = [Double]()
    for _ in 0..<5 {
        swiftRead.append(child("parquet-read", folder + "/pyarrow.parquet"))
        pyarrowRead += python(#"""
import sys, time
import pyarrow.parquet as pq
t = time.perf_counter(); table = pq.read_table(sys.argv[1], use_threads=False); print(time.perf_counter() - t)
"""#, [folder + "/pyarrow.parquet"])
    }
    let mb = Double(tableBytes) / 1e6
    let readNote = String(format: "Swift %.0f MB/s, pyarrow %.0f MB/s; peak memory %.0f MB (%.2f× the %.0f MB table)",
                          mb / median(swiftRead.map(\.seconds)), mb / median(pyarrowRead),
                          Double(swiftRead.map(\.peak).max() ?? 0) / 1e6, Double(swiftRead.map(\.peak).max() ?? 0) / Double(max(tableBytes, 1)), mb)
    rows.append(Row(name: "read a 10M-row Parquet file written by pyarrow (single thread; \(readNote))",
                    swift: median(swiftRead.map(\.seconds)), python: median(pyarrowRead), target: "≥ 1×"))
    rows.append(Row(name: "write it, dictionary + Snappy, single thread (vs pyarrow default; peak \(String(format: "%.0f", Double(swiftDictionary.map(\.peak).max() ?? 0) / 1e6)) MB)",
                    swift: median(swiftDictionary.map(\.seconds)), python: median(pythonTimes("write")), target: "≥ 2×"))
    rows.append(Row(name: "write it, dictionary + Snappy, columns on 2 threads (the library default)",
                    swift: median(swiftParallel.map(\.seconds)), python: median(pythonTimes("write")), target: "≥ 2×"))
    rows.append(Row(name: "write it, dictionary off, single thread (vs pyarrow `use_dictionary=False`)",
                    swift: median(swiftPlain.map(\.seconds)), python: median(pythonTimes("plain")), target: "≥ 1×"))
    try? FileManager.default.removeItem(atPath: folder)
}

// MARK: Parquet: 5 million rows of nested lists of structs

if wanted("nested") {
    report("Parquet, nested, 5 million rows…")
    let folder = freshFolder("nested")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let me = CommandLine.arguments[0]
    func child(_ file: String) -> (seconds: Double, peak: Int) {
        let parts = run(me, ["--child", "parquet-read", file]).split(separator: " ")
        return (Double(parts.first ?? "") ?? .nan, Int(parts.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0)
    }
    // Swift generates the data once (in a child, so this process stays small: a child's
    // peak memory counts the parent it was forked from); pyarrow rewrites it with its
    // defaults, and both sides read pyarrow's file.
    run(me, ["--child", "parquet-write-nested", folder + "/swift.parquet"])
    let written = run(options.python, ["-c", #"""
import sys
import pyarrow as pa, pyarrow.parquet as pq
table = pq.read_table(sys.argv[1] + "/swift.parquet")
table = pa.table({name: table.column(name).combine_chunks() for name in table.column_names})
pq.write_table(table, sys.argv[1] + "/pyarrow.parquet")
print(table.nbytes, len(table.column("events").combine_chunks().flatten()))
"""#, folder]).split(separator: " ")
    let tableBytes = Int(written.first ?? "") ?? 0
    let elements = Int(written.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    var swiftRead = [(seconds: Double, peak: Int)]()
    var pyarrowRead = [Double]()
    for _ in 0..<options.runs {
        swiftRead.append(child(folder + "/pyarrow.parquet"))
        pyarrowRead += python(#"""
import sys, time
import pyarrow.parquet as pq
t = time.perf_counter(); table = pq.read_table(sys.argv[1], use_threads=False); print(time.perf_counter() - t)
"""#, [folder + "/pyarrow.parquet"])
    }
    let peak = Double(swiftRead.map(\.peak).max() ?? 0)
    let note = String(format: "%.1fM list elements; peak memory %.0f MB (%.2f× the %.0f MB table)",
                      Double(elements) / 1e6, peak / 1e6, peak / Double(max(tableBytes, 1)), Double(tableBytes) / 1e6)
    rows.append(Row(name: "read a 5M-row Parquet file with a `list<struct<int64, string>>` column written by pyarrow (single thread; \(note))",
                    swift: median(swiftRead.map(\.seconds)), python: median(pyarrowRead), target: "≥ 1×"))
    try? FileManager.default.removeItem(atPath: folder)
}

// MARK: Tables at any size: CSV import and exports

// `--only tables-import --table-rows 250000000` imports a CSV of any size (about 85 bytes a
// row) with Swift alone, to show that the peak does not grow with the file.
let tablesImportOnly = options.only.contains("tables-import")
if wanted("tables") || tablesImportOnly {
    let folder = freshFolder("tables")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let csv = folder + "/big.csv"
    report("tables: generating a \(options.tableRows)-row CSV…")
    try TableBenchmarks.generateCSV(rows: options.tableRows, to: csv)
    let csvBytes = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
    let me = CommandLine.arguments[0]
    let runs = max(1, min(options.runs, 3))
    func mb(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
    func best(_ results: [(seconds: Double, peak: Int)]) -> (seconds: Double, peak: Int) {
        (median(results.map(\.seconds)), results.map(\.peak).max() ?? 0)
    }
    func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
    let python = options.python
    let sizeLabel = "\(options.tableRows / 1_000_000)M rows, \(mb(csvBytes))"

    if tablesImportOnly {
        report("tables: import…")
        let result = TableBenchmarks.measure(me, ["--child", "csv-import", csv, folder + "/swift.parquet"])
        rows.append(Row(
            name: "import a \(sizeLabel) CSV to Parquet, streaming (peak \(mb(result.peak)), \(String(format: "%.0f", Double(csvBytes) / 1e6 / result.seconds)) MB/s)",
            swift: result.seconds, python: .nan, target: "peak ≤ 256 MB"))
    }
    if !tablesImportOnly {
        report("tables: import…")
        var swiftImport: [(seconds: Double, peak: Int)] = []
        var pyarrowImport: [(seconds: Double, peak: Int)] = []
        var swiftCPU: [Double] = []
        var pyarrowCPU: [Double] = []
        for run in 0..<runs {
            remove(folder + "/swift.parquet")
            let swiftRun = TableBenchmarks.measureWithCPU(me, ["--child", "csv-import", csv, folder + "/swift.parquet"])
            swiftImport.append((swiftRun.seconds, swiftRun.peak))
            swiftCPU.append(swiftRun.cpu)
            remove(folder + "/py-\(run).parquet")
            let pyarrowRun = TableBenchmarks.measureWithCPU(python, ["-c", TableBenchmarks.pyarrowImport, csv, folder + "/py-\(run).parquet"])
            pyarrowImport.append((pyarrowRun.seconds, pyarrowRun.peak))
            pyarrowCPU.append(pyarrowRun.cpu)
            remove(folder + "/py-\(run).parquet")
        }
        let pandasRead = best((0..<max(1, runs - 1)).map { _ in TableBenchmarks.measure(python, ["-c", TableBenchmarks.pandasRead, csv]) })
        // Python datafolio 2.3.0's own `add` (it streams with pyarrow), with its own home folder.
        let pythonCLI = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("datafolio").path
        let pythonHome = folder + "/py-home"
        try FileManager.default.createDirectory(atPath: pythonHome, withIntermediateDirectories: true)
        var pythonAdd: [(seconds: Double, peak: Int)] = []
        var pythonAddCPU: [Double] = []
        for run in 0..<max(1, runs - 1) {
            let target = folder + "/py-folio-\(run)"
            _ = TableBenchmarks.measure(pythonCLI, ["init", target], environment: ["HOME": pythonHome])
            let added = TableBenchmarks.measureWithCPU(pythonCLI, ["add", "--to", target, csv, "-n", "big"], environment: ["HOME": pythonHome])
            pythonAdd.append((added.seconds, added.peak))
            pythonAddCPU.append(added.cpu)
            remove(target)
        }
        let swift = best(swiftImport)
        let pyarrow = best(pyarrowImport)
        let pythonAddBest = best(pythonAdd)
        rows.append(Row(
            name: "import a \(sizeLabel) CSV to Parquet, streaming, types from the whole file vs pyarrow's streaming reader and writer (peak: Swift \(mb(swift.peak)), pyarrow \(mb(pyarrow.peak)); CPU: Swift \(String(format: "%.2f", median(swiftCPU))) s, pyarrow \(String(format: "%.2f", median(pyarrowCPU))) s)",
            swift: swift.seconds, python: pyarrow.seconds, target: "peak ≤ 256 MB"))
        rows.append(Row(
            name: "the same import vs Python datafolio 2.3.0 `add big.csv` (its peak \(mb(pythonAddBest.peak)), its CPU \(String(format: "%.2f", median(pythonAddCPU))) s)",
            swift: swift.seconds, python: pythonAddBest.seconds, target: "≥ 1×"))
        rows.append(Row(
            name: "the same import vs pandas `read_csv` alone (its peak \(mb(pandasRead.peak)))",
            swift: swift.seconds, python: pandasRead.seconds, target: "—"))

        report("tables: the command line's add and head…")
        let parquet = folder + "/swift.parquet"
        let folio = folder + "/folio"
        _ = TableBenchmarks.measure(cli, ["init", folio])
        var cliAdd: [(seconds: Double, peak: Int)] = []
        for _ in 0..<runs {
            cliAdd.append(TableBenchmarks.measure(cli, ["-f", folio, "add", csv, "--name", "big", "--overwrite", "--quiet"]))
        }
        let cliAddBest = best(cliAdd)
        rows.append(Row(
            name: "`datafolio add big.csv` (\(sizeLabel); peak: Swift \(mb(cliAddBest.peak)), Python \(mb(pythonAddBest.peak)))",
            swift: cliAddBest.seconds, python: pythonAddBest.seconds, target: "≥ 1×, peak ≤ 256 MB"))
        let head = best((0..<max(runs, 3)).map { _ in TableBenchmarks.measure(cli, ["-f", folio, "head", "big", "-n", "5"]) })
        rows.append(Row(
            name: "`datafolio head big -n 5` (peak \(mb(head.peak)))", swift: head.seconds, python: .nan, target: "< 0.3 s, peak < 64 MB"))

        report("tables: exports…")
        var exports: [String: [(seconds: Double, peak: Int)]] = [:]
        for _ in 0..<runs {
            for (mode, file) in [("export-csv", "out.csv"), ("export-json", "out.json"), ("export-jsonl", "out.jsonl")] {
                remove(folder + "/" + file)
                exports[mode, default: []].append(TableBenchmarks.measure(me, ["--child", mode, parquet, folder + "/" + file]))
            }
            remove(folder + "/out.parquet")
            exports["export-parquet", default: []].append(
                TableBenchmarks.measure(me, ["--child", "export-parquet", parquet, folder + "/out.parquet", "id,value,when", "count > 90000"]))
            for file in ["cli.csv", "cli.json"] {
                remove(folder + "/" + file)
                exports["cli-" + file, default: []].append(
                    TableBenchmarks.measure(cli, ["-f", folio, "export", "big", "--to", folder + "/" + file, "--quiet"]))
            }
            remove(folder + "/py.csv")
            exports["pyarrow-csv", default: []].append(TableBenchmarks.measure(python, ["-c", TableBenchmarks.pyarrowExportCSV, parquet, folder + "/py.csv"]))
        }
        func size(_ file: String) -> String { mb((try? FileManager.default.attributesOfItem(atPath: folder + "/" + file)[.size] as? Int) ?? 0) }
        let csvOut = best(exports["export-csv"] ?? []), cliCSV = best(exports["cli-cli.csv"] ?? [])
        let jsonOut = best(exports["export-json"] ?? []), cliJSON = best(exports["cli-cli.json"] ?? [])
        let jsonl = best(exports["export-jsonl"] ?? []), projected = best(exports["export-parquet"] ?? [])
        let pyarrowCSV = best(exports["pyarrow-csv"] ?? [])
        rows.append(Row(
            name: "export that table to CSV (\(size("out.csv"))) in the library (peak \(mb(csvOut.peak))) vs `datafolio export` (peak \(mb(cliCSV.peak)))",
            swift: csvOut.seconds, python: cliCSV.seconds, target: "peak ≤ 256 MB"))
        rows.append(Row(
            name: "the same CSV export vs pyarrow's streaming CSV writer (its peak \(mb(pyarrowCSV.peak)))",
            swift: csvOut.seconds, python: pyarrowCSV.seconds, target: "—"))
        rows.append(Row(
            name: "export it to JSON (\(size("out.json"))) in the library (peak \(mb(jsonOut.peak))) vs `datafolio export` (peak \(mb(cliJSON.peak)))",
            swift: jsonOut.seconds, python: cliJSON.seconds, target: "≥ 3×, peak ≤ 256 MB"))
        rows.append(Row(
            name: "export it to JSON Lines (\(size("out.jsonl")); peak \(mb(jsonl.peak))) vs `datafolio export` to JSON",
            swift: jsonl.seconds, python: cliJSON.seconds, target: "—"))
        rows.append(Row(
            name: "export 3 columns of the rows with count > 90000 to Parquet (peak \(mb(projected.peak))) vs `datafolio export` to CSV",
            swift: projected.seconds, python: cliCSV.seconds, target: "—"))
    }
    remove(folder)
}

// MARK: find across 100 registered folios of 100 items

if wanted("find") {
    report("find across 100 folios × 100 items…")
    let root = freshFolder("find")
    let home = root + "/home"
    let registry = FolioRegistry(home: home)
    for f in 0..<100 {
        let folio = try DataFolio(at: root + "/folio\(f)")
        try folio.batch { folio in
            for i in 0..<100 {
                // Every fifth item has no description (the case that crashes Python's CLI).
                try folio.add("run\(f)/item\(i)", ["i": .int(Int64(i))], description: i % 5 == 0 ? nil : "value \(i) of folio \(f)")
            }
        }
        try registry.setAlias("folio\(f)", to: folio.location)
    }
    var search = FolioSearch("*item1*")
    search.registry = registry
    var swiftTimes = [Double]()
    var matches = 0
    for _ in 0..<options.runs {
        swiftTimes.append(try seconds { matches = try search.run().items.count })
    }
    precondition(matches == 100 * 11, "expected 1,100 matches, found \(matches)")
    setenv("DATAFOLIO_HOME", home, 1)
    var cliTimes = [Double]()
    for _ in 0..<options.runs { cliTimes.append(timeProcess(cli, ["find", "*item1*"])) }
    let pythonAPI = python(#"""
import sys, time
import datafolio
for run in range(int(sys.argv[1])):
    t = time.perf_counter()
    df = datafolio.find("*item1*")
    assert len(df) == 1100, len(df)
    print(time.perf_counter() - t)
"""#, [String(options.runs)])
    rows.append(Row(name: "`find` across 100 registered folios × 100 items (library, vs `datafolio.find`)", swift: median(swiftTimes), python: median(pythonAPI), target: "< 1 s"))
    rows.append(Row(name: "the same as a whole `datafolio find` process (vs the Python library call)", swift: median(cliTimes), python: median(pythonAPI), target: "< 1 s"))
    unsetenv("DATAFOLIO_HOME")
    try? FileManager.default.removeItem(atPath: root)
}

// MARK: Remote folios on a local S3 server

#if canImport(DataFolioS3)
try RemoteBenchmarks.runAll(only: wanted, runs: options.runs)
#endif

// MARK: Growth with the number of items: whole command-line processes on 1,000 to 100,000 items

// Printed after the main table, ready for the README.
var growthTable: [String] = []
if wanted("scale") {
    let scale = try ScaleBenchmarks.run(sizes: options.scaleSizes, runs: options.runs, cli: cli, python: options.python)
    rows += scale.rows
    growthTable = scale.growthTable
}

// MARK: Output

func format(_ seconds: Double) -> String {
    if seconds < 0.001 { return String(format: "%.0f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.1f ms", seconds * 1e3) }
    return String(format: "%.2f s", seconds)
}

print("| Work | Swift | Python | Python ÷ Swift | Target |")
print("| --- | ---: | ---: | ---: | --- |")
for row in rows {
    let ratio = row.python.isNaN ? "—" : String(format: "%.1f×", row.python / row.swift)
    print("| \(row.name) | \(format(row.swift)) | \(row.python.isNaN ? "—" : format(row.python)) | \(ratio) | \(row.target) |")
}
if !growthTable.isEmpty {
    print("")
    growthTable.forEach { print($0) }
}
