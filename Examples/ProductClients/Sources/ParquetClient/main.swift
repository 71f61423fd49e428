import DataFolioParquet
import Foundation

// A table through Parquet bytes in memory, and an error the caller can match on.
do {
    let table = try Table([
        Column(name: "id", [1, 2, 3] as [Int64]),
        Column(name: "city", strings: ["Oslo", "Lima", "Pune"]),
    ])
    let bytes = try table.parquetData()
    let back = try Table(parquetData: bytes, columns: ["city"])
    guard back.columnNames == ["city"], back.rowCount == 3 else {
        print("ParquetClient: the column read back differs")
        exit(1)
    }
    do {
        _ = try Table(parquetData: Array(bytes.prefix(10)))
        print("ParquetClient: a truncated file was accepted")
        exit(1)
    } catch let error as DataFolioError {
        guard error.code == .corruptData || error.code == .truncatedData else {
            print("ParquetClient: unexpected error \(error.code)")
            exit(1)
        }
    }
    print("ParquetClient: ok (\(bytes.count) bytes)")
} catch {
    print("ParquetClient: \(error.localizedDescription)")
    exit(1)
}
