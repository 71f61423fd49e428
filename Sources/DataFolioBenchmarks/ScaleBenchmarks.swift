import DataFolio
import DataFolioTable
import Foundation

/// How whole `datafolio` processes grow with the size of the folio: `list`, `describe`,
/// `show`, `lineage`, a one-item `add` and `snapshot create` on folios of 1,000 to 100,000
/// mixed items (three snapshots, some retained versions), beside Python datafolio 2.3.0's
/// command line on the same folio.
enum ScaleBenchmarks {
    /// One command at one size: Swift's median time and largest peak, Python's median time
    /// (nan when Python was not run) and largest peak.
    struct Measurement {
        var command: String
        var size: Int
        var swift: Double
        var swiftPeak: Int
        var python: Double
        var pythonPeak: Int
    }

    struct Result {
        var measurements: [Measurement] = []
        /// `items.json` bytes per size, as generated (before the timed commands grew it).
        var catalogBytes: [Int: Int] = [:]
        /// The runner's resident size when it spawned the commands: the least a peak can read.
        var floor = 0
    }

    /// The commands, in the order of the growth table.
    static let commands = ["list", "describe", "show", "lineage", "add", "snapshot create"]

    /// Items per commit while generating: large enough that commits do not dominate, small
    /// enough that one batch's staged changes stay a few megabytes.
    static let batchSize = 5_000

    static func itemName(_ index: Int) -> String { "item\(index)" }

    /// 30% of the items name one or two earlier items as inputs, at most 2,000 back, so the
    /// lineage graph has long chains as well as fan-in.
    static func inputs(of index: Int) -> [String] {
        guard index > 1, [3, 7, 9].contains(index % 10) else { return [] }
        let first = index - 1 - (index &* 7919) % min(index, 2_000)
        guard index % 30 == 3 else { return [itemName(first)] }
        let second = index - 1 - (index &* 104_729) % min(index, 2_000)
        return second == first ? [itemName(first)] : [itemName(first), itemName(second)]
    }

    /// Kinds by `index % 20`: 70% small JSON values, 10% small arrays, 5% tables of a few
    /// rows, 5% timestamps, 5% plain files and 5% referenced tables (remote, so nothing
    /// reads them).
    static func add(_ index: Int, to folio: DataFolio, file: URL, revision: Int = 0) throws {
        let name = itemName(index)
        let description = "item \(index) of the scale benchmark" + (revision > 0 ? ", revision \(revision)" : "")
        let inputs = inputs(of: index)
        let overwrite = revision > 0
        switch index % 20 {
        case 0..<14:
            let value: JSONValue = [
                "index": .int(Int64(index)), "score": .double(Double(index % 997) / 997), "label": .string("run-\(index % 50)"),
                "revision": .int(Int64(revision)), "tags": ["scale", "benchmark"],
            ]
            try folio.add(name, value, description: description, inputs: inputs, overwrite: overwrite)
        case 14, 15:
            try folio.add(name, NDArray((0..<16).map { Float(($0 + index) % 97) }), description: description, inputs: inputs, overwrite: overwrite)
        case 16:
            let table = try Table([
                Column(name: "step", [Int64(0), 1, 2, 3]),
                Column(name: "loss", [0.9, 0.5, 0.3, 0.25 + Double(index % 7) / 100]),
            ])
            try folio.add(name, table, description: description, inputs: inputs, overwrite: overwrite)
        case 17:
            try folio.add(name, Date(timeIntervalSince1970: 1_700_000_000 + Double(index)), description: description, inputs: inputs, overwrite: overwrite)
        case 18:
            try folio.add(name, file: file, description: description, inputs: inputs, overwrite: overwrite)
        default:
            try folio.add(
                name, reference: "s3://scale-benchmark/raw/part-\(index).parquet", rowCount: 1_000 + index, description: description,
                inputs: inputs, overwrite: overwrite)
        }
    }

    /// Generates a folio of `count` items at `path` with snapshots after each third; before
    /// the second and third snapshots a few JSON items of the earlier thirds are replaced,
    /// so the snapshots retain old versions as a long-lived folio's do.
    static func generate(at path: String, count: Int, file: URL) throws {
        let folio = try DataFolio(at: path)
        var next = 0
        // Progress on long generations, with the last batch's time: how an add's cost grows
        // with the catalog shows here first.
        let start = DispatchTime.now().uptimeNanoseconds
        var lastReport = start
        for (third, end) in [count / 3, 2 * count / 3, count].enumerated() {
            if third > 0 {
                // Multiples of 40 are JSON items (40 ≡ 0 mod 20).
                let replaced = Array(stride(from: 0, to: next, by: 40).prefix(25))
                try folio.batch { folio in
                    for index in replaced { try add(index, to: folio, file: file, revision: third) }
                }
            }
            while next < end {
                let range = next..<min(end, next + batchSize)
                let batchTime = try seconds {
                    try folio.batch { folio in
                        for index in range { try add(index, to: folio, file: file) }
                    }
                }
                next = range.upperBound
                let now = DispatchTime.now().uptimeNanoseconds
                if now - lastReport > 15_000_000_000 {
                    lastReport = now
                    report(String(
                        format: "scale: %@ of %@ items in %.0f s (the last %@ in %.1f s)", grouped(next), grouped(count),
                        Double(now - start) / 1e9, grouped(range.count), batchTime))
                }
            }
            try folio.createSnapshot("scale-\(third + 1)", description: "after \(next) items", capture: [])
        }
    }

    /// Child mode `scale-generate FOLIO COUNT FILE`: generates the folio in its own process,
    /// so the runner stays small (a child's peak memory cannot read below the runner's size).
    /// Prints `seconds peak-bytes`; returns false for other modes.
    static func runChild(_ mode: String, _ arguments: [String]) throws -> Bool {
        guard mode == "scale-generate", arguments.count == 3, let count = Int(arguments[1]) else { return false }
        let elapsed = try seconds { try generate(at: arguments[0], count: count, file: URL(fileURLWithPath: arguments[2])) }
        print(elapsed, ParquetBenchmarkData.peakMemory())
        return true
    }

    /// Runs the section for each size; `python` is the interpreter of the virtual
    /// environment whose `datafolio` command is compared.
    static func run(sizes: [Int], runs: Int, cli: String, python: String) throws -> Result {
        var result = Result()
        let pythonCLI = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("datafolio").path
        // Python is slow on large folios, and its figure only needs to be roughly right.
        let pythonRuns = max(1, min(3, runs))
        for size in sizes {
            let root = freshFolder("scale-\(size)")
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: root) }
            // Both command lines record the folios they open in the registry; keep that
            // out of the user's.
            let environment = ["DATAFOLIO_HOME": root + "/home"]
            // `snapshot create` warns about every referenced table, thousands of names.
            let errors = root + "/stderr.txt"
            let file = URL(fileURLWithPath: root + "/note.txt")
            try Data("a small plain file\n".utf8).write(to: file)
            let addSource = root + "/add.json"
            try Data(#"{"accuracy": 0.93, "epochs": 12, "labels": ["cat", "dog"]}"#.utf8).write(to: URL(fileURLWithPath: addSource))
            let path = root + "/folio"

            report("scale: generating \(grouped(size)) items…")
            TableBenchmarks.resetPeakMemory()
            let generated = runProcess(CommandLine.arguments[0], ["--child", "scale-generate", path, String(size), file.path])
                .split(separator: " ")
            let generation = Double(generated.first ?? "") ?? .nan
            let generationPeak = Int(generated.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            let catalogBytes = (try? FileManager.default.attributesOfItem(atPath: path + "/items.json")[.size] as? Int) ?? 0
            result.catalogBytes[size] = catalogBytes
            result.floor = max(result.floor, TableBenchmarks.currentMemory())
            report(String(
                format: "scale: generated %@ items in %.2f s (peak %@; items.json %@); the runner holds %@", grouped(size), generation,
                megabytes(generationPeak), megabytes(catalogBytes), megabytes(TableBenchmarks.currentMemory())))

            // A middle item that has inputs, so `show` also finds its lineage both ways.
            let shown = itemName(((size / 2)..<size).first { !inputs(of: $0).isEmpty } ?? size / 2)
            for command in commands {
                report("scale: \(grouped(size)) items, \(command)…")
                var swift: [(seconds: Double, peak: Int)] = []
                var pythonResults: [(seconds: Double, peak: Int)] = []
                for run in 0..<runs {
                    let swiftArguments = swiftArguments(command, run: run, folio: path, item: shown, addSource: addSource)
                    swift.append(TableBenchmarks.measure(cli, swiftArguments, environment: environment, standardError: errors))
                    if run < pythonRuns {
                        let (executable, arguments) = pythonInvocation(
                            command, run: run, folio: path, item: shown, addSource: addSource, python: python, pythonCLI: pythonCLI)
                        pythonResults.append(TableBenchmarks.measure(executable, arguments, environment: environment, standardError: errors))
                    }
                }
                result.measurements.append(Measurement(
                    command: command, size: size,
                    swift: median(swift.map(\.seconds)), swiftPeak: swift.map(\.peak).max() ?? 0,
                    python: median(pythonResults.map(\.seconds)), pythonPeak: pythonResults.map(\.peak).max() ?? 0))
            }
        }
        return result
    }

    static func swiftArguments(_ command: String, run: Int, folio: String, item: String, addSource: String) -> [String] {
        switch command {
        case "list", "describe": return ["-f", folio, command]
        case "show": return ["-f", folio, "show", item]
        // Swift's `lineage` draws the whole graph; it takes no item.
        case "lineage": return ["-f", folio, "lineage"]
        case "add": return ["-f", folio, "add", addSource, "--name", "bench_add_swift_\(run)"]
        // Without git: the benchmark runs inside this repository, whose state is not the folio's.
        default: return ["-f", folio, "snapshot", "create", "bench-swift-\(run)", "--no-git"]
        }
    }

    /// Python's command line has `describe`, `add` and `snapshot create` but no `list`,
    /// `show` or `lineage`; for those, a whole `python -c` process does the same with the
    /// library (see ``pythonNotes``).
    static func pythonInvocation(
        _ command: String, run: Int, folio: String, item: String, addSource: String, python: String, pythonCLI: String
    ) -> (executable: String, arguments: [String]) {
        switch command {
        case "describe": return (pythonCLI, ["-f", folio, "describe"])
        case "add": return (pythonCLI, ["-f", folio, "add", addSource, "--name", "bench_add_python_\(run)"])
        case "snapshot create": return (pythonCLI, ["-f", folio, "snapshot", "create", "bench-python-\(run)", "--no-git"])
        case "list": return (python, ["-c", pythonList, folio])
        case "show": return (python, ["-c", pythonShow, folio, item])
        default: return (python, ["-c", pythonLineage, folio])
        }
    }

    static let pythonNotes = [
        "list": "Python has no `list` command: `python -c` printing `list_contents()`",
        "show": "Python has no `show`: `python -c` printing `item_info`, `get_inputs`, `get_dependents`",
        "lineage": "Python has no `lineage` command: `python -c` printing `get_lineage_graph()` inside `pinned()`",
    ]

    static let pythonList = #"""
        import sys
        from datafolio import DataFolio
        for kind, names in DataFolio(sys.argv[1]).list_contents().items():
            for name in names:
                print(name, kind)
        """#

    static let pythonShow = #"""
        import sys
        from datafolio import DataFolio
        folio = DataFolio(sys.argv[1])
        print(folio.item_info(sys.argv[2]))
        print(folio.get_inputs(sys.argv[2]), folio.get_dependents(sys.argv[2]))
        """#

    static let pythonLineage = #"""
        import sys
        from datafolio import DataFolio
        folio = DataFolio(sys.argv[1])
        # Without the pin, every item's lookup rechecks the catalog on disk (quadratic).
        with folio.pinned():
            for name, inputs in folio.get_lineage_graph().items():
                print(name, inputs)
        """#
}

extension ScaleBenchmarks.Result {
    /// The main table's rows: one per command and size.
    var rows: [Row] {
        measurements.map { measurement in
            let command = measurement.command == "show" ? "show NAME" : measurement.command
            var details = ["whole process", "peak: Swift \(megabytes(measurement.swiftPeak))"]
            if !measurement.python.isNaN { details[1] += ", Python \(megabytes(measurement.pythonPeak))" }
            if let note = ScaleBenchmarks.pythonNotes[measurement.command] { details.append(note) }
            return Row(
                name: "`\(command)`, \(grouped(measurement.size)) items (\(details.joined(separator: "; ")))",
                swift: measurement.swift, python: measurement.python, target: target(measurement))
        }
    }

    func target(_ measurement: ScaleBenchmarks.Measurement) -> String {
        switch measurement.size {
        case 20_000: return "< 100 ms"
        case 100_000: return measurement.command == "snapshot create" ? "< 150 ms" : "< 400 ms"
        default: return "—"
        }
    }

    /// A Markdown table for the README: Swift's time per command and size, its peak memory,
    /// and the catalog's size.
    var growthTable: [String] {
        let sizes = Set(measurements.map(\.size)).sorted()
        guard let smallest = sizes.first, let largest = sizes.last else { return [] }
        var byKey: [String: ScaleBenchmarks.Measurement] = [:]
        for measurement in measurements { byKey["\(measurement.command) \(measurement.size)"] = measurement }
        var lines = [
            (smallest == largest ? "Swift at \(grouped(largest)) items" : "Growth from \(grouped(smallest)) to \(grouped(largest)) items")
                + " (Swift, whole process)",
            "",
            "| Command | " + sizes.map { "\(grouped($0)) items" }.joined(separator: " | ") + " | "
                + sizes.map { "peak, \(grouped($0))" }.joined(separator: " | ") + " |",
            "| --- |" + String(repeating: " ---: |", count: sizes.count * 2),
        ]
        for command in ScaleBenchmarks.commands {
            let found = sizes.map { byKey["\(command) \($0)"] }
            let times = found.map { $0.map { format($0.swift) } ?? "—" }
            let peaks = found.map { $0.map { megabytes($0.swiftPeak) } ?? "—" }
            lines.append("| `\(command == "show" ? "show NAME" : command)` | " + (times + peaks).joined(separator: " | ") + " |")
        }
        let catalog = sizes.map { catalogBytes[$0].map(megabytes) ?? "—" }
        lines.append("| catalog (`items.json`) | " + (catalog + sizes.map { _ in "" }).joined(separator: " | ") + " |")
        if floor > 0 {
            lines += ["", "Peaks are the processes' maximum resident memory; on Linux none can read below the runner's own \(megabytes(floor))."]
        }
        return lines
    }
}

func megabytes(_ bytes: Int) -> String {
    bytes < 10_000_000 ? String(format: "%.1f MB", Double(bytes) / 1e6) : String(format: "%.0f MB", Double(bytes) / 1e6)
}

/// `100000` as `100,000`, whatever the locale.
func grouped(_ number: Int) -> String {
    var digits = String(number.magnitude)
    var groups: [Substring] = []
    while digits.count > 3 {
        groups.insert(digits.suffix(3), at: 0)
        digits.removeLast(3)
    }
    groups.insert(Substring(digits), at: 0)
    return (number < 0 ? "-" : "") + groups.joined(separator: ",")
}
