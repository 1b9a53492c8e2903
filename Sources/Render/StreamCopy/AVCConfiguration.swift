import Compiler
import TimelineModel
/// An H.264 decoder configuration record (`avcC`, ISO/IEC 14496-15 §5.3.3): the parameter sets an
/// MP4 track's decoder starts with. Parsed to merge two encoders' parameter sets into one track.
struct AVCConfiguration: Sendable, Hashable {
    var profile: UInt8
    var compatibility: UInt8
    var level: UInt8
    /// Bytes of each NAL unit's length prefix in the samples (1, 2 or 4).
    var lengthSize: Int
    var sequenceParameterSets: [[UInt8]]
    var pictureParameterSets: [[UInt8]]
    /// The High-profile fields after the PPS list (chroma format, bit depths, SPS extensions), as read.
    var trailer: [UInt8]

    /// Nil unless `bytes` is a well-formed record (version 1, every length inside the data).
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 7, bytes[0] == 1 else { return nil }
        profile = bytes[1]
        compatibility = bytes[2]
        level = bytes[3]
        lengthSize = Int(bytes[4] & 3) + 1
        guard lengthSize != 3 else { return nil }
        var offset = 6
        func units(count: Int) -> [[UInt8]]? {
            var units: [[UInt8]] = []
            for _ in 0..<count {
                guard offset + 2 <= bytes.count else { return nil }
                let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
                offset += 2
                guard length > 0, offset + length <= bytes.count else { return nil }
                units.append(Array(bytes[offset..<offset + length]))
                offset += length
            }
            return units
        }
        guard let sps = units(count: Int(bytes[5] & 0x1F)), offset < bytes.count else { return nil }
        let ppsCount = Int(bytes[offset])
        offset += 1
        guard let pps = units(count: ppsCount) else { return nil }
        sequenceParameterSets = sps
        pictureParameterSets = pps
        trailer = Array(bytes[offset...])
    }

    var bytes: [UInt8] {
        var out: [UInt8] = [1, profile, compatibility, level, 0xFC | UInt8(lengthSize - 1), 0xE0 | UInt8(sequenceParameterSets.count)]
        for unit in sequenceParameterSets { out += [UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)] + unit }
        out.append(UInt8(pictureParameterSets.count))
        for unit in pictureParameterSets { out += [UInt8(unit.count >> 8), UInt8(unit.count & 0xFF)] + unit }
        return out + trailer
    }

    /// `seq_parameter_set_id` of each SPS: the first Exp-Golomb number after profile, flags and level.
    var sequenceParameterSetIDs: [Int] { sequenceParameterSets.compactMap { Self.firstNumber(in: $0, skipping: 4) } }
    /// `pic_parameter_set_id` of each PPS: its first Exp-Golomb number.
    var pictureParameterSetIDs: [Int] { pictureParameterSets.compactMap { Self.firstNumber(in: $0, skipping: 1) } }

    /// One record holding both records' parameter sets, so pictures of either encoder decode from one
    /// track. Nil when they cannot share one: different prefix lengths or sample formats, or ids in common.
    func merged(with other: AVCConfiguration) -> AVCConfiguration? {
        guard lengthSize == other.lengthSize, trailer == other.trailer, profile == other.profile,
              Set(sequenceParameterSetIDs).isDisjoint(with: other.sequenceParameterSetIDs),
              Set(pictureParameterSetIDs).isDisjoint(with: other.pictureParameterSetIDs),
              sequenceParameterSets.count + other.sequenceParameterSets.count <= 31,
              pictureParameterSets.count + other.pictureParameterSets.count <= 255 else { return nil }
        var merged = self
        merged.compatibility = compatibility & other.compatibility
        merged.level = max(level, other.level)
        merged.sequenceParameterSets += other.sequenceParameterSets
        merged.pictureParameterSets += other.pictureParameterSets
        return merged
    }

    /// The first unsigned Exp-Golomb number after `skipping` bytes of a NAL unit (its header included),
    /// reading past emulation-prevention bytes.
    static func firstNumber(in unit: [UInt8], skipping: Int) -> Int? {
        var payload: [UInt8] = []
        var zeros = 0
        for byte in unit.dropFirst(skipping) {
            if zeros >= 2 && byte == 3 { zeros = 0; continue }
            zeros = byte == 0 ? zeros + 1 : 0
            payload.append(byte)
        }
        var bit = 0
        func next() -> Int? {
            guard bit / 8 < payload.count else { return nil }
            defer { bit += 1 }
            return Int(payload[bit / 8] >> (7 - UInt8(bit % 8))) & 1
        }
        var leading = 0
        while true {
            guard let b = next() else { return nil }
            if b == 1 { break }
            leading += 1
            if leading > 31 { return nil }
        }
        var value = 0
        for _ in 0..<leading {
            guard let b = next() else { return nil }
            value = value << 1 | b
        }
        return (1 << leading) - 1 + value
    }
}
