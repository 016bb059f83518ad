import Foundation
import Testing

@testable import ClaimEyeCore

@Suite struct ParsingPrimitivesTests {
    @Test(arguments: [
        ("12.50", "12.5"), ("¥1,234.50", "1234.5"), ("１２.５０", "12.5"), ("12,50", "12.5"), ("-2", "-2"),
        ("25.00元", "25"), ("l2.5O", "12.5"), ("8|", "8"), ("[次|", nil), ("|45.00|", "45"), ("abc", nil), ("1.2.3", nil), ("YX294.70", "294.7"), ("Y45.00", "45"), ("Y12", nil),
        (".17.50", "17.5"), ("10.00.", "10"), ("6000」", "6000"), ("`26.40，", "26.4"), ("45.00l", "45"), ("3:90", "3.9"), ("08:03:00", nil), ("480.00|", "480"),
    ] as [(String, String?)])
    func readsNumbersAsPrinted(text: String, expected: String?) {
        #expect(NumberReading.parse(text).map { "\($0.value)" } == expected)
    }

    @Test func alternativesCoverOneSlip() {
        let amounts = NumberReading.alternatives(of: "36.00")
        #expect(amounts.contains(Decimal(string: "38.00")!))
        #expect(amounts.contains(Decimal(3600)))
        #expect(NumberReading.alternatives(of: "2500").contains(Decimal(string: "25.00")!))
        #expect(NumberReading.alternatives(of: "81").contains(8))
        #expect(NumberReading.alternatives(of: "-85.20").contains(Decimal(string: "85.20")!))
    }

    @Test(arguments: [
        ("贰佰陆拾柒元陆角陆分", "267.66"), ("壹仟零伍元整", "1005"), ("拾元", "10"), ("叁万贰仟元伍角", "32000.5"), ("合计", nil),
        // Misread numerals give no reading rather than a wrong one.
        ("些仟肆佰贰拾捌元捌角陆分", nil), ("壹拍捌元", nil), ("合计(大写):伍拾叁元整 (小写)53.00", "53"),
        // Empty places printed as 零 or a mark, and 零拾 as an empty place.
        ("合计(大写)⊗万⊗仟叁佰贰拾伍元零角零分", "325"), ("零仟零佰伍拾元整", "50"), ("壹万⊗仟贰佰元", "10200"), ("零拾零万叁佰元", "300"),
    ] as [(String, String?)])
    func readsCapitalNumerals(text: String, expected: String?) {
        #expect(ChineseNumerals.parse(text).map { "\($0)" } == expected)
    }

    @Test func foldsWidthAndRemovesCJKSpaces() {
        #expect(TextFolding.clean("阿 莫 西 林 胶 囊 ０.２５ｇ") == "阿莫西林胶囊0.25g")
        #expect(TextFolding.clean("Loratadine  Tablets") == "Loratadine Tablets")
        #expect(TextFolding.compact("Ⅱ级 护理") == "II级护理")
    }

    static func line(_ quantity: String, _ price: String, _ amount: String) -> LineItem {
        LineItem(
            page: 0, index: 0, name: Read("x", confidence: 1), nameRead: "x",
            quantity: Read(Decimal(string: quantity)!, confidence: 0.9), unitPrice: Read(Decimal(string: price)!, confidence: 0.95),
            amount: Read(Decimal(string: amount)!, confidence: 0.99))
    }

    @Test func aLineThatAddsUpIsLeftAlone() {
        let item = Arithmetic.check(Self.line("2", "12.50", "25.00"))
        #expect(item.flags.isEmpty)
    }

    @Test func aConfusedDigitIsRepairedInTheLeastConfidentField() {
        let item = Arithmetic.check(Self.line("81", "45.00", "360.00"))
        #expect(item.quantity?.value == 8)
        #expect(item.flags == [.repaired])
    }

    @Test func aLostDecimalPointIsRepaired() {
        let item = Arithmetic.check(Self.line("3", "435", "13.05"))
        #expect(item.unitPrice?.value == Decimal(string: "4.35"))
        #expect(item.flags == [.repaired])
    }

    @Test func aSpeckReadAsAMinusSignIsDropped() {
        let price = Arithmetic.check(Self.line("2", "-6.30", "12.60"))
        #expect(price.unitPrice?.value == Decimal(string: "6.30"))
        #expect(price.flags == [.repaired])
        let amount = Arithmetic.check(Self.line("3", "28.40", "-85.20"))
        #expect(amount.amount?.value == Decimal(string: "85.20"))
        // A refund prints both negative: it stays a refund.
        let refund = Arithmetic.check(Self.line("1", "-25.00", "-25.00"))
        #expect(refund.amount?.value == -25)
        #expect(refund.flags == [.refund])
    }

    @Test func aLineNoSlipExplainsIsFlaggedAndKept() {
        let item = Arithmetic.check(Self.line("2", "12.50", "99.99"))
        #expect(item.amount?.value == Decimal(string: "99.99"))
        #expect(item.flags == [.arithmeticMismatch])
    }

    /// A unit price printed rounded to the fen (1.89 for 14 at 0.135): the line stands;
    /// a price a slip away from that rounding (`80.14`, its ￥ read as 8) is repaired; a
    /// quantity of one has no rounding to hide behind.
    @Test func aUnitPricePrintedRoundedStands() {
        let rounded = Arithmetic.check(Self.line("14", "0.14", "1.89"))
        #expect(rounded.flags.isEmpty && rounded.unitPrice?.value == Decimal(string: "0.14"))
        let slipped = Arithmetic.check(Self.line("14", "80.14", "1.89"))
        #expect(slipped.unitPrice?.value == Decimal(string: "0.14") && slipped.flags == [.repaired])
        #expect(Arithmetic.check(Self.line("1", "0.14", "0.15")).flags == [.arithmeticMismatch])
        #expect(!Arithmetic.pricedRounded(1, Decimal(string: "0.14")!, Decimal(string: "0.15")!))
        #expect(!Arithmetic.pricedRounded(14, Decimal(string: "0.15")!, Decimal(string: "1.89")!))
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("桂枝", 100), ("14.00", 1100), ("80.14", 1500), ("1.89", 1900)],
        ])])
        #expect(parsed.items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] } == [[14, Decimal(string: "0.14"), Decimal(string: "1.89")]])
    }

    /// A quantity that is no whole number, where price and amount imply a whole one, was
    /// another column's figure (a lab result beside the price).
    @Test func aQuantityFromTheColumnBesideItGivesWayToTheImpliedOne() {
        let item = Arithmetic.check(Self.line("33.29", "30.00", "30.00"))
        #expect(item.quantity?.value == 1 && item.flags == [.repaired])
        #expect(Arithmetic.check(Self.line("2.5", "3.00", "8.00")).flags == [.arithmeticMismatch])
        #expect(Arithmetic.check(Self.line("0.5", "12.25", "6.13")).flags.isEmpty)
    }

    @Test func anEmptyQuantityIsImpliedByPriceAndAmount() {
        var line = Self.line("1", "90.00", "90.00")
        line.quantity = nil
        let item = Arithmetic.check(line)
        #expect(item.quantity?.value == 1)
        #expect(item.flags == [.repaired])
    }

    @Test func aPriceWithItsPointLostAndADigitTooManyIsRepaired() {
        let item = Arithmetic.check(Self.line("6", "2000", "12.00"))
        #expect(item.unitPrice?.value == 2)
        #expect(item.flags == [.repaired])
    }

    /// `15 .40`, read as two words at the point, is one number; a point a column away, a
    /// word of three decimals or of letters, is not joined.
    @Test func aNumberSplitAtItsPointIsJoined() {
        func word(_ text: String, _ x: Int, _ width: Int) -> OCRWord {
            OCRWord(text: text, box: BoundingBox(x: x, y: 0, width: width, height: 30), confidence: 80)
        }
        let joined = RowBuilder.joinSplitDecimals([word("1", 0, 15), word("15", 100, 30), word(".40", 135, 35), word("15", 300, 30), word(".40", 400, 35)])
        #expect(joined.map(\.text) == ["1", "15.40", "15", ".40"])
        #expect(joined[1].box.x == 100 && joined[1].box.maxX == 170)
        #expect(RowBuilder.joinSplitDecimals([word("¥12", 0, 40), word(".5", 42, 20)]).map(\.text) == ["¥12.5"])
        #expect(RowBuilder.joinSplitDecimals([word("￥15", 0, 40), word(".40", 42, 30)]).map(\.text) == ["￥15.40"])
        #expect(RowBuilder.joinSplitDecimals([word("12", 0, 30), word(".405", 32, 40)]).count == 2)
        #expect(RowBuilder.joinSplitDecimals([word("片", 0, 30), word(".40", 32, 30)]).count == 2)
    }

    @Test func aRuleInsideAWordSplitsIt() {
        let word = OCRWord(text: "16oo.oo|16oo.00|", box: BoundingBox(x: 0, y: 0, width: 160, height: 40), confidence: 80)
        let parts = RowBuilder.splitAtRules(word)
        #expect(parts.map(\.text) == ["16oo.oo", "16oo.00"])
        #expect(parts[1].box.x > parts[0].box.maxX - 1)
    }

    @Test(arguments: [
        ("6g*1/袋14.00", ["6g*1/袋", "14.00"]), ("0.31gX72片2.00", ["0.31gX72片", "2.00"]), ("15g+1/7.00", ["15g+1/", "7.00"]),
        ("元自0.00", ["元自0.00"]), ("1heo00.00", ["1heo00.00"]), ("现金支付：53.00", ["现金支付：53.00"]), ("14.00", ["14.00"]),
        ("3g*1/袋", ["3g*1/袋"]), ("315.00甲", ["315.00", "甲"]), ("甲", ["甲"]), ("1.5乙", ["1.5乙"]),
    ] as [(String, [String])])
    func aSpecGluedToTheNumberAfterItIsSplit(text: String, expected: [String]) {
        let word = OCRWord(text: text, box: BoundingBox(x: 100, y: 0, width: 200, height: 40), confidence: 80)
        let parts = RowBuilder.splitGluedNumber(word)
        #expect(parts.map(\.text) == expected)
        #expect(parts.first?.box.x == 100 && parts.last?.box.maxX == 300)
        if parts.count == 2 { #expect(parts[0].box.maxX == parts[1].box.x) }
    }

    /// Two headers read as one word name both their columns, where the word parts only
    /// one way; the line under them is read by them.
    @Test func twoHeadersReadAsOneWordNameBothColumns() {
        func word(_ text: String) -> OCRWord { OCRWord(text: text, box: BoundingBox(x: 0, y: 0, width: 120, height: 40), confidence: 90) }
        #expect(TableLayout.twoHeaders(in: word("单位」数量"))?.map(\.0) == [.unit, .quantity])
        #expect(TableLayout.twoHeaders(in: word("类别自付比例"))?.map(\.0) == [.reimbursementClass, .ratio])
        #expect(TableLayout.twoHeaders(in: word("单位数量"))?.map { $0.1.maxX } == [60, 120])
        #expect(TableLayout.twoHeaders(in: word("项目名称")) == nil)
        #expect(TableLayout.twoHeaders(in: word("金额金额")) == nil)
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            [("编码", 100), ("项目名称", 500), ("单位数量", 1000), ("单价", 1300), ("金额", 1600), ("类别自付比例", 1850)],
            [("001109000010000", 100), ("普通病房床位费", 500), ("次", 1000), ("7", 1130), ("45.00", 1300), ("315.00甲", 1600), ("0.00", 2000)],
        ])])
        #expect(parsed.items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] } == [[7, 45, 315]])
        #expect(parsed.items.first?.unit?.value == "次")
    }

    @Test func anAmountCutShortIsCompletedByQuantityTimesPrice() {
        #expect(Arithmetic.cutShort("5.6", read: Decimal(string: "5.6")!, of: Decimal(string: "5.67")!))
        #expect(Arithmetic.cutShort("¥20.6", read: Decimal(string: "20.6")!, of: Decimal(string: "20.16")!))
        #expect(Arithmetic.cutShort("3.", read: 3, of: Decimal(string: "3.05")!))
        // Two decimals read, another whole part, or digits that are not the full amount's.
        #expect(!Arithmetic.cutShort("5.60", read: Decimal(string: "5.6")!, of: Decimal(string: "5.67")!))
        #expect(!Arithmetic.cutShort("6.6", read: Decimal(string: "6.6")!, of: Decimal(string: "5.67")!))
        #expect(!Arithmetic.cutShort("5.8", read: Decimal(string: "5.8")!, of: Decimal(string: "5.67")!))
        #expect(!Arithmetic.cutShort("5.6", read: Decimal(string: "5.6")!, of: Decimal(string: "5.6")!))
        // Through the parser: 7 × 0.81 with its amount read `5.6`.
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("泽泻", 100), ("7.00", 900), ("0.81", 1300), ("5.6", 1700)],
        ])])
        #expect(parsed.items.map { $0.amount?.value } == [Decimal(string: "5.67")])
        #expect(parsed.items.first?.flags == [.repaired])
    }

    /// `16` for 7 × 2.88 = 20.16, its first digits under a mark: the three bind a row that
    /// drifted a column right, and the amount is quantity × price.
    @Test func anAmountThatLostItsFirstDigitsBindsTheRowAndIsRepaired() {
        let full = Decimal(string: "20.16")!
        #expect(Arithmetic.headLost("16", read: 16, of: full, quantity: 7))
        #expect(Arithmetic.headLost("016", read: 16, of: full, quantity: 7))
        // A point read, one digit, a quantity of one, digits that do not end the product,
        // or a reading larger than it.
        #expect(!Arithmetic.headLost("16.00", read: 16, of: full, quantity: 7))
        #expect(!Arithmetic.headLost("6", read: 6, of: full, quantity: 7))
        #expect(!Arithmetic.headLost("16", read: 16, of: full, quantity: 1))
        #expect(!Arithmetic.headLost("15", read: 15, of: full, quantity: 7))
        #expect(!Arithmetic.headLost("16", read: 16, of: Decimal(string: "6.16")!, quantity: 2))
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("制草乌", 100), ("7.00", 1300), ("2.88", 1700), ("16", 1900)],
        ])])
        #expect(parsed.items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] } == [[7, Decimal(string: "2.88"), full]])
        #expect(parsed.items.first?.flags == [.repaired])
        // Among lines whose money has its points, `016` is no amount read without one:
        // completed, it is not divided by 100 again.
        let table = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("苍术", 100), ("7.00", 900), ("2.94", 1300), ("20.58", 1700)],
            [("泽泻", 100), ("7.00", 900), ("0.81", 1300), ("5.67", 1700)],
            [("厚朴", 100), ("28.00", 900), ("0.72", 1300), ("20.16", 1700)],
            [("制草乌", 100), ("7.00", 900), ("2.88", 1300), ("016", 1700)],
        ])])
        #expect(table.items.map { $0.amount?.value } == ["20.58", "5.67", "20.16", "20.16"].map { Decimal(string: $0) })
        #expect(table.items.last?.flags == [.repaired])
    }

    /// `￥47.` for 14 × 3.36 = 47.04, read to its point: the three bind a row that drifted
    /// a column right, and the amount is completed and flagged.
    @Test func anAmountReadToItsPointIsCompletedByQuantityTimesPrice() {
        #expect(NumberReading.readToPoint("￥47.")?.value == 47)
        #expect(NumberReading.readToPoint("6.") == nil && NumberReading.readToPoint("4.7.") == nil && NumberReading.readToPoint("47") == nil)
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("羌活", 100), ("14.00", 1300), ("￥3.36", 1700), ("￥47.", 1900)],
            [("寄生", 100), ("7.00", 900), ("0.96", 1300), ("￥6.", 1700)],
        ])])
        // `￥6.` has one digit, as an item's number does: not an amount read short.
        #expect(parsed.items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] } == [[14, Decimal(string: "3.36"), Decimal(string: "47.04")]])
        #expect(parsed.items.map(\.flags) == [[.repaired]])
    }

    /// A line whose numbers do not multiply out, just under one that drifted a column
    /// right of its header and was bound by its arithmetic, is read through the bands
    /// moved as far: quantity and price right, the amount as read and flagged.
    @Test func aLineUnderADriftedLineIsReadAsThatLineDrifted() {
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1200), ("金额", 1500)],
            [("制川乌", 100), ("7.00", 1150), ("2.61", 1450), ("18.27", 1750)],
            [("红花", 100), ("7.00", 1150), ("4.48", 1450), ("3.0", 1750)],
        ])])
        #expect(parsed.items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] }
            == [[7, Decimal(string: "2.61"), Decimal(string: "18.27")], [7, Decimal(string: "4.48"), 3]])
        #expect(parsed.items.map(\.flags) == [[], [.arithmeticMismatch]])
    }

    /// A category block's header beside the item table's, on one row: the item table is
    /// the one naming a quantity and price, and the block's words are no part of its
    /// lines; two item tables side by side keep their headers as read.
    @Test func aCategoryBlocksHeaderBesideTheItemTablesIsNotTheItemTable() {
        let header = [("项目", 100), ("金额(元)", 300), ("项目编码", 700), ("名称", 1100), ("数量", 1500), ("单价", 1700), ("金额(元)", 1900)]
        let parsed = LineItemParser().parse([LineItemParserTests.page([
            header,
            [("检查费", 100), ("140.00", 300), ("200293", 700), ("计算机X线摄影", 1100), ("2", 1500), ("70.00", 1700), ("140.00", 1900)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["计算机X线摄影"])
        #expect(parsed.items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] } == [[2, 70, 140]])
        #expect(parsed.items.first?.code?.value == "200293")
        // The item table starts at its code header, halfway from the block's 金额(元).
        let layout = TableLayout.header(of: RowBuilder.rows(of: LineItemParserTests.page([header]), pageNumber: 0)[0])
        #expect(layout?.columns.map(\.column) == [.code, .name, .quantity, .unitPrice, .amount])
        #expect(layout?.left == (300 + 40 * 5 + 700) / 2)
        func box(_ x: Int) -> BoundingBox { BoundingBox(x: x, y: 0, width: 80, height: 40) }
        let twoSlips: [(Column, BoundingBox)] = [(.name, box(100)), (.quantity, box(500)), (.amount, box(700)), (.name, box(1100)), (.quantity, box(1500)), (.amount, box(1700))]
        #expect(TableLayout.itemTable(in: twoSlips).columns.count == 6 && TableLayout.itemTable(in: twoSlips).left == nil)
    }

    @Test func anAmountOneDigitOffQuantityTimesPriceBindsTheRowAndIsRepaired() {
        #expect(Arithmetic.oneDigitOff(Decimal(string: "61.34")!, of: Decimal(string: "61.74")!))
        #expect(Arithmetic.oneDigitOff(Decimal(string: "18.21")!, of: Decimal(string: "18.27")!))
        // Two digits off, a digit more or fewer, or the same.
        #expect(!Arithmetic.oneDigitOff(Decimal(string: "19.30")!, of: Decimal(string: "18.27")!))
        #expect(!Arithmetic.oneDigitOff(Decimal(string: "118.27")!, of: Decimal(string: "18.27")!))
        #expect(!Arithmetic.oneDigitOff(Decimal(string: "18.27")!, of: Decimal(string: "18.27")!))
        // A photographed row drifted a band right of its headers: 14 × 4.41 with its amount
        // read `61.34`, in the band after the amount's.
        func parse(_ amount: String) -> [[Decimal?]] {
            LineItemParser().parse([LineItemParserTests.page([
                [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700), ("备注", 2100)],
                [("苍术", 100), ("14.00", 1300), ("4.41", 1700), (amount, 2100)],
            ])]).items.map { [$0.quantity?.value, $0.unitPrice?.value, $0.amount?.value] }
        }
        #expect(parse("61.34") == [[14, Decimal(string: "4.41"), Decimal(string: "61.74")]])
        #expect(parse("62.30") != [[14, Decimal(string: "4.41"), Decimal(string: "61.74")]])
        // 10 × 11.00 beside 112.00: the price may be 11.20 misread; the amount as read.
        let tenfold = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("多烯磷脂酰胆碱注射液", 100), ("10", 900), ("11.00", 1300), ("112.00", 1700)],
        ])]).items.first
        #expect(tenfold?.amount?.value == 112 && tenfold?.flags == [.arithmeticMismatch])
        // Of a quantity of one, price and amount one digit apart: the amount as read.
        let one = LineItemParser().parse([LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("血常规", 100), ("1", 900), ("3.50", 1300), ("3.56", 1700)],
        ])]).items.first
        #expect(one?.amount?.value == Decimal(string: "3.56"))
    }

    @Test(arguments: [("8|", ["8"]), ("|次", ["次"]), ("|", []), ("45.00", ["45.00"])] as [(String, [String])])
    func aRuleAtAWordsEdgeIsDropped(text: String, expected: [String]) {
        let word = OCRWord(text: text, box: BoundingBox(x: 100, y: 0, width: 60, height: 40), confidence: 80)
        let parts = RowBuilder.splitAtRules(word)
        #expect(parts.map(\.text) == expected)
        #expect(parts.allSatisfy { $0.box.x >= 100 && $0.box.maxX <= 160 })
    }

    @Test(arguments: [("金作", Column.amount), ("数里", .quantity), ("单作", nil), ("金额", .amount), ("作业", nil), ("Amt", nil)] as [(String, Column?)])
    func aHeaderWithOneCharacterWrongNamesItsColumnOnlyWhenThatIsUnambiguous(text: String, column: Column?) {
        #expect(Column.nearlyNamed(text) == column)
    }

    @Test func aRefundIsFlagged() {
        let item = Arithmetic.check(Self.line("-1", "21.40", "-21.40"))
        #expect(item.flags == [.refund])
    }

    @Test func receiptQuantityLines() {
        let match = ReceiptLine.match("2盒 × 12.80 = 25.60")
        #expect(match?.quantity?.value == 2 && match?.unit == "盒" && match?.unitPrice.value == Decimal(string: "12.8") && match?.amount?.value == Decimal(string: "25.6"))
        #expect(ReceiptLine.match("1 支 X23.70 23.70")?.amount?.value == Decimal(string: "23.7"))
        #expect(ReceiptLine.match("合计: 83.80") == nil)
        // Specks read as marks around a noisy line; `×` read as `Xx`; a point read as a colon.
        let noisy = ReceiptLine.match("、 - : 1 盒 Xx 3:90 3.90")
        #expect(noisy?.quantity?.value == 1 && noisy?.unitPrice.value == Decimal(string: "3.9") && noisy?.amount?.value == Decimal(string: "3.9"))
        #expect(ReceiptLine.match("“ ” ”2 盒 x13.50 27.00")?.quantity?.value == 2)
        let lost = ReceiptLine.match("盒 x 12.80 = 25.60")
        #expect(lost != nil && lost?.quantity == nil && lost?.amount?.value == Decimal(string: "25.6"))
        #expect(ReceiptLine.splitNameAndSpec("2. 阿莫西林胶囊 0.25g*24粒") == ("阿莫西林胶囊", "0.25g*24粒"))
        #expect(ReceiptLine.splitNameAndSpec("0.9%氯化钠注射液") == ("0.9%氯化钠注射液", nil))
        // The × and the unit lost, the quantity read as a letter: taken where it multiplies out.
        let bare = ReceiptLine.match("， . I 23.70 23.70")
        #expect(bare?.quantity?.value == 1 && bare?.unitPrice.value == Decimal(string: "23.7") && bare?.amount?.value == Decimal(string: "23.7"))
        #expect(ReceiptLine.match("2 13.50 27.00")?.quantity?.value == 2)
        #expect(ReceiptLine.match("2 13.50 26.00") == nil)
        #expect(ReceiptLine.match("电话 12.50 12.50") == nil)
        // A noisy scan's line numbers (`3:`, `.4`) and a speck between name and spec.
        #expect(ReceiptLine.splitNameAndSpec("3:阿奇霉素片 0.25g*6片") == ("阿奇霉素片", "0.25g*6片"))
        #expect(ReceiptLine.splitNameAndSpec(".4京万红软膏.20g") == ("京万红软膏", "20g"))
        #expect(ReceiptLine.splitNameAndSpec("维生素B1注射液 2ml:100mg") == ("维生素B1注射液", "2ml:100mg"))
    }

    @Test func datesInEveryPrintedForm() {
        #expect(MetadataReader.date(in: "开票日期: 2026年03月14日") == "2026-03-14")
        #expect(MetadataReader.date(in: "入院日期: 2026-01-03 出院日期: 2026-01-11") == "2026-01-11")
        #expect(MetadataReader.date(in: "Date: 5 February 2026") == "2026-02-05")
        #expect(MetadataReader.date(in: "March 10, 2026") == "2026-03-10")
        #expect(MetadataReader.date(in: "2026/13/40") == nil)
    }

    /// The labels an invoice, a hospital receipt (收据) and a retail receipt print their
    /// number under; a prescription's or admission's number is not the document's.
    @Test func documentNumbersUnderTheirLabels() {
        let pattern = MetadataReader.Pattern.invoiceNumber
        #expect(MetadataReader.capture(pattern, in: "票据号码：0081235720") == "0081235720")
        #expect(MetadataReader.capture(pattern, in: "项目，付费后一个月内有效。收据号：1940631286") == "1940631286")
        #expect(MetadataReader.capture(pattern, in: "收据号码:1930510134") == "1930510134")
        #expect(MetadataReader.capture(pattern, in: "单号：XS202603074890") == "XS202603074890")
        #expect(MetadataReader.capture(pattern, in: "处方单号：RX20260301") == nil)
        #expect(MetadataReader.capture(pattern, in: "住院单号：ZY1234567") == nil)
    }

    /// A reading that is a whole name the entry only extends (a herb, `桂枝`, beside its
    /// granules 桂枝颗粒) keeps its printed name and takes no code; the entry's own name
    /// still finds it.
    @Test func aShorterNameOfItsOwnIsNotRestoredToALongerEntry() {
        #expect(NameRestoration.extends("桂枝颗粒", "桂枝"))
        #expect(NameRestoration.extends("红花注射液", "红花"))
        #expect(!NameRestoration.extends("阿莫西林胶囊", "阿莫西林胶"))
        #expect(!NameRestoration.extends("阿莫西林胶囊", "阿莫西林胶襄"))
        let entries = [
            CatalogueEntry(code: "ZG0001", name: "桂枝颗粒", kind: .drug, reimbursementClass: .b),
            CatalogueEntry(code: "XA0002", name: "阿莫西林胶囊", kind: .drug, reimbursementClass: .a),
        ]
        let page = LineItemParserTests.page([
            [("名称", 100), ("数量", 900), ("单价", 1300), ("金额", 1700)],
            [("桂枝", 100), ("14", 900), ("0.14", 1300), ("1.96", 1700)],
            [("桂枝颗粒", 100), ("2", 900), ("12.50", 1300), ("25.00", 1700)],
        ])
        let restored = NameRestoration(matcher: CatalogueMatcher(entries: entries)).restore(LineItemParser().parse([page]))
        #expect(restored.items.map(\.name.value) == ["桂枝", "桂枝颗粒"])
        #expect(restored.items.map { $0.code?.value } == [nil, "ZG0001"])
    }
}
