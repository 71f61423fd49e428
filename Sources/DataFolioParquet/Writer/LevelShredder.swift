import DataFolioSupport
import DataFolioTable

/// One leaf of a nested column for a run of rows: its repetition and definition levels,
/// and the values to encode.
struct ShreddedLeaf {
    /// One repetition level per entry; empty when the leaf is in no list.
    var repetition: [UInt8]
    /// One definition level per entry.
    var definition: [UInt8]
    /// Entries at or above this definition level are slots of the leaf's values.
    var slotDefinition: Int
    /// The leaf's slots, in entry order; a slot holds a value exactly when it is valid.
    var slice: LeafSlice
}

/// Turns a nested column into the levels of one of its leaves (Dremel shredding), node by
/// node: each step maps the entries that are still open to the slots of the next node.
enum LevelShredder {
    static func shred(
        _ column: Column, shape: WriteShape, leaf: WriterLeaf, rows: Range<Int>, columnName: String
    ) throws(DataFolioError) -> ShreddedLeaf {
        var index = Array(rows)
        var repetition = [UInt8](repeating: 0, count: rows.count)
        var definition = [UInt8](repeating: 0, count: rows.count)
        // Open entries still descend; closed ones have their final definition level.
        var open = [Bool](repeating: true, count: rows.count)
        // Whether a null struct closed entries below the innermost list (their slots exist
        // in the leaf but hold no value, whatever the leaf says).
        var closedByStruct = false
        var slotDefinition = 0
        var current = column
        var node = shape
        var step = 0

        func notNullable(_ what: String) -> DataFolioError {
            DataFolioError(
                .invalidArgument,
                "Parquet: column '\(columnName)' holds a null \(what) where its type allows none (\(column.type.arrowName)).")
        }

        while true {
            switch node {
            case .leaf(let level, let nullable):
                let full = UInt8(truncatingIfNeeded: level)
                let validity = current.validity
                for k in 0..<index.count where open[k] {
                    if let validity, !validity[index[k]] {
                        guard nullable else { throw notNullable("value") }
                        definition[k] = full &- 1
                    } else {
                        definition[k] = full
                    }
                }
                let slice = try slots(
                    of: current, index: index, definition: definition, present: full, checkPresence: closedByStruct)
                return ShreddedLeaf(
                    repetition: leaf.maxRepetitionLevel > 0 ? repetition : [], definition: definition,
                    slotDefinition: slotDefinition, slice: slice)
            case .struct(let children, let level, let nullable):
                if let validity = current.validity {
                    let closed = UInt8(truncatingIfNeeded: level - 1)
                    for k in 0..<index.count where open[k] && !validity[index[k]] {
                        guard nullable else { throw notNullable("struct") }
                        open[k] = false
                        definition[k] = closed
                        closedByStruct = true
                    }
                }
                guard case .struct(let fields) = current.data, step < leaf.route.count, leaf.route[step] < fields.count,
                    leaf.route[step] < children.count
                else {
                    throw DataFolioError(.invalidArgument, "Parquet: column '\(columnName)' does not hold the struct its type says.")
                }
                current = fields[leaf.route[step]]
                node = children[leaf.route[step]]
                step += 1
            case .list(let child, let level, let nullable, let repeatLevel):
                guard case .list(let offsets, let values) = current.data else {
                    throw DataFolioError(.invalidArgument, "Parquet: column '\(columnName)' does not hold the lists its type says.")
                }
                let validity = current.validity
                let nullLevel = UInt8(truncatingIfNeeded: level - 1)
                let emptyLevel = UInt8(truncatingIfNeeded: level)
                let repeated = UInt8(truncatingIfNeeded: repeatLevel)
                var nextIndex: [Int] = []
                var nextRepetition: [UInt8] = []
                var nextDefinition: [UInt8] = []
                var nextOpen: [Bool] = []
                let estimate = index.count + max(0, Int(offsets.last ?? 0) - Int(offsets.first ?? 0))
                nextIndex.reserveCapacity(estimate)
                nextRepetition.reserveCapacity(estimate)
                nextDefinition.reserveCapacity(estimate)
                nextOpen.reserveCapacity(estimate)
                for k in 0..<index.count {
                    let row = index[k]
                    if !open[k] {
                        nextIndex.append(-1)
                        nextRepetition.append(repetition[k])
                        nextDefinition.append(definition[k])
                        nextOpen.append(false)
                        continue
                    }
                    if let validity, !validity[row] {
                        guard nullable else { throw notNullable("list") }
                        nextIndex.append(-1)
                        nextRepetition.append(repetition[k])
                        nextDefinition.append(nullLevel)
                        nextOpen.append(false)
                        continue
                    }
                    let start = Int(offsets[row])
                    let end = Int(offsets[row + 1])
                    if start == end {
                        nextIndex.append(-1)
                        nextRepetition.append(repetition[k])
                        nextDefinition.append(emptyLevel)
                        nextOpen.append(false)
                        continue
                    }
                    nextIndex.append(start)
                    nextRepetition.append(repetition[k])
                    nextDefinition.append(0)
                    nextOpen.append(true)
                    for element in (start + 1)..<end {
                        nextIndex.append(element)
                        nextRepetition.append(repeated)
                        nextDefinition.append(0)
                        nextOpen.append(true)
                    }
                }
                index = nextIndex
                repetition = nextRepetition
                definition = nextDefinition
                open = nextOpen
                slotDefinition = level + 1
                closedByStruct = false
                current = values
                node = child
            }
        }
    }

    /// The leaf's slots as one slice: the leaf's own buffers when the slots are a run of
    /// consecutive values whose validity says which hold a value, otherwise a gathered copy.
    private static func slots(
        of leaf: Column, index: [Int], definition: [UInt8], present: UInt8, checkPresence: Bool
    ) throws(DataFolioError) -> LeafSlice {
        var first = -1
        var next = -1
        var consecutive = true
        for k in 0..<index.count where index[k] >= 0 {
            if first < 0 {
                first = index[k]
                next = first + 1
            } else if index[k] == next {
                next += 1
            } else {
                consecutive = false
                break
            }
        }
        if first < 0 {
            return LeafSlice(data: leaf.data, type: leaf.type, validity: leaf.validity, range: 0..<0)
        }
        var agrees = true
        if checkPresence {
            // A slot closed by a null struct holds no value even if the leaf has one there.
            for k in 0..<index.count where index[k] >= 0 && (definition[k] == present) != !leaf.isNull(index[k]) {
                agrees = false
                break
            }
        }
        if consecutive && agrees {
            return LeafSlice(data: leaf.data, type: leaf.type, validity: leaf.validity, range: first..<next)
        }
        var picked: [Int] = []
        var flags: [Bool] = []
        for k in 0..<index.count where index[k] >= 0 {
            picked.append(index[k])
            flags.append(definition[k] == present)
        }
        let gathered = leaf.gathering(picked)
        let validity = Bitmap(flags)
        let column = try Column(
            name: leaf.name, type: leaf.type, count: gathered.count, data: gathered.data,
            validity: validity.zeroCount == 0 ? nil : validity)
        return LeafSlice(data: column.data, type: column.type, validity: column.validity, range: 0..<column.count)
    }
}
