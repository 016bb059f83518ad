import Foundation

/// What a document says about itself: who issued it, to whom, when, and its total.
public struct DocumentMetadata: Codable, Hashable, Sendable {
    public var hospital: Read<String>?
    /// The patient's name as printed. Never logged in full (see `maskPersonal`).
    public var patient: Read<String>?
    /// 票据代码 and 票据号码.
    public var invoiceCode: Read<String>?
    public var invoiceNumber: Read<String>?
    /// ISO date, e.g. `2026-03-14`.
    public var date: Read<String>?
    /// The printed total (合计 / Total), from digits or from capital numerals.
    public var total: Read<Decimal>?
    /// The payment fields an invoice prints (医保统筹支付, 个人账户支付, 现金支付 …), in the
    /// order printed: the hospital's own settlement of the bill.
    public var payments: [PaymentField] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case hospital, patient, date, total, payments
        case invoiceCode = "invoice_code"
        case invoiceNumber = "invoice_number"
    }
}

/// What a printed payment field says was paid, and by whom.
public enum PaymentKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// 医保统筹支付 / 统筹基金支付: the basic fund.
    case fund
    /// 个人账户支付: the insured person's account.
    case personalAccount = "personal_account"
    /// 现金支付 / 个人现金支付: paid in cash (or by card, phone).
    case cash
    /// 自付 / 自负 (分类自负, 乙类自付 …): the self-paid share of covered items.
    case selfPayShare = "self_pay_share"
    /// 自费: items outside the insurance, wholly self-paid.
    case selfPay = "self_pay"
    /// 大病保险 / 大额医疗: critical-illness or large-expense insurance.
    case criticalIllness = "critical_illness"
    /// 医疗救助: medical assistance.
    case assistance
    /// 附加支付 and other supplementary funds.
    case supplementary
}

/// One payment field as printed: its kind, the label read, and the amount.
public struct PaymentField: Codable, Hashable, Sendable {
    public var kind: PaymentKind
    public var label: String
    public var amount: Read<Decimal>

    public init(kind: PaymentKind, label: String, amount: Read<Decimal>) {
        self.kind = kind
        self.label = label
        self.amount = amount
    }
}

/// A fee category line of an invoice that lists categories rather than items
/// (`检查费 53.00`): kind `category`, its name as printed, and its amount.
public struct CategoryLine: Codable, Hashable, Sendable {
    public var kind = "category"
    public var page: Int
    public var name: Read<String>
    public var amount: Read<Decimal>

    public init(page: Int, name: Read<String>, amount: Read<Decimal>) {
        self.page = page
        self.name = name
        self.amount = amount
    }
}

/// Why a whole document needs a person's eye.
public enum DocumentFlag: String, Codable, Hashable, Sendable {
    /// The items do not sum to the printed total.
    case totalMismatch = "total_mismatch"
    /// No line items were found.
    case noItems = "no_items"
    /// The printed total was read without its point (`83 8`); it is taken as the items'
    /// sum, whose digits it spells.
    case totalRepaired = "total_repaired"
    /// Only fee category lines were found: the detail list (费用清单) is needed to settle.
    case categoriesOnly = "categories_only"
}

/// The parser's result for one document (its pages in order).
public struct ParsedDocument: Codable, Hashable, Sendable {
    public var source: String
    public var pages: Int
    public var metadata: DocumentMetadata
    public var items: [LineItem]
    /// Fee category lines (检查费 53.00), where the document prints them.
    public var categories: [CategoryLine]
    /// Subtotals the document prints (小计), as evidence.
    public var subtotals: [Read<Decimal>]
    public var flags: [DocumentFlag]
    /// Set when no items were found: why.
    public var reason: String?

    public init(source: String, pages: Int, metadata: DocumentMetadata, items: [LineItem], categories: [CategoryLine] = [], subtotals: [Read<Decimal>], flags: [DocumentFlag], reason: String?) {
        self.source = source
        self.pages = pages
        self.metadata = metadata
        self.items = items
        self.categories = categories
        self.subtotals = subtotals
        self.flags = flags
        self.reason = reason
    }
}
