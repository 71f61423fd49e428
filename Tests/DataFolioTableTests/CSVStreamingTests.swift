import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// An input that hands out a few bytes at a time, to move record boundaries across
/// every position of the reader's window.
final class TrickleInput: ByteInput {
    let bytes: [UInt8]
    let canRewind: Bool
    private var position = 0
    private var generator: SeededRandom
    private let largest: Int

    init(_ bytes: [UInt8], rewindable: Bool, seed: UInt64, largest: Int = 7) {
        self.bytes = bytes
        canRewind = rewindable
        generator = SeededRandom(seed: seed)
        self.largest = largest
    }

    var size: Int? { canRewind ? bytes.count : nil }
    var name: String { "trickle" }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFolioError) -> Int {
        let count = min(buffer.count, bytes.count - position, Int.random(in: 1...largest, using: &generator))
        guard count > 0, let target = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { target.copyMemory(from: base + position, byteCount: count) }
        }
        position += count
        return count
    }

    func rewind() throws(DataFolioError) {
        guard canRewind else { throw DataFolioError(.invalidArgument, "not rewindable") }
        position = 0
    }
}

/// Reads every batch of a CSV input into one table.
func readBatches(
    _ bytes: [UInt8], rewindable: Bool = true, seed: UInt64 = 1, largest: Int = 7, options: CSVReadOptions = CSVReadOptions()
) throws(DataFolioError) -> (table: Table, batches: Int, reader: CSVReader) {
    let reader = try CSVReader(input: TrickleInput(bytes, rewindable: rewindable, seed: seed, largest: largest), options: options)
    var batches = 0
    var parts: [Table] = []
    while let batch = try reader.next() {
        #expect(reader.schema.matches(batch))
        parts.append(batch)
        batches += 1
    }
    let table = parts.isEmpty ? Table(schema: reader.schema) : try Table(concatenating: parts)
    return (table, batches, reader)
}

@Suite("CSV streaming")
struct CSVStreamingTests {
    /// A CSV text with quoting, embedded line breaks, CRLF, a byte order mark, missing
    /// fields and every inferred type.
    static let awkward: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((
        "id,name,score,flag,day,at,note\r\n"
        + "1,\"Hopper, Grace\",1.5,true,2024-01-31,2024-01-31T10:20:30,\"said \"\"hi\"\"\"\r\n"
        + "2,Ada,NA,False,1970-01-01,2024-01-31 10:20,\"two\nlines\"\r\n"
        + "\r\n"
        + "3,\"\",2,TRUE,2000-02-29,2024-01-31T10:20:30.123456,\r\n"
        + "4,née,-inf,,,,plain\r\n"
        + "5,x\r\n").utf8)

    @Test func batchesAtAnyBoundaryReadLikeTheWholeInput() throws {
        let whole = try Table(csv: CSVStreamingTests.awkward)
        #expect(whole.rowCount == 5)
        #expect(whole.schema.map(\.type) == [
            .int64, .string, .float64, .bool, .date, .timestamp(.microsecond, timeZone: nil), .string,
        ])
        #expect(whole["name"]?.strings() == ["Hopper, Grace", "Ada", "", "née", "x"])
        #expect(whole["note"]?.strings() == ["said \"hi\"", "two\nlines", nil, "plain", nil])
        for seed in 1...60 as ClosedRange<UInt64> {
            for rewindable in [true, false] {
                var options = CSVReadOptions()
                options.batchRowCount = Int(seed % 3) + 1
                let (table, batches, _) = try readBatches(CSVStreamingTests.awkward, rewindable: rewindable, seed: seed, options: options)
                #expect(table == whole, "seed \(seed), rewindable \(rewindable)")
                #expect(batches == (5 + options.batchRowCount - 1) / options.batchRowCount)
            }
        }
    }

    @Test func largeInputsComeInBoundedBatches() throws {
        var text = "id,value,label\n"
        for i in 0..<50_000 { text += "\(i),\(Double(i) / 4),\"l\(i % 7)\"\n" }
        var options = CSVReadOptions()
        options.batchRowCount = 4096
        let (table, batches, reader) = try readBatches(Array(text.utf8), largest: 70_000, options: options)
        #expect(batches == 13)
        #expect(table.rowCount == 50_000)
        #expect(reader.rowsRead == 50_000)
        #expect(reader.typesInferredFromWholeInput)
        #expect(table["value"]?.type == .float64)
        #expect(try table["id"]?.int64s().last == 49_999)
        // The byte limit cuts batches too.
        options.batchRowCount = 1_000_000
        options.batchByteLimit = 1 << 16
        let (_, small, _) = try readBatches(Array(text.utf8), largest: 70_000, options: options)
        #expect(small > 10)
    }

    @Test func aLateValueDecidesTheTypeWhenTheInputIsScannedWhole() throws {
        var text = "zip,n\n"
        for i in 0..<5000 { text += "\(10_000 + i),\(i)\n" }
        text += "A123,5000\n"
        var options = CSVReadOptions()
        options.batchRowCount = 1000
        let (table, _, reader) = try readBatches(Array(text.utf8), largest: 4096, options: options)
        #expect(reader.typesInferredFromWholeInput)
        #expect(table["zip"]?.type == .string)
        #expect(table["zip"]?.strings().last == "A123")
        #expect(table["n"]?.type == .int64)
    }

    @Test func anInputReadOnceIsTypedFromItsFirstBatch() throws {
        var text = "zip,n\n"
        for i in 0..<5000 { text += "\(10_000 + i),\(i)\n" }
        text += "A123,5000\n"
        var options = CSVReadOptions()
        options.batchRowCount = 1000
        do {
            _ = try readBatches(Array(text.utf8), rewindable: false, largest: 4096, options: options)
            Issue.record("a late value was accepted into an int64 column")
        } catch {
            #expect(error.code == .inferredTypeMismatch)
            #expect(error.location == DataFolioError.Location(line: 5002, column: "zip", value: "A123"))
            #expect(error.message.contains("CSVReadOptions.columnTypes"))
            #expect(error.remedy == .csvColumnType)
            #expect(error.message.contains("first 1000 rows"))
        }
        // An explicit type fixes it.
        options.columnTypes = ["zip": .string]
        let (table, _, reader) = try readBatches(Array(text.utf8), rewindable: false, largest: 4096, options: options)
        #expect(!reader.typesInferredFromWholeInput)
        #expect(table["zip"]?.strings().last == "A123")
        // So does asking for one pass on a file that could be read twice.
        options.columnTypes = [:]
        options.inferenceScope = .firstBatch
        #expect(throws: DataFolioError.self) { try readBatches(Array(text.utf8), rewindable: true, largest: 4096, options: options) }
        // A column empty in the first batch is text, so a later value always fits.
        var sparse = "a,b\n"
        for i in 0..<100 { sparse += "\(i),\n" }
        sparse += "100,2.5\n"
        options = CSVReadOptions()
        options.batchRowCount = 10
        let (late, _, _) = try readBatches(Array(sparse.utf8), rewindable: false, options: options)
        #expect(late["b"]?.type == .string)
        #expect(late["b"]?.strings().last == "2.5")
    }

    @Test func typesFollowPandas() throws {
        let table = try Table(csvText: """
            int,big,huge,neg,mixed,blank,padded,bool,nullable,allnull,nan
            1,9223372036854775808,99999999999999999999,9223372036854775808,1,, 7 ,True,1,,nan
            2,1,1,-1,1.5,,8\t,false,,,1.5
            3,2,2,2,x,,9,TRUE,3,,NaN

            """)
        #expect(table.schema.map(\.type) == [
            .int64, .uint64, .string, .string, .string, .float64, .int64, .bool, .int64, .float64, .float64,
        ])
        #expect(table["big"]?.values == [.uint(9_223_372_036_854_775_808), .uint(1), .uint(2)])
        #expect(table["huge"]?.strings() == ["99999999999999999999", "1", "2"])
        #expect(table["padded"]?.values == [7, 8, 9])
        #expect(table["nullable"]?.values == [1, nil, 3])
        #expect(table["blank"]?.nullCount == 3)
        #expect(try table["nan"]?.doubles() == [nil, 1.5, nil])
        // A header without rows gives text columns, as in pandas.
        #expect(try Table(csvText: "a,b\n").schema.map(\.type) == [.string, .string])
    }

    @Test func nullSpellings() throws {
        let spellings = CSVReadOptions.defaultNullSpellings.filter { !$0.isEmpty }
        let text = "v\n" + spellings.map { "\"\($0)\"" }.joined(separator: "\n") + "\nx\n"
        let table = try Table(csvText: text)
        #expect(table["v"]?.nullCount == spellings.count)
        var options = CSVReadOptions()
        options.usesDefaultNullSpellings = false
        options.nullSpellings = ["-"]
        let kept = try Table(csvText: "v,w\nNA,-\nnull,1\n", options: options)
        #expect(kept["v"]?.strings() == ["NA", "null"])
        #expect(kept["w"]?.values == [nil, 1])
    }

    @Test func delimiters() throws {
        let expected = try Table([Column(name: "a", [1, 3]), Column(name: "b", strings: ["x,y", "z"])])
        #expect(try Table(csvText: "a;b\n1;x,y\n3;z\n") == expected)
        #expect(try Table(csvText: "a\tb\n1\tx,y\n3\tz\n") == expected)
        #expect(try Table(csvText: "a|b\n1|x,y\n3|z\n") == expected)
        #expect(try Table(csvText: "a,b\n1,\"x,y\"\n3,z\n") == expected)
        // The header alone decides when the rows disagree; a comma wins ties.
        #expect(try Table(csvText: "a,b;c\n1,2;3\n").columnNames == ["a", "b;c"])
        #expect(try Table(csvText: "just one\n1\n").columnNames == ["just one"])
        let folder = TemporaryFolder("csv-delimiters")
        try LocalFile.writeAtomically(Array("a,b\tc\n1,2\t3\n".utf8), to: folder.path("t.tsv"), sync: false)
        let reader = try CSVReader(path: folder.path("t.tsv"))
        #expect(reader.delimiter == "\t")
        #expect(reader.schema.names == ["a,b", "c"])
    }

    @Test func fieldCounts() throws {
        let table = try Table(csvText: "a,b,c\n1\n2,3\n4,5,6\n")
        #expect(table["c"]?.values == [nil, nil, 6])
        do {
            _ = try readBatches(Array("a,b\n1,2\n3,4\n5,6,7\n".utf8))
            Issue.record("an extra field was accepted")
        } catch {
            #expect(error.code == .corruptData)
            #expect(error.location?.line == 4)
            #expect(error.message.contains("line 4 has more than 2 fields"))
        }
    }

    @Test func invalidUTF8IsRefusedWithItsLine() throws {
        var bytes = Array("a,b\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n3,x\n".utf8)
        for rewindable in [true, false] {
            do {
                _ = try readBatches(bytes, rewindable: rewindable)
                Issue.record("invalid UTF-8 was accepted")
            } catch {
                #expect(error.code == .corruptData)
                #expect(error.location?.line == 3)
                #expect(error.message.contains("line 3 is not valid UTF-8"))
                #expect(error.message.contains("latin1"))
                #expect(error.remedy == .csvEncoding)
            }
        }
        // In a header, and after a quoted line break.
        #expect(throws: DataFolioError.self) { try Table(csv: [0x61, 0xFF, 0x0A, 0x31, 0x0A]) }
        bytes = Array("a\n\"x\ny\"\n".utf8) + [0xC3, 0x28, 0x0A]
        do {
            _ = try Table(csv: bytes)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.location?.line == 4)
        }
        // Overlong forms and surrogates are not UTF-8 either.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(throws: DataFolioError.self) { try Table(csv: Array("a\n".utf8) + bad + [0x0A]) }
        }
        #expect(throws: DataFolioError.self) { try Table(csv: [0xFF, 0xFE, 0x61, 0x00]) }
    }

    @Test func latin1() throws {
        let bytes: [UInt8] = Array("name,town\n".utf8) + [0x4A, 0xF6, 0x72, 0x67, 0x2C, 0x4D, 0xE1, 0x6C, 0x61, 0x67, 0x61, 0x0A]
        var options = CSVReadOptions()
        options.encoding = .latin1
        let table = try Table(csv: bytes, options: options)
        #expect(table["name"]?.strings() == ["Jörg"])
        #expect(table["town"]?.strings() == ["Málaga"])
        let (streamed, _, _) = try readBatches(bytes, rewindable: false, options: options)
        #expect(streamed == table)
        #expect(try CSVEncoding(named: "ISO-8859-1") == .latin1)
        #expect(try CSVEncoding(named: "UTF8") == .utf8)
        #expect(throws: DataFolioError.self) { try CSVEncoding(named: "ebcdic") }
    }

    @Test func readsFilesAndPipes() throws {
        let folder = TemporaryFolder("csv-stream")
        let path = folder.path("t.csv")
        try LocalFile.writeAtomically(CSVStreamingTests.awkward, to: path, sync: false)
        let reader = try CSVReader(path: path)
        #expect(reader.inputSize == CSVStreamingTests.awkward.count)
        var copy = reader
        #expect(try copy.readAll() == Table(csv: CSVStreamingTests.awkward))
        #expect(reader.bytesRead == CSVStreamingTests.awkward.count)

        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let bytes = CSVStreamingTests.awkward
        let writer = Thread {
            bytes.withUnsafeBytes { raw in
                _ = try? LocalFile.writeAll(fd: writeEnd, path: "pipe", raw)
            }
            close(writeEnd)
        }
        writer.start()
        let input = FileInput(fileDescriptor: fds[0], name: "the pipe")
        #expect(!input.canRewind)
        var piped = try CSVReader(input: input)
        #expect(!piped.typesInferredFromWholeInput)
        #expect(try piped.readAll() == Table(csv: CSVStreamingTests.awkward))
        close(fds[0])

        do {
            _ = try CSVReader(path: folder.path("missing.csv"))
            Issue.record("a missing file was read")
        } catch {
            #expect(error.code == .fileNotFound)
        }
        try LocalFile.writeAtomically(Array("a,b\n1,2,3\n".utf8), to: folder.path("bad.csv"), sync: false)
        do {
            _ = try Table(csvFile: folder.path("bad.csv"))
            Issue.record("a bad file was read")
        } catch {
            #expect(error.path == folder.path("bad.csv"))
            #expect(error.message.hasPrefix(folder.path("bad.csv")))
        }
    }

    @Test func prefetchingGivesTheSameBatchesAndErrors() throws {
        var text = "a,b\n"
        for i in 0..<10_000 { text += "\(i),x\(i % 17)\n" }
        var options = CSVReadOptions()
        options.batchRowCount = 1000
        let direct = try readBatches(Array(text.utf8), options: options).table
        var prefetched = PrefetchingBatchReader(try CSVReader(input: TrickleInput(Array(text.utf8), rewindable: true, seed: 9, largest: 5000), options: options))
        #expect(prefetched.schema == TableSchema(of: direct))
        #expect(try prefetched.readAll() == direct)
        #expect(try prefetched.next() == nil)
        // An error in a batch read ahead arrives with that batch.
        let broken = Array((text + "1,2,3\n").utf8)
        let failing = PrefetchingBatchReader(try CSVReader(input: TrickleInput(broken, rewindable: false, seed: 9, largest: 5000), options: options))
        var rows = 0
        do {
            while let batch = try failing.next() { rows += batch.rowCount }
            Issue.record("the bad line was accepted")
        } catch {
            #expect(error.location?.line == 10_002)
            #expect(rows == 10_000)
        }
        // A reader dropped while a read is under way waits for it.
        let dropped = PrefetchingBatchReader(try CSVReader(input: TrickleInput(Array(text.utf8), rewindable: true, seed: 3, largest: 50), options: options))
        #expect(try dropped.next()?.rowCount == 1000)
    }

    @Test func withoutAHeaderAcrossBatches() throws {
        var text = "\n\n"
        for i in 0..<3000 { text += "\(i),\(i % 3 == 0 ? "x" : "\(i)")\n" }
        var options = CSVReadOptions()
        options.hasHeader = false
        options.batchRowCount = 500
        let (table, batches, _) = try readBatches(Array(text.utf8), largest: 900, options: options)
        #expect(batches == 6)
        #expect(table.columnNames == ["column_1", "column_2"])
        #expect(table["column_1"]?.type == .int64 && table["column_2"]?.type == .string)
        #expect(table.rowCount == 3000)
    }

    @Test func nothingIsReadAfterAnError() throws {
        var options = CSVReadOptions()
        options.batchRowCount = 2
        let reader = try CSVReader(input: TrickleInput(Array("a\n1\n2\n\"open\n".utf8), rewindable: false, seed: 4), options: options)
        #expect(try reader.next()?.rowCount == 2)
        #expect(throws: DataFolioError.self) { try reader.next() }
        #expect(try reader.next() == nil)
    }

    @Test func emptyInputs() throws {
        for text in ["", "\n\n", "  \n\t\n"] {
            let (table, batches, reader) = try readBatches(Array(text.utf8))
            #expect(table.columnCount == 0 && batches == 0 && reader.schema.count == 0)
        }
        let (header, batches, _) = try readBatches(Array("a,b\n\n".utf8))
        #expect(header.columnNames == ["a", "b"] && header.rowCount == 0 && batches == 0)
    }

    @Test func randomInputsGiveTablesOrErrors() {
        var generator = SeededRandom(seed: 0xC5F0_0003)
        let alphabet: [UInt8] = Array("a1,;\"\n\r .-:TZe\t".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF]
        for round in 0..<1500 {
            let length = Int.random(in: 0...80, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            var options = CSVReadOptions()
            options.batchRowCount = Int.random(in: 1...4, using: &generator)
            let whole = Result(catching: { () throws(DataFolioError) -> Table in try Table(csv: bytes) })
            let streamed = Result(catching: { () throws(DataFolioError) -> Table in
                try readBatches(bytes, rewindable: round % 2 == 0, seed: UInt64(round), options: options).table
            })
            switch (whole, streamed) {
            case (.success(let a), .success(let b)):
                // A stream read once may type columns differently; the rows are the same.
                #expect(a.rowCount == b.rowCount && a.columnNames == b.columnNames)
                if round % 2 == 0 { #expect(a == b, "\(bytes)") }
            case (.failure(let error), _), (_, .failure(let error)):
                #expect([.corruptData, .inferredTypeMismatch].contains(error.code), "\(error)")
            }
        }
    }
}
