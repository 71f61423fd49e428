#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolio
import Foundation

/// The tables of the Parquet benchmarks. The 10-million-row table of the flat benchmark: int64, double, a string with 1,000
/// distinct values, bool and a timestamp, generated deterministically.
enum ParquetBenchmarkData {
    static let rows = 10_000_000

    static func table(rows: Int) throws -> Table {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var ints = [Int64](repeating: 0, count: rows)
        var doubles = [Double](repeating: 0, count: rows)
        var bools = [Bool](repeating: false, count: rows)
        var times = [Int64](repeating: 0, count: rows)
        var offsets = [Int64](repeating: 0, count: rows + 1)
        var bytes = [UInt8]()
        bytes.reserveCapacity(rows * 9)
        let words = (0..<1000).map { Array("city-\($0)".utf8) }
        for i in 0..<rows {
            let r = next()
            ints[i] = Int64(bitPattern: r)
            doubles[i] = Double(r >> 11) * 0x1p-53 * 1000
            bools[i] = r & 1 == 1
            times[i] = 1_700_000_000_000_000 + Int64(i) * 1_000
            bytes.append(contentsOf: words[Int(r % 1000)])
            offsets[i + 1] = Int64(bytes.count)
        }
        return try Table([
                Column(name: "id", type: .int64, count: rows, data: .int64(ints), validity: nil),
                Column(name: "value", type: .float64, count: rows, data: .float64(doubles), validity: nil),
                Column(name: "city", type: .string, count: rows, data: .bytes(offsets: offsets, values: bytes), validity: nil),
                Column(name: "flag", type: .bool, count: rows, data: .bool(bools), validity: nil),
                Column(name: "time", type: .timestamp(.microsecond, timeZone: nil), count: rows, data: .int64(times), validity: nil),
            ])
    }

    static let nestedRows = 5_000_000

    /// The 5-million-row table of the nested Parquet benchmark: an int64 id and a
    /// `list<struct<id: int64, name: string>>` column of 0 to 4 events per row (a tenth of
    /// the lists null), names drawn from 1,000 values, generated deterministically.
    static func nestedTable(rows: Int) throws -> Table {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var ids = [Int64](repeating: 0, count: rows)
        var offsets = [Int64](repeating: 0, count: rows + 1)
        var listValid = [Bool](repeating: true, count: rows)
        var eventIDs: [Int64] = []
        var nameOffsets: [Int64] = [0]
        var names: [UInt8] = []
        eventIDs.reserveCapacity(rows * 2)
        nameOffsets.reserveCapacity(rows * 2 + 1)
        names.reserveCapacity(rows * 2 * 9)
        let words = (0..<1000).map { Array("name-\($0)".utf8) }
        for i in 0..<rows {
            let r = next()
            ids[i] = Int64(i)
            if r % 10 == 0 {
                listValid[i] = false
            } else {
                for j in 0..<Int((r >> 8) % 5) {
                    eventIDs.append(Int64(bitPattern: r >> 16) &+ Int64(j))
                    names.append(contentsOf: words[Int((r >> 24 &+ UInt64(j) &* 7) % 1000)])
                    nameOffsets.append(Int64(names.count))
                }
            }
            offsets[i + 1] = Int64(eventIDs.count)
        }
        let count = eventIDs.count
        let event = try Column(
            name: "element", type: .struct([.init("id", .int64), .init("name", .string)]), count: count,
            data: .struct([
                try Column(name: "id", type: .int64, count: count, data: .int64(eventIDs), validity: nil),
                try Column(name: "name", type: .string, count: count, data: .bytes(offsets: nameOffsets, values: names), validity: nil),
            ]), validity: nil)
        return try Table([
            Column(name: "id", type: .int64, count: rows, data: .int64(ids), validity: nil),
            Column(name: "events", type: .list(event.type), count: rows, data: .list(offsets: offsets, values: event), validity: Bitmap(listValid)),
        ])
    }

    /// The process's peak resident memory in bytes.
    static func peakMemory() -> Int {
        var usage = rusage()
        selfUsage(&usage)
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    private static func selfUsage(_ usage: inout rusage) {
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #endif
    }
}
