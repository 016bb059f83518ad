import ArgumentParser
import ClaimEyeOCR
import Foundation

/// The root command: claimeye's subcommands, and the one place that turns an error
/// into a message on stderr and a documented exit status.
struct ClaimEye: ParsableCommand {
    static let version = "0.2.0"

    /// `claimeye --version`: claimeye's version, then the OCR libraries and models in use.
    static var versionReport: String {
        """
        claimeye \(version)
        tesseract \(EngineVersions.tesseract)
        leptonica \(EngineVersions.leptonica)
        opencv \(EngineVersions.opencv)
        ppocr models: \(EngineVersions.models(in: PPOCRModels.resolve(explicit: nil)))
        """
    }

    static let configuration = CommandConfiguration(
        commandName: "claimeye",
        abstract: "Reads scanned medical bills and settles them under the region's insurance policy.",
        discussion: """
            Results go to stdout; logs and progress to stderr.
            Exit codes: 0 every claim settled; 3 finished, but some claims or files failed or \
            need review; 64 bad arguments; 65 malformed input data; 66 input not found; \
            69 OCR unavailable; 70 internal error; 73 cannot write output; 74 ledger error; \
            75 another run holds the inbox lock; 130 interrupted.
            """,
        version: versionReport,
        subcommands: [
            ProcessCommand.self, IngestCommand.self, WatchCommand.self, ReportCommand.self,
            OCRCommand.self, ParseCommand.self, MatchCommand.self, CatalogueCommand.self, ReviewCommand.self, LedgerCommand.self,
            EvalCommand.self,
            SettleCommand.self, SettleBenchCommand.self, ParseBenchCommand.self,
        ]
    )

    /// Runs the command line and exits with the status of DESIGN.md's table.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = ExitStatus.code(for: error)
            if status == nil {
                // Help, version and ArgumentParser's own usage errors (exit 64).
                exit(withError: error)
            }
            let code = status ?? .internalError
            if code != .success, let message = ExitStatus.message(for: error) {
                FileHandle.standardError.write(Data("claimeye: \(message)\n".utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
