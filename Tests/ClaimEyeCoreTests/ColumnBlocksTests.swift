import Foundation
import Testing

@testable import ClaimEyeCore

/// Blocks side by side, on drawn pages.
struct ColumnBlocksTests {
    static let page = LineItemParserTests.page

    /// A pick-up slip's items in two columns: each column's lines, names over quantities.
    @Test func itemsInTwoColumnsAreReadColumnByColumn() {
        let parsed = LineItemParser().parse([Self.page([
            [("取药号：QY123", 100), ("姓名：林晓梅", 1000), ("日期：2026-01-14", 1800)],
            [("1.阿司匹林肠溶片", 100), ("100mg*30片", 700), ("4.速效救心丸", 1300), ("40mg*60粒", 1900)],
            [("4盒", 500), ("×", 620), ("14.90", 680), ("=", 900), ("59.60", 960), ("1盒", 1700), ("×", 1820), ("29.80", 1880), ("=", 2100), ("29.80", 2160)],
            [("2.小柴胡颗粒", 100), ("10g*10袋", 700), ("5.莫西沙星片", 1300), ("0.4g*3片", 1900)],
            [("2盒", 500), ("×", 620), ("15.90", 680), ("=", 900), ("31.80", 960), ("4盒", 1700), ("×", 1820), ("32.70", 1880), ("=", 2100), ("130.80", 2160)],
            [("3.甲硝唑片", 100), ("0.2g*100片", 700)],
            [("4瓶", 500), ("×", 620), ("8.50", 680), ("=", 900), ("34.00", 960)],
            [("共5种", 100), ("合计：286.00", 1800)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["阿司匹林肠溶片", "小柴胡颗粒", "甲硝唑片", "速效救心丸", "莫西沙星片"])
        #expect(parsed.items.map { $0.amount?.value } == ["59.60", "31.80", "34.00", "29.80", "130.80"].map { Decimal(string: $0) })
        #expect(parsed.items.map { $0.spec?.value } == ["100mg*30片", "10g*10袋", "0.2g*100片", "40mg*60粒", "0.4g*3片"])
        #expect(parsed.metadata.total?.value == Decimal(string: "286.00"))
        #expect(parsed.flags.isEmpty)
    }

    /// A table's column gaps run down the page like a gutter; split there, its lines would
    /// break, so its rows stay whole.
    @Test func aTablesColumnGapsAreNoGutter() {
        let rows = RowBuilder.rows(of: Self.page([
            [("项目名称", 100), ("规格", 800), ("数量", 1300), ("单价", 1600), ("金额", 1900)],
            [("阿莫西林胶囊", 100), ("0.25g*24粒", 800), ("2", 1300), ("12.50", 1600), ("25.00", 1900)],
            [("布洛芬缓释胶囊", 100), ("0.3g*20粒", 800), ("1", 1300), ("18.60", 1600), ("18.60", 1900)],
            [("维生素C片", 100), ("0.1g*100片", 800), ("3", 1300), ("3.20", 1600), ("9.60", 1900)],
            [("复方甘草片", 100), ("100片", 800), ("1", 1300), ("6.80", 1600), ("6.80", 1900)],
        ]), pageNumber: 0)
        #expect(ColumnBlocks.reading(rows) == rows)
    }

    /// Categories beside an item list whose codes are glued to the names, under one header
    /// row naming 金额 twice: a line's numbers are never parted from its name, and the
    /// glued code is the line's code.
    @Test func categoriesBesideItemsWithCodesGluedToNames() {
        #expect(Column.named("项目编码/名称") == .name)
        #expect(PageState.leadingCode("001102000010000普通门诊诊查费")! == ("001102000010000", "普通门诊诊查费"))
        #expect(PageState.leadingCode("XJ01CAB037B436777560939 阿莫西林胶囊")! == ("XJ01CAB037B436777560939", "阿莫西林胶囊"))
        #expect(PageState.leadingCode("0.25g*24粒") == nil)
        let parsed = LineItemParser().parse([Self.page([
            [("项目", 100), ("金额(元)", 400), ("项目编码/名称", 700), ("规格", 1650), ("数量", 1750), ("单价", 1950), ("金额(元)", 2150)],
            [("诊查费", 100), ("10.00", 440), ("001102000010000", 700), ("普通门诊诊查费", 1100), ("1", 1800), ("10.00", 1950), ("10.00", 2200)],
            [("西药费", 100), ("25.00", 440), ("XJ01CAB037B4367阿莫西林胶囊", 700), ("24粒", 1650), ("2", 1800), ("12.50", 1950), ("25.00", 2200)],
            [("合计", 200), ("35.00", 440)],
        ])])
        #expect(ColumnBlocks.namesAColumnTwice(RowBuilder.rows(of: Self.page([[("项目", 100), ("金额", 400), ("名称", 700), ("金额", 2150)]]), pageNumber: 0)[0]))
        #expect(parsed.items.map(\.name.value) == ["普通门诊诊查费", "阿莫西林胶囊"])
        #expect(parsed.items.map { $0.code?.value } == ["001102000010000", "XJ01CAB037B4367"])
        #expect(parsed.items.map { $0.amount?.value } == [10, 25].map { Decimal($0) })
        #expect(parsed.categories.map(\.amount.value) == [10, 25].map { Decimal($0) })
        #expect(parsed.metadata.total?.value == 35)
    }

    /// The code band holding more than a code (a photo's block beside the table read into
    /// it, the name glued after the code): the code is the digits, the name what follows,
    /// the text before is no part of the line.
    @Test func aCodeBandHoldingTextAroundItsCode() {
        #expect(PageState.codeWithin("医保统筹支付附加支付 200293延胡")! == ("200293", "延胡"))
        #expect(PageState.codeWithin("2加2200110", nameAfter: false)! == ("2200110", ""))
        #expect(PageState.codeWithin("2加2200110") == nil)
        #expect(PageState.codeWithin("维生素B12注射液") == nil)
        #expect(PageState.codeWithin("Omeprazole20mg胶囊") == nil)
        let parsed = LineItemParser().parse([Self.page([
            [("项目编码", 700), ("名称", 1100), ("数量", 1750), ("单价", 1950), ("金额(元)", 2150)],
            [("200081苍术", 700), ("14.00", 1750), ("4.41", 1950), ("61.74", 2200)],
            [("医保统筹支付", 100), ("附加支付", 400), ("200293延胡", 700), ("7.00", 1750), ("1.26", 1950), ("8.82", 2200)],
        ])])
        #expect(parsed.items.map(\.name.value) == ["苍术", "延胡"])
        #expect(parsed.items.map { $0.code?.value } == ["200081", "200293"])
        #expect(parsed.items.map { $0.amount?.value } == ["61.74", "8.82"].map { Decimal(string: $0) })
    }

    /// A grid of fee categories three across is read block by block; a label is never
    /// parted from its amount.
    @Test func aCategoryGridKeepsEachLabelWithItsAmount() {
        let parsed = LineItemParser().parse([Self.page([
            [("床位费", 100), ("360.00", 600), ("诊查费", 900), ("160.00", 1400), ("护理费", 1700), ("156.00", 2200)],
            [("西药费", 100), ("718.80", 600), ("中成药费", 900), ("90.20", 1400), ("检查费", 1700), ("830.00", 2200)],
            [("化验费", 100), ("191.00", 600), ("治疗费", 900), ("204.00", 1400), ("手术费", 1700), ("2500.00", 2200)],
        ])])
        #expect(Set(parsed.categories.map { "\($0.name.value) \($0.amount.value)" }) == [
            "床位费 360", "诊查费 160", "护理费 156", "西药费 718.8", "中成药费 90.2", "检查费 830", "化验费 191", "治疗费 204", "手术费 2500",
        ])
    }
}

/// What issue-19's bad input asks of the parser: items or a clear reason, never a crash or
/// a silent drop.
struct ParserBadInputTests {
    static let page = LineItemParserTests.page

    @Test func thousandsOfLinesOnOnePageAreAllRead() {
        var rows: [[(String, Int)]] = [[("项目名称", 100), ("数量", 1300), ("单价", 1600), ("金额", 1900)]]
        for n in 1...2000 { rows.append([("检验项目\(n)", 100), ("2", 1300), ("1.50", 1600), ("3.00", 1900)]) }
        rows.append([("合计", 100), ("6000.00", 1900)])
        let clock = ContinuousClock()
        var parsed: ParsedDocument?
        let elapsed = clock.measure { parsed = LineItemParser().parse([Self.page(rows)]) }
        #expect(parsed?.items.count == 2000)
        #expect(parsed?.metadata.total?.value == 6000)
        #expect(parsed?.flags.isEmpty == true)
        // Not a timing assertion: recorded for the eye, as the blocks search is quadratic at worst.
        print("2000 lines parsed in \(elapsed)")
    }

    @Test func aPageWithoutItemsSaysWhy() {
        let cover = LineItemParser().parse([Self.page([[("住院病案首页", 800)], [("姓名：林晓梅", 100), ("科室：消化内科", 1200)]])])
        #expect(cover.items.isEmpty && cover.categories.isEmpty)
        #expect(cover.reason == "no line items found: 2 rows read, none with a sum of money (a cover page, a page of names alone, or the sums unread)")
        // Sums that bind to nothing are named, and why (numbers only, never a row's words).
        let loose = LineItemParser().parse([Self.page([[("姓名：林晓梅", 100), ("预交金", 900), ("500.00", 1300)], [("余额", 100), ("123.40", 1300)]])])
        #expect(loose.reason?.hasPrefix("no line items found: 2 rows read, 2 with sums of money (500.00, 123.40), but no table header") == true)
        #expect(loose.reason?.contains("林晓梅") == false)
        let blank = LineItemParser().parse([Self.page([])])
        #expect(blank.reason == "no line items found: the page has no text")
        let namesOnly = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 1300), ("单价", 1600), ("金额", 1900)], [("阿莫西林胶囊", 100)], [("布洛芬缓释胶囊", 100)],
        ])])
        #expect(namesOnly.items.isEmpty)
        #expect(namesOnly.reason != nil)
    }

    @Test func aRefundLineAndACategorySumOffTheTotalAreKeptAndFlagged() {
        let parsed = LineItemParser().parse([Self.page([
            [("项目名称", 100), ("数量", 1300), ("单价", 1600), ("金额", 1900)],
            [("阿莫西林胶囊", 100), ("2", 1300), ("12.50", 1600), ("25.00", 1900)],
            [("阿莫西林胶囊(退)", 100), ("-1", 1300), ("12.50", 1600), ("-12.50", 1900)],
            [("合计", 100), ("20.00", 1900)],
        ])])
        #expect(parsed.items.map { $0.amount?.value } == [25, Decimal(string: "-12.50")])
        #expect(parsed.flags.contains(.totalMismatch))
    }
}
