import Foundation

/// Opaque, URL-safe, time-sortable identifiers in the ULID layout: 48 bits of Unix milliseconds
/// followed by 80 random bits, written as 26 Crockford base-32 characters (`0-9`, `A-Z` without
/// `I L O U`). Every id is also a valid `BlobKey` segment.
public enum Identifier {
    /// A new id, greater than every id made before it by this process.
    public static func make() -> String {
        let (time, high, low) = generator.next(now: UInt64(max(0, Date().timeIntervalSince1970 * 1000)))
        return encode(time: time, randomHigh: high, randomLow: low)
    }

    private static let generator = MonotonicGenerator()
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Writes the 128-bit value (time, high, low) as 26 characters of 5 bits, the first holding only 3.
    static func encode(time: UInt64, randomHigh: UInt16, randomLow: UInt64) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - index))) }
        bytes[6] = UInt8(truncatingIfNeeded: randomHigh >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: randomHigh)
        for index in 0..<8 { bytes[8 + index] = UInt8(truncatingIfNeeded: randomLow >> (8 * (7 - index))) }
        var characters = [UInt8]()
        characters.reserveCapacity(26)
        for character in 0..<26 {
            var value = 0
            for bit in 0..<5 {
                // 130 bits of characters carry 128 bits of value: the first two bits are padding.
                let bitIndex = character * 5 + bit - 2
                let set = bitIndex >= 0 && (bytes[bitIndex / 8] >> (7 - bitIndex % 8)) & 1 == 1
                value = value << 1 | (set ? 1 : 0)
            }
            characters.append(alphabet[value])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

/// Remembers the last id's time and random part so ids made within one millisecond (or while the
/// clock steps back) still sort in creation order: the random part is incremented instead.
private final class MonotonicGenerator: @unchecked Sendable {
    // @unchecked: every access to the mutable state goes through `lock`.
    private let lock = NSLock()
    private var lastTime: UInt64 = 0
    private var lastHigh: UInt16 = 0
    private var lastLow: UInt64 = 0

    func next(now: UInt64) -> (UInt64, UInt16, UInt64) {
        lock.lock()
        defer { lock.unlock() }
        if now > lastTime {
            var random = SystemRandomNumberGenerator()
            lastTime = now
            lastHigh = random.next()
            lastLow = random.next()
        } else {
            let (low, overflow) = lastLow.addingReportingOverflow(1)
            lastLow = low
            if overflow {
                let (high, highOverflow) = lastHigh.addingReportingOverflow(1)
                lastHigh = high
                if highOverflow { lastTime += 1 }
            }
        }
        return (lastTime & 0xFFFF_FFFF_FFFF, lastHigh, lastLow)
    }
}
