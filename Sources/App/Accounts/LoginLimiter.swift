import Foundation

/// Counts failed sign-ins per client address and per account within a sliding window, and says
/// how long a caller must wait once either has failed too often. Checked before the password
/// hash, so a refused guess costs the server nothing. Memory is bounded: past `maxKeys` the
/// least recently failed keys are forgotten.
actor LoginLimiter {
    struct Limits: Sendable {
        var perAddress = 20
        var perAccount = 5
        var window: Duration = .seconds(15 * 60)
        var maxKeys = 10_000
    }

    private let limits: Limits
    private let clock = ContinuousClock()
    private var failures: [String: [ContinuousClock.Instant]] = [:]

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// How long to wait before trying again, or nil when the attempt may go ahead.
    func wait(address: String?, email: String) -> Duration? {
        let now = clock.now
        return [address.map { ("ip:" + $0, limits.perAddress) }, ("email:" + email.lowercased(), limits.perAccount)]
            .compactMap { $0 }
            .compactMap { key, limit -> Duration? in
                let recent = recentFailures(key, now: now)
                guard recent.count >= limit, let oldest = recent.first else { return nil }
                return oldest + limits.window - now
            }
            .max()
    }

    func recordFailure(address: String?, email: String) {
        let now = clock.now
        for key in [address.map { "ip:" + $0 }, "email:" + email.lowercased()].compactMap({ $0 }) {
            failures[key] = recentFailures(key, now: now) + [now]
        }
        if failures.count > limits.maxKeys { forgetOldest() }
    }

    /// A successful sign-in clears the account's count (not the address's: one right password
    /// must not reset guessing at other accounts).
    func recordSuccess(email: String) {
        failures["email:" + email.lowercased()] = nil
    }

    private func recentFailures(_ key: String, now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        (failures[key] ?? []).filter { now - $0 < limits.window }
    }

    private func forgetOldest() {
        let now = clock.now
        failures = failures.compactMapValues { times in
            let recent = times.filter { now - $0 < limits.window }
            return recent.isEmpty ? nil : recent
        }
        guard failures.count > limits.maxKeys else { return }
        let newestFirst = failures.sorted { ($0.value.last ?? now) > ($1.value.last ?? now) }
        failures = Dictionary(uniqueKeysWithValues: newestFirst.prefix(limits.maxKeys).map { ($0.key, $0.value) })
    }
}
