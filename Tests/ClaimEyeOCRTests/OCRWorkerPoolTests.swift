import ClaimEyeCore
import Foundation
import Synchronization
import Testing

@testable import ClaimEyeOCR

/// A fault-injecting engine: fails the pages whose path contains "bad".
final class FakeEngine: OCREngine {
    func recognize(_ page: PageReference) throws -> OCRPage {
        if page.path.contains("bad") { throw OCRError.corruptImage(path: page.path) }
        let geometry = PageGeometry(rotation: 0, skewCentidegrees: 0, scalePermille: 1000, sourceWidth: 1, sourceHeight: 1)
        return OCRPage(source: page.path, pageIndex: page.index, width: 1, height: 1, dpi: 300, geometry: geometry, engine: "fake", lines: [])
    }
}

/// Counts the engines the pool makes.
final class EngineLog: Sendable {
    private let engines = Atomic<Int>(0)
    func engineMade() { engines.add(1, ordering: .relaxed) }
    var engineCount: Int { engines.load(ordering: .relaxed) }
}

@Suite struct OCRWorkerPoolTests {
    @Test func keepsInputOrderAndReportsFailuresPerPage() throws {
        let log = EngineLog()
        let pool = OCRWorkerPool(jobs: 3) {
            log.engineMade()
            return FakeEngine()
        }
        let pages = (0..<50).map { PageReference(path: $0 % 7 == 3 ? "bad-\($0)" : "page-\($0)") }
        let results = try pool.run(pages)
        #expect(results.count == 50)
        for (page, result) in zip(pages, results) {
            switch result {
            case .success(let ocr): #expect(ocr.source == page.path)
            case .failure(let error): #expect(error == .corruptImage(path: page.path))
            }
        }
        // One engine per worker, never one per page and never shared.
        #expect(log.engineCount == 3)
    }

    @Test func anEngineThatCannotStartFailsTheRun() {
        let pool = OCRWorkerPool(jobs: 2) { throw OCRError.languageDataMissing(language: "xx", folder: "/none") }
        #expect(throws: OCRError.languageDataMissing(language: "xx", folder: "/none")) {
            try pool.run([PageReference(path: "a"), PageReference(path: "b")])
        }
    }
}
