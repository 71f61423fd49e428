import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Many command-line writers, snapshots, deletes, garbage collection and a Python
/// writer on one folio at once: every command succeeds and nothing is lost.
@Suite("Concurrent command-line writers", .serialized)
struct ConcurrentCLITests {
    static let writers = 8
    /// Under a sanitizer (`.ci/sanitizers` sets `DATAFOLIO_SANITIZER`) every start of the
    /// instrumented command costs a second or more, and the races a sanitizer sees are
    /// those inside one process, so each writer adds 8 items there; the main run adds 50.
    static let addsPerWriter = ProcessInfo.processInfo.environment["DATAFOLIO_SANITIZER"] == nil ? 50 : 8
    static let pythonAdds = 25

    /// One shell loop: `datafolio add` `addsPerWriter` times, printing FAIL and the error for any failure.
    static func writerScript(cli: String, folio: String, source: String, prefix: String) -> String {
        """
        for i in $(seq 1 \(addsPerWriter)); do
          error=$("\(cli)" -f "\(folio)" add "\(source)" --name "\(prefix)-$i" --description "writer \(prefix)" 2>&1 >/dev/null) || echo "FAIL add \(prefix)-$i: $error"
        done
        """
    }

    /// Snapshots, deletes of scratch items and garbage collection, interleaved with the writers.
    static func maintenanceScript(cli: String, folio: String, source: String) -> String {
        """
        for i in $(seq 1 10); do
          error=$("\(cli)" -f "\(folio)" add "\(source)" --name "scratch-$i" 2>&1 >/dev/null) || echo "FAIL scratch $i: $error"
          error=$("\(cli)" -f "\(folio)" snapshot create "s$i" --no-git 2>&1 >/dev/null) || echo "FAIL snapshot $i: $error"
          error=$("\(cli)" -f "\(folio)" delete "scratch-$i" --yes 2>&1 >/dev/null) || echo "FAIL delete $i: $error"
          error=$("\(cli)" -f "\(folio)" snapshot gc 2>&1 >/dev/null) || echo "FAIL gc $i: $error"
        done
        """
    }

    static let pythonWriter = #"""
import sys
from datafolio import DataFolio
from datafolio.folio import ConcurrentWriteError
path, count = sys.argv[1], int(sys.argv[2])
retries = 0
for i in range(count):
    while True:
        try:
            DataFolio(path).add(f"py-{i}", {"writer": "py", "index": i})
            break
        except ConcurrentWriteError:
            retries += 1
print(retries)
"""#

    @Test(.interop) func everyCommandSucceedsAndNothingIsLost() throws {
        let temp = TemporaryFolder("cli-concurrent")
        let path = temp.path("f")
        _ = try DataFolio(at: path)
        let source = temp.path("value.json")
        try Data(#"{"x": 1}"#.utf8).write(to: URL(fileURLWithPath: source))
        let cli = try BuiltProducts.executable("datafolio")
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATAFOLIO_PATH")
        // The commands remember the folio they use; never in the real home folder.
        environment["DATAFOLIO_HOME"] = CLI.scratchHome.path

        var processes = [(Process, Pipe)]()
        func start(_ executable: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            processes.append((process, output))
        }
        for writer in 0..<Self.writers {
            try start("/bin/sh", ["-c", Self.writerScript(cli: cli, folio: path, source: source, prefix: "w\(writer)")])
        }
        try start("/bin/sh", ["-c", Self.maintenanceScript(cli: cli, folio: path, source: source)])
        try start(try #require(InteropPython.executable), ["-c", Self.pythonWriter, path, String(Self.pythonAdds)])

        var failures = [String]()
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            failures += text.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.map(String.init)
        }
        #expect(failures.isEmpty, "failed commands: \(failures)")

        let folio = try DataFolio(at: path, options: .readOnly)
        let written = Set((0..<Self.writers).flatMap { writer in (1...Self.addsPerWriter).map { "w\(writer)-\($0)" } })
            .union((0..<Self.pythonAdds).map { "py-\($0)" })
        #expect(Set(folio.itemNames) == written, "exactly the written items remain")
        #expect(folio.snapshots.count == 10)
        #expect(folio.validate().isValid)
        #expect(try CLI.run(["-f", path, "validate"]).status == 0)
        let check = #"""
import sys
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
assert all(f.validate().values())
print(len(f.list_contents()["json_data"]))
"""#
        let output = try InteropPython.run(check, arguments: [path])
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(written.count))
    }
}
