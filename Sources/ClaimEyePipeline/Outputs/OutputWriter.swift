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
    public static let csvHeader =
        "claim_id,state,line,name,name_read,code,class,category,zone,amount,fund_pay,self_pay,held,critical_illness_pay,assistance_pay"

    /// Creates the folder when absent.
    public func prepare() throws {
        do {
            try FileManager.default.createDirectory(atPath: stagingFolder, withIntermediateDirectories: true)
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

    /// The claim's outputs, by extension, and where each is staged: under its own name
    /// in this process's folder of the hidden `.staged` (a name no longer than the
    /// output's own; one folder per process, so runs sharing an `--out` folder never
    /// touch each other's staged files).
    static let outputExtensions = [".json", ".html"]
    var stagingRoot: String { folder + "/.staged" }
    var stagingFolder: String { stagingRoot + "/\(getpid())" }
    func stagedPath(_ claimId: String, _ ext: String, in staging: String? = nil) -> String {
        (staging ?? stagingFolder) + "/" + claimId + ext
    }

    /// Writes the claim's trail and statement under hidden names, inside its transaction;
    /// `publish` gives them their names once the claim is committed, and `discard`
    /// removes them when it is rolled back, so no output ever shows a claim the ledger
    /// does not hold.
    public func stageClaim(claimId: String, trail: String, statement: String?) throws {
        try write(Data(trail.utf8), to: stagedPath(claimId, ".json"))
        if let statement { try write(Data(statement.utf8), to: stagedPath(claimId, ".html")) }
    }

    /// Renames the claim's staged outputs to their names (after its commit).
    public func publish(claimId: String, from staging: String? = nil) throws {
        for ext in Self.outputExtensions where FileManager.default.fileExists(atPath: stagedPath(claimId, ext, in: staging)) {
            guard rename(stagedPath(claimId, ext, in: staging), folder + "/" + claimId + ext) == 0 else {
                throw PipelineError.cannotWriteOutput(path: folder + "/" + claimId + ext, message: String(cString: strerror(errno)))
            }
        }
    }

    /// Removes the claim's staged outputs (its transaction was rolled back).
    public func discard(claimId: String, from staging: String? = nil) {
        for ext in Self.outputExtensions { unlink(stagedPath(claimId, ext, in: staging)) }
    }

    /// Outputs that a run stopped between commit and publish left staged (the folders
    /// of processes no longer running): published when the ledger holds their claim,
    /// removed when it does not (the claim was rolled back).
    public func recoverStaged(in ledger: any LedgerStore) throws {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: stagingRoot)) ?? []
        for pidText in folders.sorted() {
            guard let pid = pid_t(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let staging = stagingRoot + "/" + pidText
            let names = (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                guard let ext = Self.outputExtensions.first(where: { name.hasSuffix($0) }) else { continue }
                let claimId = String(name.dropLast(ext.count))
                if try ledger.hasClaim(claimId) { try publish(claimId: claimId, from: staging) } else { discard(claimId: claimId, from: staging) }
            }
            for name in names where name.hasPrefix(".tmp-") { unlink(staging + "/" + name) }
            rmdir(staging)
        }
    }

    /// Appends the rows of every committed claim not yet in `items.csv`, in claim-id
    /// order, then records them and the file's new length in the ledger in one
    /// transaction. A run stopped after the append but before the record left rows the
    /// ledger does not know: the file is first cut back to the recorded length, so no
    /// row is ever written twice. A file shorter than recorded (edited or removed by
    /// hand) is written anew from the whole ledger.
    @discardableResult
    public func appendItems(from ledger: any LedgerStore) throws -> Int {
        let path = folder + "/items.csv"
        let recorded = try ledger.itemsCSVLength(path: path)
        let size = Self.size(of: path)
        var claims = try ledger.claimsMissingFromCSV()
        var text = ""
        var offset: Int
        if let recorded, let size, size >= recorded, Self.firstLine(of: path) == Self.csvHeader {
            offset = recorded
        } else if recorded == nil, size == nil {
            // A folder the ledger never wrote: the claims of this run on, not every
            // earlier one.
            text = Self.csvHeader + "\n"
            offset = 0
        } else {
            // Not the file the ledger wrote (removed or cut by hand): every claim's rows, anew.
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
                    item.held ? "" : "\(item.criticalIllnessPay)", item.held ? "" : "\(item.assistancePay)",
                ]
                text += CSVText.row(fields)
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

    /// The file's first line (its header), or nil when it cannot be read. A file written
    /// by an earlier version, with other columns, is then written anew rather than
    /// appended to.
    static func firstLine(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: csvHeader.utf8.count + 1)) ?? Data()
        return String(decoding: head, as: UTF8.self).split(separator: "\n", maxSplits: 1).first.map(String.init)
    }

    static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Writes `data` to a temporary name and renames it to `path`: owner-only (0600), as
    /// the trails and statements hold a person's name and insured id.
    private func write(_ data: Data, to path: String) throws {
        let temporary = stagingFolder + "/.tmp-" + (path as NSString).lastPathComponent
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw PipelineError.cannotWriteOutput(path: path, message: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            unlink(temporary)
            throw PipelineError.cannotWriteOutput(path: path, message: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw PipelineError.cannotWriteOutput(path: path, message: message)
        }
    }
}
