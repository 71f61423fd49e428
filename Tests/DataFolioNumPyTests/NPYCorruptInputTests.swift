import DataFolioNumPy
import DataFolioSupport
import DataFolioTestSupport
import Testing

@Suite struct NPYCorruptInputTests {
    let valid: [UInt8] = {
        // A 2×3 float32 file written the way numpy writes it.
        let array = try? NDArray(shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
        return (try? array?.npyData()) ?? []
    }()

    @Test func badMagic() {
        var bytes = valid
        bytes[1] = UInt8(ascii: "n")
        let error = NPYTestBytes.readError(bytes)
        #expect(error?.code == .corruptData)
        #expect(error?.message.contains("magic") == true)
        #expect(NPYTestBytes.readError(Array("PK\u{03}\u{04}not numpy at all".utf8))?.code == .corruptData)
    }

    @Test func unknownVersion() {
        for (major, minor) in [(0, 0), (4, 0), (1, 1), (255, 255)] as [(UInt8, UInt8)] {
            var bytes = valid
            bytes[6] = major
            bytes[7] = minor
            let error = NPYTestBytes.readError(bytes)
            #expect(error?.code == .unsupportedFeature)
            #expect(error?.message.contains("\(major).\(minor)") == true)
        }
    }

    @Test func everyTruncationFailsCleanly() {
        // Cutting the file anywhere gives a clear error, never a crash.
        for length in 0..<valid.count {
            let error = NPYTestBytes.readError(Array(valid[0..<length]))
            #expect(error != nil, "length \(length)")
            #expect(error?.code == .truncatedData || error?.code == .corruptData, "length \(length): \(error?.message ?? "")")
        }
        #expect(NPYTestBytes.readError(valid) == nil)
        // Bytes after the data are ignored, as numpy does.
        #expect(NPYTestBytes.readError(valid + [1, 2, 3]) == nil)
    }

    @Test func lyingHeaderLength() {
        var longer = valid
        longer[8] = 0xFF
        longer[9] = 0xFF  // 65535 bytes of header in a 152-byte file
        #expect(NPYTestBytes.readError(longer)?.code == .truncatedData)

        var shorter = valid
        shorter[8] = 40  // cuts the dict in the middle
        shorter[9] = 0
        #expect(NPYTestBytes.readError(shorter)?.code == .corruptData)

        // A 4-byte length beyond the limit is refused before anything is read.
        var huge = NPYTestBytes.file(header: "{}", major: 2)
        huge[8] = 0xFF; huge[9] = 0xFF; huge[10] = 0xFF; huge[11] = 0x7F
        let error = NPYTestBytes.readError(huge)
        #expect(error?.code == .limitExceeded)
    }

    @Test func shapeLargerThanTheData() {
        let bytes = NPYTestBytes.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 10), }", data: [UInt8](repeating: 0, count: 799))
        let error = NPYTestBytes.readError(bytes)
        #expect(error?.code == .truncatedData)
        #expect(error?.message.contains("800") == true)
        let exact = NPYTestBytes.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 10), }", data: [UInt8](repeating: 0, count: 800))
        #expect(NPYTestBytes.readError(exact) == nil)
    }

    @Test func garbageNeverCrashes() {
        // Random mutations of a valid file: every outcome is a value or a thrown error.
        var generator = SplitMix(seed: 7)
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 4 == 0 {
                bytes.removeLast(Int(generator.next() % UInt64(bytes.count)))
            }
            _ = NPYTestBytes.readError(bytes)
        }
    }

    @Test func corruptFilesOnDisk() throws {
        let folder = TemporaryFolder("npy-corrupt")
        let cases: [(String, [UInt8], DataFolioError.Code)] = [
            ("empty.npy", [], .truncatedData),
            ("magic.npy", Array("\u{93}NUMPX".utf8) + Array(valid[6...]), .corruptData),
            ("short-data.npy", Array(valid.dropLast(5)), .truncatedData),
            ("long-header.npy", Array(valid[0..<8]) + [0xFF, 0xFF] + Array(valid[10...]), .truncatedData),
            ("huge-shape.npy", NPYTestBytes.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,)}"), .truncatedData),
            ("no-brace.npy", NPYTestBytes.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)         \n"), .corruptData),
            ("object.npy", NPYTestBytes.file(header: "{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", data: [0x80, 0x04]), .unsupportedFeature),
        ]
        for (name, bytes, code) in cases {
            let path = folder.path(name)
            try LocalFile.writeAtomically(bytes, to: path, sync: false)
            for mapped in [false, true] {
                let error = #expect(throws: DataFolioError.self, "\(name)") { try NDArray(contentsOfNPY: path, memoryMapped: mapped) }
                #expect(error?.code == code, "\(name) mapped=\(mapped): \(error?.message ?? "")")
                #expect(error?.path == path)
            }
        }
        // A header longer than the first read (4 KiB) is read in a second step.
        let padded = NPYTestBytes.file(
            header: "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), 'pad': '\(String(repeating: "x", count: 6000))'}",
            data: [1, 0, 2, 0])
        let path = folder.path("padded.npy")
        try LocalFile.writeAtomically(padded, to: path, sync: false)
        #expect(try NDArray(contentsOfNPY: path).values(as: Int16.self) == [1, 2])
        #expect(try NDArray(contentsOfNPY: path, memoryMapped: true).values(as: Int16.self) == [1, 2])
    }

    @Test func unalignedMappedDataIsReadSafely() throws {
        // A hand-made file whose data starts at an odd offset.
        let bytes = NPYTestBytes.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", data: [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x40])
        let folder = TemporaryFolder("npy-unaligned")
        let path = folder.path("odd.npy")
        try LocalFile.writeAtomically(bytes, to: path, sync: false)
        let mapped = try NDArray(contentsOfNPY: path, memoryMapped: true)
        #expect(try mapped.values(as: Double.self) == [1, 2])
        #expect(try mapped.doubleValues() == [1, 2])
    }
}

typealias SplitMix = SeededRandom
