import DataFolioSupport
import DataFolioTable

/// Something that rebuilds part of a nested column from the repetition and definition
/// levels of one of its leaves, page by page.
protocol LevelConsumer: AnyObject {
    /// Consumes `count` entries; `repetition` is `nil` when every repetition level is zero.
    func consume(repetition: UnsafePointer<UInt8>?, definition: UnsafePointer<UInt8>, count: Int) throws(DataFolioError)
}

/// Rebuilds the validity of a nullable struct: one slot per entry at the struct's level,
/// valid when the definition level reaches the struct.
final class StructAssembler: LevelConsumer {
    let slotDefinition: UInt8
    let slotRepetition: UInt8
    let definition: UInt8
    private(set) var validity = ValidityBuilder()
    private(set) var slotCount = 0

    init(slotDefinition: Int, slotRepetition: Int, definition: Int) {
        self.slotDefinition = UInt8(truncatingIfNeeded: slotDefinition)
        self.slotRepetition = UInt8(truncatingIfNeeded: slotRepetition)
        self.definition = UInt8(truncatingIfNeeded: definition)
    }

    func consume(repetition: UnsafePointer<UInt8>?, definition levels: UnsafePointer<UInt8>, count: Int) throws(DataFolioError) {
        guard let repetition else {
            // Outside any list every entry is a slot (a row).
            if slotDefinition == 0 {
                validity.append(levels: levels, count: count, minimum: definition)
                slotCount += count
                return
            }
            for i in 0..<count where levels[i] >= slotDefinition {
                validity.append(levels[i] >= definition)
                slotCount += 1
            }
            return
        }
        for i in 0..<count where repetition[i] <= slotRepetition && levels[i] >= slotDefinition {
            validity.append(levels[i] >= definition)
            slotCount += 1
        }
    }
}

/// Rebuilds the offsets and validity of a list (or map) from the levels of one of its leaves.
///
/// An entry whose repetition level is below the list's starts one of the list's slots
/// (when the enclosing element exists); an entry at the list's repetition level adds an
/// element to the current slot; deeper entries continue the current element.
final class ListAssembler: LevelConsumer {
    let slotDefinition: UInt8
    let slotRepetition: UInt8
    let definition: UInt8
    let elementDefinition: UInt8
    let repetition: UInt8
    private(set) var offsets: [Int64] = []
    private(set) var validity = ValidityBuilder()
    private(set) var elementCount: Int64 = 0
    /// Whether the current slot holds at least one element, so more may follow.
    private var open = false
    let columnName: String

    init(node: NestedNode, columnName: String, capacity: Int) {
        slotDefinition = UInt8(truncatingIfNeeded: node.slotDefinition)
        slotRepetition = UInt8(truncatingIfNeeded: node.slotRepetition)
        definition = UInt8(truncatingIfNeeded: node.definition)
        elementDefinition = UInt8(truncatingIfNeeded: node.elementDefinition)
        repetition = UInt8(truncatingIfNeeded: node.repetition)
        self.columnName = columnName
        offsets.reserveCapacity(capacity + 1)
    }

    var slotCount: Int { offsets.count }

    func consume(repetition levels: UnsafePointer<UInt8>?, definition: UnsafePointer<UInt8>, count: Int) throws(DataFolioError) {
        guard let levels else {
            throw DataFolioError.corrupt("Parquet", "column '\(columnName)': a list column has no repetition levels")
        }
        let listRepetition = repetition
        let slotDefinition = self.slotDefinition
        let nonNull = self.definition
        let element = elementDefinition
        var failure: Int?
        var open = self.open
        var elements = elementCount
        for i in 0..<count {
            let r = levels[i]
            let d = definition[i]
            if r < listRepetition {
                if r <= slotRepetition && d >= slotDefinition {
                    offsets.append(elements)
                    validity.append(d >= nonNull)
                    open = d >= element
                    if open { elements += 1 }
                } else {
                    // An entry of a null or empty enclosing list: no slot here.
                    open = false
                }
            } else if r == listRepetition {
                guard open, d >= element else {
                    failure = i
                    break
                }
                elements += 1
            } else if !open || d < element {
                failure = i
                break
            }
        }
        self.open = open
        elementCount = elements
        if let failure {
            throw DataFolioError.corrupt(
                "Parquet",
                "column '\(columnName)': level entry \(failure) (repetition \(levels[failure]), definition \(definition[failure])) continues a list that is null, empty or not started")
        }
    }
}

/// One leaf column being read: its sink, where its slots are, and the assemblers fed by
/// its levels.
final class LeafPlan {
    let leaf: LeafColumn
    /// The name of the table column it belongs to, for messages.
    let columnName: String
    let sink: LeafSink
    /// Entries at or above this definition level are slots of the leaf's column.
    let slotDefinition: UInt8
    var consumers: [LevelConsumer] = []
    /// Rows seen (entries with repetition level 0) in a leaf with repetition.
    private(set) var rows = 0
    /// The definition levels of the leaf's slots, for leaves inside lists.
    private var slotLevels: [UInt8] = []

    init(leaf: LeafColumn, columnName: String, sink: LeafSink, slotDefinition: Int) {
        self.leaf = leaf
        self.columnName = columnName
        self.sink = sink
        self.slotDefinition = UInt8(truncatingIfNeeded: slotDefinition)
    }

    /// Rows decoded so far.
    var rowCount: Int { leaf.maxRepetitionLevel > 0 ? rows : sink.slotCount }

    /// Takes one page: checks its levels, feeds the assemblers, and hands the values with
    /// their slot layout to the sink.
    func deliver(
        _ values: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, repetition: UnsafePointer<UInt8>?,
        definition: UnsafePointer<UInt8>?, chunkStart: Bool
    ) throws(DataFolioError) {
        let maxDefinition = UInt8(truncatingIfNeeded: leaf.maxDefinitionLevel)
        if let repetition, count > 0 {
            if chunkStart && repetition[0] != 0 {
                throw DataFolioError.corrupt(
                    "Parquet", "column '\(columnName)': a column chunk starts in the middle of a row (repetition level \(repetition[0]))")
            }
            var starts = 0
            for i in 0..<count where repetition[i] == 0 { starts += 1 }
            rows += starts
        }
        guard let definition else {
            // No definition levels: every entry is a slot holding a value.
            for consumer in consumers {
                try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { (zeros) throws(DataFolioError) in
                    guard let base = zeros.baseAddress else { return }
                    base.initialize(repeating: 0, count: max(count, 1))
                    try consumer.consume(repetition: repetition, definition: base, count: count)
                }
            }
            try sink.appendPage(values, encoding: encoding, slots: count, valueCount: count, levels: nil, threshold: 0)
            return
        }
        for consumer in consumers {
            try consumer.consume(repetition: repetition, definition: definition, count: count)
        }
        if slotDefinition == 0 {
            var present = 0
            for i in 0..<count where definition[i] == maxDefinition { present += 1 }
            try sink.appendPage(
                values, encoding: encoding, slots: count, valueCount: present, levels: present == count ? nil : definition,
                threshold: maxDefinition)
            return
        }
        // Inside a list: only entries where an element exists are slots of the leaf.
        if slotLevels.count < max(count, 1) { slotLevels = [UInt8](repeating: 0, count: max(count, 1)) }
        let minimum = slotDefinition
        let (slots, present) = slotLevels.withUnsafeMutableBufferPointer { out -> (Int, Int) in
            var slots = 0
            var present = 0
            for i in 0..<count {
                let d = definition[i]
                if d >= minimum {
                    out[slots] = d
                    slots += 1
                    if d == maxDefinition { present += 1 }
                }
            }
            return (slots, present)
        }
        try slotLevels.withUnsafeBufferPointer { (buffer) throws(DataFolioError) in
            guard let base = buffer.baseAddress else { return }
            try sink.appendPage(
                values, encoding: encoding, slots: slots, valueCount: present, levels: present == slots ? nil : base,
                threshold: maxDefinition)
        }
    }
}
