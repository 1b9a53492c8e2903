import TimelineModel
/// Escaping for values inside a libavfilter graph description, which is parsed twice:
/// first the graph splits filters at `[ ] , ;`, then each filter splits its options at `:`.
/// Both levels honour backslash escapes and drop unescaped leading/trailing whitespace.
package enum FilterEscaping {
    /// A literal option value (drawtext text, a file path) safe to write after `key=`.
    package static func optionValue(_ text: String) -> String {
        graphLevel(optionLevel(text))
    }

    /// What the option parser reads back as `text`.
    package static func optionLevel(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\\" || c == "'" || c == ":" || c.isWhitespace { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// What `sendcmd` reads back as one token of a command (target, command or argument).
    package static func commandLevel(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\\" || c == "'" || c == "," || c == ";" || c.isWhitespace { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// What the graph parser hands the filter as `text`.
    package static func graphLevel(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\'[],;".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
