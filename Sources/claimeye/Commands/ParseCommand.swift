import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import Foundation

/// `claimeye parse IMAGE...`: OCR and the line-item parser; metadata and items.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read documents and rebuild their line items and metadata.",
        discussion: """
            Each file is one document (every page of a multi-page TIFF). Prints each \
            document's hospital, patient, invoice code and number, date and printed total, \
            then its items: name, spec, unit, quantity, unit price, amount and flags \
            (repaired: a number was corrected to make quantity × unit price = amount; \
            arithmetic_mismatch: no reading agrees), then the fee category lines an invoice \
            prints (category 检查费 53.00) and its payment fields (医保统筹支付, 个人账户支付, \
            现金支付, 自付/自负, 自费, 大病保险, 医疗救助). --json prints the whole result with \
            confidences and boxes. A document with no items says why (an invoice of \
            categories alone: its detail list is needed); exit 3 then.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Replay recorded OCR from this folder (<file>.ocr.json) instead of running the engine.")
    var recorded: String?

    @OptionGroup var catalogue: CatalogueOptions

    @Argument(help: "Image files, one document each.")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let (lexicon, restoration) = try catalogue.load(quiet: global.quiet || global.json)
        var settings = global.ocrSettings
        settings.lexicon = lexicon
        let reader = DocumentReader(settings: settings, jobs: global.jobs, recorded: recorded)
        let parser = LineItemParser()
        var parsed: [ParsedDocument] = []
        var problems = 0
        var lastError: OCRError?
        for document in try reader.read(images) {
            switch document.pages {
            case .failure(let error):
                FileHandle.standardError.write(Data("claimeye: \(error)\n".utf8))
                problems += 1
                lastError = error
            case .success(let pages):
                var result = parser.parse(pages)
                if let restoration { result = restoration.restore(result) }
                if let reason = result.reason {
                    FileHandle.standardError.write(Data("claimeye: \(document.path): \(reason)\n".utf8))
                    problems += 1
                }
                parsed.append(result)
            }
        }
        if global.json {
            FileHandle.standardOutput.write(try CommandJSON.pretty(parsed))
        } else {
            FileHandle.standardOutput.write(Data(parsed.map(Self.table).joined(separator: "\n").utf8))
        }
        if problems > 0 {
            if images.count == 1, let lastError { throw Finished(status: ExitStatus.code(for: lastError) ?? .dataError, summary: nil) }
            throw Finished(status: .partialFailure, summary: "\(problems) of \(images.count) documents gave no items")
        }
    }

    static func table(_ document: ParsedDocument) -> String {
        let m = document.metadata
        var out = "== \(document.source) (\(document.pages) page\(document.pages == 1 ? "" : "s"))\n"
        out += "hospital: \(m.hospital?.value ?? "-")  patient: \(m.patient.map { maskPersonal($0.value) } ?? "-")  date: \(m.date?.value ?? "-")\n"
        out += "invoice: \(m.invoiceCode?.value ?? "-") \(m.invoiceNumber?.value ?? "-")  printed total: \(m.total.map { Money.format($0.value) } ?? "-")\n"
        for item in document.items {
            let quantity: String = item.quantity.map { "\($0.value)" } ?? "?"
            let price: String = item.unitPrice.map { Money.format($0.value) } ?? "?"
            let amount: String = item.amount.map { Money.format($0.value) } ?? "?"
            let flags: String = item.flags.map(\.rawValue).joined(separator: ",")
            let fields: [String] = [
                item.code?.value ?? "", item.name.value, item.spec?.value ?? "", item.unit?.value ?? "",
                quantity, price, amount, flags,
            ]
            out += fields.joined(separator: "\t") + "\n"
        }
        for category in document.categories {
            out += "category\t\(category.name.value)\t\(Money.format(category.amount.value))\n"
        }
        if !document.metadata.payments.isEmpty {
            out += "payments: " + document.metadata.payments.map { "\($0.label) \(Money.format($0.amount.value))" }.joined(separator: ", ") + "\n"
        }
        let sum = document.items.compactMap(\.amount?.value).reduce(0, +)
        out += "items: \(document.items.count), sum \(Money.format(sum))\(document.flags.isEmpty ? "" : "  flags: " + document.flags.map(\.rawValue).joined(separator: ","))\n"
        return out
    }
}
