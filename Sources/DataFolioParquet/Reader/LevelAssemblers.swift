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
    /// The definition levels of one page's slots.
    private var slotLevels: [UInt8] = []

    init(slotDefinition: Int, slotRepetition: Int, definition: Int) {
        self.slotDefinition = UInt8(truncatingIfNeeded: slotDefinition)
        self.slotRepetition = UInt8(truncatingIfNeeded: slotRepetition)
        self.definition = UInt8(truncatingIfNeeded: definition)
    }

    func consume(repetition: UnsafePointer<UInt8>?, definition levels: UnsafePointer<UInt8>, count: Int) throws(DataFolioError) {
        if repetition == nil && slotDefinition == 0 {
            // Outside any list every entry is a slot (a row).
            validity.append(levels: levels, count: count, minimum: definition)
            slotCount += count
            return
        }
        if slotLevels.count < max(count, 1) { slotLevels = [UInt8](repeating: 0, count: max(count, 1)) }
        let minimum = slotDefinition
        let deepest = slotRepetition
        let slots = slotLevels.withUnsafeMutableBufferPointer { out -> Int in
            guard let base = out.baseAddress else { return 0 }
            var slots = 0
            // Branch-free: write every level, keep it only when it is a slot.
            if let repetition {
                for i in 0..<count {
                    let d = levels[i]
                    base[slots] = d
                    slots &+= d >= minimum && repetition[i] <= deepest ? 1 : 0
                }
            } else {
                for i in 0..<count {
                    let d = levels[i]
                    base[slots] = d
                    slots &+= d >= minimum ? 1 : 0
                }
            }
            return slots
        }
        slotLevels.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            validity.append(levels: base, count: slots, minimum: definition)
        }
        slotCount += slots
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
    /// The definition levels of one page's slots.
    private var slotLevels: [UInt8] = []
    let columnName: String

    init(node: NestedNode, columnName: String, capacity: Int) {
        slotDefinition = UInt8(truncatingIfNeeded: node.slotDefinition)
        slotRepetition = UInt8(truncatingIfNeeded: node.slotRepetition)
        definition = UInt8(truncatingIfNeeded: node.definition)
        elementDefinition = UInt8(truncatingIfNeeded: node.elementDefinition)
        repetition = UInt8(truncatingIfNeeded: node.repetition)
        self.columnName = columnName
        // A guess from the file's counts: never more than this machine could hold.
        offsets.reserveCapacity(min(max(capacity, 0), ReadLimits.maximumBufferBytes / 16) + 1)
    }

    var slotCount: Int { offsets.count }

    /// The finished offsets (one more than the slots), moved out without a copy.
    func takeOffsets() -> [Int64] {
        var finished = offsets
        offsets = []
        finished.append(elementCount)
        return finished
    }

    func consume(repetition levels: UnsafePointer<UInt8>?, definition: UnsafePointer<UInt8>, count: Int) throws(DataFolioError) {
        guard let levels else {
            throw DataFolioError.corrupt("Parquet", "column '\(columnName)': a list column has no repetition levels")
        }
        let listRepetition = repetition
        let slotDefinition = self.slotDefinition
        let element = elementDefinition
        if slotLevels.count < max(count, 1) { slotLevels = [UInt8](repeating: 0, count: max(count, 1)) }
        // Work on local copies: class properties would be checked for exclusive access
        // at every append.
        // Runs of levels are cheap to store, so a small file can describe huge lists: stop
        // before the offsets outgrow the machine. (No reserveCapacity per page: it would
        // grow the array to the exact size each time.)
        try ReadLimits.checkAffordable(self.offsets.count + count, stride: MemoryLayout<Int64>.stride)
        var offsets = self.offsets
        self.offsets = []
        var open = self.open
        var elements = elementCount
        var failure: Int?
        let slots = slotLevels.withUnsafeMutableBufferPointer { out -> Int in
            guard let slotBase = out.baseAddress else { return 0 }
            var slots = 0
            for i in 0..<count {
                let r = levels[i]
                let d = definition[i]
                if r < listRepetition {
                    // An entry of a null or empty enclosing list has no slot here.
                    if d >= slotDefinition {
                        offsets.append(elements)
                        slotBase[slots] = d
                        slots += 1
                        open = d >= element
                        elements &+= open ? 1 : 0
                    } else {
                        open = false
                    }
                } else if open && d >= element {
                    // At the list's level a new element; deeper, the same element goes on.
                    elements &+= r == listRepetition ? 1 : 0
                } else {
                    failure = i
                    break
                }
            }
            return slots
        }
        self.offsets = offsets
        self.open = open
        elementCount = elements
        slotLevels.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            validity.append(levels: base, count: slots, minimum: self.definition)
        }
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
            // Wrapping adds without a branch, so the count vectorizes.
            for i in 0..<count { starts &+= repetition[i] == 0 ? 1 : 0 }
            rows += starts
        }
        guard let definition else {
            // No definition levels (all of them zero): every entry is a slot holding a value.
            if !consumers.isEmpty {
                let zeros = [UInt8](repeating: 0, count: max(count, 1))
                try zeros.withUnsafeBufferPointer { (buffer) throws(DataFolioError) in
                    guard let base = buffer.baseAddress else { return }
                    for consumer in consumers {
                        try consumer.consume(repetition: repetition, definition: base, count: count)
                    }
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
            for i in 0..<count { present &+= definition[i] == maxDefinition ? 1 : 0 }
            try sink.appendPage(
                values, encoding: encoding, slots: count, valueCount: present, levels: present == count ? nil : definition,
                threshold: maxDefinition)
            return
        }
        // Inside a list: only entries where an element exists are slots of the leaf.
        if slotLevels.count < max(count, 1) { slotLevels = [UInt8](repeating: 0, count: max(count, 1)) }
        let minimum = slotDefinition
        let (slots, present) = slotLevels.withUnsafeMutableBufferPointer { out -> (Int, Int) in
            guard let base = out.baseAddress else { return (0, 0) }
            var slots = 0
            var present = 0
            for i in 0..<count {
                // Branch-free: write every level, keep it only when it is a slot.
                let d = definition[i]
                base[slots] = d
                slots &+= d >= minimum ? 1 : 0
                present &+= d == maxDefinition ? 1 : 0
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
