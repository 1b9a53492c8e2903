import ArgumentParser
import Dispatch
import Foundation
import Compiler
import Render
import TimelineModel

/// `cutroom render FILE.json -o OUT.mp4`: renders a document from disk with a progress bar, no server.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Render a timeline document to a file.")

    @Argument(help: "Timeline document (JSON). Relative sources are resolved against its folder.")
    var file: String

    @Option(name: .shortAndLong, help: "Output file.")
    var output: String

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    @Flag(name: .customLong("print-graph"), help: "Print the compiled filter graph and inputs instead of rendering.")
    var printGraph = false

    @Flag(help: "Always decode and encode, even when the sources' packets could be copied.")
    var noStreamCopy = false

    @Flag(help: "Render long timelines in one pass instead of parallel segments (also CUTROOM_SEGMENTS=1).")
    var noSegments = false

    @Flag(name: .shortAndLong, help: "Say how the file was made and why faster ways were not taken.")
    var verbose = false

    func run() async throws {
        let timeline: Timeline
        let plan: RenderPlan
        do {
            timeline = try LocalDocument.load(file)
            plan = try RenderCompiler.compile(timeline, resolve: LocalDocument.resolver(for: file))
        } catch .invalidTimeline(let issues) {
            for issue in issues { FileHandle.standardError.write(Data("\(issue.path.isEmpty ? "/" : issue.path): \(issue.message)\n".utf8)) }
            throw ExitCode(1)
        } catch {
            throw CommandFailure(message: error.description)
        }

        if printGraph {
            for input in plan.inputs { print("[\(input.pad)] \(input.media.rawValue) \(input.path) seek=\(input.seek) until=\(input.until.map { "\($0)" } ?? "end") reduction=\(input.reduction)") }
            print(plan.filterGraph.split(separator: ";").joined(separator: ";\n"))
            return
        }

        let cancel = CancellationFlag()
        // Ctrl-C stops the render cleanly (the executor deletes its partial output).
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { cancel.cancel() }
        interrupt.resume()
        defer { interrupt.cancel() }

        let bar = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        let start = Date()
        let outputPath = output
        let segments = noSegments ? 1 : ProcessInfo.processInfo.environment["CUTROOM_SEGMENTS"].flatMap { Int($0) }
        let options = RenderOptions(streamCopy: !noStreamCopy, segments: segments)
        let done: RenderResult
        do {
            done = try await BlockingWork("cli-render", limit: 1).run {
                try RenderExecutor.run(plan, outputPath: outputPath, cancel: cancel, options: options) { bar.update($0) }
            }
            bar.finish()
        } catch RenderError.cancelled {
            bar.finish()
            FileHandle.standardError.write(Data("cancelled\n".utf8))
            throw ExitCode(130)
        } catch {
            bar.finish()
            throw CommandFailure(message: (error as? RenderError)?.description ?? String(describing: error))
        }
        let seconds = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data(String(format: "rendered %@: %d frames, %.2f s of video in %.1f s (%@)\n", output, plan.totalFrames, plan.duration, seconds, done.method.description).utf8))
        if verbose { for note in done.notes { FileHandle.standardError.write(Data("  \(note)\n".utf8)) } }
    }
}

/// A one-line terminal progress bar, redrawn at most 10 times a second.
/// Only touched from the render thread, then from the caller after the render has finished.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private var lastDraw = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: RenderProgress) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.frame == progress.totalFrames else { return }
        lastDraw = now
        let width = 30
        let filled = Int(progress.fraction * Double(width))
        let eta = progress.fps > 0 ? Double(progress.totalFrames - progress.frame) / progress.fps : 0
        let line = String(
            format: "\r[%@%@] %3d%%  %d/%d frames  %.1f fps  ETA %d:%02d ",
            String(repeating: "#", count: filled), String(repeating: " ", count: width - filled),
            Int(progress.fraction * 100), progress.frame, progress.totalFrames, progress.fps, Int(eta) / 60, Int(eta) % 60
        )
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
