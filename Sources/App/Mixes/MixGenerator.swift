/// Picks a mix's variants: pure and deterministic (same groups, count and seed → same variants).
///
/// Each group offers choices (every `pick`-sized set of its clips in listed order, plus "left out"
/// when optional). Variant `i` takes, in group `g`, choice `π_g((i mod L + s_g(b)) mod n_g)`
/// where `n_g` is the group's number of choices, `L = lcm(n_g)`, `b = i / L` a block of `L`
/// variants, `π_g` a seeded shuffle of the group's choices and `s(b)` a shift per block. Within a
/// block the choices of every group cycle, so after any number of variants each choice of a
/// group has been used within one time of every other (exactly equally when the count is a
/// multiple of `L`). The tuples of one block form a coset of the diagonal `{(r mod n_g)}` of
/// `Z_n1 × … × Z_nG`; shifts are taken from distinct cosets, so no two variants repeat a tuple.
/// A tuple that leaves every group out, or repeats another variant's clip sequence (the same
/// asset in two groups), is skipped: that is the only way usage can drift past one.
struct MixGenerator: Sendable {
    struct Group: Sendable {
        /// One identity per clip (asset, in-point, length): equal keys are the same clip on screen.
        var clips: [String]
        var pick: Int
        var optional: Bool
    }

    struct Variant: Sendable, Equatable {
        /// 0-based position in the generated list.
        var index: Int
        /// Per group (in order), the indices of the clips used; empty when left out.
        var picks: [[Int]]
    }

    let groups: [Group]
    /// Per group, its choices: sets of clip indices in listed order (empty = left out, last).
    let choices: [[[Int]]]

    init(groups: [Group]) {
        self.groups = groups
        choices = groups.map { group in
            var sets = Self.combinations(of: group.clips.count, picking: group.pick)
            if group.optional { sets.append([]) }
            return sets
        }
    }

    /// How many distinct choice tuples exist (at most `Int.max`), less the one leaving every group out.
    var combinations: Int {
        let product = choices.reduce(1) { Self.multiply($0, $1.count) }
        let allOptional = groups.allSatisfy(\.optional)
        return product == Int.max ? product : product - (allOptional ? 1 : 0)
    }

    /// Up to `count` distinct variants (fewer only when fewer distinct clip sequences exist).
    func variants(count: Int, seed: UInt64) -> [Variant] {
        guard !groups.isEmpty, count > 0, choices.allSatisfy({ !$0.isEmpty }) else { return [] }
        let sizes = choices.map(\.count)
        let total = choices.reduce(1) { Self.multiply($0, $1.count) }
        let block = sizes.reduce(1) { Self.lcm($0, $1) }
        var random = SplitMix64(seed: seed)
        let shuffles = sizes.map { random.permutation($0) }
        var shifts = ShiftSource(sizes: sizes, block: block)
        var seen: Set<[String]> = []
        var result: [Variant] = []
        var i = 0
        // The cap on steps only matters when many tuples repeat a sequence (shared assets).
        let steps = Self.multiply(count, 64)
        while result.count < count, i < total, i < steps {
            let b = block == Int.max ? 0 : i / block
            let r = block == Int.max ? i : i % block
            let shift = shifts.shift(b)
            let picks = sizes.indices.map { g in choices[g][shuffles[g][(r % sizes[g] + shift[g]) % sizes[g]]] }
            i += 1
            let sequence = picks.indices.flatMap { g in picks[g].map { groups[g].clips[$0] } }
            guard !sequence.isEmpty, seen.insert(sequence).inserted else { continue }
            result.append(Variant(index: result.count, picks: picks))
        }
        return result
    }

    /// Every `k`-sized subset of `0..<n` in lexicographic order.
    static func combinations(of n: Int, picking k: Int) -> [[Int]] {
        guard k > 0, k <= n else { return [] }
        var result: [[Int]] = []
        var current = Array(0..<k)
        while true {
            result.append(current)
            var i = k - 1
            while i >= 0, current[i] == n - k + i { i -= 1 }
            guard i >= 0 else { return result }
            current[i] += 1
            for j in (i + 1)..<k { current[j] = current[j - 1] + 1 }
        }
    }

    /// C(n, k), at most `Int.max`.
    static func choose(_ n: Int, _ k: Int) -> Int {
        guard k >= 0, k <= n else { return 0 }
        var result = 1
        for i in 0..<min(k, n - k) {
            let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
            if overflow { return Int.max }
            result = product / (i + 1)
        }
        return result
    }

    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    static func lcm(_ a: Int, _ b: Int) -> Int {
        guard a != Int.max, b != Int.max else { return Int.max }
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return multiply(a / x, b)
    }
}

/// Shift vectors of blocks, one per coset of the diagonal: candidates in mixed-radix order with
/// the first group's shift 0, kept when their coset is new. Only needed past the first block,
/// i.e. when `block` is smaller than the count asked for, so the canonical form stays cheap.
private struct ShiftSource {
    let sizes: [Int]
    let block: Int
    var shifts: [[Int]]
    var seen: Set<[Int]> = []
    var candidate: [Int]?

    init(sizes: [Int], block: Int) {
        self.sizes = sizes
        self.block = block
        let zero = Array(repeating: 0, count: sizes.count)
        shifts = [zero]
        candidate = advance(zero)
    }

    mutating func shift(_ b: Int) -> [Int] {
        // The first block's coset is entered only once a second block is needed (block is then small).
        if b > 0, seen.isEmpty { seen.insert(canonical(shifts[0])) }
        while shifts.count <= b, let next = candidate {
            candidate = advance(next)
            if seen.insert(canonical(next)).inserted { shifts.append(next) }
        }
        return shifts[min(b, shifts.count - 1)]
    }

    /// The least member of the coset `s + D` with first coordinate 0 (adding multiples of n_0 keeps it 0).
    private func canonical(_ s: [Int]) -> [Int] {
        let first = sizes[0]
        var best: [Int]?
        for t in stride(from: 0, to: block, by: first) {
            let member = sizes.indices.map { (s[$0] + t) % sizes[$0] }
            if best == nil || member.lexicographicallyPrecedes(best!) { best = member }
        }
        return best ?? s
    }

    private func advance(_ s: [Int]) -> [Int]? {
        var next = s
        var g = sizes.count - 1
        while g >= 1 {
            next[g] += 1
            if next[g] < sizes[g] { return next }
            next[g] = 0
            g -= 1
        }
        return nil
    }
}

/// A small seeded generator (SplitMix64) with its own shuffle, so the same seed gives the same
/// variants on every platform and toolchain.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly shuffled `0..<n` (Fisher–Yates).
    mutating func permutation(_ n: Int) -> [Int] {
        var items = Array(0..<n)
        guard n > 1 else { return items }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            items.swapAt(i, j)
        }
        return items
    }
}
