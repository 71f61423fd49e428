import DataFolioTestSupport

/// The shared seeded generator (SplitMix64), so randomized tests fail the same way every run.
typealias SeededGenerator = SeededRandom
