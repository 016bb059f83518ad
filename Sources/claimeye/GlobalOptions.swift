import ArgumentParser
import ClaimEyeOCR
import ClaimEyePostgres
import ClaimEyeStore
import Foundation

extension OCREngineChoice: ExpressibleByArgument {}
extension PDFTiming.Stage: ExpressibleByArgument {}

/// Options every command accepts (DESIGN.md, "Global options").
struct GlobalOptions: ParsableArguments {
    @Option(help: "The ledger: a SQLite file, or a PostgreSQL server shared by workers on several hosts (postgresql://USER@HOST:PORT/DATABASE); default $CLAIMEYE_DB, else ./claimeye.sqlite.")
    var db: String?

    @Option(help: "The configuration file (policy, thresholds, defaults); default: $CLAIMEYE_CONFIG, ./claimeye.toml, then PREFIX/share/claimeye/claimeye.toml of an installed claimeye.")
    var config: String?

    @Option(help: "Folder holding Tesseract's *.traineddata (default: $TESSDATA_PREFIX, ./tessdata, the system's).")
    var tessdata: String?

    @Option(help: "Tesseract languages of the page pass, '+'-joined (default chi_sim; Latin-script pages are read again with eng, CJK segments re-read with HanS).")
    var lang: String = OCRSettings.defaultLanguages

    @Option(help: "The OCR engine: tesseract, ppocr (PP-OCRv4 on OpenCV) or auto (the measured best; see README).")
    var engine: OCREngineChoice = .tesseract

    @Option(help: "Folder of the converted PP-OCR models (default: $CLAIMEYE_MODELS, ./models/ppocr, then PREFIX/share/claimeye/models/ppocr of an installed claimeye).")
    var models: String?

    @Option(help: "Parallel workers, each with its own OCR engine (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Write results as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "Log more detail to stderr.")
    var verbose = false

    @Flag(help: "Log nothing but errors.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard !lang.isEmpty, lang.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "+" || $0 == "-" }) else {
            throw ValidationError("--lang takes language codes joined by '+', e.g. chi_sim+eng")
        }
    }

    /// The ledger path: --db, then $CLAIMEYE_DB, then ./claimeye.sqlite.
    var ledgerPath: String {
        db ?? ProcessInfo.processInfo.environment["CLAIMEYE_DB"] ?? "claimeye.sqlite"
    }

    /// Whether the ledger is a PostgreSQL server rather than a SQLite file.
    var ledgerIsPostgres: Bool { PostgresAddress.isAddress(ledgerPath) }

    /// The ledger named by --db or $CLAIMEYE_DB: a SQLite file (checked for damage first
    /// with `checkIntegrity`, as every run that writes does) or a PostgreSQL server
    /// (its schema brought up to date).
    func openLedger(checkIntegrity: Bool = false) throws -> any LedgerStore {
        if ledgerIsPostgres { return try PostgresLedger(address: PostgresAddress(ledgerPath)) }
        return try Ledger(path: ledgerPath, checkIntegrity: checkIntegrity)
    }

    /// The SQLite ledger, for the commands that only it serves yet; a PostgreSQL
    /// address is refused with what to do instead.
    func sqliteLedger(checkIntegrity: Bool = false, for command: String) throws -> Ledger {
        guard !ledgerIsPostgres else {
            throw ValidationError("\(command) works on a SQLite ledger only; --db names a PostgreSQL server")
        }
        return try Ledger(path: ledgerPath, checkIntegrity: checkIntegrity)
    }

    /// OCR settings from these options.
    var ocrSettings: OCRSettings {
        var settings = OCRSettings(languages: lang, tessdata: Tessdata.resolve(explicit: tessdata))
        settings.engine = engine
        settings.models = PPOCRModels.resolve(explicit: models)
        return settings
    }
}
