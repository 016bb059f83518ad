import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// Writes a run's outputs into the `--out` folder: `<claim_id>.json` (the claim's whole
/// trail, as the ledger holds it), `<claim_id>.html` (the claimant's statement) and
/// `items.csv` (one header, rows appended per run). Every file is written to a temporary
/// name and renamed, so a reader never sees half a file; `items.csv` is kept in step with
/// the ledger by a journal (see `appendItems`).
public struct OutputWriter: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// The header of `items.csv`.
    public static let csvHeader = "claim_id,state,line,name,name_read,code,class,category,zone,amount,fund_pay,self_pay,held"

    /// Creates the folder when absent.
    public func prepare() throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWriteOutput(path: folder, message: error.localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw PipelineError.cannotWriteOutput(path: folder, message: "permission denied")
        }
    }

    /// Writes the claim's trail and statement.
    public func writeClaim(claimId: String, trail: String, statement: String?) throws {
        try write(Data(trail.utf8), to: folder + "/" + claimId + ".json")
        if let statement { try write(Data(statement.utf8), to: folder + "/" + claimId + ".html") }
    }

    /// Appends the rows of every committed claim not yet in `items.csv`, in claim-id
    /// order, then records them and the file's new length in the ledger in one
    /// transaction. A run stopped after the append but before the record left rows the
    /// ledger does not know: the file is first cut back to the recorded length, so no
    /// row is ever written twice. A file shorter than recorded (edited or removed by
    /// hand) is written anew from the whole ledger.
    @discardableResult
    public func appendItems(from ledger: Ledger) throws -> Int {
        let path = folder + "/items.csv"
        let recorded = try ledger.itemsCSVLength(path: path)
        let size = Self.size(of: path)
        var claims = try ledger.claimsMissingFromCSV()
        var text = ""
        var offset: Int
        if let recorded, let size, size >= recorded {
            offset = recorded
        } else {
            // No file, or not the file the ledger wrote: every claim's rows, anew.
            claims = try ledger.allClaims()
            text = Self.csvHeader + "\n"
            offset = 0
        }
        guard !claims.isEmpty || offset == 0 else { return 0 }
        var rows = 0
        for claim in claims where claim.state != .failed {
            for item in try ledger.items(ofClaim: claim.row) {
                let fields = [
                    claim.claimId, claim.state.rawValue, "\(item.index + 1)", item.name, item.nameRead, item.code ?? "",
                    item.reimbursementClass ?? "", item.category ?? "", item.zone, "\(item.amount)",
                    item.held ? "" : "\(item.fundPay)", item.held ? "" : "\(item.selfPay)", item.held ? "1" : "0",
                ]
                text += fields.map(Self.csvField).joined(separator: ",") + "\n"
                rows += 1
            }
        }
        let data = Data(text.utf8)
        do {
            if offset == 0 {
                try write(data, to: path)
            } else {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                try handle.truncate(atOffset: UInt64(offset))
                try handle.seekToEnd()
                try handle.write(contentsOf: data)
                try handle.synchronize()
            }
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.cannotWriteOutput(path: path, message: error.localizedDescription)
        }
        try ledger.markWrittenToCSV(claims.map(\.row), path: path, length: offset + data.count)
        return rows
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PipelineError.cannotWriteOutput(path: path, message: error.localizedDescription)
        }
    }
}
