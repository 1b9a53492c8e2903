/// The filters that turn a picture clockwise by `quarters` quarter turns (any integer; taken
/// modulo 4): the one rule for source rotation tags, thumbnails, filmstrips and `rotate` effects.
package func quarterTurnFilters(_ quarters: Int) -> [String] {
    switch (quarters % 4 + 4) % 4 {
    case 1: return ["transpose=clock"]
    case 2: return ["hflip", "vflip"]
    case 3: return ["transpose=cclock"]
    default: return []
    }
}
