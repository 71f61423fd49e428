/// Settings of the match search for one compression level.
struct ZstdMatchParameters {
    enum Strategy {
        /// One hash table, first candidate wins.
        case fast
        /// An 8-byte hash table for long matches and a short one.
        case doubleFast
        /// Hash chains searched `searchDepth` deep, deferring a match while the next
        /// position (up to `lazyDepth` of them) offers a better one.
        case lazy
    }

    var strategy: Strategy
    /// log2 of the farthest distance a match may reach back.
    var windowLog: Int
    /// log2 of the entries of the (short-match) hash table.
    var hashLog: Int
    /// log2 of the entries of the 8-byte hash table (double fast) or of the chain table (lazy).
    var secondaryLog: Int
    /// How many bytes the hash covers (4...6); shorter matches are not searched for.
    var minMatch: Int
    /// Misses in a row make the search skip ahead faster: it steps by
    /// `1 + (bytes since the last match >> skipShift)`.
    var skipShift: Int
    /// Lazy: how many chain entries to examine per position.
    var searchDepth = 0
    /// Lazy: how many following positions may replace a found match.
    var lazyDepth = 0

    init(level: Int, inputSize: Int) {
        windowLog = 23
        switch level {
        case ...1:
            (strategy, hashLog, secondaryLog, minMatch, skipShift) = (.fast, 15, 0, 5, 6)
        case 2:
            (strategy, hashLog, secondaryLog, minMatch, skipShift) = (.fast, 16, 0, 5, 7)
        case 3:
            (strategy, hashLog, secondaryLog, minMatch, skipShift) = (.doubleFast, 16, 17, 5, 8)
        case 4:
            (strategy, hashLog, secondaryLog, minMatch, skipShift) = (.doubleFast, 17, 18, 5, 8)
        default:
            (strategy, hashLog, secondaryLog, minMatch, skipShift) = (.lazy, 17, 17, 5, 10)
            let depths = [5: (4, 1), 6: (8, 1), 7: (16, 2), 8: (32, 2)]
            (searchDepth, lazyDepth) = depths[level] ?? (64, 2)
            if level >= 7 { (hashLog, secondaryLog) = (18, 18) }
        }
        // Small inputs need small tables: clearing a large one would cost more than the search.
        let inputLog = ZstdBits.highBit(max(inputSize, 1)) + 1
        hashLog = max(8, min(hashLog, inputLog))
        if secondaryLog > 0 { secondaryLog = max(8, min(secondaryLog, inputLog)) }
        windowLog = max(10, min(windowLog, inputLog))
    }
}
