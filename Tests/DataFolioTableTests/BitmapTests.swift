import DataFolioSupport
import DataFolioTable
import Testing

@Suite("Bitmap")
struct BitmapTests {
    @Test func setAndClearBits() {
        var bitmap = Bitmap(count: 10, allValid: true)
        #expect(bitmap.bytes == [0xFF, 0x03])
        #expect(bitmap.nonzeroCount == 10)
        bitmap[0] = false
        bitmap[9] = false
        #expect(bitmap.bytes == [0xFE, 0x01])
        #expect(bitmap.zeroCount == 2)
        #expect(!bitmap[0] && bitmap[1] && !bitmap[9])
    }

    @Test func fromFlagsAndAppend() {
        let flags = [true, false, true, true, false, false, true, false, true]
        var built = Bitmap(count: 0, allValid: true)
        for flag in flags { built.append(flag) }
        #expect(Bitmap(flags) == built)
        #expect(built.flags == flags)
        #expect(built.nonzeroCount == 5)
    }

    @Test func fromBytesClearsPaddingAndDropsExtraBytes() throws {
        let bitmap = try Bitmap(bytes: [0xFF, 0xFF, 0xAA], count: 12)
        #expect(bitmap.bytes == [0xFF, 0x0F])
        #expect(bitmap.nonzeroCount == 12)
        #expect(bitmap == Bitmap(count: 12, allValid: true))
    }

    @Test func fromTooFewBytesThrows() {
        #expect(throws: DataFolioError.self) { try Bitmap(bytes: [0xFF], count: 9) }
        #expect(throws: DataFolioError.self) { try Bitmap(bytes: [], count: -1) }
    }

    @Test func countsLongBitmaps() {
        var bitmap = Bitmap(count: 1000, allValid: true)
        for i in stride(from: 0, to: 1000, by: 3) { bitmap[i] = false }
        #expect(bitmap.zeroCount == 334)
    }

    @Test func slices() {
        let flags = (0..<37).map { $0 % 3 != 0 }
        let bitmap = Bitmap(flags)
        for range in [0..<37, 8..<16, 3..<30, 36..<37, 5..<5] {
            #expect(bitmap.slice(range).flags == Array(flags[range]), "range \(range)")
        }
    }

    @Test func empty() {
        let bitmap = Bitmap(count: 0, allValid: true)
        #expect(bitmap.bytes.isEmpty)
        #expect(bitmap.nonzeroCount == 0)
    }
}
