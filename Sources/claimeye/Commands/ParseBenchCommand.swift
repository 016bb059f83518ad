import ArgumentParser
import ClaimEyeCore
import Dispatch
import Foundation

/// `claimeye bench-parse` (hidden): parses recorded OCR pages over and over and reports
/// the time per page, for `scripts/bench-parse`. Loading the recordings is outside the
/// timed part; each run parses every page and counts the items, so the work cannot be
/// skipped.
struct ParseBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-parse",
        abstract: "Time the line-item parser on recorded OCR.",
        shouldDisplay: false
    )

    @Option(help: "Pages to parse per run, taken round-robin from the recordings.")
    var pages: Int = 10_000

    @Option(help: "Timed runs; the median is reported.")
    var runs: Int = 3

    @Argument(help: "Recorded OCR files (<document>.ocr.json).")
    var recordings: [String]

    func validate() throws {
        guard pages > 0, runs > 0, !recordings.isEmpty else { throw ValidationError("give recordings, and positive --pages and --runs") }
    }

    func run() throws {
        let documents = try recordings.map { path -> [OCRPage] in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): not found") }
            return try JSONDecoder().decode([OCRPage].self, from: data)
        }
        let parser = LineItemParser()
        var seconds: [Double] = []
        var items = 0
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            items = 0
            for index in 0..<pages {
                items += parser.parse(documents[index % documents.count]).items.count
            }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let median = seconds.sorted()[seconds.count / 2]
        print("parsed \(pages) pages (\(items) items) per run; runs: \(seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")) s")
        print(String(format: "median %.3f s, %.3f ms per page", median, median * 1000 / Double(pages)))
    }
}
