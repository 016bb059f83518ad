/// What the fund paid, grouped: claims, amounts, fund pay, self-pay and audit flags by
/// fee category, reimbursement class, institution or month, over a range of service
/// dates. Building is one pass over the claims and their lines; rendering is over the
/// groups only.
public struct FundReport: Hashable, Sendable {
    /// How claims are grouped.
    public enum Grouping: String, Codable, Hashable, Sendable, CaseIterable {
        /// By the lines' fee category (or catalogue kind).
        case category
        /// By the lines' class: 甲, 乙, 丙, out of catalogue.
        case `class`
        /// By the claim's institution.
        case institution
        /// By the month of the claim's service date (`2026-03`).
        case month
        /// Who paid: the basic fund, the critical-illness insurance, the medical
        /// assistance, the patient, and what is still held for review; the rows add up to
        /// the claims' amount.
        case fund

        /// Whether a claim's lines go to different groups (category, class) rather than
        /// the whole claim to one (institution, month).
        public var byLine: Bool { self == .category || self == .class }
    }

    /// One group's figures, or the total.
    public struct Row: Hashable, Sendable {
        /// The group's name: a category, a class, an institution or a month.
        public var key: String
        /// Claims with anything in the group.
        public var claims: Int = 0
        /// Of those, claims waiting for review.
        public var needsReview: Int = 0
        public var amount: Fen = .zero
        public var fundPay: Fen = .zero
        public var selfPay: Fen = .zero
        /// Audit flags: a line grouping counts its lines' flags; a claim grouping and the
        /// total count every flag of the claims, claim-level ones included.
        public var flags: Int = 0

        public init(key: String) { self.key = key }
    }

    public var grouping: Grouping
    /// The first and last service date included (ISO), nil when open.
    public var from: String?
    public var to: String?
    /// The groups in order: by key (months chronologically; classes 甲, 乙, 丙, then out of catalogue).
    public var rows: [Row]
    /// The claims in range, summed.
    public var total: Row

    /// The name of the group of lines out of catalogue.
    public static let outOfCatalogue = "out of catalogue"

    /// Groups the claims whose service date lies within `from`…`to` (both included; a
    /// claim without a date is left out when either is given).
    public static func build(_ claims: [ReportClaim], from: String? = nil, to: String? = nil, by grouping: Grouping) -> FundReport {
        // Each group's row sits in an array, found by one dictionary lookup per line.
        var slots: [String: Int] = [:]
        var groups: [Row] = []
        // The last claim counted in each group: a claim counts once per group however
        // many of its lines fall in it.
        var lastClaim: [Int] = []
        var total = Row(key: "TOTAL")
        func slot(_ key: String) -> Int {
            if let index = slots[key] { return index }
            slots[key] = groups.count
            groups.append(Row(key: key))
            lastClaim.append(-1)
            return groups.count - 1
        }
        for (claimNumber, claim) in claims.enumerated() {
            if let from, claim.serviceDate.isEmpty || claim.serviceDate < from { continue }
            if let to, claim.serviceDate.isEmpty || claim.serviceDate > to { continue }
            let review = claim.status == .needsReview ? 1 : 0
            total.claims += 1
            total.needsReview += review
            // By fund, every fund's pay is fund pay; otherwise the column is the basic fund's.
            let totalFundPay = grouping == .fund ? claim.fundPay + claim.criticalIllnessPay + claim.assistancePay : claim.fundPay
            total.add(amount: claim.amount, fundPay: totalFundPay, selfPay: claim.selfPay, flags: claim.flagCount)
            if grouping.byLine {
                for line in claim.lines {
                    let index = slot(grouping == .category ? line.category : (line.reimbursementClass?.rawValue ?? outOfCatalogue))
                    if lastClaim[index] != claimNumber {
                        lastClaim[index] = claimNumber
                        groups[index].claims += 1
                        groups[index].needsReview += review
                    }
                    groups[index].add(amount: line.amount, fundPay: line.fundPay, selfPay: line.selfPay, flags: line.flagCount)
                }
            } else if grouping == .fund {
                let held = claim.amount - claim.fundPay - claim.criticalIllnessPay - claim.assistancePay - claim.selfPay
                let parts: [(String, Fen, Bool)] = [
                    (fundNames[0], claim.fundPay, true), (fundNames[1], claim.criticalIllnessPay, true),
                    (fundNames[2], claim.assistancePay, true), (fundNames[3], claim.selfPay, false), (fundNames[4], held, false),
                ]
                for (name, amount, isFund) in parts {
                    let index = slot(name)
                    guard amount != .zero else { continue }
                    groups[index].claims += 1
                    groups[index].needsReview += review
                    groups[index].add(
                        amount: amount, fundPay: isFund ? amount : .zero, selfPay: name == fundNames[3] ? amount : .zero, flags: 0)
                }
            } else {
                let index = slot(grouping == .institution ? claim.institution : month(of: claim.serviceDate))
                groups[index].claims += 1
                groups[index].needsReview += review
                groups[index].add(amount: claim.amount, fundPay: claim.fundPay, selfPay: claim.selfPay, flags: claim.flagCount)
            }
        }
        let rows = groups.sorted { order($0.key, grouping) < order($1.key, grouping) }
        return FundReport(grouping: grouping, from: from, to: to, rows: rows, total: total)
    }

    /// `2026-03` from `2026-03-14`; `unknown` without a date.
    static func month(of date: String) -> String {
        date.count >= 7 ? String(date.prefix(7)) : "unknown"
    }

    /// The sort key of a group: classes in their natural order, everything else by name.
    /// The rows of `--by fund`, in the order the funds pay.
    public static let fundNames = [
        "basic fund (统筹基金)", "critical-illness insurance (大病保险)", "medical assistance (医疗救助)", "patient (个人自付)",
        "held for review (待审核)",
    ]

    private static func order(_ key: String, _ grouping: Grouping) -> (Int, String) {
        if grouping == .fund { return (fundNames.firstIndex(of: key) ?? fundNames.count, key) }
        guard grouping == .class else { return (0, key) }
        let natural = ReimbursementClass.allCases.map(\.rawValue) + [outOfCatalogue]
        return (natural.firstIndex(of: key) ?? natural.count, key)
    }
}

extension FundReport.Row {
    /// Adds a claim's or a line's money and flags to the row.
    fileprivate mutating func add(amount: Fen, fundPay: Fen, selfPay: Fen, flags: Int) {
        self.amount += amount
        self.fundPay += fundPay
        self.selfPay += selfPay
        self.flags += flags
    }
}
