import DataFolio
import Foundation

let temp = NSTemporaryDirectory() + "bench-\(UUID().uuidString)"
let folio = try DataFolio(at: temp)
let start = Date()
for i in 0..<1000 {
    try folio.add("v\(i)", ["i": .int(Int64(i)), "x": [1.5, 2.5], "name": "value"])
}
print("1000 adds: \(Date().timeIntervalSince(start)) s")
