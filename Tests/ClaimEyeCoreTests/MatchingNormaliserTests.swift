import Foundation
import Testing
@testable import ClaimEyeCore

@Suite("Matching: normalisation")
struct MatchingNormaliserTests {
    func n(_ text: String) -> NormalisedName { MatchNormaliser.normalise(text) }

    @Test func cjkSpacesAndWidthsFold() {
        #expect(n("阿 莫 西 林 胶 囊").full == n("阿莫西林胶囊").full)
        #expect(n("ＡＢＣ１２３").fullText == "abc123")
        #expect(n("维生素Ｂ１２").fullText == "维生素b12")
        #expect(n("　克霉唑\t").fullText == "克霉唑")
    }

    @Test func bracketsAreDroppedContentKept() {
        #expect(n("埃索美拉唑（艾司奥美拉唑）").fullText == "埃索美拉唑艾司奥美拉唑")
        #expect(n("【诊查费】").fullText == "诊查费")
    }

    @Test(arguments: [
        ("阿莫西林胶囊", "阿莫西林", DosageFormClass.oralSolid),
        ("注射用艾普拉唑钠", "艾普拉唑钠", .injection),
        ("盐酸二甲双胍缓释片", "二甲双胍", .sustainedRelease),
        ("克霉唑阴道片", "克霉唑", .vaginal),
        ("阿柔比星注射夜", "阿柔比星", .injection),
        ("射用比阿培南", "比阿培南", .injection),
    ])
    func formAndSaltWordsLeaveTheCore(text: String, core: String, form: DosageFormClass) {
        let name = n(text)
        #expect(name.coreText == core)
        #expect(name.form == form)
    }

    @Test func aNameThatIsOnlyAFormWordKeepsItself() {
        #expect(n("片").coreText == "片")
        #expect(n("颠茄").coreText == "颠茄")
    }

    @Test func stemKeepsSaltWords() {
        let name = n("乳酸钠林格注射液")
        #expect(name.stem == n("乳酸钠林格").full)
        #expect(name.coreText == "钠林格")
    }

    @Test func trailingSpecIsRemovedAndKept() {
        let name = n("阿莫西林胶囊 0.25g*24粒")
        #expect(name.spec == "0.25g*24粒")
        #expect(name.coreText == "阿莫西林")
        #expect(n("阿莫西林胶囊0.25g*24拉").coreText == "阿莫西林")
        #expect(n("维生素B12").spec == nil)
        #expect(n("维生素B12").fullText == "维生素b12")
        #expect(n("门冬胰岛素50 5ml:0.1g").fullText == "门冬胰岛素50")
        #expect(n("氯化钠注射液 ０．９％ 250ml").coreText == n("氯化钠").coreText)
        #expect(n("复方氨基酸(16)注射液").spec == nil)
    }

    @Test func confusablesFoldToOneCharacter() {
        #expect(n("头孢哇肟").full == n("头孢唑肟").full)
        #expect(n("已酮可可碱").full == n("己酮可可碱").full)
        #expect(n("阿莫西林").full != n("阿莫西材").full)
    }

    @Test func strengthsConvertUnits() {
        let s = MatchNormaliser.strengths(in: "0.25g*24粒")
        #expect(s == [Strength(value: 250, unit: "mg")].compactMap { $0 })
        #expect(MatchNormaliser.strengths(in: "500ml:4.5g").count == 2)
        #expect(MatchNormaliser.strengths(in: "24粒").isEmpty)
        #expect(MatchNormaliser.strengths(in: "250µg") == [Strength(value: Decimal(string: "0.25") ?? 0, unit: "mg")].compactMap { $0 })
    }

    @Test func catalogueKeysReadBracketsEachWay() {
        let keys = MatchNormaliser.catalogueKeys("九味羌活丸(颗粒)").map(\.fullText)
        #expect(keys.contains("九味羌活丸颗粒"))
        #expect(keys.contains("九味羌活丸"))
        #expect(keys.contains("九味羌活颗粒"))
        let alt = MatchNormaliser.catalogueKeys("埃索美拉唑(艾司奥美拉唑)").map(\.fullText)
        #expect(alt.contains("艾司奥美拉唑"))
        #expect(MatchNormaliser.catalogueKeys("奥美拉唑碳酸氢钠胶囊(Ⅱ)").map(\.fullText).contains("奥美拉唑碳酸氢钠胶囊ii"))
    }

    @Test func catalogueFormsMapToClasses() {
        #expect(MatchNormaliser.formClass(ofCatalogueForm: "口服常释剂型") == .oralSolid)
        #expect(MatchNormaliser.formClass(ofCatalogueForm: "缓释控释剂型") == .sustainedRelease)
        #expect(MatchNormaliser.formClass(ofCatalogueForm: "注射剂") == .injection)
        #expect(MatchNormaliser.formClass(ofCatalogueForm: "阴道泡腾片") == .vaginal)
        #expect(MatchNormaliser.formClass(ofCatalogueForm: "滴眼剂") == .eye)
    }
}
