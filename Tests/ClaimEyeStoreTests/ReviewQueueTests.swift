import ClaimEyeCore
import Foundation
import Testing
@testable import ClaimEyeStore

@Suite("Review queue: accept learns an alias, reject forbids a match")
struct ReviewQueueTests {
    let rows = [
        plainHeader,
        "XJ05ABG034B002010100001,更昔洛韦注射液,,抗病毒,乙,注射剂,,支,,,,,",
        "XJ05ABA010B002010100001,阿昔洛韦注射液,,抗病毒,甲,注射剂,,支,,,,,",
        "XJ01CAA040A001010100001,阿莫西林胶囊,,抗感染药,甲,胶囊剂,0.25g*24粒,盒,12.50,,,,",
    ]

    func setUp() throws -> (StoreSandbox, ReviewQueue) {
        let box = try StoreSandbox()
        try box.store.importFile(try box.write("plain.csv", rows.joined(separator: "\n")))
        return (box, ReviewQueue(ledger: box.ledger))
    }

    @Test func acceptStoresADatedAliasAndTheSpellingThenMatchesAutomatically() throws {
        let (box, queue) = try setUp()
        let spelling = "昔 洛 韦 注 射 液"
        let first = try box.store.matcher().match(MatchQuery(text: spelling, spec: "0.25g"))
        #expect(first.zone == .review)
        let id = try queue.enqueue(first, claimID: "C-1", line: 3, on: "2026-03-14")
        #expect(try queue.list().map(\.id) == [id])
        #expect(try queue.item(id).candidates.count == first.candidates.count)

        #expect(try queue.accept(id, code: "XJ05ABA010B002010100001", on: "2026-03-15") == "XJ05ABA010B002010100001")
        #expect(try queue.list().isEmpty)
        #expect(try queue.item(id).status == "accepted")
        #expect(try box.store.learnedAliases() == [LearnedAlias(key: "昔洛韦注射液", code: "XJ05ABA010B002010100001", decidedOn: "2026-03-15")])

        let again = try box.store.matcher().match(MatchQuery(text: "昔洛韦注射液"))
        #expect(again.best?.code == "XJ05ABA010B002010100001")
        #expect(again.zone == .auto)
        #expect(throws: ReviewError.alreadyDecided(id: id, status: "accepted")) { try queue.reject(id, on: "2026-03-16") }
    }

    @Test func rejectRecordsThatTheSpellingNeverAutoMatchesThatEntry() throws {
        let (box, queue) = try setUp()
        let spelling = "阿莫西林胶囊"
        let first = try box.store.matcher().match(MatchQuery(text: spelling))
        #expect(first.best?.code == "XJ01CAA040A001010100001")
        #expect(first.zone == .auto)
        let id = try queue.enqueue(first, on: "2026-03-14")
        #expect(try queue.reject(id, on: "2026-03-15") == "XJ01CAA040A001010100001")
        #expect(try box.store.rejections() == [MatchRejection(key: spelling, code: "XJ01CAA040A001010100001")])
        let after = try box.store.matcher().match(MatchQuery(text: spelling))
        #expect(after.zone != .auto)
        // Still shown (a person may look again), but marked and never first among
        // eligible candidates.
        #expect(after.candidates.contains { $0.code == "XJ01CAA040A001010100001" && $0.rejected })
        #expect(!after.candidates.contains { $0.code == "XJ01CAA040A001010100001" && !$0.rejected })
        // The key is the name as read, without its spec: the same name with a spec is
        // the same spelling; another spelling of the entry is not affected.
        #expect(try box.store.matcher().match(MatchQuery(text: "阿莫西林胶囊 0.25g*24粒")).zone != .auto)
        let other = try box.store.matcher().match(MatchQuery(text: "阿莫西林"))
        #expect(other.best?.code == "XJ01CAA040A001010100001")
        #expect(other.zone == .auto)
    }

    @Test func decisionsCheckTheirInput() throws {
        let (box, queue) = try setUp()
        let result = try box.store.matcher().match(MatchQuery(text: "昔洛韦"))
        let id = try queue.enqueue(result, on: "2026-03-14")
        #expect(throws: ReviewError.unknownCode("NOPE")) { try queue.accept(id, code: "NOPE", on: "2026-03-15") }
        #expect(throws: ReviewError.noSuchItem(999)) { try queue.accept(999, on: "2026-03-15") }
        #expect(try queue.item(id).status == "open")
        let empty = try queue.enqueue(MatchResult(query: MatchQuery(text: "?"), key: "", candidates: [], zone: .none), on: "2026-03-14")
        #expect(throws: ReviewError.noCandidate(empty)) { try queue.accept(empty, on: "2026-03-15") }
    }
}
