/// Decodes names of ZIP entries that do not set the UTF-8 flag: the ZIP specification
/// says those are in IBM code page 437 (Python's `zipfile` reads them the same way).
enum CodePage437 {
    private static let upperHalf: [Character] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}")

    static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var result = ""
        result.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte < 0x80 {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result.append(upperHalf[Int(byte) - 0x80])
            }
        }
        return result
    }
}
