import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// Sex and age groups read from catalogue remarks as the 2024 NRDL prints them.
@Suite struct AuditRestrictionTests {
    typealias Range = PatientRestriction.AgeRange

    @Test(arguments: [
        // (remark, allowed ages as text, or nil for any age)
        ("限2岁至11岁儿童慢性便秘。", "2–11"),
        ("限3-12岁特发性或先天性肺动脉高压患者", "3–12"),
        ("限成人和5岁及以上儿童单纯性甲型和乙型流感患者", "5–17, 18+"),
        ("限成人和12至＜18岁青少年的慢性丙型肝炎病毒(HCV)感染", "12–17, 18+"),
        ("限：1.50岁以上的湿性年龄相关性黄斑变性(AMD)；2.糖尿病性黄斑水肿(DME)引起的视力损害", nil),
        ("限：1.50岁以上的湿性年龄相关性黄斑变性(AMD)", "50+"),
        ("限13岁和13岁以上重度免疫缺陷患者", "13+"),
        ("限≥12岁青少年及成人患者", "12–17, 18+"),
        ("限儿童检查、操作前的镇静、催眠", "0–17"),
        ("限成人便秘型肠易激综合征(IBS-C)", "18+"),
        ("限原发性免疫球蛋白缺乏症；新生儿败血症；重型原发性免疫性血小板减少症", nil),
        ("限5至12岁以下单纯性甲型和乙型流感儿童患者", "5–12"),
        ("限慢性乙型肝炎成人患者或2岁至<18岁慢性HBV感染代偿性肝病的核苷初治儿童患者", "2–17, 18+"),
        ("限AST或ALT大于120U/L的患者。", nil),
        ("支付不超过10天。", nil),
    ] as [(String, String?)])
    func agesFromARemark(remark: String, ages: String?) {
        let restriction = PatientRestriction(remark: remark)
        #expect(restriction.ages?.map(\.description).joined(separator: ", ") == ages)
    }

    @Test(arguments: [
        ("限绝经后女性骨质疏松症。", Set(["F"])),
        ("限辅助生殖技术(ART)中黄体酮的补充治疗，适用于不能使用或不能耐受阴道制剂的女性。", Set(["F"])),
        // One indication for men's disease without saying so, one for women: open.
        ("限：1.需要雄激素去势治疗的前列腺癌患者；2.可用激素治疗的绝经前期及围绝经期妇女的乳腺癌。", nil),
        ("限有活动性乙型肝炎的明确诊断及检验证据或母婴乙肝传播阻断。", nil),
        ("限男性性腺功能减退症。", Set(["M"])),
    ] as [(String, Set<String>?)])
    func sexesFromARemark(remark: String, sexes: Set<String>?) {
        #expect(PatientRestriction(remark: remark).sexes == sexes)
    }

    @Test func allowsIsOpenWhenTheContextIsSilent() {
        let restriction = PatientRestriction(remark: "限绝经后女性骨质疏松症。")
        #expect(restriction.allows(sex: nil))
        #expect(restriction.allows(sex: "女"))
        #expect(!restriction.allows(sex: "m"))
        let children = PatientRestriction(remark: "限儿童")
        #expect(children.allows(age: nil))
        #expect(children.allows(age: 17))
        #expect(!children.allows(age: 18))
    }

    @Test(arguments: [
        ("限流感病毒感染的患者。", true), ("支付不超过14天。", true),
        ("需经营养风险筛查，明确具有营养风险的住院患者方予支付。", true),
        ("◇", false), ("清热解毒，消肿散结。用于咽喉肿痛。", false), ("", false),
    ])
    func whichRemarksRestrictPayment(remark: String, restricts: Bool) {
        #expect(PatientRestriction.isPaymentRestriction(remark) == restricts)
    }

    /// Every remark of the shared 2024 NRDL reads without a crash, and the groups found
    /// are plausible: no range is empty or beyond a human age.
    static let nrdl = TestPaths.shared.appendingPathComponent("catalogue/nrdl_2024.csv")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: nrdl.path), "needs ../shared/catalogue/nrdl_2024.csv"))
    func everyNRDLRemarkReads() throws {
        let url = Self.nrdl
        let text = try String(contentsOf: url, encoding: .utf8)
        let rows = AuditFixtures.csvRows(text)
        let remarks = try #require(rows.first?.firstIndex(of: "remarks"))
        var restricted = 0
        var bySex = 0
        var byAge = 0
        for row in rows.dropFirst() where row.count > remarks && PatientRestriction.isPaymentRestriction(row[remarks]) {
            let restriction = PatientRestriction(remark: row[remarks])
            restricted += 1
            if restriction.sexes != nil { bySex += 1 }
            if let ages = restriction.ages {
                byAge += 1
                for range in ages {
                    #expect(range.lower >= 0 && range.lower <= 120, "\(row[remarks])")
                    #expect((range.upper ?? 120) >= range.lower, "\(row[remarks])")
                }
            }
        }
        print("restrictions: \(restricted) NRDL rows with 限: \(bySex) restricted by sex, \(byAge) by age")
        #expect(restricted > 500)
        #expect(byAge > 20)
        #expect(bySex >= 3)
    }
}
