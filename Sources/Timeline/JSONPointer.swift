/// A location in a JSON document (RFC 6901): `/tracks/0/clips/2/start`; `""` is the root.
package struct JSONPointer: Hashable, CustomStringConvertible {
    private(set) var tokens: [String] = []

    package static let root = JSONPointer()

    package func appending(_ key: String) -> JSONPointer {
        var copy = self
        copy.tokens.append(key)
        return copy
    }

    package func appending(_ index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// `~` becomes `~0` and `/` becomes `~1`, in that order.
    package var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    /// True when `self` is `other` or lies inside it.
    package func isWithin(_ other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }
}

extension JSONPointer {
    /// Parses a pointer string back into tokens (for comparing issue paths).
    package init(parsing text: String) {
        tokens = text.isEmpty ? [] : text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}
