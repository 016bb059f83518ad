import ClaimEyeCore
import Foundation
import Synchronization
import Testing

@testable import ClaimEyeOCR

/// A fault-injecting engine: fails the pages whose path contains "bad", and records
/// which thread handled each page.
final class FakeEngine: OCREngine {
    let threads: ThreadLog

    init(threads: ThreadLog) { self.threads = threads }

    func recognize(_ page: PageReference) throws -> OCRPage {
        threads.record()
        if page.path.contains("bad") { throw OCRError.corruptImage(path: page.path) }
        let geometry = PageGeometry(rotation: 0, skewCentidegrees: 0, scalePermille: 1000, sourceWidth: 1, sourceHeight: 1)
        return OCRPage(source: page.path, pageIndex: page.index, width: 1, height: 1, dpi: 300, geometry: geometry, engine: "fake", lines: [])
    }
}

final class ThreadLog: Sendable {
    private let names = Mutex<Set<String>>([])
    private let engines = Atomic<Int>(0)
    func record() { names.withLock { _ = $0.insert("\(pthread_self())") } }
    func engineMade() { engines.add(1, ordering: .relaxed) }
    var threadCount: Int { names.withLock { $0.count } }
    var engineCount: Int { engines.load(ordering: .relaxed) }
}

@Suite struct OCRWorkerPoolTests {
    @Test func keepsInputOrderAndReportsFailuresPerPage() throws {
        let log = ThreadLog()
        let pool = OCRWorkerPool(jobs: 3) {
            log.engineMade()
            return FakeEngine(threads: log)
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
