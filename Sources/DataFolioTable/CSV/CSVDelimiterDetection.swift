/// Picks the delimiter of a CSV text among `,` `;` tab and `|` from its first lines.
enum CSVDelimiterDetection {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The delimiter that splits the first line into the most fields and the following
    /// lines into as many (quoted text does not count); `,` when none appears.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, isFinal: Bool) -> UInt8 {
        let limit = min(bytes.count, start + (256 << 10))
        var counts: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineHasContent = false
        var i = start
        while i < limit && counts.count < 100 {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                lineHasContent = true
            } else if !inQuotes && (byte == 10 || byte == 13) {
                if lineHasContent { counts.append(current) }
                current = [Int](repeating: 0, count: candidates.count)
                lineHasContent = false
            } else if !inQuotes, let index = candidates.firstIndex(of: byte) {
                current[index] += 1
                // A line of only blanks is skipped by the reader, so it says nothing.
                if byte != 9 { lineHasContent = true }
            } else if byte != 32 && byte != 9 {
                lineHasContent = true
            }
            i += 1
        }
        // A last line without a line break counts only when it is the end of the input.
        if lineHasContent && !inQuotes && i >= bytes.count && isFinal { counts.append(current) }
        guard let header = counts.first else { return candidates[0] }
        var best: (index: Int, agreeing: Int, fields: Int)?
        for index in candidates.indices where header[index] > 0 {
            let agreeing = counts.dropFirst().filter { $0[index] == header[index] }.count
            if let current = best, (current.agreeing, current.fields) >= (agreeing, header[index]) { continue }
            best = (index, agreeing, header[index])
        }
        return best.map { candidates[$0.index] } ?? candidates[0]
    }
}
