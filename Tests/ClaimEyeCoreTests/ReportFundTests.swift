import Foundation
import Testing

@testable import ClaimEyeCore

/// The fund report: grouping, date range, totals and the three renderings.
@Suite struct ReportFundTests {
    typealias Line = ReportClaim.Line

    static func claim(
        _ id: String, _ date: String, _ institution: String, status: ClaimSettlement.Status = .settled, flags: Int = 0,
        _ lines: [Line]
    ) -> ReportClaim {
        ReportClaim(
            claimId: id, serviceDate: date, institution: institution, status: status,
            amount: lines.reduce(.zero) { $0 + $1.amount }, fundPay: lines.reduce(.zero) { $0 + $1.fundPay },
            selfPay: lines.reduce(.zero) { $0 + $1.selfPay }, flagCount: flags, lines: lines)
    }

    static func line(_ category: String, _ reimbursementClass: ReimbursementClass?, _ amount: Int64, fund: Int64, flags: Int = 0) -> Line {
        Line(category: category, reimbursementClass: reimbursementClass, amount: Fen(amount), fundPay: Fen(fund), selfPay: Fen(amount - fund), flagCount: flags)
    }

    static let claims: [ReportClaim] = [
        claim("C1", "2026-03-02", "南屏区中医医院", flags: 1, [
            line("西药费", .a, 10_000, fund: 8_500), line("西药费", .b, 5_000, fund: 3_825, flags: 1), line("检查费", .a, 6_000, fund: 5_100),
        ]),
        claim("C2", "2026-03-20", "东城区人民医院", status: .needsReview, flags: 3, [
            line("西药费", .c, 3_000, fund: 0, flags: 1), line("材料费", nil, 2_000, fund: 0, flags: 1),
        ]),
        claim("C3", "2026-04-01", "南屏区中医医院", [line("检查费", .a, 16_000, fund: 13_600)]),
        claim("C4", "2026-02-28", "东城区人民医院", [line("西药费", .a, 1_000, fund: 850)]),
        claim("C5", "", "无日期诊所", [line("西药费", .a, 500, fund: 425)]),
    ]

    @Test func byInstitutionEachClaimCountsOnce() {
        let report = FundReport.build(Self.claims, by: .institution)
        #expect(report.rows.map(\.key) == ["东城区人民医院", "无日期诊所", "南屏区中医医院"].sorted())
        let nanping = report.rows.first { $0.key == "南屏区中医医院" }
        #expect(nanping?.claims == 2)
        #expect(nanping?.amount == Fen(37_000))
        #expect(nanping?.fundPay == Fen(31_025))
        #expect(nanping?.flags == 1)
        #expect(report.total.claims == 5)
        #expect(report.total.needsReview == 1)
        #expect(report.total.amount == Fen(43_500))
        #expect(report.total.flags == 4)
    }

    @Test func byCategoryAClaimCountsOncePerCategoryAndFlagsAreTheLines() {
        let report = FundReport.build(Self.claims, by: .category)
        #expect(report.rows.map(\.key) == ["材料费", "检查费", "西药费"].sorted())
        let drugs = report.rows.first { $0.key == "西药费" }
        #expect(drugs?.claims == 4)
        #expect(drugs?.amount == Fen(19_500))
        #expect(drugs?.flags == 2)
        #expect(drugs?.needsReview == 1)
        // The lines add up to the claims' totals.
        #expect(report.rows.reduce(Fen.zero) { $0 + $1.amount } == report.total.amount)
        #expect(report.rows.reduce(Fen.zero) { $0 + $1.selfPay } == report.total.selfPay)
    }

    @Test func byClassInItsNaturalOrder() {
        let report = FundReport.build(Self.claims, by: .class)
        #expect(report.rows.map(\.key) == ["甲", "乙", "丙", "out of catalogue"])
        #expect(report.rows.map(\.amount) == [Fen(33_500), Fen(5_000), Fen(3_000), Fen(2_000)])
    }

    @Test func byMonthWithADateRange() {
        let report = FundReport.build(Self.claims, from: "2026-03-01", to: "2026-03-31", by: .month)
        #expect(report.rows.map(\.key) == ["2026-03"])
        #expect(report.total.claims == 2)
        let all = FundReport.build(Self.claims, by: .month)
        #expect(all.rows.map(\.key) == ["2026-02", "2026-03", "2026-04", "unknown"])
        // Both ends are included.
        let ends = FundReport.build(Self.claims, from: "2026-02-28", to: "2026-04-01", by: .month)
        #expect(ends.total.claims == 4)
    }

    @Test func theTableIsAligned() {
        let report = FundReport.build(Self.claims, from: "2026-03-01", to: "2026-04-30", by: .institution)
        let expected = """
            Fund report by institution, service dates 2026-03-01 to 2026-04-30

            institution     claims  needs_review  amount  fund_pay  self_pay  flags
            --------------  ------  ------------  ------  --------  --------  -----
            东城区人民医院       1             1   50.00      0.00     50.00      3
            南屏区中医医院       2             0  370.00    310.25     59.75      1
            --------------  ------  ------------  ------  --------  --------  -----
            TOTAL                3             1  420.00    310.25    109.75      4

            """
        #expect(report.table() == expected)
    }

    @Test func theCSVHasAHeaderTheRowsAndTheTotal() {
        var claims = Self.claims
        claims.append(Self.claim("C6", "2026-03-05", "=HYPERLINK(\"x\"),1", [Self.line("西药费", .a, 100, fund: 85)]))
        let csv = FundReport.build(claims, from: "2026-03-01", to: "2026-03-31", by: .institution).csv()
        #expect(csv == """
            institution,claims,needs_review,amount,fund_pay,self_pay,flags
            "'=HYPERLINK(""x""),1",1,0,1.00,0.85,0.15,0
            东城区人民医院,1,1,50.00,0.00,50.00,3
            南屏区中医医院,1,0,210.00,174.25,35.75,1
            TOTAL,3,1,261.00,175.10,85.90,4

            """)
    }

    @Test func theHTMLHasTheTableAndSVGChartsAndNoScript() {
        var claims = Self.claims
        claims.append(Self.claim("C7", "2026-03-06", "<script>alert(1)</script>医院", [Self.line("西药费", .a, 100, fund: 85)]))
        let html = FundReport.build(claims, by: .institution).html()
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 2)
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;医院"))
        for forbidden in ["http:", "https:", "url(", "<link"] { #expect(!html.contains(forbidden)) }
        // One fund-pay bar per group (four institutions) and the legend's key.
        #expect(html.components(separatedBy: "<rect class=\"fund\" x=\"170\"").count - 1 == 4 + 1)
        #expect(html.contains("<tfoot><tr><th>Total</th><td class=\"num\">6</td><td class=\"num\">1</td><td class=\"num\">436.00</td>"))
    }

    /// 10,000 claims of 15 lines each: every figure adds up. build() is one pass over the
    /// lines with a dictionary per group; the time is printed, not judged.
    @Test(arguments: FundReport.Grouping.allCases)
    func tenThousandClaims(grouping: FundReport.Grouping) {
        let categories = ["床位费", "诊查费", "西药费", "中成药费", "检查费", "化验费", "治疗费", "材料费"]
        let classes: [ReimbursementClass?] = [.a, .b, .c, nil]
        var claims: [ReportClaim] = []
        claims.reserveCapacity(10_000)
        for number in 0..<10_000 {
            let lines = (0..<15).map { index in
                Self.line(categories[(number + index) % categories.count], classes[index % classes.count], Int64(100 + index), fund: Int64(index), flags: index == 0 ? 1 : 0)
            }
            let date = ISODate.format(year: 2026, month: 1 + number % 12, day: 1 + number % 28)
            claims.append(Self.claim("C\(number)", date, "医院\(number % 37)", flags: 1, lines))
        }
        let start = ContinuousClock.now
        let report = FundReport.build(claims, by: grouping)
        let elapsed = ContinuousClock.now - start
        print("report: 10,000 claims × 15 lines by \(grouping.rawValue): \(report.rows.count) groups in \(elapsed)")
        #expect(report.total.claims == 10_000)
        #expect(report.total.amount == Fen(10_000 * (15 * 100 + 105)))
        #expect(report.rows.reduce(Fen.zero) { $0 + $1.amount } == report.total.amount)
        // By fund the rows are who paid; audit flags belong to no payer and are in the total only.
        #expect(report.rows.reduce(0) { $0 + $1.flags } == (grouping == .fund ? 0 : 10_000))
        #expect(report.total.flags == 10_000)
        #expect(report.rows.count == [FundReport.Grouping.category: 8, .class: 4, .institution: 37, .month: 12, .fund: 5][grouping])
    }
}
