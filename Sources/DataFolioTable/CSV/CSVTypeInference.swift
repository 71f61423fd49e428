import DataFolioSupport

/// The spellings of null, matched against field bytes without creating strings.
struct CSVNullSpellings {
    private let spellings: [[UInt8]]
    /// Bit `n` is set when a spelling has `n` bytes.
    private let lengths: UInt64
    /// Whether a spelling starts with each byte value.
    private let firstBytes: [Bool]

    init(_ options: CSVReadOptions) {
        var all = options.usesDefaultNullSpellings ? CSVReadOptions.defaultNullSpellings : []
        all.append(contentsOf: options.nullSpellings)
        // The empty unquoted field is null anyway; a quoted empty field is handled by type.
        let unique = Array(Set(all.filter { !$0.isEmpty }.map { Array($0.utf8) })).filter { $0.count < 64 }
        spellings = unique
        lengths = unique.reduce(0) { $0 | (1 << UInt64($1.count)) }
        var first = [Bool](repeating: false, count: 256)
        for spelling in unique { first[Int(spelling[0])] = true }
        firstBytes = first
    }

    @inline(__always)
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = text.count
        guard n > 0, n < 64, lengths & (1 << UInt64(n)) != 0, firstBytes[Int(text[0])] else { return false }
        for spelling in spellings where spelling.count == n {
            if spelling.withUnsafeBufferPointer({ memcmp($0.baseAddress, text.baseAddress, n) == 0 }) { return true }
        }
        return false
    }
}

@inline(__always)
private func memcmp(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let a, let b else { return count == 0 ? 0 : 1 }
    for k in 0..<count where a[k] != b[k] { return 1 }
    return 0
}

/// What the values of one column seen so far allow it to be, narrowest first:
/// int64 (or uint64), float64, bool, date, timestamp, and string when nothing else fits.
///
/// The rules follow pandas' `read_csv` for numbers and booleans: integers with optional
/// sign and surrounding blanks; integers above `Int64.max` make `uint64` when none is
/// negative and text otherwise; a mix of integers and decimals is `float64`; booleans
/// are `True`/`true`/`TRUE` and `False`/`false`/`FALSE`. Dates (`YYYY-MM-DD`) and ISO 8601
/// timestamps, which pandas leaves as text unless asked, become `date32` and timestamps.
struct CSVTypeInference {
    private(set) var sawValue = false
    private var integers = true
    private var fitsInt64 = true
    private var fitsUInt64 = true
    private var floats = true
    private var bools = true
    private var dates = true
    private var timestamps = true
    private var sawOffset = false
    private var sawNaive = false
    private var fractionDigits = 0
    private var fitsNanoseconds = true

    /// Whether nothing but text can hold the values seen.
    var isText: Bool { sawValue && !integers && !floats && !bools && !dates && !timestamps }

    /// Takes the values of one batch into account.
    mutating func observe(_ access: CSVFieldAccess, nulls: CSVNullSpellings) {
        guard !isText else { return }
        for row in 0..<access.spans.count {
            let span = access.span(row)
            // Empty unquoted and quoted fields, and null spellings, say nothing about the type.
            if span.flags & CSVSpan.empty != 0 || span.length == 0 { continue }
            let text = access.text(span)
            if nulls.matches(text) { continue }
            observe(text)
            if isText { return }
        }
    }

    private mutating func observe(_ text: UnsafeBufferPointer<UInt8>) {
        sawValue = true
        if integers || floats {
            let number = CSVFieldParsers.trimmed(text)
            var isInteger = false
            if integers {
                if let value = CSVFieldParsers.int64(number) {
                    isInteger = true
                    if value < 0 { fitsUInt64 = false }
                } else if CSVFieldParsers.isIntegerText(number) {
                    isInteger = true
                    fitsInt64 = false
                    if CSVFieldParsers.uint64(number) == nil { fitsUInt64 = false }
                } else {
                    integers = false
                }
            }
            if !isInteger && floats && CSVFieldParsers.double(number) == nil { floats = false }
            if isInteger || floats {
                // A number is never a boolean or a date.
                bools = false
                dates = false
                timestamps = false
                return
            }
        }
        if bools {
            if CSVFieldParsers.bool(text) != nil {
                dates = false
                timestamps = false
                return
            }
            bools = false
        }
        if dates && CSVFieldParsers.date(text) == nil { dates = false }
        if timestamps {
            if let parsed = CSVFieldParsers.timestamp(text), parsed.value(in: .microsecond) != nil {
                if parsed.hasOffset { sawOffset = true } else { sawNaive = true }
                fractionDigits = max(fractionDigits, parsed.fractionDigits)
                if fitsNanoseconds && parsed.value(in: .nanosecond) == nil { fitsNanoseconds = false }
                // Naive and offset times together are ambiguous: text.
                if sawOffset && sawNaive { timestamps = false }
            } else {
                timestamps = false
            }
        }
    }

    /// The type the values seen call for. A column with no values at all is `float64`,
    /// as in pandas, unless `emptyIsText` (for inference from a first block, where a
    /// later value could be anything).
    func resolved(emptyIsText: Bool) -> ColumnType {
        guard sawValue else { return emptyIsText ? .string : .float64 }
        if integers {
            if fitsInt64 { return .int64 }
            if fitsUInt64 { return .uint64 }
            return .string
        }
        if floats { return .float64 }
        if bools { return .bool }
        if dates { return .date }
        if timestamps {
            let zone: String? = sawOffset ? "UTC" : nil
            if fractionDigits > 6 && fitsNanoseconds { return .timestamp(.nanosecond, timeZone: zone) }
            if fractionDigits > 6 { return .string }
            return .timestamp(.microsecond, timeZone: zone)
        }
        return .string
    }
}
