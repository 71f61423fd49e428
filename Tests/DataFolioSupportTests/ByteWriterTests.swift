import DataFolioSupport
import Testing

@Suite("ByteWriter")
struct ByteWriterTests {
    @Test func appendsInBothByteOrders() {
        var writer = ByteWriter(capacity: 64)
        #expect(writer.count == 0 && writer.bytes.isEmpty)
        writer.append(0x01)
        writer.appendLE(UInt16(0x0302))
        writer.appendBE(UInt16(0x0405))
        writer.appendLE(UInt32(0x0908_0706))
        writer.appendBE(Int32(-2))
        writer.appendLE(Int64(-1))
        writer.appendBE(UInt64(0x0102_0304_0506_0708))
        writer.appendLE(Int8(-128))
        #expect(writer.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0xFF, 0xFF, 0xFF, 0xFE]
            + [UInt8](repeating: 0xFF, count: 8) + [1, 2, 3, 4, 5, 6, 7, 8, 0x80])
        #expect(writer.count == 30)
    }

    @Test func appendsSequencesRawBytesAndText() {
        var writer = ByteWriter()
        writer.append(contentsOf: [1, 2])
        writer.append(contentsOf: (3...4).map { UInt8($0) })
        writer.append(contentsOf: [UInt8]())
        [UInt8]([5, 6]).withUnsafeBytes { writer.append(raw: $0) }
        writer.append(raw: UnsafeRawBufferPointer(start: nil, count: 0))
        writer.append(utf8: "é€")
        writer.append(utf8: "")
        #expect(writer.bytes == [1, 2, 3, 4, 5, 6, 0xC3, 0xA9, 0xE2, 0x82, 0xAC])
    }

    @Test(arguments: [
        (0, [0x00]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]), (624_485, [0xE5, 0x8E, 0x26]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ] as [(UInt64, [UInt8])])
    func appendsULEB128(value: UInt64, bytes: [UInt8]) {
        var writer = ByteWriter()
        writer.appendULEB128(value)
        #expect(writer.bytes == bytes)
    }

    @Test func patchesEarlierPositions() {
        var writer = ByteWriter()
        writer.appendLE(UInt32(0))
        writer.append(contentsOf: [9, 9])
        writer.patchLE(UInt32(0xDEAD_BEEF), at: 0)
        writer.patchLE(UInt16(0x0102), at: 4)
        #expect(writer.bytes == [0xEF, 0xBE, 0xAD, 0xDE, 0x02, 0x01])
        writer.patchLE(UInt8(7), at: 5)
        #expect(writer.bytes.last == 7 && writer.count == 6)
    }

    @Test func isAValue() {
        var first = ByteWriter()
        first.append(1)
        var second = first
        second.append(2)
        #expect(first.bytes == [1] && second.bytes == [1, 2])
    }
}
