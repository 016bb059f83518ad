import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// The parser on recorded OCR of the fixture documents (Fixtures/ocr, made by
/// scripts/record-ocr), one test per layout, compared with the truth files.
@Suite struct LineItemParserTests {
    static func recorded(_ document: String) throws -> [OCRPage] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("ocr/\(document).ocr.json")))
        return try JSONDecoder().decode([OCRPage].self, from: data)
    }

    static func truth(_ document: String) throws -> TruthDocument {
        let stem = (document as NSString).deletingPathExtension
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("documents/\(stem).truth.json")))
        return try JSONDecoder().decode(TruthDocument.self, from: data)
    }

    static func parse(_ document: String) throws -> (ParsedDocument, TruthDocument) {
        (LineItemParser().parse(try recorded(document)), try truth(document))
    }

    /// Every true amount, in order, among the parsed amounts.
    static func amounts(_ parsed: ParsedDocument) -> [Decimal] { parsed.items.compactMap(\.amount?.value) }
    static func amounts(_ truth: TruthDocument) -> [Decimal] { (truth.items ?? []).compactMap(\.amount) }

    @Test(arguments: [
        "zh-inpatient-01-p1-clean.png", "zh-inpatient-02-p1-clean.png", "zh-inpatient-02-p2-clean.png",
        "zh-outpatient-01-clean.png", "zh-outpatient-02-clean.png", "zh-outpatient-04-clean.png",
        "zh-pharmacy-02-clean.png", "en-bill-01-clean.png", "en-bill-02-clean.png",
    ])
    func everyAmountOfACleanDocument(document: String) throws {
        let (parsed, truth) = try Self.parse(document)
        #expect(Self.amounts(parsed) == Self.amounts(truth))
    }

    @Test func anInpatientListWithPrintedCodesCarriesThem() throws {
        let (parsed, truth) = try Self.parse("zh-inpatient-01-p1-clean.png")
        let codes = parsed.items.compactMap(\.code?.value)
        let trueCodes = Set((truth.items ?? []).compactMap(\.code))
        #expect(codes.count >= parsed.items.count - 2)
        // Raw readings: most printed codes exactly (the rest are repaired against the
        // catalogue by NameRestoration, tested there).
        #expect(Double(codes.filter(trueCodes.contains).count) >= 0.85 * Double(codes.count))
        #expect(parsed.items.contains { $0.printedClass == .b })
    }

    @Test func unitPriceBeforeQuantityAndRefundLines() throws {
        let (parsed, truth) = try Self.parse("zh-inpatient-02-p1-clean.png")
        let quantities = parsed.items.compactMap(\.quantity?.value)
        #expect(quantities == (truth.items ?? []).compactMap(\.quantity))
        #expect(parsed.items.filter { $0.flags.contains(.refund) }.count == 3)
    }

    @Test func outpatientInvoiceMetadata() throws {
        let (parsed, truth) = try Self.parse("zh-outpatient-01-clean.png")
        #expect(parsed.metadata.invoiceCode?.value == truth.invoiceCode)
        #expect(parsed.metadata.invoiceNumber?.value == truth.invoiceNumber)
        #expect(parsed.metadata.date?.value == truth.date)
        #expect(parsed.metadata.total?.value == truth.total)
        #expect(parsed.flags.isEmpty)
    }

    @Test func aReceiptWithoutATable() throws {
        let (parsed, truth) = try Self.parse("zh-pharmacy-02-clean.png")
        #expect(parsed.items.count == truth.items?.count)
        #expect(parsed.items.compactMap(\.quantity?.value) == (truth.items ?? []).compactMap(\.quantity))
        #expect(parsed.items.compactMap(\.unit?.value) == (truth.items ?? []).compactMap(\.unit))
        #expect(parsed.metadata.total?.value == truth.total)
    }

    @Test func theLastPageOfAListHasTheTotalAndNoMismatchFlag() throws {
        let (parsed, truth) = try Self.parse("zh-inpatient-02-p2-clean.png")
        #expect(parsed.metadata.total?.value == truth.total)
        // Page 2 of 2 alone does not sum to the list's total; that is no mismatch.
        #expect(!parsed.flags.contains(.totalMismatch))
        #expect(!parsed.subtotals.isEmpty)
    }

    static func page(_ rows: [[(String, Int)]]) -> OCRPage {
        var lines: [OCRLine] = []
        for (index, row) in rows.enumerated() {
            let y = 100 + index * 60
            let words = row.map { text, x in OCRWord(text: text, box: BoundingBox(x: x, y: y, width: 40 * text.count, height: 40), confidence: 90) }
            guard let first = words.first else { continue }
            let box = words.dropFirst().reduce(first.box) { $0.union($1.box) }
            lines.append(OCRLine(text: row.map(\.0).joined(separator: " "), box: box, confidence: 90, words: words))
        }
        let geometry = PageGeometry(rotation: 0, skewCentidegrees: 0, scalePermille: 1000, sourceWidth: 2000, sourceHeight: 2000)
        return OCRPage(source: "synthetic.png", pageIndex: 0, width: 2000, height: 2000, dpi: 300, geometry: geometry, engine: "test", lines: lines)
    }

    @Test func aLineThatCannotBeRepairedIsFlaggedAndAWrappedNameIsJoined() {
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)],
            [("阿莫西林胶囊", 100), ("2", 900), ("12.50", 1200), ("99.99", 1500)],
            [("静脉输液(使用微量泵", 100), ("1", 900), ("3.00", 1200), ("3.00", 1500)],
            [("按小时加收)", 100)],
            [("合计", 100), ("102.99", 1500)],
        ])])
        #expect(parsed.items.count == 2)
        #expect(parsed.items[0].flags == [.arithmeticMismatch])
        #expect(parsed.items[0].amount?.value == Decimal(string: "99.99"))
        #expect(parsed.items[1].name.value == "静脉输液(使用微量泵按小时加收)")
        #expect(parsed.items[1].flags.contains(.joinedName))
        #expect(parsed.metadata.total?.value == Decimal(string: "102.99"))
        #expect(parsed.flags.isEmpty)
    }

    @Test func headerWordsWithCellEdgesReadAsMarksStillNameTheirColumns() {
        // `”单价`: a cell edge read as a quote. `金额 “ 类别` in one cell: the quote must
        // not widen 类别's box to the left, or the amount below falls into its band.
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("”单价", 900), ("”数量", 1200), ("金额", 1500), ("“", 1600), ("类别", 1660)],
            [("氧气吸入", 100), ("3.00", 900), ("24", 1200), ("72.00", 1500), ("甲", 1760)],
        ])])
        #expect(parsed.items.count == 1)
        let item = parsed.items.first
        #expect(item?.unitPrice?.value == 3 && item?.quantity?.value == 24 && item?.amount?.value == 72)
        #expect(item?.printedClass == .a)
    }

    @Test func anAmountHeaderReadWithOneCharacterWrongStillNamesTheColumn() {
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("单价", 900), ("数量", 1200), ("金作", 1500), ("类别", 1800)],
            [("氧气吸入", 100), ("3.00", 900), ("24", 1200), ("72.00", 1500), ("甲", 1800)],
        ])])
        #expect(parsed.items.map { $0.amount?.value } == [72])
    }

    @Test func englishHeadersReadWithLettersWrongStillNameTheirColumns() {
        // A noisy scan: `Unlt pitce` for Unit price, `Arnount` for Amount.
        let parsed = LineItemParser().parse([Self.page([
            [("Description", 100), ("Qty", 800), ("Unlt", 1100), ("pitce", 1270), ("Arnount", 1600)],
            [("Amoxicillin", 100), ("Capsules", 560), ("2", 800), ("12.50", 1100), ("25.00", 1600)],
        ])])
        let item = parsed.items.first
        #expect(parsed.items.count == 1)
        #expect(item?.quantity?.value == 2 && item?.unitPrice?.value == Decimal(string: "12.50") && item?.amount?.value == 25)
        #expect(Column.nearlyNamedLatin("Unlt pitce") == .unitPrice)
        #expect(Column.nearlyNamedLatin("Pitce") == nil)
        #expect(Column.nearlyNamedLatin("Nate") == nil)
    }

    @Test func aHeaderReadAsTwoOneCharacterWordsWithOneWrongStillNamesItsColumn() {
        // A dot-matrix header: 数量 read as `数 县`, after a speck read as `”和`.
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("单价", 800), ("”和", 1000), ("数", 1085), ("县", 1125), ("金额", 1400)],
            [("阿胶", 100), ("398.00", 800), ("1", 1100), ("398.00", 1400)],
        ])])
        #expect(parsed.items.first?.quantity?.value == 1)
        #expect(parsed.items.first?.unitPrice?.value == 398)
    }

    @Test func aHeaderPhotographedAtASlantAcrossTwoRowsIsRead() {
        // 项目名称 sits a row higher than the other headers.
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100)],
            [("规格", 700), ("数量", 900), ("单价", 1200), ("金额", 1500)],
            [("阿莫西林胶囊", 100), ("0.25g", 700), ("2", 900), ("12.50", 1200), ("25.00", 1500)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["阿莫西林胶囊"])
        #expect(parsed.items.first?.amount?.value == 25)
    }

    @Test func anAmountHeaderNotReadLeavesTheAmountBesideTheUnitPrice() {
        // 金额 lost from a photographed header: the second number in the unit price
        // band is the amount. A service code read with look-alike letters is read as digits.
        let parsed = LineItemParser().parse([Self.page([
            [("编码", 0), ("项目名称", 700), ("数量", 1100), ("单价", 1300), ("自付比例", 1900)],
            [("oollogoooolooo0", 0), ("普通病房床位费", 700), ("7", 1100), ("45.00", 1250), ("315.00", 1500), ("0%", 1900)],
        ])])
        let item = parsed.items.first
        #expect(parsed.items.count == 1)
        #expect(item?.unitPrice?.value == 45 && item?.amount?.value == 315 && item?.quantity?.value == 7)
        #expect(item?.code?.value == "001109000010000")
    }

    @Test func aReceiptWithItsSpecsAndTotalOnRowsOfTheirOwn() {
        // A photographed receipt: each spec right-aligned a row under its name, the
        // total printed large, a row under 合计.
        let parsed = LineItemParser().parse([Self.page([
            [("1.二甲双胍片", 100)],
            [("0.5g*20片", 1200)],
            [("1盒", 900), ("x", 1000), ("3.90", 1100), ("3.90", 1400)],
            [("2.蒙脱石散", 100)],
            [("3g*10袋", 1200)],
            [("2盒", 900), ("x", 1000), ("13.50", 1100), ("27.00", 1400)],
            [("合计:", 100)],
            [("30.90", 1400)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["二甲双胍片", "蒙脱石散"])
        #expect(parsed.items.map { $0.spec?.value } == ["0.5g*20片", "3g*10袋"])
        #expect(parsed.metadata.total?.value == Decimal(string: "30.90"))
    }

    @Test func aTotalLabelAfterASpeckIsStillATotal() {
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)],
            [("氧气吸入", 100), ("2", 900), ("3.00", 1200), ("6.00", 1500)],
            [("-合计金额:", 100), ("6.00", 1500), ("元", 1800)],
        ])])
        #expect(parsed.items.count == 1)
        #expect(parsed.metadata.total?.value == 6)
    }

    @Test func aTotalReadWithoutItsPointIsTheSumItSpells() {
        func receipt(total: String) -> ParsedDocument {
            LineItemParser().parse([Self.page([
                [("1.二甲双胍片", 100)],
                [("1盒", 900), ("x", 1000), ("3.90", 1100), ("3.90", 1400)],
                [("2.京万红软膏", 100)],
                [("I", 900), ("23.70", 1100), ("23.70", 1400)],
                [("合计:", 100), (total, 1400)],
            ])])
        }
        // `83 8`: the point lost in a speck and the last zero with it.
        let spelled = receipt(total: "27 6")
        #expect(spelled.items.count == 2)
        #expect(spelled.metadata.total?.value == Decimal(string: "27.60"))
        #expect(spelled.flags == [.totalRepaired])
        // Digits that do not spell the sum leave the total unread, not guessed.
        let other = receipt(total: "29 6")
        #expect(other.metadata.total == nil)
        #expect(!other.flags.contains(.totalRepaired))
    }

    /// A page of engine lines, each given as words with their own x and y.
    static func slantedPage(_ lines: [[(String, Int, Int)]]) -> OCRPage {
        let ocrLines = lines.map { row in
            let words = row.map { text, x, y in OCRWord(text: text, box: BoundingBox(x: x, y: y, width: 40 * text.count, height: 40), confidence: 90) }
            let box = words.dropFirst().reduce(words[0].box) { $0.union($1.box) }
            return OCRLine(text: row.map(\.0).joined(separator: " "), box: box, confidence: 90, words: words)
        }
        let geometry = PageGeometry(rotation: 0, skewCentidegrees: 0, scalePermille: 1000, sourceWidth: 2000, sourceHeight: 2000)
        return OCRPage(source: "slanted.png", pageIndex: 0, width: 2000, height: 2000, dpi: 300, geometry: geometry, engine: "test", lines: ocrLines)
    }

    @Test func aLinePhotographedAtASlantIsOneRow() {
        // Each line drifts 40 px (a word's height) from name to amount.
        let parsed = LineItemParser().parse([Self.slantedPage([
            [("项目名称", 100, 100), ("数量", 900, 120), ("单价", 1200, 130), ("金额", 1500, 140)],
            [("普通病房床位费", 100, 200), ("8", 900, 220), ("45.00", 1200, 230), ("360.00", 1500, 240)],
            [("住院诊查费", 100, 300), ("8", 900, 320), ("20.00", 1200, 330), ("160.00", 1500, 340)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["普通病房床位费", "住院诊查费"])
        #expect(parsed.items.map { $0.amount?.value } == [360, 160])
    }

    @Test func numbersThatDriftedOutOfTheirBandsAreReadByArithmetic() {
        // Low on a photographed page the numbers sit a column right of their headers:
        // the amount falls in the class band, the quantity in the unit price band.
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1100), ("金额", 1300), ("类别", 1500)],
            [("维生素B1注射液", 100), ("1", 900), ("1.10", 1100), ("1.10", 1300), ("甲", 1500)],
            [("注射用血栓通", 100), ("2", 1080), ("18.90", 1290), ("37.80", 1490), ("甲", 1700)],
            [("连花清瘟颗粒", 100), ("2", 1080), ("22.60", 1290), ("44.00", 1490)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["维生素B1注射液", "注射用血栓通", "连花清瘟颗粒"])
        #expect(parsed.items[1].quantity?.value == 2 && parsed.items[1].unitPrice?.value == Decimal(string: "18.9"))
        #expect(parsed.items[1].amount?.value == Decimal(string: "37.8"))
        // Numbers that do not multiply out bind no row by arithmetic; under a line that
        // drifted as far, they are read through the bands moved with it, and checked as
        // any line is (`22.60` one slip from the 22.00 that 44.00 implies).
        #expect(parsed.items[2].quantity?.value == 2 && parsed.items[2].amount?.value == 44)
        #expect(parsed.items[2].unitPrice?.value == 22 && parsed.items[2].flags == [.repaired])
    }

    @Test func selfPayColumnsAreNotTakenForTheLinesNumbers() {
        // Amount × ratio = self-pay multiplies out too; a rounded amount (0.5 × 12.25 =
        // 6.125, printed 6.13) still agrees with its line.
        let parsed = LineItemParser().parse([Self.page([
            [("名称", 100), ("数量", 700), ("单价", 900), ("金额", 1100), ("自付比例", 1300), ("自付金额", 1700)],
            [("维生素C片", 100), ("2", 700), ("5.00", 900), ("1O.0?", 1100), ("0.1", 1300), ("1.00", 1700)],
            [("氯化钾缓释片", 100), ("0.5", 700), ("12.25", 900), ("6.13", 1100), ("1", 1300), ("6.13", 1700)],
        ])])
        #expect(!parsed.items.contains { $0.amount?.value == 1 || $0.quantity?.value == 10 })
        let rounded = parsed.items.last
        #expect(rounded?.quantity?.value == Decimal(string: "0.5") && rounded?.unitPrice?.value == Decimal(string: "12.25"))
        #expect(rounded?.amount?.value == Decimal(string: "6.13"))
    }

    @Test func aCategorySubtotalDecidesBetweenTwoRepairsOfALine() {
        // 2 × 10.00 ≠ 220.00: one slip each way (a digit lost from 110.00, or one too
        // many in 20.00). The line repairs its amount; the subtotal says the amount was
        // right and the price lost a digit.
        func list(subtotal: String) -> ParsedDocument {
            LineItemParser().parse([Self.page([
                [("项目名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)],
                [("【检查费】", 100)],
                [("心电监测", 100), ("2", 900), ("60.00", 1200), ("120.00", 1500)],
                [("颈部血管彩色多普勒超声", 100), ("2", 900), ("10.00", 1200), ("220.00", 1500)],
                [("检查费小计:", 900), (subtotal, 1500)],
            ])])
        }
        let fixed = list(subtotal: "340.00").items[1]
        #expect(fixed.unitPrice?.value == 110 && fixed.amount?.value == 220)
        #expect(fixed.flags == [.repaired])
        // A subtotal that does not settle it leaves the line's own repair.
        let unsettled = list(subtotal: "500.00").items[1]
        #expect(unsettled.unitPrice?.value == 10 && unsettled.amount?.value == 20)
    }

    @Test func aSubtotalOneSlipFromTheSumIsTheMisreadingNotTheLines() {
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)],
            [("【西药费】", 100)],
            [("甲氧氯普胺注射液", 100), ("2", 900), ("0.68", 1200), ("1.36", 1500)],
            [("阿昔洛韦片", 100), ("2", 900), ("640", 1200), ("12.80", 1500)],
            [("西药费小计:", 900), ("14.1", 1500)],
        ])])
        #expect(parsed.items.map { $0.amount?.value } == [Decimal(string: "1.36"), Decimal(string: "12.8")])
        #expect(parsed.items[0].unitPrice?.value == Decimal(string: "0.68"))
    }

    @Test func anAmountBeyondItsBandAndALineWithOnlyItsAmountAreKept() {
        // No amount header: the amount is the next number right of the unit price, here
        // read together with the class beside it.
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1100), ("类别", 1500)],
            [("心电监测", 100), ("2", 900), ("60.00", 1100), ("120.00", 1300), ("甲", 1600)],
            [("颈部血管超声", 100), ("2", 900), ("10.00", 1100), ("220.00", 1350), ("乙", 1600)],
        ])])
        #expect(parsed.items.map { $0.amount?.value } == [120, 20])
        #expect(parsed.items.map { $0.quantity?.value } == [2, 2])
        // Quantity and price read as one garbled word: the line keeps its amount, flagged.
        let partial = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1100), ("金额", 1300)],
            [("胆囊切除术", 100), ("1heo00.00", 900), ("1600.00", 1300)],
        ])])
        #expect(partial.items.count == 1)
        #expect(partial.items.first?.amount?.value == 1600 && partial.items.first?.quantity == nil)
        #expect(partial.items.first?.flags.contains(.arithmeticMismatch) == true)
    }

    @Test func moneyReadWithoutItsPointIsRestoredWhereTheTableHasPoints() {
        var rows: [[(String, Int)]] = [[("项目名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)]]
        for n in 1...4 { rows.append([("检查\(n)", 100), ("1", 900), ("\(n)0.00", 1200), ("\(n)0.00", 1500)]) }
        rows.append([("血常规", 100), ("1", 900), ("800", 1200), ("800", 1500)])
        let parsed = LineItemParser().parse([Self.page(rows)])
        #expect(parsed.items.count == 5)
        #expect(parsed.items[4].unitPrice?.value == 8 && parsed.items[4].amount?.value == 8)
        #expect(parsed.items[4].flags.contains(.repaired))
        #expect(parsed.items[0].flags.isEmpty)
    }

    @Test func aPageWithoutATableGivesNoItemsAndSaysWhy() {
        let prose = LineItemParser().parse([Self.page([[("尊敬的患者", 100)], [("请于三日内复诊", 100)]])])
        #expect(prose.items.isEmpty)
        #expect(prose.flags == [.noItems])
        #expect(prose.reason?.contains("no line items found") == true)
        let empty = LineItemParser().parse([Self.page([])])
        #expect(empty.items.isEmpty && empty.reason?.contains("no text") == true)
        #expect(prose.reason?.contains("none with a sum of money") == true)
        // A header read, and under it a row whose numbers stand in no column of it.
        let headed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)], [("阿莫西林胶囊", 100), ("12.00", 900)],
        ])])
        #expect(headed.items.isEmpty && headed.reason?.contains("no row under the table header read its amount") == true)
    }

    /// No header, no receipt lines: an invoice whose category block stands beside its
    /// item list, the category's 合计 on an item's row, codes before names.
    /// A name header qualified before it (`检验项目`) names the name column; `项目编码`
    /// stays the code's; a result and a reference range beside the money are no line.
    @Test func aQualifiedNameHeaderAndNumbersBesideTheMoney() {
        #expect(Column.named("检验项目") == .name)
        #expect(Column.named("服务项目") == .name)
        #expect(Column.named("项目编码") == .code)
        #expect(Column.named("单价项目") == nil)
        let parsed = LineItemParser().parse([Self.page([
            [("检验项目", 100), ("结果", 1000), ("参考范围", 1250), ("数量", 1600), ("单价", 1800), ("金额", 2000)],
            [("糖类抗原测定", 100), ("64.56", 1000), ("18.50-74.00", 1250), ("2", 1600), ("65.00", 1800), ("130.00", 2000)],
            [("肥达氏反应", 100), ("76.41", 1000), ("25.30-75.90", 1250), ("1", 1600), ("12.00", 1800), ("12.00", 2000)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["糖类抗原测定", "肥达氏反应"])
        #expect(parsed.items.map { $0.amount?.value } == [130, 12].map { Decimal($0) })
        #expect(parsed.items.map { $0.quantity?.value } == [2, 1].map { Decimal($0) })
    }

    @Test func rowsWhoseNumbersMultiplyOutAreLinesWithoutAHeader() {
        let parsed = LineItemParser().parse([Self.page([
            [("检查费", 100), ("53.00", 400), ("S31030003800010", 700), ("角膜荧光素染色检查", 1300), ("1.00", 2100), ("10.00", 2300), ("10.00", 2600)],
            [("合计", 100), ("53.00", 400), ("S31030000700010", 700), ("验光", 1300), ("次", 1800), ("1.00", 2100), ("20.00", 2300), ("20.00", 2600)],
            [("S310300049a0010", 700), ("裂隙灯下眼底检查", 1300), ("2", 2100), ("11.50", 2300), ("23.00", 2600)],
            [("现金支付：53.00", 100), ("个人账户支付：0.00", 700)],
            [("医保统筹支付", 100), ("1.00", 700), ("0.00", 900), ("0.00", 1100)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["角膜荧光素染色检查", "验光", "裂隙灯下眼底检查"])
        #expect(parsed.items.map { $0.unit?.value } == [nil, "次", nil])
        #expect(parsed.items.map { $0.amount?.value } == [10, 20, 23].map { Decimal($0) })
        #expect(parsed.items.map { $0.quantity?.value } == [1, 1, 2].map { Decimal($0) })
        #expect(parsed.items.map { $0.code?.value } == ["S31030003800010", "S31030000700010", "S310300049a0010"])
        #expect(parsed.metadata.total == nil || parsed.metadata.total?.value == Decimal(53))
        #expect(parsed.reason == nil)
    }
}
