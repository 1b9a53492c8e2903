import Foundation
import NIOCore

/// The framing of a ZIP archive written front to back in one pass, entries stored (MP4 does not
/// compress): a local header before each entry's bytes, a data descriptor after them with the
/// CRC-32 and size found while streaming, and the central directory at the end. ZIP64 records are
/// written where a size or offset needs them (files and archives over 4 GiB, over 65,535 entries).
struct ZipStream {
    private struct Entry {
        var name: [UInt8]
        var offset: UInt64
        var crc: UInt32 = 0
        var size: UInt64 = 0
        var zip64: Bool
    }

    private var entries: [Entry] = []
    /// Bytes written so far.
    private(set) var offset: UInt64 = 0
    /// Always write ZIP64 records (for tests of that path with small files).
    var forceZip64 = false
    private let time: UInt16
    private let date: UInt16

    init(modified: Date = Date()) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        date = UInt16(max(0, (c.year ?? 1980) - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
    }

    private static let max32 = UInt64(UInt32.max)

    /// The local header of the next entry, `size` bytes long (sizes and CRC follow in its descriptor).
    mutating func begin(name: String, size: UInt64) -> ByteBuffer {
        let zip64 = forceZip64 || size >= Self.max32
        let entry = Entry(name: Array(name.utf8), offset: offset, zip64: zip64)
        var out = ByteBuffer()
        out.writeInteger(UInt32(0x0403_4b50), endianness: .little)
        out.writeInteger(UInt16(zip64 ? 45 : 20), endianness: .little)
        // Bit 3: sizes and CRC in the data descriptor; bit 11: the name is UTF-8.
        out.writeInteger(UInt16(0x0808), endianness: .little)
        out.writeInteger(UInt16(0), endianness: .little)
        out.writeInteger(time, endianness: .little)
        out.writeInteger(date, endianness: .little)
        out.writeInteger(UInt32(0), endianness: .little)
        out.writeInteger(zip64 ? UInt32.max : 0, endianness: .little)
        out.writeInteger(zip64 ? UInt32.max : 0, endianness: .little)
        out.writeInteger(UInt16(entry.name.count), endianness: .little)
        out.writeInteger(UInt16(zip64 ? 20 : 0), endianness: .little)
        out.writeBytes(entry.name)
        if zip64 {
            out.writeInteger(UInt16(0x0001), endianness: .little)
            out.writeInteger(UInt16(16), endianness: .little)
            out.writeInteger(UInt64(0), endianness: .little)
            out.writeInteger(UInt64(0), endianness: .little)
        }
        entries.append(entry)
        offset += UInt64(out.readableBytes)
        return out
    }

    /// Counts bytes of the current entry's data as they are written.
    mutating func wrote(_ count: Int) {
        offset += UInt64(count)
    }

    /// The data descriptor closing the current entry.
    mutating func end(crc: UInt32, size: UInt64) -> ByteBuffer {
        entries[entries.count - 1].crc = crc
        entries[entries.count - 1].size = size
        let zip64 = entries[entries.count - 1].zip64
        var out = ByteBuffer()
        out.writeInteger(UInt32(0x0807_4b50), endianness: .little)
        out.writeInteger(crc, endianness: .little)
        if zip64 {
            out.writeInteger(size, endianness: .little)
            out.writeInteger(size, endianness: .little)
        } else {
            out.writeInteger(UInt32(size), endianness: .little)
            out.writeInteger(UInt32(size), endianness: .little)
        }
        offset += UInt64(out.readableBytes)
        return out
    }

    /// The central directory and end records.
    mutating func finish() -> ByteBuffer {
        var out = ByteBuffer()
        let start = offset
        for entry in entries {
            let bigSize = forceZip64 || entry.size >= Self.max32
            let bigOffset = forceZip64 || entry.offset >= Self.max32
            var extra = ByteBuffer()
            if bigSize || bigOffset {
                extra.writeInteger(UInt16(0x0001), endianness: .little)
                extra.writeInteger(UInt16((bigSize ? 16 : 0) + (bigOffset ? 8 : 0)), endianness: .little)
                if bigSize {
                    extra.writeInteger(entry.size, endianness: .little)
                    extra.writeInteger(entry.size, endianness: .little)
                }
                if bigOffset { extra.writeInteger(entry.offset, endianness: .little) }
            }
            out.writeInteger(UInt32(0x0201_4b50), endianness: .little)
            out.writeInteger(UInt16(45), endianness: .little)
            out.writeInteger(UInt16(entry.zip64 || bigOffset ? 45 : 20), endianness: .little)
            out.writeInteger(UInt16(0x0808), endianness: .little)
            out.writeInteger(UInt16(0), endianness: .little)
            out.writeInteger(time, endianness: .little)
            out.writeInteger(date, endianness: .little)
            out.writeInteger(entry.crc, endianness: .little)
            out.writeInteger(bigSize ? UInt32.max : UInt32(entry.size), endianness: .little)
            out.writeInteger(bigSize ? UInt32.max : UInt32(entry.size), endianness: .little)
            out.writeInteger(UInt16(entry.name.count), endianness: .little)
            out.writeInteger(UInt16(extra.readableBytes), endianness: .little)
            out.writeInteger(UInt16(0), endianness: .little)
            out.writeInteger(UInt16(0), endianness: .little)
            out.writeInteger(UInt16(0), endianness: .little)
            out.writeInteger(UInt32(0o100644) << 16, endianness: .little)
            out.writeInteger(bigOffset ? UInt32.max : UInt32(entry.offset), endianness: .little)
            out.writeBytes(entry.name)
            out.writeImmutableBuffer(extra)
        }
        let size = UInt64(out.readableBytes)
        let count = UInt64(entries.count)
        if forceZip64 || count >= 0xFFFF || start >= Self.max32 || size >= Self.max32 {
            let record = start + size
            out.writeInteger(UInt32(0x0606_4b50), endianness: .little)
            out.writeInteger(UInt64(44), endianness: .little)
            out.writeInteger(UInt16(45), endianness: .little)
            out.writeInteger(UInt16(45), endianness: .little)
            out.writeInteger(UInt32(0), endianness: .little)
            out.writeInteger(UInt32(0), endianness: .little)
            out.writeInteger(count, endianness: .little)
            out.writeInteger(count, endianness: .little)
            out.writeInteger(size, endianness: .little)
            out.writeInteger(start, endianness: .little)
            out.writeInteger(UInt32(0x0706_4b50), endianness: .little)
            out.writeInteger(UInt32(0), endianness: .little)
            out.writeInteger(record, endianness: .little)
            out.writeInteger(UInt32(1), endianness: .little)
        }
        out.writeInteger(UInt32(0x0605_4b50), endianness: .little)
        out.writeInteger(UInt16(0), endianness: .little)
        out.writeInteger(UInt16(0), endianness: .little)
        out.writeInteger(UInt16(min(count, 0xFFFF)), endianness: .little)
        out.writeInteger(UInt16(min(count, 0xFFFF)), endianness: .little)
        out.writeInteger(UInt32(min(size, Self.max32)), endianness: .little)
        out.writeInteger(UInt32(min(start, Self.max32)), endianness: .little)
        out.writeInteger(UInt16(0), endianness: .little)
        offset += UInt64(out.readableBytes)
        return out
    }
}

/// CRC-32 (IEEE, as ZIP uses), eight bytes at a time.
struct CRC32 {
    private(set) var value: UInt32 = 0

    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            tables[0][n] = c
        }
        for n in 0..<256 {
            for k in 1..<8 { tables[k][n] = (tables[k - 1][n] >> 8) ^ tables[0][Int(tables[k - 1][n] & 0xFF)] }
        }
        return tables
    }()

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        let t = Self.tables
        var c = ~value
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let lo = c ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
            c = t[7][Int(lo & 0xFF)] ^ t[6][Int((lo >> 8) & 0xFF)] ^ t[5][Int((lo >> 16) & 0xFF)] ^ t[4][Int(lo >> 24)]
                ^ t[3][Int(bytes[i + 4])] ^ t[2][Int(bytes[i + 5])] ^ t[1][Int(bytes[i + 6])] ^ t[0][Int(bytes[i + 7])]
            i += 8
        }
        while i < n {
            c = t[0][Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
            i += 1
        }
        value = ~c
    }
}
