import TimelineModel
/// Why a render cannot take a faster path (stream copy, parallel segments); it is then rendered in
/// one pass and the reason is reported in `RenderResult.notes`.
package struct Ineligible: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) { self.reason = reason }

    package var description: String { reason }
}
