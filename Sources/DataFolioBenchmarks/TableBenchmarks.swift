#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolio
import DataFolioArrow
import DataFolioTable
import Foundation

/// The tables-at-any-size benchmark: a CSV like a user's export (ids, doubles, integers,
/// text, timestamps, booleans, a mostly empty column), imported to Parquet and exported
/// back as CSV, JSON and JSON Lines, each in a child process so its peak memory is its own.
enum TableBenchmarks {
    /// Writes a CSV of `rows` rows (about 85 bytes each) to `path`, deterministically.
    static func generateCSV(rows: Int, to path: String) throws {
        var state: UInt64 = 0x5DEE_CE66_D1CE_4E5B
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let columns: [TableSchema.Field] = [
            .init(name: "id", type: .int64), .init(name: "value", type: .float64), .init(name: "count", type: .int64),
            .init(name: "city", type: .string), .init(name: "when", type: .timestamp(.microsecond, timeZone: nil)),
            .init(name: "flag", type: .bool), .init(name: "note", type: .string),
        ]
        let writer = try CSVTableWriter(path: path, schema: TableSchema(columns))
        let batch = 100_000
        let start: Int64 = 1_704_067_200_000_000
        let towns = ["Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Kristiansand", "Drammen", "Bodø"]
        var written = 0
        while written < rows {
            let count = min(batch, rows - written)
            var ids = [Int64](), values = [Double](), counts = [Int64](), cities = [String?](), times = [Int64](), flags = [Bool](), notes = [String?]()
            for k in 0..<count {
                let i = written + k
                let r = next()
                ids.append(Int64(i))
                values.append(Double(r >> 11) * 0x1p-53 * 1000)
                counts.append(Int64(r % 10_000_000) - 1000)
                cities.append(towns[Int((r >> 20) % 8)] + "-\(r % 100)")
                times.append(start + Int64(i) * 7_000_000 + Int64(r % 1_000_000))
                flags.append(r & 1 == 1)
                notes.append(r % 10 < 5 ? nil : "n\(r % 10_000)")
            }
            try writer.write(try Table([
                Column(name: "id", ids), Column(name: "value", values), Column(name: "count", counts),
                Column(name: "city", strings: cities), Column(name: "when", timestamps: times.map { Optional($0) }, unit: .microsecond),
                Column(name: "flag", flags), Column(name: "note", strings: notes),
            ]))
            written += count
        }
        try writer.finish()
    }

    /// Runs a child mode; returns false when `mode` is not one of these.
    static func runChild(_ mode: String, _ arguments: [String]) throws -> Bool {
        let begin = DispatchTime.now().uptimeNanoseconds
        switch mode {
        case "generate-csv":
            try generateCSV(rows: Int(arguments[0]) ?? 0, to: arguments[1])
        case "csv-import":
            // Parsing the next batch overlaps with encoding the current one.
            var batches = PrefetchingBatchReader(try CSVReader(path: arguments[0]))
            try batches.copy(to: try ParquetWriter(path: arguments[1]))
        case "export-csv":
            var groups = PrefetchingBatchReader(try ParquetReader(path: arguments[0]).rowGroupTables())
            try groups.copy(to: try CSVTableWriter(path: arguments[1], schema: groups.schema))
        case "export-json", "export-jsonl":
            var groups = PrefetchingBatchReader(try ParquetReader(path: arguments[0]).rowGroupTables())
            let format: JSONTableFormat = mode == "export-json" ? .array : .lines
            try groups.copy(to: try JSONTableWriter(path: arguments[1], schema: groups.schema, format: format))
        case "export-parquet":
            let filter = arguments.count > 3 ? try TableRowFilter(arguments[3]) : nil
            let scan = try ParquetReader(path: arguments[0]).scan(columns: arguments[2].split(separator: ",").map(String.init), where: filter)
            var batches = PrefetchingBatchReader(scan)
            try batches.copy(to: try ParquetWriter(path: arguments[1]))
        default:
            return false
        }
        print(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9, ParquetBenchmarkData.peakMemory())
        return true
    }

    /// Runs a process to completion with its output discarded; returns its wall time and
    /// peak resident memory, or exits when it fails.
    /// `standardError`, when given, is a file that collects the child's standard error (shown
    /// if it fails), for commands whose warnings would flood the terminal.
    static func measure(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], standardError: String? = nil
    ) -> (seconds: Double, peak: Int) {
        let result = measureWithCPU(executable, arguments, environment: environment, standardError: standardError)
        return (result.seconds, result.peak)
    }

    /// Like ``measure(_:_:environment:standardError:)``, also returning the child's CPU time (user and
    /// system, all threads), which a busy machine disturbs less than wall time.
    static func measureWithCPU(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], standardError: String? = nil
    ) -> (seconds: Double, peak: Int, cpu: Double) {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let standardError {
            posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        resetPeakMemory()
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
            FileHandle.standardError.write(Data("cannot run \(executable)\n".utf8))
            exit(1)
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else {
            if let standardError, let message = FileManager.default.contents(atPath: standardError) {
                FileHandle.standardError.write(message)
            }
            FileHandle.standardError.write(Data("\(executable) \(arguments.prefix(3)) failed with status \(status)\n".utf8))
            exit(1)
        }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        #if canImport(Darwin)
        return (seconds, Int(usage.ru_maxrss), cpu)
        #else
        return (seconds, Int(usage.ru_maxrss) * 1024, cpu)
        #endif
    }

    /// On Linux a child's `ru_maxrss` starts at its parent's high-water mark: the exec
    /// records the peak of the address space it leaves, which posix_spawn shares with the
    /// parent. This runner once held the 256 MiB array or a generated folio, so every later
    /// child would report at least that. Resetting the mark to the runner's current size
    /// (clear_refs, Linux 4.0) leaves only that size as the floor of a child's figure.
    static func resetPeakMemory() {
        #if os(Linux)
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = write(fd, "5", 1)
        close(fd)
        #endif
    }

    /// The runner's resident memory now: the least a child's peak can read as (Linux; 0
    /// elsewhere, where children do not inherit it).
    static func currentMemory() -> Int {
        #if os(Linux)
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }

    /// pyarrow's streaming CSV reader into a Parquet writer, as Python datafolio's import does.
    static let pyarrowImport = #"""
        import sys
        import pyarrow.csv as csv, pyarrow.parquet as pq
        reader = csv.open_csv(sys.argv[1])
        with pq.ParquetWriter(sys.argv[2], reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
        """#

    static let pandasRead = #"""
        import sys
        import pandas as pd
        df = pd.read_csv(sys.argv[1])
        assert len(df) > 0
        """#

    static let pyarrowExportCSV = #"""
        import sys
        import pyarrow.parquet as pq, pyarrow.csv as csv
        f = pq.ParquetFile(sys.argv[1])
        with csv.CSVWriter(sys.argv[2], f.schema_arrow) as writer:
            for batch in f.iter_batches():
                writer.write_batch(batch)
        """#
}
