#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolio
import Foundation

/// The 10-million-row table of the Parquet benchmark: int64, double, a string with 1,000
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
