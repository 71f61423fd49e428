import DataFolioTestSupport
import Foundation

/// Runs a Python script over lines of input written to a temporary file and returns
/// the lines it prints; used to compare batches of values with orjson in one process.
enum PythonJSON {
    static func run(_ script: String, lines: [String]) throws -> [String] {
        let folder = TemporaryFolder("json")
        let input = folder.path("input.txt")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        let output = try InteropPython.run(script, arguments: [input])
        var result = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// The UTF-8 bytes of `text` as lowercase hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// Bytes from lowercase hex.
    static func bytes(hex text: String) -> [UInt8] {
        var bytes = [UInt8]()
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(nibble(high) << 4 | nibble(low)))
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        c >= 0x61 ? c - 0x61 + 10 : c - 0x30
    }
}
