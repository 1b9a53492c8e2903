import Foundation

extension Int {
    /// `value` rounded toward zero, clamped to ±2⁵³ (and 0 for NaN). Every Double that reaches an
    /// Int in the compiler goes through here: `Int(_:)` traps on a value it cannot hold, and a
    /// document's number must never be able to stop the process.
    package init(saturating value: Double) {
        let limit = 9_007_199_254_740_992.0
        self = value.isNaN ? 0 : Int(Swift.min(Swift.max(value, -limit), limit))
    }
}

/// A number for a filter option: fixed notation, at most 6 decimals, no trailing zeros.
/// Values beyond ±10⁹ (never a valid option, but reachable from extreme documents) are written
/// clamped rather than trapping.
package func decimal(_ value: Double) -> String {
    let micro = Int(saturating: (Swift.min(Swift.max(value, -1e9), 1e9) * 1_000_000).rounded())
    let sign = micro < 0 ? "-" : ""
    let whole = abs(micro) / 1_000_000
    var fraction = String(abs(micro) % 1_000_000)
    if fraction == "0" { return sign + String(whole) }
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(sign)\(whole).\(fraction)"
}
