import DataFolioNumPy
import DataFolioSupport
import Testing

@Suite struct NPYHeaderParsingTests {
    @Test func numpyStyleHeader() throws {
        let header = try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }          \n")
        #expect(header.dtype == .float32)
        #expect(header.shape == [3, 4])
        #expect(header.order == .rowMajor)
        #expect(header.version == .v1)
        #expect(header.elementCount == 12)
        #expect(header.dataByteCount == 48)
    }

    @Test func tuplesOfEveryLength() throws {
        #expect(try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': ()}").shape == [])
        #expect(try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}").shape == [3])
        #expect(try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': ( 3 , 4 , )}").shape == [3, 4])
        #expect(try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 2, 0)}").shape == [0, 2, 0])
        // Python 2 long integers and underscores.
        #expect(try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 1_000)}").shape == [3, 1000])
        // `(3)` is the integer 3 in Python, not a tuple.
        let notTuple = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': (3)}")
        }
        #expect(notTuple?.message.contains("not a tuple") == true)
        // A list is not a tuple either.
        #expect(throws: DataFolioError.self) { try NPYTestBytes.header("{'descr': '<f4', 'fortran_order': False, 'shape': [3]}") }
    }

    @Test func quotesKeyOrderWhitespaceAndExtraKeys() throws {
        let header = try NPYTestBytes.header(
            "\t{ \"shape\" : (2,) ,\n'extra': {'nested': [1, (2, 'x'), None]}, u'fortran_order':True,\"descr\":\"<i8\"}\n   ")
        #expect(header.dtype == .int64)
        #expect(header.shape == [2])
        #expect(header.order == .columnMajor)
        // Duplicate keys: the last one wins, as in Python.
        let duplicate = try NPYTestBytes.header("{'descr': '<f4', 'descr': '<i2', 'fortran_order': False, 'shape': ()}")
        #expect(duplicate.dtype == .int16)
    }

    @Test func stringEscapes() throws {
        // '\x3c' is '<', '\u0069' is 'i', octal '\070' is '8'.
        #expect(try NPYTestBytes.header("{'descr': '\\x3c\\u0069\\070', 'fortran_order': False, 'shape': ()}").dtype == .int64)
        #expect(try NPYTestBytes.header("{'descr': \"<U\\x32\", 'fortran_order': False, 'shape': ()}").dtype == .unicode(length: 2))
        #expect(throws: DataFolioError.self) { try NPYTestBytes.header("{'descr': '\\x3', 'fortran_order': False, 'shape': ()}") }
        #expect(throws: DataFolioError.self) { try NPYTestBytes.header("{'descr': '\\UFFFFFFFF', 'fortran_order': False, 'shape': ()}") }
        // An unknown escape is kept as written, which then is not a dtype.
        #expect(throws: DataFolioError.self) { try NPYTestBytes.header("{'descr': '\\q', 'fortran_order': False, 'shape': ()}") }
    }

    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), ", "ends before"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}", "expected"),
        ("{'descr': '<f4' 'fortran_order': False, 'shape': ()}", "expected"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", "after the header"),
        ("{'descr': '<f4, 'fortran_order': False, 'shape': ()}", ""),
        ("{'descr': '<f4', 'fortran_order': false, 'shape': ()}", "not a literal"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (__import__('os'),)}", ""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3 4,)}", ""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3x,)}", "runs into"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-,)}", "digits"),
        ("", "ends where a value"),
        ("   ", "ends where a value"),
        ("[1, 2]", "not a dict"),
        ("'<f4'", "not a dict"),
        ("{'descr': '<f4', 'fortran_order': False}", "no 'shape'"),
        ("{'descr': '<f4', 'shape': ()}", "no 'fortran_order'"),
        ("{'fortran_order': False, 'shape': ()}", "no 'descr'"),
        ("{'descr': 4, 'fortran_order': False, 'shape': ()}", "an integer"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", "not True or False"),
        ("{'descr': '<f4', 'fortran_order': 'False', 'shape': ()}", "not True or False"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': 3}", "not a tuple"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': ('3',)}", "not only integers"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (True,)}", "not only integers"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,)}", ""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "negative"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (None,)}", "not only integers"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': ((2,),)}", "not only integers"),
    ])
    func malformedHeaders(text: String, fragment: String) {
        let error = #expect(throws: DataFolioError.self, "\(text)") { try NPYTestBytes.header(text) }
        #expect(error?.code == .corruptData, "\(text)")
        if !fragment.isEmpty {
            #expect(error?.message.contains(fragment) == true, "\(text): \(error?.message ?? "")")
        }
    }

    @Test func absurdShapesAreRefusedBeforeAllocating() {
        let tooBig = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}")
        }
        #expect(tooBig?.code == .limitExceeded)
        let overflowing = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}")
        }
        #expect(overflowing?.code == .limitExceeded)
        let bytesOverflow = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': '<U1000000', 'fortran_order': False, 'shape': (9223372036854775,)}")
        }
        #expect(bytesOverflow?.code == .limitExceeded)
        // A huge but addressable shape parses; reading it fails on the file size.
        let file = NPYTestBytes.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}", data: [1, 2, 3])
        let error = NPYTestBytes.readError(file)
        #expect(error?.code == .truncatedData)
    }

    @Test func deepNestingIsRefused() {
        let deep = "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': " + String(repeating: "(", count: 10_000) + String(repeating: ")", count: 10_000) + "}"
        let error = #expect(throws: DataFolioError.self) { try NPYTestBytes.header(deep, major: 2) }
        #expect(error?.message.contains("nested") == true)
    }

    @Test func unsupportedDescriptors() {
        let object = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}")
        }
        #expect(object?.code == .unsupportedFeature)
        #expect(object?.message.contains("Python objects") == true)
        let structured = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': [('x', '<f4'), ('y', '<i8')], 'fortran_order': False, 'shape': (2,)}")
        }
        #expect(structured?.code == .unsupportedFeature)
        #expect(structured?.message.contains("structured") == true)
        let subarray = #expect(throws: DataFolioError.self) {
            try NPYTestBytes.header("{'descr': ('<f4', (2,)), 'fortran_order': False, 'shape': (2,)}")
        }
        #expect(subarray?.code == .unsupportedFeature)
        for descr in ["|V16", "<f16", "<c32", "<q", "<M8[xs]"] {
            let error = #expect(throws: DataFolioError.self) {
                try NPYTestBytes.header("{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,)}")
            }
            #expect(error?.code == .unsupportedFeature, "\(descr)")
        }
    }

    @Test func latin1AndUTF8HeaderText() throws {
        // Version 1.0 decodes Latin-1: byte 0xE9 is 'é' and is accepted in an extra key.
        let latin1 = NPYTestBytes.file(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'n\u{E9}': 1}", utf8: false)
        #expect(try latin1.withUnsafeBytes { raw in Result { () throws(DataFolioError) in try NPYHeader(parsing: raw) } }.get().shape == [])
        // Version 3.0 decodes UTF-8.
        let utf8 = NPYTestBytes.file(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), '名前': '日本'}", major: 3, data: [0, 0, 0x80, 0x3F])
        #expect(try NDArray(npyData: utf8).values(as: Float.self) == [1])
    }
}

@Suite struct NPYHeaderWritingTests {
    @Test func matchesNumpyLayout() throws {
        let bytes = try NPYHeader(dtype: .float32, shape: [3, 4]).encoded()
        #expect(bytes.count == 128)
        #expect(Array(bytes[0..<10]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 118, 0])
        let text = String(decoding: bytes[10...], as: UTF8.self)
        let expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"
        #expect(text.hasPrefix(expected + String(repeating: " ", count: 20)))
        #expect(text.hasSuffix(" \n"))
        #expect(text.count == 118)
    }

    @Test func shapeAndOrderText() throws {
        func text(_ dtype: DType, _ shape: [Int], _ order: NDArray.Order = .rowMajor) throws -> String {
            let bytes = try NPYHeader(dtype: dtype, shape: shape, order: order).encoded()
            return String(decoding: bytes[10...], as: UTF8.self).trimmingTrailingSpaces
        }
        #expect(try text(.float64, []) == "{'descr': '<f8', 'fortran_order': False, 'shape': (), }")
        #expect(try text(.bool, [5]) == "{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }")
        #expect(try text(.int16, [2, 3], .columnMajor) == "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }")
        // Arrays that are both C- and F-contiguous are written as C order, like numpy.
        #expect(try text(.int16, [1, 3], .columnMajor) == "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 3), }")
        #expect(try text(.int16, [0, 3], .columnMajor) == "{'descr': '<i2', 'fortran_order': False, 'shape': (0, 3), }")
        #expect(try text(.datetime64(.nanosecond), [2]) == "{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (2,), }")
        #expect(try text(.unicode(length: 7), [2]) == "{'descr': '<U7', 'fortran_order': False, 'shape': (2,), }")
        #expect(try text(.bytes(length: 3), [2]) == "{'descr': '|S3', 'fortran_order': False, 'shape': (2,), }")
    }

    @Test func growthPaddingFollowsTheGrowingAxis() throws {
        // numpy leaves room for the first axis (C order) or last axis (Fortran order) to
        // reach 21 digits: a 1-digit axis gets 20 spaces, a 3-digit axis gets 18.
        let c = try NPYHeader(dtype: .int8, shape: [100, 2, 3]).encoded()
        let f = try NPYHeader(dtype: .int8, shape: [100, 2, 3], order: .columnMajor).encoded()
        let cText = String(decoding: c[10...], as: UTF8.self)
        let fText = String(decoding: f[10...], as: UTF8.self)
        #expect(cText.hasPrefix("{'descr': '|i1', 'fortran_order': False, 'shape': (100, 2, 3), }" + String(repeating: " ", count: 18)))
        #expect(fText.hasPrefix("{'descr': '|i1', 'fortran_order': True, 'shape': (100, 2, 3), }" + String(repeating: " ", count: 20)))
    }

    @Test func everyHeaderIsAlignedAndOneBoundaryMeansAnotherLine() throws {
        for rank in 0..<70 {
            for version in NPYFormatVersion.allCases {
                let header = try NPYHeader(dtype: .float32, shape: [rank] + Array(repeating: 1, count: rank), version: version)
                let bytes = try header.encoded()
                #expect(bytes.count % 64 == 0)
                #expect(bytes.count == header.dataOffset)
                #expect(bytes.last == 0x0A)
                // The padding is never empty: numpy adds a full 64 bytes at a boundary.
                #expect(bytes[bytes.count - 2] == 0x20)
                let reparsed = try bytes.withUnsafeBytes { raw in Result { () throws(DataFolioError) in try NPYHeader(parsing: raw) } }.get()
                #expect(reparsed == header)
            }
        }
    }

    @Test func versionIsChosenByHeaderLength() throws {
        #expect(try NPYHeader(dtype: .float32, shape: [3]).version == .v1)
        // Over 64 KiB of shape text needs the 4-byte length of version 2.0.
        let long = try NPYHeader(dtype: .float32, shape: Array(repeating: 1, count: 30_000))
        #expect(long.version == .v2)
        let bytes = try long.encoded()
        #expect(Array(bytes[6..<8]) == [2, 0])
        #expect(bytes.count % 64 == 0)
        let error = #expect(throws: DataFolioError.self) {
            try NPYHeader(dtype: .float32, shape: Array(repeating: 1, count: 30_000), version: .v1)
        }
        #expect(error?.code == .invalidArgument)
        #expect(try NPYHeader(dtype: .float32, shape: [3], version: .v3).encoded()[6] == 3)
    }

    @Test func bfloat16CannotBeWritten() {
        let error = #expect(throws: DataFolioError.self) { try NPYHeader(dtype: .bfloat16, shape: [2]) }
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.message.contains("float32") == true)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while let last = copy.last, last == " " || last == "\n" { copy.removeLast() }
        return copy
    }
}
