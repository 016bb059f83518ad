import ClaimEyeCore
import ClaimEyePostgres
import ClaimEyeStore
import ClaimEyeTestSupport
import Foundation
import Testing

/// What only a ledger shared by several workers has: leases of a shared inbox's
/// claims, one commit per claim whatever the timing, and a person's year-to-date put
/// in order by the database.
@Suite("PostgreSQL: workers sharing one ledger")
struct SharedLedgerTests {
    /// Two workers on one new database.
    func workers(_ count: Int = 2) throws -> [PostgresLedger] {
        let address = try PostgresAddress(try PostgresTestServer.freshDatabase())
        return try (0..<count).map { try PostgresLedger(address: address, worker: "host-\($0) pid \($0)") }
    }

    @Test func aClaimIsRegisteredOnceAndLeasedToOneWorker() throws {
        let fleet = try workers()
        let (a, b) = (fleet[0], fleet[1])
        let claims = (1...3).map { (name: "c\($0)", fingerprint: "f\($0)", person: String?.none) }
        try a.register(inbox: "in", claims: claims)
        try b.register(inbox: "in", claims: claims)
        #expect(try a.status().waiting == 3)
        let first = try a.lease(inbox: "in", fingerprints: ["f1", "f2", "f3"], limit: 2)
        let second = try b.lease(inbox: "in", fingerprints: ["f1", "f2", "f3"], limit: 2)
        #expect(first.map(\.name) == ["c1", "c2"])
        #expect(second.map(\.name) == ["c3"])
        #expect(try b.lease(inbox: "in", fingerprints: ["f1", "f2", "f3"], limit: 2).isEmpty)
        // Another inbox's claims are apart.
        #expect(try b.lease(inbox: "other", fingerprints: ["f1"], limit: 2).isEmpty)
        let status = try a.status()
        #expect(status.leased == 3 && status.leases.map(\.holder) == ["host-0 pid 0", "host-1 pid 1"])
        #expect(status.oldestLease == "c1")
    }

    @Test func aLeaseThatRunsOutIsTakenAgainAndTheLateCommitIsRolledBack() throws {
        let fleet = try workers()
        let (a, b) = (fleet[0], fleet[1])
        a.leaseSeconds = 2
        try a.register(inbox: "in", claims: [("c1", "fp-C1", nil)])
        let lease = try #require(try a.lease(inbox: "in", fingerprints: ["fp-C1"], limit: 1).first)
        #expect(try b.lease(inbox: "in", fingerprints: ["fp-C1"], limit: 1).isEmpty)
        // a stops renewing (as a killed worker does); once its lease has run out b takes it.
        Thread.sleep(forTimeInterval: 2.5)
        let retaken = try #require(try b.lease(inbox: "in", fingerprints: ["fp-C1"], limit: 1).first)
        #expect(retaken.id == lease.id)
        // a comes back and commits its copy: refused, nothing of it written.
        #expect(throws: StoreError.self) {
            try a.commitClaim { history in
                var commit = try Claims.settled("C1", history: history)
                commit.workItem = (lease.id, a.holder)
                return commit
            }
        }
        #expect(try !a.hasClaim("C1"))
        try b.commitClaim { history in
            var commit = try Claims.settled("C1", history: history)
            commit.workItem = (retaken.id, b.holder)
            return commit
        }
        // The claim is committed; a second commit of it, by its holder too, is refused.
        #expect(throws: StoreError.self) {
            try b.commitClaim { history in
                var commit = try Claims.settled("C1-again", history: history)
                commit.workItem = (retaken.id, b.holder)
                return commit
            }
        }
        let status = try a.status()
        #expect(status.done == 1 && status.waiting == 0 && status.leased == 0)
        #expect(status.rates.map(\.worker) == ["host-1 pid 1"])
    }

    @Test func aPersonsClaimsAreLeasedOneAtATimeInNameOrder() throws {
        let fleet = try workers()
        let (a, b) = (fleet[0], fleet[1])
        try a.register(inbox: "in", claims: [("c2", "f2", "P1"), ("c1", "f1", "P1"), ("c3", "f3", "P2"), ("c4", "f4", nil)])
        let all = ["f1", "f2", "f3", "f4"]
        #expect(try a.lease(inbox: "in", fingerprints: all, limit: 10).map(\.name) == ["c1", "c3", "c4"])
        // c2 waits for c1, leased or not, until c1 is committed.
        #expect(try b.lease(inbox: "in", fingerprints: all, limit: 10).isEmpty)
        let c1 = try a.status()
        #expect(c1.waiting == 1)
        // A claim no longer in the worker's look of the inbox (taken out by hand) holds no one up.
        #expect(try b.lease(inbox: "in", fingerprints: ["f2"], limit: 10).map(\.name) == ["c2"])
    }

    @Test func aPersonsYearToDateIsCountedOnceWhenTwoWorkersSettleAtOnce() throws {
        let fleet = try workers()
        let group = DispatchGroup()
        let failures = Failures()
        for (w, worker) in fleet.enumerated() {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    for n in 0..<8 {
                        try worker.commitClaim { try Claims.settled("W\(w)-\(n)", amount: 1000, history: $0) }
                    }
                } catch {
                    failures.add("\(error)")
                }
            }.start()
        }
        group.wait()
        #expect(failures.all.isEmpty)
        // 16 claims of 1,000 yuan: the 1,800-yuan deductible once, 85% of the rest.
        let state = try fleet[0].yearToDate(insuredId: "P1", year: 2026)
        #expect(state.deductibleUsed(.outpatient) == Fen(180_000))
        #expect(state.fundPaid == Fen(1_207_000))
    }

    @Test func aLedgerOutOfReachIsSaidWithTheAddressAndNoPassword() throws {
        let port = try PostgresAddress(try PostgresTestServer.freshDatabase()).port
        // A port nothing listens on: the server's own, plus one.
        let address = try PostgresAddress("postgresql://claimeye:secret@127.0.0.1:\(port + 1)/claimeye")
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try PostgresLedger(address: address, policy: ReconnectPolicy(attempts: 2, firstWait: 0.1))
            Issue.record("opened a ledger nothing serves")
        } catch let error as StoreError {
            let text = "\(error)"
            #expect(text.contains("postgresql://claimeye@127.0.0.1:\(port + 1)/claimeye") && !text.contains("secret"))
        }
        #expect(clock.now - start < .seconds(10))
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.withLock { list.append(text) } }
    var all: [String] { lock.withLock { list } }
}
