import DataFolioSupport
import DataFolioTable

/// Rebuilds list offsets and list validity from repetition and definition levels, and
/// picks out the element slots for the element column.
final class ListAssembler {
    let listDefinedLevel: UInt8
    let elementLevel: UInt8
    private var offsets: [Int64] = []
    private var validity = ValidityBuilder()
    private var elementCount: Int64 = 0
    private(set) var rowCount = 0
    private var elementLevels: [UInt8] = []

    init(listDefinedLevel: Int, elementLevel: Int, capacity: Int) {
        self.listDefinedLevel = UInt8(truncatingIfNeeded: listDefinedLevel)
        self.elementLevel = UInt8(truncatingIfNeeded: elementLevel)
        offsets.reserveCapacity(capacity + 1)
    }

    /// Consumes the levels of one page and passes the definition levels of its element
    /// slots, and how many there are, to `body`.
    func consume(
        repetition: UnsafePointer<UInt8>, definition: UnsafePointer<UInt8>, count: Int,
        _ body: (UnsafePointer<UInt8>, Int) throws(DataFolioError) -> Void
    ) throws(DataFolioError) {
        if elementLevels.count < max(count, 1) { elementLevels = [UInt8](repeating: 0, count: max(count, 1)) }
        var slots = 0
        var failure = false
        elementLevels.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                let def = definition[i]
                if repetition[i] == 0 {
                    offsets.append(elementCount)
                    rowCount += 1
                    validity.append(def >= listDefinedLevel)
                } else if rowCount == 0 {
                    failure = true
                    return
                }
                if def >= elementLevel {
                    out[slots] = def
                    slots += 1
                    elementCount += 1
                }
            }
        }
        if failure {
            throw DataFolioError.corrupt("Parquet", "a list column continues a row before any row started")
        }
        try elementLevels.withUnsafeBufferPointer { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            try body(base, slots)
        }
    }

    /// The list column around `elements`.
    func finish(name: String, elements: Column) throws(DataFolioError) -> Column {
        var finalOffsets = offsets
        finalOffsets.append(elementCount)
        return try Column(
            name: name, type: .list(elements.type), count: rowCount,
            data: .list(offsets: finalOffsets, values: elements), validity: try validity.bitmap())
    }
}
