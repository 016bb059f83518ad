import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyeStore
import Foundation

/// `claimeye eval TRUTH_DIR`: accuracy against ground truth.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy against ground truth (*.truth.json beside each document).",
        discussion: """
            Reads every *.truth.json under TRUTH_DIR, OCRs and parses the document it names \
            (or replays recorded OCR with --recorded), aligns predicted and true items, and \
            reports per field and overall precision, recall and F1, the share of documents \
            whose items are all exact, the share of printed totals read exactly, catalogue \
            top-1 accuracy where the truth gives codes, metadata accuracy, and seconds per \
            page, by variant; and what OCR gave the parser: how many of the true line \
            amounts and totals stand in the OCR text as printed, and how many of those \
            amounts the parser found right. A `split.tsv` in TRUTH_DIR (document, tab, split name per \
            line) names the variant of the documents it lists: the real documents' dev and \
            test splits are reported apart. Only what a truth file states is scored. Names compare after \
            removing whitespace and folding full-width forms; numbers compare as decimals.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Replay recorded OCR from this folder (<document>.ocr.json) instead of running the engine.")
    var recorded: String?

    @OptionGroup var catalogue: CatalogueOptions

    @Argument(help: "A folder of documents with truth files.")
    var truthDirectory: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: truthDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EvalError.notFound(truthDirectory)
        }
        let truths = try Self.truthFiles(in: truthDirectory).map { file -> (String, TruthDocument) in
            guard let data = FileManager.default.contents(atPath: file) else { throw EvalError.notFound(file) }
            do {
                return (file, try JSONDecoder().decode(TruthDocument.self, from: data))
            } catch {
                throw EvalError.malformedTruth(file, "\(error)")
            }
        }
        guard !truths.isEmpty else { throw EvalError.noTruth(truthDirectory) }
        let splits = Self.splits(in: truthDirectory)
        let (lexicon, restoration) = try catalogue.load(quiet: global.quiet)
        let images = truths.map { file, truth in
            ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(truth.document)
        }
        var settings = global.ocrSettings
        settings.lexicon = lexicon
        let reader = DocumentReader(settings: settings, jobs: global.jobs, recorded: recorded)
        let documents = try reader.read(images)
        let parser = LineItemParser()
        var scores: [DocumentScore] = []
        for ((_, read), document) in zip(truths, documents) {
            var truth = read
            if truth.variant == nil { truth.variant = splits[truth.document] }
            switch document.pages {
            case .failure(let error):
                scores.append(Evaluator.score(truth: truth, predicted: nil, seconds: 0, failure: "\(error)", text: ""))
            case .success(let pages):
                let start = Date()
                var parsed = parser.parse(pages)
                if let restoration { parsed = restoration.restore(parsed) }
                let seconds = document.seconds + Date().timeIntervalSince(start)
                let text = pages.flatMap(\.lines).map(\.text).joined(separator: "\n")
                scores.append(Evaluator.score(truth: truth, predicted: parsed, seconds: seconds, text: text))
            }
        }
        let report = EvaluationReport(scores)
        if global.json {
            FileHandle.standardOutput.write(try CommandJSON.pretty(report))
        } else {
            FileHandle.standardOutput.write(Data(report.table.utf8))
        }
    }

    /// The split each document belongs to, from `split.tsv` in `folder` (a header line
    /// `document<TAB>split`, then one document per line); empty when there is none.
    static func splits(in folder: String) -> [String: String] {
        let file = (folder as NSString).appendingPathComponent("split.tsv")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [:] }
        var splits: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty { splits[fields[0]] = fields[1] }
        }
        return splits
    }

    /// Every `*.truth.json` under `folder`, sorted.
    static func truthFiles(in folder: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { throw EvalError.notFound(folder) }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".truth.json") }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
    }
}

/// What stops an evaluation.
enum EvalError: Error, CustomStringConvertible {
    /// The folder or a file it names does not exist (exit 66).
    case notFound(String)
    /// The folder holds no truth file (exit 66).
    case noTruth(String)
    /// A truth file is not in the ground-truth format (exit 65).
    case malformedTruth(String, String)

    var description: String {
        switch self {
        case .notFound(let path): return "\(path): not found"
        case .noTruth(let path): return "\(path): no *.truth.json files"
        case .malformedTruth(let path, let why): return "\(path): not a truth file (\(why))"
        }
    }
}
