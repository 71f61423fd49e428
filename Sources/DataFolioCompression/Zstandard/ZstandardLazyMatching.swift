/// The lazy strategy of levels 5 and above: hash chains searched several entries deep, and
/// a found match given up when the next position offers a clearly better one.
extension ZstdMatchFinder {
    /// Hash chains with lazy evaluation; returns the position after the last match.
    func findLazy(
        _ source: UnsafePointer<UInt8>, blockStart: Int, blockEnd: Int, sourceEnd: Int,
        reps: inout (Int, Int, Int), store: ZstdBlockEncoder
    ) -> Int {
        let searchEnd = blockEnd - 8
        let skipShift = parameters.skipShift
        var ip = blockStart
        var anchor = blockStart
        while ip < searchEnd {
            var (length, distance) = bestMatch(source, at: ip, blockEnd: blockEnd, reps: reps)
            // Four bytes far away cost about as much as four literals.
            guard length >= 5 || (length == 4 && (distance == reps.0 || distance < 1 << 10)) else {
                ip += 1 + (ip - anchor) >> skipShift
                continue
            }
            var start = ip
            // A match found one byte later may be worth an extra literal.
            var steps = 0
            while steps < parameters.lazyDepth && start + 1 < searchEnd {
                let (nextLength, nextDistance) = bestMatch(source, at: start + 1, blockEnd: blockEnd, reps: reps)
                guard Self.score(nextLength, nextDistance, reps) > Self.score(length, distance, reps) + 4 else { break }
                (length, distance) = (nextLength, nextDistance)
                start += 1
                steps += 1
            }
            while start > anchor, start - distance > 0, source[start - 1] == source[start - 1 - distance] {
                start -= 1
                length += 1
            }
            emitMatch(store, source, anchor: anchor, matchStart: start, distance: distance, matchLength: length, sourceEnd: sourceEnd, reps: &reps)
            ip = start + length
            anchor = ip
            while ip < searchEnd, ip - reps.1 >= 0, Self.load32(source + ip) == Self.load32(source + ip - reps.1) {
                let repeated = 4 + Self.commonLength(source + ip + 4, source + ip - reps.1 + 4, limit: source + blockEnd)
                emitMatch(store, source, anchor: ip, matchStart: ip, distance: reps.1, matchLength: repeated, sourceEnd: sourceEnd, reps: &reps)
                ip += repeated
                anchor = ip
            }
        }
        return anchor
    }

    /// Roughly the bits a match saves: 4 per byte covered, minus the cost of its offset.
    @inline(__always)
    private static func score(_ length: Int, _ distance: Int, _ reps: (Int, Int, Int)) -> Int {
        guard length > 0 else { return Int.min / 2 }
        return 4 * length - (distance == reps.0 ? 0 : ZstdBits.highBit(distance + 3))
    }

    /// The longest match at `position` among the recent offsets and the hash chain.
    @inline(__always)
    private func bestMatch(
        _ source: UnsafePointer<UInt8>, at position: Int, blockEnd: Int, reps: (Int, Int, Int)
    ) -> (length: Int, distance: Int) {
        let head = hashTable
        let chain = chainTable
        let log = parameters.hashLog
        let chainMask = (1 << parameters.secondaryLog) - 1
        let bytes = parameters.minMatch
        // Add the positions before this one to the chains.
        var insert = nextToInsert
        while insert < position {
            let h = Self.hash(Self.load64(source + insert), bytes: bytes, log: log)
            chain[insert & chainMask] = UInt32(truncatingIfNeeded: head[h])
            head[h] = UInt64(insert)
            insert += 1
        }
        nextToInsert = max(insert, nextToInsert)
        let limit = source + blockEnd
        let here = source + position
        let first = Self.load32(here)
        var bestLength = 0
        var bestDistance = 0
        @inline(__always) func tryRepeat(_ distance: Int) {
            if distance <= position, Self.load32(here - distance) == first {
                let length = 4 + Self.commonLength(here + 4, here - distance + 4, limit: limit)
                if length > bestLength {
                    (bestLength, bestDistance) = (length, distance)
                }
            }
        }
        tryRepeat(reps.0)
        tryRepeat(reps.1)
        tryRepeat(reps.2)
        let lowest = max(0, position - (1 << parameters.windowLog), position - chainMask)
        var candidate = Int(truncatingIfNeeded: head[Self.hash(Self.load64(here), bytes: bytes, log: log)] & 0xFFFF_FFFF)
        var attempts = parameters.searchDepth
        while attempts > 0, candidate >= lowest, candidate < position {
            let match = source + candidate
            // Cheap test first: the byte that would make this match longer than the best.
            if position + bestLength < blockEnd, match[bestLength] == here[bestLength], Self.load32(match) == first {
                let length = 4 + Self.commonLength(here + 4, match + 4, limit: limit)
                if length > bestLength {
                    (bestLength, bestDistance) = (length, position - candidate)
                    if position + length >= blockEnd { break }
                }
            }
            let next = Int(chain[candidate & chainMask])
            guard next < candidate else { break }
            candidate = next
            attempts -= 1
        }
        return (bestLength, bestDistance)
    }
}
