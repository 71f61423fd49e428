import DataFolioSupport
import Testing

@Suite("ByteReader")
struct ByteReaderTests {
    /// Runs `body` with a reader over `bytes`.
    @discardableResult
    func reading<R>(_ bytes: [UInt8], _ body: (inout ByteReader) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        try bytes.withBytesTyped { raw throws(DataFolioError) in
            var reader = ByteReader(raw, format: "Test")
            return try body(&reader)
        }
    }

    @Test func readsEveryIntegerKind() throws {
        let bytes: [UInt8] = [0xAB, 0x01, 0x02, 0x01, 0x02, 0x03, 0x04, 0xFE, 0xFF, 0xFF, 0xFF,
                              1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0x80, 0xFF, 0x7F, 0x80]
        try reading(bytes) { reader throws(DataFolioError) in
            #expect(reader.remaining == bytes.count && !reader.isAtEnd)
            #expect(try reader.readUInt8() == 0xAB)
            #expect(try reader.readLE(UInt16.self) == 0x0201)
            #expect(try reader.readBE(UInt32.self) == 0x0102_0304)
            #expect(try reader.readLE(Int32.self) == -2)
            #expect(try reader.readLE(UInt64.self) == 0x0807_0605_0403_0201)
            #expect(try reader.readBE(UInt64.self) == 0x0102_0304_0506_0708)
            #expect(try reader.readLE(Int8.self) == -128)
            #expect(try reader.readBE(Int16.self) == -129)
            #expect(reader.offset == 30 && reader.remaining == 1)
            #expect(try reader.readUInt8() == 0x80)
            #expect(reader.isAtEnd && reader.remaining == 0)
        }
    }

    @Test func readsSignedExtremes() throws {
        var writer = ByteWriter()
        writer.appendLE(Int64.min)
        writer.appendBE(Int64.max)
        writer.appendLE(Int16.min)
        writer.appendBE(Int32.min)
        try reading(writer.bytes) { reader throws(DataFolioError) in
            #expect(try reader.readLE(Int64.self) == .min)
            #expect(try reader.readBE(Int64.self) == .max)
            #expect(try reader.readLE(Int16.self) == .min)
            #expect(try reader.readBE(Int32.self) == .min)
        }
    }

    @Test func readBytesSharesMemoryAndReadArrayCopies() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6]
        try bytes.withBytesTyped { raw throws(DataFolioError) in
            var reader = ByteReader(raw, format: "Test")
            try reader.skip(1)
            let slice = try reader.readBytes(2)
            #expect(slice.baseAddress == raw.baseAddress.map { $0 + 1 })
            #expect(Array(slice) == [2, 3])
            #expect(try reader.readArray(3) == [4, 5, 6])
            #expect(try reader.readBytes(0).count == 0)
            #expect(try reader.readArray(0) == [])
            #expect(reader.isAtEnd)
        }
    }

    @Test func everyReadPastTheEndIsTruncatedData() throws {
        // Each read gets one byte fewer than it needs (varints: continuation bits to the end).
        let cases: [(String, [UInt8], (inout ByteReader) throws(DataFolioError) -> Void)] = [
            ("byte", [], { reader throws(DataFolioError) in _ = try reader.readUInt8() }),
            ("UInt16", [1], { reader throws(DataFolioError) in _ = try reader.readLE(UInt16.self) }),
            ("UInt32 BE", [1, 2, 3], { reader throws(DataFolioError) in _ = try reader.readBE(UInt32.self) }),
            ("UInt64", [1, 2, 3, 4, 5, 6, 7], { reader throws(DataFolioError) in _ = try reader.readLE(UInt64.self) }),
            ("bytes", [1, 2, 3], { reader throws(DataFolioError) in _ = try reader.readBytes(4) }),
            ("array", [1, 2, 3], { reader throws(DataFolioError) in _ = try reader.readArray(4) }),
            ("skip", [1, 2, 3], { reader throws(DataFolioError) in try reader.skip(4) }),
            ("varint", [0x80, 0x80], { reader throws(DataFolioError) in _ = try reader.readULEB128() }),
            ("zigzag", [0xFF], { reader throws(DataFolioError) in _ = try reader.readZigZag() }),
        ]
        for (label, rest, read) in cases {
            try reading([0x00] + rest) { reader throws(DataFolioError) in
                try reader.skip(1)
                let error = expectFailure(.truncatedData) { () throws(DataFolioError) in try read(&reader) }
                #expect(error?.message.hasPrefix("Test: ") == true, "\(label)")
            }
        }
    }

    @Test func truncationMessageSaysWhatWasMissing() throws {
        try reading([1, 2, 3]) { reader throws(DataFolioError) in
            try reader.skip(1)
            let error = expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.readLE(UInt32.self) }
            #expect(error?.message == "Test: a 4-byte integer needs 4 bytes at offset 1 but only 2 remain. The file is truncated or damaged.")
            #expect(reader.offset == 1, "a failed read does not move the cursor")
        }
    }

    @Test func negativeCountsAreRefused() throws {
        try reading([1, 2, 3]) { reader throws(DataFolioError) in
            expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.readBytes(-1) }
            expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.skip(-1) }
            expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.readArray(Int.min) }
            expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.readBytes(Int.max) }
            #expect(reader.offset == 0)
        }
    }

    @Test func seekStaysWithinTheBytes() throws {
        try reading([10, 20, 30]) { reader throws(DataFolioError) in
            try reader.seek(to: 2)
            #expect(try reader.readUInt8() == 30)
            try reader.seek(to: 3)
            #expect(reader.isAtEnd)
            try reader.seek(to: 0)
            #expect(try reader.readUInt8() == 10)
            expectFailure(.corruptData) { () throws(DataFolioError) in try reader.seek(to: 4) }
            expectFailure(.corruptData) { () throws(DataFolioError) in try reader.seek(to: -1) }
            expectFailure(.corruptData) { () throws(DataFolioError) in try reader.seek(to: .max) }
            #expect(reader.offset == 1)
        }
    }

    @Test func emptyInput() throws {
        try reading([]) { reader throws(DataFolioError) in
            #expect(reader.isAtEnd && reader.remaining == 0)
            try reader.seek(to: 0)
            #expect(try reader.readBytes(0).isEmpty)
            expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.readUInt8() }
        }
    }

    @Test(arguments: [
        ([0x00], 0), ([0x01], 1), ([0x7F], 127), ([0x80, 0x01], 128), ([0xAC, 0x02], 300),
        ([0xFF, 0xFF, 0x03], 65535), ([0xE5, 0x8E, 0x26], 624_485),
        ([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 1 << 63),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], UInt64.max),
        // Redundant continuation bytes are accepted up to ten bytes.
        ([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 0),
        ([0x81, 0x00], 1),
    ] as [([UInt8], UInt64)])
    func readsULEB128(bytes: [UInt8], value: UInt64) throws {
        try reading(bytes + [0x55]) { reader throws(DataFolioError) in
            #expect(try reader.readULEB128() == value)
            #expect(reader.offset == bytes.count)
        }
    }

    @Test(arguments: [
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],  // bit 64 set
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],  // an eleventh byte
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x01],
    ] as [[UInt8]])
    func refusesULEB128OverflowingSixtyFourBits(bytes: [UInt8]) throws {
        try reading(bytes) { reader throws(DataFolioError) in
            let error = expectFailure(.corruptData) { () throws(DataFolioError) in try reader.readULEB128() }
            #expect(error?.message.contains("64 bits") == true)
        }
    }

    @Test func truncatedULEB128() throws {
        for bytes: [UInt8] in [[], [0x80], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]] {
            try reading(bytes) { reader throws(DataFolioError) in
                expectFailure(.truncatedData) { () throws(DataFolioError) in try reader.readULEB128() }
            }
        }
    }

    @Test(arguments: [
        (0, [0x00]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01]),
        (Int64.max, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        (Int64.min, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ] as [(Int64, [UInt8])])
    func zigZag(value: Int64, bytes: [UInt8]) throws {
        var writer = ByteWriter()
        writer.appendZigZag(value)
        #expect(writer.bytes == bytes)
        try reading(bytes) { reader throws(DataFolioError) in
            #expect(try reader.readZigZag() == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test func varintsRoundTripThroughByteWriter() throws {
        var state: UInt64 = 42
        var values: [UInt64] = [0, 1, 127, 128, 16383, 16384, UInt64(UInt32.max), .max, .max - 1]
        for shift in 0..<64 { values.append(1 << UInt64(shift)); values.append((1 << UInt64(shift)) - 1) }
        for _ in 0..<500 { values.append(SupportTestData.nextRandom(&state) >> (SupportTestData.nextRandom(&state) % 64)) }
        var writer = ByteWriter()
        for value in values {
            writer.appendULEB128(value)
            writer.appendZigZag(Int64(bitPattern: value))
        }
        try reading(writer.bytes) { reader throws(DataFolioError) in
            for value in values {
                #expect(try reader.readULEB128() == value)
                #expect(try reader.readZigZag() == Int64(bitPattern: value))
            }
            #expect(reader.isAtEnd)
        }
    }
}
