import DataFolioZip
import Foundation

// An archive written in memory and read back.
do {
    let writer = ZipWriter()
    try writer.addEntry(named: "hello.txt", contents: Array("hello, folio".utf8))
    let archive = try ZipArchive(bytes: try writer.finish())
    guard try archive.contents(named: "hello.txt") == Array("hello, folio".utf8) else {
        print("ZipClient: the entry read back differs")
        exit(1)
    }
    print("ZipClient: ok")
} catch {
    print("ZipClient: \(error.localizedDescription)")
    exit(1)
}
