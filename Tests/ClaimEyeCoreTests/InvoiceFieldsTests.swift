import Foundation
import Testing

@testable import ClaimEyeCore

/// Fee category lines, payment fields and labelled totals, on drawn pages.
struct InvoiceFieldsTests {
    static let page = LineItemParserTests.page

    @Test func anInvoiceOfCategoriesAloneGivesCategoryLinesAndWaitsForItsDetailList() {
        let parsed = LineItemParser().parse([Self.page([
            [("项目", 100), ("金额(元)", 500), ("项目", 900), ("金额(元)", 1300), ("项目", 1700), ("金额(元)", 2100)],
            [("西药费", 100), ("354.40", 500), ("检查费100.00", 900), ("治疗费", 1700), ("12.00", 2100)],
            [("诊疗费", 100), ("(0)", 260), ("19.00", 500), ("卫生材料费", 900), ("8.60", 1300)],
            [("合计", 100), ("494.00", 500)],
            [("现金支付：53.00", 100), ("个人账户支付：0.00", 700)],
            [("医保统筹支付300.00", 100), ("附加支付：0.00", 700), ("大病保险：41.00", 1200)],
            [("现金支付中：分类自负12.00", 100), ("自费", 800), ("3.40", 900)],
            [("医疗救助：0.50", 100), ("当年账户余额：88.00", 700)],
        ])])
        #expect(parsed.items.isEmpty)
        #expect(parsed.categories.map(\.name.value) == ["西药费", "检查费", "治疗费", "诊疗费(0)", "卫生材料费"])
        #expect(parsed.categories.map(\.amount.value) == ["354.40", "100.00", "12.00", "19.00", "8.60"].map { Decimal(string: $0)! })
        #expect(parsed.categories.allSatisfy { $0.kind == "category" })
        #expect(parsed.metadata.total?.value == Decimal(string: "494.00"))
        #expect(parsed.flags == [.categoriesOnly])
        #expect(parsed.reason?.contains("the detail list (费用清单) is needed") == true)
        let payments = parsed.metadata.payments.map { "\($0.kind.rawValue) \($0.label) \($0.amount.value)" }
        #expect(payments == [
            "cash 现金支付 53", "personal_account 个人账户支付 0", "fund 医保统筹支付 300", "supplementary 附加支付 0",
            "critical_illness 大病保险 41", "self_pay_share 分类自负 12", "self_pay 自费 3.4", "assistance 医疗救助 0.5",
        ])
    }

    /// 应收 is what the cashier asked of the patient: beside category lines that a fund
    /// paid part of, it is no total; alone, it is the whole.
    @Test func whatTheCashierAskedIsAPaymentNotTheTotal() {
        let shared = LineItemParser().parse([Self.page([
            [("诊查费(自费)", 100), ("3.00", 500)],
            [("诊查费", 100), ("15.00", 500)],
            [("应收", 100), ("6.70", 300), ("附加支付：", 700), ("11.30", 1000)],
        ])])
        #expect(shared.metadata.total?.value == 18)
        let alone = LineItemParser().parse([Self.page([
            [("药品名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("阿莫西林胶囊", 100), ("2", 900), ("12.50", 1300), ("25.00", 1700)],
            [("应收金额：", 100), ("25.00", 500)],
        ])])
        #expect(alone.metadata.total?.value == 25)
        #expect(alone.items.map(\.name.value) == ["阿莫西林胶囊"])
        #expect(InvoiceFields.labelledTotals(in: RowBuilder.rows(of: Self.page([[("实收：", 100), ("6.70", 300)]]), pageNumber: 0)).isEmpty)
        // 应收 and 实收 print one payment twice: it counts once.
        let twice = LineItemParser().parse([Self.page([
            [("诊查费(自费)", 100), ("3.00", 500)],
            [("诊查费", 100), ("15.00", 500)],
            [("应收", 100), ("6.70", 300), ("实收", 500), ("6.70", 700), ("附加支付：", 1100), ("11.30", 1400)],
        ])])
        #expect(twice.metadata.total?.value == 18)
        // An 应收 row under a table ends its lines: no item of it, nothing joined to a name.
        let under = LineItemParser().parse([Self.page([
            [("药品名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("阿莫西林胶囊", 100), ("2", 900), ("12.50", 1300), ("25.00", 1700)],
            [("应收", 100), ("25.00", 1300), ("实收", 1500), ("25.00", 1700)],
        ])])
        #expect(under.items.map(\.name.value) == ["阿莫西林胶囊"])
        #expect(under.metadata.total?.value == 25 && under.flags.isEmpty)
    }

    @Test func itemRowsAreNotTakenForCategoryLines() {
        // A detail list prints fee names as items (诊查费 with its quantity and price): a
        // label followed by more than one short number is a line, not a category.
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("诊查费", 100), ("1", 900), ("20.00", 1300), ("20.00", 1700)],
            [("护理费", 100), ("2.00", 900), ("15.00", 1300), ("30.00", 1700)],
            [("合计", 100), ("50.00", 1700)],
        ])])
        #expect(parsed.categories.isEmpty)
        #expect(parsed.items.map(\.name.value) == ["诊查费", "护理费"])
        #expect(parsed.metadata.total?.value == Decimal(50))
        #expect(parsed.flags.isEmpty)
    }

    /// Numbers a space apart are not one total; a header qualified by a place names no
    /// item column; a drug's Latin name with its strength is no code.
    @Test func spacedNumbersAreNoTotalAndOtherNearMisses() {
        func rows(_ words: [(String, Int)]) -> [Row] { RowBuilder.rows(of: Self.page([words]), pageNumber: 0) }
        #expect(InvoiceFields.labelledTotals(in: rows([("合计", 100), ("3", 300), ("53.00", 600)])).isEmpty)
        #expect(InvoiceFields.labelledTotals(in: rows([("合计(元)：", 100), ("53.00", 600)])).map(\.value) == [53])
        #expect(InvoiceFields.payments(in: rows([("现金支付", 100), ("3", 400), ("53.00", 600)])).isEmpty)
        #expect(Column.named("科室名称") == nil)
        #expect(PageState.leadingCode("Omeprazole20mg胶囊") == nil)
    }

    @Test func paymentLabelsAndBalancesAreNotCategories() {
        #expect(InvoiceFields.categoryBase("自费") == nil)
        #expect(InvoiceFields.categoryBase("收费") == nil)
        #expect(InvoiceFields.categoryBase("费用合计") == nil)
        #expect(InvoiceFields.categoryBase("诊疗费(自费)(0)") == "诊疗费")
        #expect(InvoiceFields.categoryBase("西药") == "西药")
        #expect(InvoiceFields.categoryBase("阿莫西林") == nil)
    }

    @Test func theTotalIsTheFirstAmountAfterItsLabelNotTheRowsLastNumber() {
        // A category block beside the items: its 合计 shares a row with an item line.
        let parsed = LineItemParser().parse([Self.page([
            [("检查费", 100), ("53.00", 400), ("S31030003800010", 700), ("角膜荧光素染色检查", 1300), ("1.00", 2100), ("33.00", 2300), ("33.00", 2600)],
            [("合计", 100), ("53.00", 400), ("S31030000700010", 700), ("验光", 1300), ("次", 1800), ("1.00", 2100), ("20.00", 2300), ("20.00", 2600)],
        ])])
        #expect(parsed.items.map { $0.amount?.value } == [33, 20].map { Decimal($0) })
        #expect(parsed.categories.map(\.name.value) == ["检查费"])
        #expect(parsed.metadata.total?.value == Decimal(53))
    }

    /// A category's amount read in part (`3` for 3.00, `-247`, `197.p`) stands only where
    /// it makes up exactly what the lines read whole lack of the printed total.
    @Test func aCategoryAmountReadInPartStandsWhereItCompletesTheTotal() {
        func categories(_ rows: [[(String, Int)]]) -> [String] {
            LineItemParser().parse([Self.page(rows)]).categories.map { "\($0.name.value) \($0.amount.value)" }
        }
        #expect(categories([
            [("诊查费", 100), ("15.00", 500)], [("诊查费(自费)路3.00", 100)], [("合计(大写)", 100), ("壹拾捌元整", 500)],
        ]) == ["诊查费 15", "诊查费(自费) 3"])
        #expect(categories([
            [("诊查费", 100), ("15.00", 500)], [("诊查费(自费)", 100), ("3", 500)], [("合计(大写)", 100), ("壹拾捌元整", 500)],
        ]) == ["诊查费 15", "诊查费(自费) 3"])
        #expect(categories([
            [("诊疗费(自费)(0)", 100), ("-247", 600)], [("诊疗费", 100), ("(0)", 260), ("19.00", 600)], [("合计", 100), ("266.00", 600)],
        ]) == ["诊疗费(自费)(0) 247", "诊疗费(0) 19"])
        #expect(categories([
            [("诊疗费(自费)(0)", 100), ("197.p", 600)], [("诊疗费(0)", 100), ("19.00", 600)], [("合计", 100), ("216.00", 600)],
        ]) == ["诊疗费(自费)(0) 197", "诊疗费(0) 19"])
        // Not where the sum does not come out, nor with no total to check it by.
        #expect(categories([
            [("诊查费", 100), ("15.00", 500)], [("诊查费(自费)", 100), ("4", 500)], [("合计(大写)", 100), ("壹拾捌元整", 500)],
        ]) == ["诊查费 15"])
        #expect(categories([[("诊查费", 100), ("15.00", 500)], [("诊查费(自费)", 100), ("3", 500)]]) == ["诊查费 15"])
        // Two that could each make up the difference: neither is guessed.
        #expect(categories([
            [("诊查费", 100), ("15.00", 500)], [("诊查费(自费)", 100), ("3", 500)], [("治疗费", 100), ("3", 500)],
            [("合计(大写)", 100), ("壹拾捌元整", 500)],
        ]) == ["诊查费 15"])
        #expect(InvoiceFields.partialAmount([InvoiceFields.Token(text: "1234567", box: BoundingBox(x: 0, y: 0, width: 9, height: 9), confidence: 1)][...]) == nil)
    }

    @Test func marksReadAsLettersBeforeALabelAreNotPartOfIt() {
        let parsed = LineItemParser().parse([Self.page([[("dj", 40), ("检查费", 100), ("53.00", 500)], [("合计", 100), ("53.00", 500)]])])
        #expect(parsed.categories.map(\.name.value) == ["检查费"])
    }
}
