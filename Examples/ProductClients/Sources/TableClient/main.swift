import DataFolioTable
import Foundation

struct Reading: Codable, Equatable {
    var sensor: String
    var value: Double
}

// Codable rows → table → CSV → table → rows.
do {
    let readings = [Reading(sensor: "a", value: 1.5), Reading(sensor: "b", value: -2)]
    let table = try Table(rows: readings)
    let csv = try table.csvText()
    let back = try Table(csvText: csv)
    guard try back.rows(as: Reading.self) == readings else {
        print("TableClient: rows differ after a CSV round trip")
        exit(1)
    }
    print("TableClient: ok (\(back.rowCount) rows)")
} catch {
    print("TableClient: \(error.localizedDescription)")
    exit(1)
}
