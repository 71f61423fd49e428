import DataFolioCompression
import DataFolioSupport
import Foundation

/// Just enough PNG for the tests: decodes 8-bit RGB and RGBA images (Chromium's
/// screenshots) into pixels, and encodes small RGB images to store in folios.
struct PNGImage {
    var width: Int
    var height: Int
    /// RGBA, row by row.
    var pixels: [UInt32]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init(decoding bytes: [UInt8]) throws {
        guard bytes.starts(with: Self.signature) else { throw Failure(description: "not a PNG file") }
        var offset = 8
        var header: (width: Int, height: Int, depth: UInt8, colorType: UInt8, interlace: UInt8)?
        var compressed = [UInt8]()
        func be32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while offset + 8 <= bytes.count {
            let length = be32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length + 4 <= bytes.count else { throw Failure(description: "truncated \(type) chunk") }
            let body = Array(bytes[start..<(start + length)])
            switch type {
            case "IHDR":
                guard length == 13 else { throw Failure(description: "bad IHDR") }
                header = (be32(start), be32(start + 4), body[8], body[9], body[12])
            case "IDAT":
                compressed += body
            default:
                break
            }
            offset = start + length + 4
            if type == "IEND" { break }
        }
        guard let header else { throw Failure(description: "no IHDR") }
        guard header.depth == 8, header.interlace == 0, header.colorType == 2 || header.colorType == 6 else {
            throw Failure(description: "unsupported PNG: depth \(header.depth), colour type \(header.colorType), interlace \(header.interlace)")
        }
        let channels = header.colorType == 6 ? 4 : 3
        let stride = header.width * channels
        let raw = try Zlib.decompress(compressed, maximumOutputSize: header.height * (stride + 1))
        guard raw.count == header.height * (stride + 1) else { throw Failure(description: "image data has \(raw.count) bytes") }
        var previous = [UInt8](repeating: 0, count: stride)
        var pixels = [UInt32]()
        pixels.reserveCapacity(header.width * header.height)
        for row in 0..<header.height {
            let base = row * (stride + 1)
            let filter = raw[base]
            var line = Array(raw[(base + 1)..<(base + 1 + stride)])
            for index in 0..<stride {
                let left = index >= channels ? Int(line[index - channels]) : 0
                let up = Int(previous[index])
                let upLeft = index >= channels ? Int(previous[index - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predictor = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: throw Failure(description: "bad filter \(filter) on row \(row)")
                }
                line[index] = UInt8(truncatingIfNeeded: Int(line[index]) + predictor)
            }
            for x in 0..<header.width {
                let p = x * channels
                let alpha: UInt32 = channels == 4 ? UInt32(line[p + 3]) : 255
                pixels.append(UInt32(line[p]) << 24 | UInt32(line[p + 1]) << 16 | UInt32(line[p + 2]) << 8 | alpha)
            }
            previous = line
        }
        self.width = header.width
        self.height = header.height
        self.pixels = pixels
    }

    init(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) {
        self.width = width
        self.height = height
        var pixels = [UInt32]()
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                pixels.append(UInt32(r) << 24 | UInt32(g) << 16 | UInt32(b) << 8 | 255)
            }
        }
        self.pixels = pixels
    }

    /// The image as an RGB PNG file.
    var encoded: [UInt8] {
        var raw = [UInt8]()
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width {
                let p = pixels[y * width + x]
                raw += [UInt8(p >> 24), UInt8(truncatingIfNeeded: p >> 16), UInt8(truncatingIfNeeded: p >> 8)]
            }
        }
        func be32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 255), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            var crc = CRC32()
            crc.update(Array(type.utf8) + body)
            return be32(body.count) + Array(type.utf8) + body + be32(Int(crc.value))
        }
        return Self.signature + chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0]) + chunk("IDAT", Zlib.compress(raw)) + chunk("IEND", [])
    }

    /// How many pixels have each colour.
    var colorCounts: [UInt32: Int] {
        var counts = [UInt32: Int]()
        for pixel in pixels { counts[pixel, default: 0] += 1 }
        return counts
    }
}
