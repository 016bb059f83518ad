import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyePipeline
import ClaimEyeStore
import Foundation

/// The exit codes of DESIGN.md: part of claimeye's stable interface.
enum ExitStatus: Int32, Sendable {
    case success = 0
    case partialFailure = 3
    case usage = 64
    case dataError = 65
    case noInput = 66
    case ocrUnavailable = 69
    case internalError = 70
    case cannotWrite = 73
    case ledgerError = 74
    case locked = 75
    case interrupted = 130

    /// The one mapping from errors to exit codes. Nil for ArgumentParser's own errors
    /// (help, version, usage), which it prints and maps itself.
    static func code(for error: any Error) -> ExitStatus? {
        switch error {
        case let finished as Finished:
            return finished.status
        case let ocr as OCRError:
            switch ocr {
            case .fileNotFound: return .noInput
            case .languageDataMissing, .modelsMissing, .engineUnavailable: return .ocrUnavailable
            case .unreadable: return .noInput
            case .emptyFile, .notAnImage, .corruptImage, .tooLarge, .noSuchPage, .corruptDocument, .encrypted, .tooManyPages, .unsafeArchive:
                return .dataError
            case .recognitionFailed: return .internalError
            }
        case let eval as EvalError:
            if case .malformedTruth = eval { return .dataError }
            return .noInput
        case let settlement as SettlementError:
            switch settlement {
            case .fileNotFound: return .noInput
            case .noPolicy: return .usage
            case .policySyntax, .invalidPolicy, .policyDoesNotCover, .invalidClaim, .contextContradicts: return .dataError
            }
        case is StoreError:
            return .ledgerError
        case let catalogue as CatalogueImportError:
            switch catalogue {
            case .fileNotFound: return .noInput
            case .notText, .unknownLayout, .malformedRow: return .dataError
            }
        case let review as ReviewError:
            switch review {
            case .noSuchItem: return .noInput
            case .alreadyDecided, .unknownCode, .noCandidate: return .dataError
            }
        case let match as MatchCommandError:
            switch match {
            case .fileNotFound: return .noInput
            case .badPrice: return .dataError
            }
        case let pipeline as PipelineError:
            switch pipeline {
            case .inboxLocked: return .locked
            case .cannotWriteOutput: return .cannotWrite
            case .interrupted: return .interrupted
            case .inputNotFound, .cannotReadInbox: return .noInput
            case .internalError: return .internalError
            }
        case is AuditConfigError:
            return .dataError
        case let config as ConfigError:
            switch config {
            case .fileNotFound: return .noInput
            case .invalid: return .dataError
            case .noPolicy: return .usage
            }
        case let exit as ExitCode:
            return ExitStatus(rawValue: exit.rawValue) ?? .internalError
        case is ValidationError, is CleanExit:
            return nil
        default:
            // ArgumentParser's parse errors are not public types; everything it threw
            // before `run()` is a usage error it reports itself.
            return String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") ? nil : .internalError
        }
    }

    /// The one-line message for stderr.
    static func message(for error: any Error) -> String? {
        if let finished = error as? Finished { return finished.summary }
        return String(describing: error)
    }
}

/// Thrown by a command that ran to its end but must exit non-zero (exit 3 for a batch
/// with failures, or the single failure's own code); its per-file messages were
/// printed already.
struct Finished: Error {
    var status: ExitStatus
    /// A closing line for stderr, or nil when the per-file lines said it all.
    var summary: String?
}
