/// Finds LZ77 matches with hash tables of recent positions ("fast": one table; "double
/// fast": an 8-byte table for long matches plus a short one), checking the most recent
/// offsets first, and records the resulting sequences in a ``ZstdBlockEncoder``.
///
/// Positions are offsets from the start of the current segment of input, below 2^32. Each
/// table entry also keeps the first 4 bytes at its position, so most wrong candidates are
/// rejected without reading the input far back (a cache miss).
final class ZstdMatchFinder {
    let parameters: ZstdMatchParameters
    let hashTable: UnsafeMutablePointer<UInt64>
    private let longTable: UnsafeMutablePointer<UInt64>
    /// Lazy strategy: for each position (modulo the table size), the previous position with
    /// the same hash.
    let chainTable: UnsafeMutablePointer<UInt32>
    /// Lazy strategy: the next position to add to the hash chains.
    var nextToInsert = 0

    private static let prime: UInt64 = 0x9E37_79B1_85EB_CA87

    init(parameters: ZstdMatchParameters) {
        self.parameters = parameters
        hashTable = .allocate(capacity: 1 << parameters.hashLog)
        longTable = .allocate(capacity: parameters.strategy == .doubleFast ? 1 << parameters.secondaryLog : 1)
        chainTable = .allocate(capacity: parameters.strategy == .lazy ? 1 << parameters.secondaryLog : 1)
        reset()
    }

    deinit {
        hashTable.deallocate()
        longTable.deallocate()
        chainTable.deallocate()
    }

    /// Forgets all positions (at the start of a segment).
    func reset() {
        hashTable.initialize(repeating: 0, count: 1 << parameters.hashLog)
        longTable.initialize(repeating: 0, count: parameters.strategy == .doubleFast ? 1 << parameters.secondaryLog : 1)
        chainTable.initialize(repeating: 0, count: parameters.strategy == .lazy ? 1 << parameters.secondaryLog : 1)
        nextToInsert = 0
    }

    /// A table entry: the position, and the 4 bytes found there.
    @inline(__always)
    private static func entry(_ position: Int, _ value: UInt64) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: position)) | value &<< 32
    }

    /// Whether an entry may start a match with `value` at `position`: same first 4 bytes,
    /// and within reach. Returns the entry's position.
    @inline(__always)
    private static func candidate(_ entry: UInt64, _ value: UInt64, _ position: Int, _ maxDistance: Int) -> Int? {
        let candidate = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
        guard UInt32(truncatingIfNeeded: entry &>> 32) == UInt32(truncatingIfNeeded: value),
            position &- candidate >= 1, position &- candidate <= maxDistance
        else { return nil }
        return candidate
    }

    @inline(__always)
    static func load64(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    static func load32(_ pointer: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt32.self))
    }

    /// Hashes the low `bytes` bytes of `value` to `log` bits.
    @inline(__always)
    static func hash(_ value: UInt64, bytes: Int, log: Int) -> Int {
        Int(truncatingIfNeeded: ((value &<< UInt64(64 &- 8 &* bytes)) &* prime) &>> UInt64(64 &- log))
    }

    /// The number of equal bytes at `a` and `b`, not reading at or past `limit` from `a`.
    @inline(__always)
    static func commonLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Int {
        var p = a
        var q = b
        while limit - p >= 8 {
            let difference = load64(p) ^ load64(q)
            if difference != 0 {
                return p - a + difference.trailingZeroBitCount >> 3
            }
            p += 8
            q += 8
        }
        while p < limit && p.pointee == q.pointee {
            p += 1
            q += 1
        }
        return p - a
    }

    /// Records a sequence, coding its offset against the recent offsets exactly as the
    /// decoder will (RFC 8878 §3.1.1.5) and updating them.
    @inline(__always)
    private static func emit(
        _ store: ZstdBlockEncoder, literals: UnsafePointer<UInt8>, literalLength: Int, distance: Int, matchLength: Int,
        sourceEnd: UnsafePointer<UInt8>, reps: inout (Int, Int, Int)
    ) {
        let offsetValue: Int
        if literalLength > 0 {
            if distance == reps.0 {
                offsetValue = 1
            } else if distance == reps.1 {
                reps = (reps.1, reps.0, reps.2)
                offsetValue = 2
            } else if distance == reps.2 {
                reps = (reps.2, reps.0, reps.1)
                offsetValue = 3
            } else {
                reps = (distance, reps.0, reps.1)
                offsetValue = distance + 3
            }
        } else {
            if distance == reps.1 {
                reps = (reps.1, reps.0, reps.2)
                offsetValue = 1
            } else if distance == reps.2 {
                reps = (reps.2, reps.0, reps.1)
                offsetValue = 2
            } else if distance == reps.0 - 1 {
                reps = (distance, reps.0, reps.1)
                offsetValue = 3
            } else {
                reps = (distance, reps.0, reps.1)
                offsetValue = distance + 3
            }
        }
        let index = store.sequenceCount
        store.literalLengths[index] = UInt32(literalLength)
        store.matchLengths[index] = UInt32(matchLength)
        store.offsetValues[index] = UInt32(offsetValue)
        store.sequenceCount = index + 1
        let destination = store.literals + store.literalCount
        if literalLength <= 16 && sourceEnd - literals >= 16 {
            // The literals buffer has room for a fixed 16-byte copy; the source is checked.
            UnsafeMutableRawPointer(destination).copyMemory(from: literals, byteCount: 16)
        } else {
            destination.update(from: literals, count: literalLength)
        }
        store.literalCount += literalLength
    }

    /// Finds the sequences of the block `blockStart ..< blockEnd` of `source` (positions are
    /// relative to the segment start, `source`), updating `reps`, and stores them with the
    /// block's literals in `store`. `sourceEnd` is the segment's size, for safe over-reads.
    func findSequences(
        _ source: UnsafePointer<UInt8>, blockStart: Int, blockEnd: Int, sourceEnd: Int,
        reps: inout (Int, Int, Int), store: ZstdBlockEncoder
    ) {
        var anchor = blockStart
        if blockEnd - blockStart > 16 {
            switch parameters.strategy {
            case .fast:
                anchor = findFast(source, blockStart: blockStart, blockEnd: blockEnd, sourceEnd: sourceEnd, reps: &reps, store: store)
            case .doubleFast:
                anchor = findDoubleFast(source, blockStart: blockStart, blockEnd: blockEnd, sourceEnd: sourceEnd, reps: &reps, store: store)
            case .lazy:
                anchor = findLazy(source, blockStart: blockStart, blockEnd: blockEnd, sourceEnd: sourceEnd, reps: &reps, store: store)
            }
        }
        store.appendLiterals(source + anchor, count: blockEnd - anchor)
    }

    /// One hash table; returns the position after the last match.
    private func findFast(
        _ source: UnsafePointer<UInt8>, blockStart: Int, blockEnd: Int, sourceEnd: Int,
        reps: inout (Int, Int, Int), store: ZstdBlockEncoder
    ) -> Int {
        let table = hashTable
        let log = parameters.hashLog
        let bytes = parameters.minMatch
        let maxDistance = 1 << parameters.windowLog
        let skipShift = parameters.skipShift
        let limit = source + blockEnd
        let searchEnd = blockEnd - 8
        var ip = blockStart
        var anchor = blockStart
        while ip < searchEnd {
            let value = Self.load64(source + ip)
            let h = Self.hash(value, bytes: bytes, log: log)
            let found = table[h]
            table[h] = Self.entry(ip, value)

            var matchStart: Int
            var matchLength: Int
            var distance: Int
            let repeatPosition = ip + 1 - reps.0
            if repeatPosition >= 0, Self.load32(source + repeatPosition) == UInt32(truncatingIfNeeded: value &>> 8) {
                matchStart = ip + 1
                distance = reps.0
                matchLength = 4 + Self.commonLength(source + ip + 5, source + repeatPosition + 4, limit: limit)
            } else if let candidate = Self.candidate(found, value, ip, maxDistance),
                Self.load32(source + candidate) == UInt32(truncatingIfNeeded: value)
            {
                matchStart = ip
                distance = ip - candidate
                matchLength = 4 + Self.commonLength(source + ip + 4, source + candidate + 4, limit: limit)
                var reference = candidate
                while matchStart > anchor, reference > 0, source[matchStart - 1] == source[reference - 1] {
                    matchStart -= 1
                    reference -= 1
                    matchLength += 1
                }
            } else {
                ip += 1 + (ip - anchor) >> skipShift
                continue
            }
            emitMatch(store, source, anchor: anchor, matchStart: matchStart, distance: distance, matchLength: matchLength, sourceEnd: sourceEnd, reps: &reps)
            ip = matchStart + matchLength
            anchor = ip
            if ip < searchEnd {
                let before = Self.load64(source + ip - 2)
                table[Self.hash(before, bytes: bytes, log: log)] = Self.entry(ip - 2, before)
            }
            // A match right after a match often reuses the second most recent offset.
            while ip < searchEnd, ip - reps.1 >= 0, Self.load32(source + ip) == Self.load32(source + ip - reps.1) {
                let length = 4 + Self.commonLength(source + ip + 4, source + ip - reps.1 + 4, limit: limit)
                let here = Self.load64(source + ip)
                table[Self.hash(here, bytes: bytes, log: log)] = Self.entry(ip, here)
                emitMatch(store, source, anchor: ip, matchStart: ip, distance: reps.1, matchLength: length, sourceEnd: sourceEnd, reps: &reps)
                ip += length
                anchor = ip
            }
        }
        return anchor
    }

    /// An 8-byte table for long matches plus a short table; returns the position after the
    /// last match.
    private func findDoubleFast(
        _ source: UnsafePointer<UInt8>, blockStart: Int, blockEnd: Int, sourceEnd: Int,
        reps: inout (Int, Int, Int), store: ZstdBlockEncoder
    ) -> Int {
        let shortTable = hashTable
        let longTable = self.longTable
        let shortLog = parameters.hashLog
        let longLog = parameters.secondaryLog
        let bytes = parameters.minMatch
        let maxDistance = 1 << parameters.windowLog
        let skipShift = parameters.skipShift
        let limit = source + blockEnd
        let searchEnd = blockEnd - 8
        var ip = blockStart
        var anchor = blockStart
        while ip < searchEnd {
            let value = Self.load64(source + ip)
            let longHash = Self.hash(value, bytes: 8, log: longLog)
            let shortHash = Self.hash(value, bytes: bytes, log: shortLog)
            let longFound = longTable[longHash]
            let shortFound = shortTable[shortHash]
            let here = Self.entry(ip, value)
            longTable[longHash] = here
            shortTable[shortHash] = here

            var matchStart: Int
            var matchLength: Int
            var distance: Int
            var reference: Int
            let repeatPosition = ip + 1 - reps.0
            if repeatPosition >= 0, Self.load32(source + repeatPosition) == UInt32(truncatingIfNeeded: value &>> 8) {
                matchStart = ip + 1
                distance = reps.0
                matchLength = 4 + Self.commonLength(source + ip + 5, source + repeatPosition + 4, limit: limit)
                reference = repeatPosition
            } else if let candidate = Self.candidate(longFound, value, ip, maxDistance),
                Self.load64(source + candidate) == value
            {
                matchStart = ip
                distance = ip - candidate
                matchLength = 8 + Self.commonLength(source + ip + 8, source + candidate + 8, limit: limit)
                reference = candidate
            } else if let candidate = Self.candidate(shortFound, value, ip, maxDistance),
                Self.load32(source + candidate) == UInt32(truncatingIfNeeded: value)
            {
                // A short match: a long one starting at the next byte may be better.
                let nextValue = Self.load64(source + ip + 1)
                let nextHash = Self.hash(nextValue, bytes: 8, log: longLog)
                let nextFound = longTable[nextHash]
                longTable[nextHash] = Self.entry(ip + 1, nextValue)
                if let next = Self.candidate(nextFound, nextValue, ip + 1, maxDistance),
                    Self.load64(source + next) == nextValue
                {
                    matchStart = ip + 1
                    distance = ip + 1 - next
                    matchLength = 8 + Self.commonLength(source + ip + 9, source + next + 8, limit: limit)
                    reference = next
                } else {
                    matchStart = ip
                    distance = ip - candidate
                    matchLength = 4 + Self.commonLength(source + ip + 4, source + candidate + 4, limit: limit)
                    reference = candidate
                    if matchLength < bytes {
                        ip += 1 + (ip - anchor) >> skipShift
                        continue
                    }
                }
            } else {
                ip += 1 + (ip - anchor) >> skipShift
                continue
            }
            while matchStart > anchor, reference > 0, source[matchStart - 1] == source[reference - 1] {
                matchStart -= 1
                reference -= 1
                matchLength += 1
            }
            emitMatch(store, source, anchor: anchor, matchStart: matchStart, distance: distance, matchLength: matchLength, sourceEnd: sourceEnd, reps: &reps)
            let matchEnd = matchStart + matchLength
            if matchEnd < searchEnd {
                // Index a few positions inside the match so later data can find them.
                let inside = matchStart + 2
                let insideValue = Self.load64(source + inside)
                longTable[Self.hash(insideValue, bytes: 8, log: longLog)] = Self.entry(inside, insideValue)
                shortTable[Self.hash(insideValue, bytes: bytes, log: shortLog)] = Self.entry(inside, insideValue)
                let before = Self.load64(source + matchEnd - 2)
                longTable[Self.hash(before, bytes: 8, log: longLog)] = Self.entry(matchEnd - 2, before)
                let last = Self.load64(source + matchEnd - 1)
                shortTable[Self.hash(last, bytes: bytes, log: shortLog)] = Self.entry(matchEnd - 1, last)
            }
            ip = matchEnd
            anchor = ip
            while ip < searchEnd, ip - reps.1 >= 0, Self.load32(source + ip) == Self.load32(source + ip - reps.1) {
                let length = 4 + Self.commonLength(source + ip + 4, source + ip - reps.1 + 4, limit: limit)
                let current = Self.load64(source + ip)
                longTable[Self.hash(current, bytes: 8, log: longLog)] = Self.entry(ip, current)
                shortTable[Self.hash(current, bytes: bytes, log: shortLog)] = Self.entry(ip, current)
                emitMatch(store, source, anchor: ip, matchStart: ip, distance: reps.1, matchLength: length, sourceEnd: sourceEnd, reps: &reps)
                ip += length
                anchor = ip
            }
        }
        return anchor
    }

    @inline(__always)
    func emitMatch(
        _ store: ZstdBlockEncoder, _ source: UnsafePointer<UInt8>, anchor: Int, matchStart: Int, distance: Int,
        matchLength: Int, sourceEnd: Int, reps: inout (Int, Int, Int)
    ) {
        Self.emit(
            store, literals: source + anchor, literalLength: matchStart - anchor, distance: distance,
            matchLength: matchLength, sourceEnd: source + sourceEnd, reps: &reps)
    }
}
