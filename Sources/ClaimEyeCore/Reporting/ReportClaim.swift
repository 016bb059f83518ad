/// One settled claim as the fund report reads it from the ledger.
public struct ReportClaim: Hashable, Sendable {
    /// One line of the claim.
    public struct Line: Hashable, Sendable {
        /// The fee category printed on the bill (西药费 …), or the catalogue kind.
        public var category: String
        /// 甲/乙/丙, or nil when out of catalogue.
        public var reimbursementClass: ReimbursementClass?
        public var amount: Fen
        public var fundPay: Fen
        public var selfPay: Fen
        /// Audit flags on this line.
        public var flagCount: Int

        public init(
            category: String, reimbursementClass: ReimbursementClass?, amount: Fen, fundPay: Fen, selfPay: Fen,
            flagCount: Int = 0
        ) {
            self.category = category
            self.reimbursementClass = reimbursementClass
            self.amount = amount
            self.fundPay = fundPay
            self.selfPay = selfPay
            self.flagCount = flagCount
        }
    }

    public var claimId: String
    /// ISO date of the service; empty when unknown.
    public var serviceDate: String
    /// The institution (hospital or pharmacy) as named on the bill.
    public var institution: String
    public var status: ClaimSettlement.Status
    public var amount: Fen
    public var fundPay: Fen
    /// 大病保险 and 医疗救助 paid for the claim.
    public var criticalIllnessPay: Fen = .zero
    public var assistancePay: Fen = .zero
    public var selfPay: Fen
    /// Every audit flag of the claim, claim-level and line flags alike.
    public var flagCount: Int
    public var lines: [Line]

    public init(
        claimId: String, serviceDate: String, institution: String, status: ClaimSettlement.Status, amount: Fen,
        fundPay: Fen, selfPay: Fen, flagCount: Int, lines: [Line]
    ) {
        self.claimId = claimId
        self.serviceDate = serviceDate
        self.institution = institution
        self.status = status
        self.amount = amount
        self.fundPay = fundPay
        self.selfPay = selfPay
        self.flagCount = flagCount
        self.lines = lines
    }
}
