/// Why a render cannot take a faster path (stream copy, parallel segments); it is then rendered in
/// one pass and the reason is reported in `RenderResult.notes`.
struct Ineligible: Error, Sendable, Hashable, CustomStringConvertible {
    var reason: String

    init(_ reason: String) { self.reason = reason }

    var description: String { reason }
}
