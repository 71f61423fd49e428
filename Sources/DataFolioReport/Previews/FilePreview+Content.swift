extension FilePreview.Content {
    /// What a report shows of a file, from its name and its first bytes: PNG and JPEG
    /// pictures (recognised by their signatures) and SVG drawings are inlined when
    /// small; UTF-8 text shows its beginning; anything else is described.
    ///
    /// `bytes` may be only the beginning of the file (a few kilobytes tell pictures from
    /// text), except for a picture to inline, which must be whole; `fileSize` is the size
    /// of the whole file. Inlined pictures are taken from `imageBudget`.
    ///
    /// ```swift
    /// let content = FilePreview.Content(fileName: "notes.md", bytes: Array("# Notes".utf8), fileSize: 7)
    /// ```
    public init(fileName: String, bytes: [UInt8], fileSize: Int, limits: ReportLimits = ReportLimits(), imageBudget: inout Int) {
        let lowered = fileName.lowercased()
        if let mediaType = FileSniffing.imageMediaType(bytes, fileName: lowered) {
            if fileSize > limits.imageBytes {
                self = .none("A \(FileSniffing.imageLabel(mediaType)) picture too large to inline (\(ByteSize.text(fileSize))).")
            } else if fileSize > imageBudget {
                self = .none("A \(FileSniffing.imageLabel(mediaType)) picture, not inlined: the report's budget for pictures is used up.")
            } else if bytes.count < fileSize {
                self = .none("A \(FileSniffing.imageLabel(mediaType)) picture (only its beginning was read).")
            } else {
                imageBudget -= fileSize
                self = .image(mediaType: mediaType, bytes: bytes)
            }
            return
        }
        if FileSniffing.looksLikeText(bytes.prefix(limits.textBytes + 4)) {
            let head = FileSniffing.utf8Prefix(bytes, maximumBytes: limits.textBytes)
            self = .text(String(decoding: head, as: UTF8.self), omittedBytes: max(fileSize - head.count, 0))
            return
        }
        self = .none("No preview for this kind of file.")
    }

    /// The same, without a report-wide budget for pictures.
    ///
    /// ```swift
    /// let content = FilePreview.Content(fileName: "roc.png", bytes: pngBytes, fileSize: pngBytes.count)
    /// ```
    public init(fileName: String, bytes: [UInt8], fileSize: Int, limits: ReportLimits = ReportLimits()) {
        var budget = Int.max
        self.init(fileName: fileName, bytes: bytes, fileSize: fileSize, limits: limits, imageBudget: &budget)
    }
}

/// Recognising pictures and text from their bytes.
enum FileSniffing {
    static func imageMediaType(_ bytes: [UInt8], fileName: String) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if fileName.hasSuffix(".svg"), looksLikeText(bytes.prefix(4096)) {
            let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
            if head.contains("<svg") { return "image/svg+xml" }
        }
        return nil
    }

    static func imageLabel(_ mediaType: String) -> String {
        switch mediaType {
        case "image/png": "PNG"
        case "image/jpeg": "JPEG"
        default: "SVG"
        }
    }

    /// Whether bytes read as UTF-8 text: no NUL and no invalid sequence (a sequence cut
    /// at the end of the sample is allowed).
    static func looksLikeText(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.contains(0) { return false }
        let trimmed = utf8Prefix(Array(bytes), maximumBytes: bytes.count)
        // Up to 3 bytes may be dropped for a character cut at the end of the sample.
        guard bytes.count - trimmed.count <= 3 else { return false }
        var iterator = trimmed.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                // Control characters other than tab, line feed, carriage return and form feed suggest binary data.
                if scalar.value < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains(scalar.value) { return false }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The longest prefix of at most `maximumBytes` bytes that does not end inside a
    /// UTF-8 sequence.
    static func utf8Prefix(_ bytes: [UInt8], maximumBytes: Int) -> [UInt8] {
        var end = min(bytes.count, max(maximumBytes, 0))
        guard end > 0 else { return [] }
        // Step back over continuation bytes to the start of the last sequence, and drop
        // that sequence when it is incomplete.
        var start = end
        while start > 0 && start > end - 4 && bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        if start > 0 {
            let lead = bytes[start - 1]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if (start - 1) + length > end { end = start - 1 }
        }
        return Array(bytes[..<end])
    }
}

/// Byte counts as people read them.
enum ByteSize {
    /// `532 B`, `1.2 KB`, `3.4 MB` (powers of 1,024).
    static func text(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return text + " " + units[unit]
    }
}
