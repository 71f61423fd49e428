// A process that adds items to a folio in a loop while other processes do the same;
// used by the concurrency tests. Usage: DataFolioTestWriter FOLIO PREFIX COUNT
// (FOLIO may be an s3:// location; S3 settings come from the environment).
import DataFolio
#if canImport(DataFolioS3)
import DataFolioS3
#endif
import Foundation

func addWithRetries(_ folio: DataFolio, name: String, value: JSONValue) throws -> Int {
    var conflicts = 0
    while true {
        do {
            try folio.add(name, value)
            return conflicts
        } catch {
            guard error.code == .concurrentWrite, conflicts < 10_000 else { throw error }
            conflicts += 1
            try folio.refresh()
        }
    }
}

func run() throws {
    #if canImport(DataFolioS3)
    RemoteStorage.register()
    #endif
    let arguments = CommandLine.arguments
    guard arguments.count == 4, let count = Int(arguments[3]) else {
        FileHandle.standardError.write(Data("usage: DataFolioTestWriter FOLIO PREFIX COUNT\n".utf8))
        exit(2)
    }
    let folio = try DataFolio(at: arguments[1], options: .doNotCreate)
    // Start together with the other writers: announce readiness, wait for "go".
    if let barrier = ProcessInfo.processInfo.environment["DATAFOLIO_TEST_BARRIER"] {
        _ = FileManager.default.createFile(atPath: barrier + "/ready-" + arguments[2], contents: nil)
        while !FileManager.default.fileExists(atPath: barrier + "/go") { usleep(1000) }
    }
    var conflicts = 0
    for index in 0..<count {
        conflicts += try addWithRetries(
            folio, name: "\(arguments[2])\(index)", value: ["writer": .string(arguments[2]), "index": .int(Int64(index))])
    }
    print("\(arguments[2]): \(count) items, \(conflicts) conflicts")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
