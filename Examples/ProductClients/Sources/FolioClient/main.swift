import DataFolio
import Foundation

// A folio in a temporary folder: a table, an array and JSON in, the same values out.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-client-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }
do {
    let folio = try DataFolio(at: folder.path)
    let table = try Table([Column(name: "id", [1, 2, 3] as [Int64])])
    try folio.add("table", table)
    try folio.add("array", try NDArray(shape: [2], [1.5, 2.5] as [Double]), inputs: ["table"])
    try folio.add("config", json: ["lr": 0.01])
    guard try folio.get("table", as: Table.self) == table,
          try folio.get("array", as: NDArray.self).values(as: Double.self) == [1.5, 2.5],
          try folio.item("array").inputs == ["table"]
    else {
        print("FolioClient: the values read back differ from those written")
        exit(1)
    }
    print("FolioClient: ok (\(folio.itemNames.count) items)")
} catch {
    print("FolioClient: \(error.localizedDescription)")
    exit(1)
}
