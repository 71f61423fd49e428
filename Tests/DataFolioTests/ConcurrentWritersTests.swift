import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Several processes writing one folio", .serialized)
struct ConcurrentWritersTests {
    static let pythonWriter = #"""
import sys, os, time
from datafolio import DataFolio
from datafolio.folio import ConcurrentWriteError
f = DataFolio(sys.argv[1])
barrier = sys.argv[3]
open(os.path.join(barrier, "ready-py"), "w").close()
while not os.path.exists(os.path.join(barrier, "go")):
    time.sleep(0.001)
conflicts = 0
for i in range(int(sys.argv[2])):
    while True:
        try:
            f.add(f"py{i}", {"writer": "py", "index": i})
            break
        except ConcurrentWriteError:
            conflicts += 1
            f.refresh()
print(f"py: {sys.argv[2]} items, {conflicts} conflicts")
"""#

    @Test(.interop) func swiftAndPythonWritersLoseNothing() throws {
        let temp = TemporaryFolder("concurrent")
        let path = temp.path("folio")
        _ = try DataFolio(at: path)
        let writer = try BuiltProducts.executable("DataFolioTestWriter")
        // Under a sanitizer (`DATAFOLIO_SANITIZER`, set by .ci/sanitizers) each instrumented
        // commit is many times slower, so the writers add 20 items each there.
        let perWriter = ProcessInfo.processInfo.environment["DATAFOLIO_SANITIZER"] == nil ? 60 : 20
        let barrier = temp.path("barrier")
        try FileManager.default.createDirectory(atPath: barrier, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["DATAFOLIO_TEST_BARRIER"] = barrier
        var processes = [Process]()
        for prefix in ["a", "b", "c"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: writer)
            process.arguments = [path, prefix, String(perWriter)]
            process.environment = environment
            try process.run()
            processes.append(process)
        }
        let python = try #require(InteropPython.executable)
        let pythonProcess = Process()
        pythonProcess.executableURL = URL(fileURLWithPath: python)
        pythonProcess.arguments = ["-c", Self.pythonWriter, path, String(perWriter), barrier]
        try pythonProcess.run()
        processes.append(pythonProcess)
        // Release every writer at once, so their commits really interleave.
        let deadline = Date().addingTimeInterval(120)
        while (try FileManager.default.contentsOfDirectory(atPath: barrier)).count < 4 && Date() < deadline {
            usleep(10_000)
        }
        _ = FileManager.default.createFile(atPath: barrier + "/go", contents: nil)
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let folio = try DataFolio(at: path)
        let expected = Set(["a", "b", "c", "py"].flatMap { prefix in (0..<perWriter).map { "\(prefix)\($0)" } })
        #expect(Set(folio.itemNames) == expected)
        #expect(folio.revision == 1 + expected.count)
        #expect(folio.validate().isValid)
        let files = try FileManager.default.contentsOfDirectory(atPath: path + "/artifacts")
        #expect(files.count == expected.count, "no orphan or missing payloads")
        let check = #"""
import sys
from datafolio import DataFolio
f = DataFolio(sys.argv[1])
assert all(f.validate().values())
print(len(f.list_contents()["json_data"]))
"""#
        let output = try InteropPython.run(check, arguments: [path])
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(expected.count))
    }

    @Test func tasksSharingOneInstanceAndTasksWithInstancesOfTheirOwn() async throws {
        let temp = TemporaryFolder("threads")
        let path = temp.path("folio")
        let shared = try DataFolio(at: path)
        // Tasks share one instance: its writes are serialized, none conflict.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0..<15 { try shared.add("t\(task)-\(index)", json: index) }
                }
            }
            try await group.waitForAll()
        }
        #expect(shared.itemNames.count == 60)
        #expect(shared.revision == 61)
        #expect(await shared.validate().isValid)

        // Each task opens the folio itself: the instances race for the writer lock and
        // rebase on each other's commits, and still none conflict.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    let own = try await DataFolio.open(at: path)
                    for index in 0..<15 { try await own.add("own\(task)-\(index)", json: index) }
                }
            }
            try await group.waitForAll()
        }
        try await shared.refresh()
        #expect(shared.itemNames.count == 120)
        #expect(shared.revision == 121)
        #expect(await shared.validate().isValid)
    }
}
