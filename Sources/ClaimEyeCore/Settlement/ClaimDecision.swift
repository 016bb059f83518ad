import Foundation

/// What the ledger knows that a claim's decision depends on. The ledger answers inside
/// the claim's transaction, so two runs cannot both miss a duplicate or both count the
/// same year-to-date; a test answers from values.
public protocol ClaimLedgerView {
    /// Live claims owning any of these pages, by page hash.
    func owners(of pages: [PageKey]) throws -> [String: String]
    /// Whether a live claim already has this id.
    func claimIdTaken(_ claimId: String) throws -> Bool
    /// The person's year-to-date from their settled claims of `year`.
    func yearToDate(insuredId: String, year: Int) throws -> YearToDate
    /// Earlier claims under these audit keys.
    func auditHistory(_ keys: AuditKeys) throws -> AuditHistory
}

extension ClaimLedgerView {
    /// `claimId` when no live claim has it; else made unique with the claim's files' hash
    /// (and a count, when that is taken too: the same files held twice). Every claim is
    /// recorded under an id of its own, so no trail takes the place of another's
    /// (OUT/<claim_id>.json) and the ledger's one live claim per id holds.
    public func unusedClaimId(_ claimId: String, fingerprint: String) throws -> String {
        guard try claimIdTaken(claimId) else { return claimId }
        let base = claimId + "-" + fingerprint.prefix(8)
        var candidate = base
        var count = 1
        while try claimIdTaken(candidate) {
            count += 1
            candidate = base + "-\(count)"
        }
        return candidate
    }
}

/// A page of a claim as the ledger knows it: the file's content hash and the page's
/// index within the file (a multi-page TIFF has several).
public struct PageKey: Hashable, Sendable {
    public var sha256: String
    public var pageIndex: Int
    /// The file's name within the claim.
    public var file: String

    public init(sha256: String, pageIndex: Int, file: String) {
        self.sha256 = sha256
        self.pageIndex = pageIndex
        self.file = file
    }
}

/// A claim as read: its document, matched lines and context (the service date taken
/// from the page where the claim gave none), and its pages' keys.
public struct ReadClaim: Sendable {
    public var document: ParsedDocument
    public var lines: [MatchedLine]
    public var context: ClaimContext
    public var keys: [PageKey]
    /// The claim's files' hash, whose prefix makes a taken claim id unique.
    public var fingerprint: String
    /// Whether the claim id came from the sidecar (then it must be unique as given).
    public var idFromSidecar: Bool

    public init(
        document: ParsedDocument, lines: [MatchedLine], context: ClaimContext, keys: [PageKey], fingerprint: String,
        idFromSidecar: Bool
    ) {
        self.document = document
        self.lines = lines
        self.context = context
        if context.serviceDate == nil, let date = document.metadata.date?.value, ISODate.isValid(date) {
            self.context.serviceDate = date
        }
        self.keys = keys
        self.fingerprint = fingerprint
        self.idFromSidecar = idFromSidecar
    }
}

/// A claim settled nothing: it is recorded with its reason and rule, and its files go
/// to failed/. `state` is `failed`, or `needsReview` when it waits for what only a person
/// can supply (its service date).
public struct ClaimRefusal: Sendable, Hashable {
    public var state: ClaimState
    public var reason: String
    public var rule: String
}

/// What becomes of a read claim, decided without writing anything: refused (with its
/// reason), or settled under the policy with its audit flags and state. The runner
/// records the decision (ledger rows, trail, statement, files moved); deciding and
/// recording are kept apart so the decision can be tested without a ledger.
public enum ClaimDecision: Sendable {
    case refused(ClaimRefusal, context: ClaimContext)
    case decided(DecidedClaim)
}

/// A claim settled under the policy: every line's share, the audit's flags, and the state
/// they give.
public struct DecidedClaim: Sendable {
    /// The context settled under (its claim id made unique when an earlier claim had it).
    public var context: ClaimContext
    public var state: ClaimState
    /// What the claim is held for beyond its flags (an invoice of categories alone).
    public var heldFor: String?
    public var settlement: ClaimSettlement
    public var flags: [AuditFlag]
    /// The keys later claims are checked against.
    public var auditKeys: AuditKeys
    /// The person and year whose year-to-date this claim adds to (settled claims only).
    public var yearToDate: (insuredId: String, year: Int)?
}

extension ClaimStages {
    /// Refuses a claim before the ledger is asked anything: nothing was read (no line
    /// items and no category lines), the service date is needed to choose the policy's
    /// terms and neither page nor claim gives it, or the policy does not cover the claim.
    /// An invoice of fee categories alone is not refused: it settles nothing and is held
    /// for its detail list (audit rule DETAIL_LIST_NEEDED).
    public func admit(_ claim: ReadClaim) -> ClaimRefusal? {
        let document = claim.document
        if document.items.isEmpty && document.categories.isEmpty {
            return ClaimRefusal(state: .failed, reason: document.reason ?? "no line items found", rule: "UNREADABLE")
        }
        if claim.context.serviceDate == nil, policy.periods.count > 1 {
            return ClaimRefusal(
                state: .needsReview,
                reason: "held: the service date could not be read and the claim gives none; submit the files again with service_date in --context or a claim.json sidecar (under a new claim id: this one stays with the held claim)",
                rule: "SERVICE_DATE_MISSING")
        }
        do {
            _ = try policy.terms(for: claim.context)
        } catch {
            return ClaimRefusal(state: .failed, reason: "\(error)", rule: "UNREADABLE")
        }
        return nil
    }

    /// Decides an admitted claim: refused when one of its pages is already another live
    /// claim's, or its sidecar's claim id is taken; otherwise settled against the person's
    /// year-to-date and audited against earlier claims, `settled` when every line is and
    /// no flag blocks, else `needsReview`.
    public func decide(_ claim: ReadClaim, ledger: some ClaimLedgerView, audit config: AuditConfig) throws -> ClaimDecision {
        var context = claim.context
        var refusal: String?
        let idTaken = try ledger.claimIdTaken(context.claimId)
        if let (hash, earlier) = try ledger.owners(of: claim.keys).sorted(by: { $0.key < $1.key }).first {
            let file = claim.keys.first { $0.sha256 == hash }?.file ?? hash
            refusal = "duplicate: \(file) was already taken in claim \(earlier); the same page is never settled twice"
        } else if idTaken, claim.idFromSidecar {
            refusal = "claim id \(context.claimId) is already used by an earlier claim with other pages"
        }
        // A taken id is made unique, for a refused claim too.
        if idTaken { context.claimId = try ledger.unusedClaimId(context.claimId, fingerprint: claim.fingerprint) }
        if let refusal {
            return .refused(
                ClaimRefusal(state: .failed, reason: refusal, rule: AuditRuleID.duplicatePage.rawValue), context: context)
        }
        let person = context.personYear
        let yearToDate = try person.map { try ledger.yearToDate(insuredId: $0.insuredId, year: $0.year) } ?? .none
        let settlement = try settle(claim.lines, context: context, yearToDate: yearToDate)
        var audit = AuditInput(
            context: context, document: claim.document,
            matches: claim.lines.map { AuditMatch(entry: $0.entry, zone: $0.zone) },
            pageHashes: claim.keys.map(\.sha256), priceCapFactor: settlement.terms.priceCapMultiplier)
        audit.settled = SettledFigures(settlement)
        let auditKeys = AuditKeys(audit)
        audit.history = try ledger.auditHistory(auditKeys)
        let flags = AuditRules.check(audit, config: config)
        let state: ClaimState = settlement.status == .settled && !flags.blocksSettlement ? .settled : .needsReview
        return .decided(DecidedClaim(
            context: context, state: state,
            heldFor: claim.document.flags.contains(.categoriesOnly) ? claim.document.reason : nil,
            settlement: settlement, flags: flags, auditKeys: auditKeys, yearToDate: state == .settled ? person : nil))
    }
}
