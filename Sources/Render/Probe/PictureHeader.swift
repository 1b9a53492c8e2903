import Compiler
import TimelineModel
import Foundation

/// The picture size a still image's header declares, read from its first bytes without decoding:
/// the one number that tells whether decoding it could take gigabytes.
enum PictureHeader {
    /// Width and height declared by a PNG, JPEG, GIF, BMP or WebP header; nil for anything else.
    static func size(of bytes: [UInt8]) -> (width: Int, height: Int)? {
        func be16(_ i: Int) -> Int? { i + 2 <= bytes.count ? Int(bytes[i]) << 8 | Int(bytes[i + 1]) : nil }
        func le16(_ i: Int) -> Int? { i + 2 <= bytes.count ? Int(bytes[i]) | Int(bytes[i + 1]) << 8 : nil }
        func be32(_ i: Int) -> Int? { i + 4 <= bytes.count ? (0..<4).reduce(0) { $0 << 8 | Int(bytes[i + $1]) } : nil }
        func le32(_ i: Int) -> Int? { i + 4 <= bytes.count ? (0..<4).reversed().reduce(0) { $0 << 8 | Int(bytes[i + $1]) } : nil }
        func le24(_ i: Int) -> Int? { i + 3 <= bytes.count ? Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 : nil }
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            offset + prefix.count <= bytes.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }

        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), starts(Array("IHDR".utf8), at: 12),
           let width = be32(16), let height = be32(20) {
            return (width, height)
        }
        if starts(Array("GIF8".utf8)), let width = le16(6), let height = le16(8) {
            return (width, height)
        }
        if starts(Array("BM".utf8)), let width = le32(18), let height = le32(22) {
            // BMP heights are negative for top-down pictures.
            let signed = Int(Int32(truncatingIfNeeded: height))
            return (width, abs(signed))
        }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) {
            if starts(Array("VP8X".utf8), at: 12), let w = le24(24), let h = le24(27) { return (w + 1, h + 1) }
            if starts(Array("VP8L".utf8), at: 12), let bits = le32(21) { return ((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1) }
            if starts(Array("VP8 ".utf8), at: 12), let w = le16(26), let h = le16(28) { return (w & 0x3FFF, h & 0x3FFF) }
            return nil
        }
        if starts([0xFF, 0xD8]) {
            // Walk the markers to the first start-of-frame (SOF0…SOF15 but DHT, JPG and DAC).
            var offset = 2
            while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
                let marker = bytes[offset + 1]
                if marker == 0xFF { offset += 1; continue }
                guard let length = be16(offset + 2) else { return nil }
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    guard let height = be16(offset + 5), let width = be16(offset + 7) else { return nil }
                    return (width, height)
                }
                offset += 2 + length
            }
        }
        return nil
    }

    /// The declared size of the picture in the file at `path` (its first 64 KiB are read).
    static func size(atPath path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 65_536) else { return nil }
        return size(of: [UInt8](data))
    }
}
