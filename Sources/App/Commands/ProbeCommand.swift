import ArgumentParser
import Foundation
import Compiler
import Render
import TimelineModel

/// `cutroom probe FILE`: what the engine sees in a media file, as JSON.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Print what the engine sees in a media file.")

    @Argument(help: "Media file to inspect.")
    var file: String

    func run() async throws {
        do {
            let file = file
            let info = try await BlockingWork("cli-probe", limit: 1).run { try MediaProbe.probe(path: file) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(info), as: UTF8.self))
        } catch let error as RenderError {
            throw CommandFailure(message: error.description)
        }
    }
}

/// A command-line failure: printed as `error: …` with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
