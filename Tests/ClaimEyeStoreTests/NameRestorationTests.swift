import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeStore

/// Restoration of printed names and codes from the sample catalogue, on recorded OCR of
/// the list that prints its codes.
@Suite struct NameRestorationTests {
    @Test func misreadPrintedCodesAreRepairedFromTheCatalogue() throws {
        let document = "zh-inpatient-01-p1-clean.png"
        let pages = try JSONDecoder().decode([OCRPage].self, from: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("ocr/\(document).ocr.json"))))
        let truth = try JSONDecoder().decode(TruthDocument.self, from: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("documents/zh-inpatient-01-p1-clean.truth.json"))))
        let parsed = LineItemParser().parse(pages)
        let (_, entries) = try CatalogueStore.read(TestPaths.fixture("catalogue/sample_catalogue.csv"))
        let restored = NameRestoration(matcher: CatalogueMatcher(entries: entries)).restore(parsed)
        let trueCodes = (truth.items ?? []).compactMap(\.code)
        let rawRight = parsed.items.filter { $0.code.map { trueCodes.contains($0.value) } ?? false }.count
        let restoredRight = restored.items.filter { $0.code.map { trueCodes.contains($0.value) } ?? false }.count
        #expect(restoredRight > rawRight)
        #expect(restoredRight == trueCodes.count)
        // Every restored name is the printed one.
        #expect(restored.items.map { TextFolding.compact($0.name.value) } == (truth.items ?? []).compactMap { $0.name.map(TextFolding.compact) })
    }
}
