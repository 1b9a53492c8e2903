import ArgumentParser
import Foundation
import Compiler
import Render
import TimelineModel

/// `cutroom validate FILE.json`: every problem of a timeline document, with its JSON Pointer.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a timeline document and print every problem.")

    @Argument(help: "Timeline document (JSON). Relative sources are resolved against its folder.")
    var file: String

    func run() async throws {
        let issues = LocalDocument.issues(at: file)
        guard !issues.isEmpty else {
            print("\(file): valid")
            return
        }
        for issue in issues {
            print("\(issue.path.isEmpty ? "/" : issue.path): \(issue.message)")
        }
        throw ExitCode(1)
    }
}

/// A timeline document on disk whose sources are files relative to it (the command-line case).
enum LocalDocument {
    /// Reads and strictly decodes the document.
    static func load(_ path: String) throws(RenderError) -> Timeline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io("cannot read \(path)")
        }
        return try TimelineDocument.decode(data)
    }

    /// Resolves `src` paths against the document's folder: captions, fonts, or probed media.
    static func resolver(for path: String) -> SourceResolver {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return { src in
            guard !src.hasPrefix("asset:") else { return nil }
            let file = src.hasPrefix("/") ? URL(fileURLWithPath: src) : folder.appendingPathComponent(src)
            return ResolvedSource.local(path: file.standardizedFileURL.path)
        }
    }

    static func issues(at path: String) -> [ValidationIssue] {
        guard let data = FileManager.default.contents(atPath: path) else { return [ValidationIssue(path: "", message: "cannot read \(path)")] }
        do {
            // Reading and source checks together: an unknown key must not hide an overlap.
            let reading = try TimelineDocument.read(data)
            let issues = RenderCompiler.issues(of: reading, resolve: resolver(for: path))
            if !issues.isEmpty { return issues }
            let timeline = reading.timeline
            // The compiler validates first (every issue, thrown as `.invalidTimeline`) and then reads
            // what only it reads, such as captions files.
            _ = try RenderCompiler.compile(timeline, resolve: resolver(for: path))
            return []
        } catch .malformedDocument(let issue) {
            return [issue]
        } catch .invalidTimeline(let issues) {
            return issues
        } catch {
            return [ValidationIssue(path: "", message: error.description)]
        }
    }
}
