import ClaimEyeStore
import Foundation
import Synchronization

extension PostgresLedger: WorkQueue {
    public var holder: String { worker }

    public func register(inbox: String, claims: [(name: String, fingerprint: String, person: String?)]) throws {
        guard !claims.isEmpty else { return }
        // An empty person stands for none (an array of text cannot carry NULL here).
        try session.run(
            """
            INSERT INTO work_item (inbox, name, fingerprint, person)
            SELECT $1, name, fingerprint, nullif(person, '') FROM unnest($2::text[], $3::text[], $4::text[]) AS c(name, fingerprint, person)
            ON CONFLICT (inbox, fingerprint) DO NOTHING
            """,
            [inbox, claims.map(\.name), claims.map(\.fingerprint), claims.map { $0.person ?? "" }])
    }

    public func lease(inbox: String, fingerprints: [String], limit: Int) throws -> [LeasedClaim] {
        guard !fingerprints.isEmpty, limit > 0 else { return [] }
        // The database's clock decides when a lease has run out, never a host's.
        return try session.run(
            """
            UPDATE work_item w SET lease_holder = $1, leased_at = now(), lease_until = now() + make_interval(secs => $2), leases = w.leases + 1
            FROM (
                SELECT id FROM work_item w
                WHERE inbox = $3 AND state = 'waiting' AND fingerprint = ANY($4)
                  AND (lease_until IS NULL OR lease_until < now())
                  AND NOT EXISTS (
                      SELECT 1 FROM work_item e
                      WHERE e.inbox = w.inbox AND e.person = w.person AND e.state = 'waiting' AND e.name < w.name
                        AND e.fingerprint = ANY($4))
                ORDER BY name, id LIMIT $5 FOR UPDATE SKIP LOCKED
            ) free
            WHERE w.id = free.id
            RETURNING w.id, w.name, w.fingerprint
            """,
            [holder, Double(leaseSeconds), inbox, fingerprints, Int64(limit)]
        ).named.map { LeasedClaim(id: try $0.int64("id"), name: try $0.string("name"), fingerprint: try $0.string("fingerprint")) }
        .sorted { $0.id < $1.id }
    }

    public func releaseLeases() throws {
        try session.run(
            "UPDATE work_item SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = $1 AND state = 'waiting'", [holder])
    }

    /// Moves this worker's leases on by `leaseSeconds`, on the keeper's own connection;
    /// returns how many it holds.
    func renewLeases(on session: PostgresSession) throws -> Int {
        try session.run(
            "UPDATE work_item SET lease_until = now() + make_interval(secs => $2) WHERE lease_holder = $1 AND state = 'waiting'",
            [holder, Double(leaseSeconds)]
        ).affected
    }

    /// Starts renewing this worker's leases every third of `leaseSeconds`, on a thread
    /// and connection of its own, until `stop()`.
    public func keepLeases() -> LeaseKeeper {
        LeaseKeeper(ledger: self)
    }
}

/// Renews a worker's leases while it works. When the ledger cannot be reached through
/// every reconnection attempt, `lost` says why and the worker stops taking claims: the
/// leases it held run out and other workers take its claims again.
public final class LeaseKeeper: Sendable {
    final class State: Sendable {
        let value = Mutex<(stopped: Bool, lost: String?)>((false, nil))
        func withLock<T>(_ body: (inout sending (stopped: Bool, lost: String?)) -> sending T) -> T { value.withLock(body) }
    }
    private let state = State()
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(ledger: PostgresLedger) {
        let session = PostgresSession(address: ledger.address, policy: ledger.session.policy)
        let interval = max(0.2, Double(ledger.leaseSeconds) / 3)
        let thread = Thread { [state, wake, done] in
            while !state.withLock({ $0.stopped }) {
                do {
                    _ = try ledger.renewLeases(on: session)
                } catch {
                    state.withLock { $0.lost = "\(error)" }
                    break
                }
                _ = wake.wait(timeout: .now() + interval)
            }
            session.close()
            done.signal()
        }
        thread.start()
    }

    /// Why the leases could not be kept, once they could not.
    public var lost: String? { state.withLock { $0.lost } }

    /// Stops renewing (the leases then run out unless given back or committed).
    public func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        wake.signal()
        done.wait()
    }
}

extension PostgresLedger {
    /// Claims by state, leases held and by whom, the oldest lease, and claims per
    /// minute per worker over the last `window` seconds; one consistent snapshot.
    public func status(window: Int = 300) throws -> LedgerStatus {
        try session.transaction(retryConflicts: false) {
            try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            var claims: [String: Int] = [:]
            for row in try session.execute("SELECT state, count(*) AS n FROM claim GROUP BY state ORDER BY state").named {
                claims[try row.string("state")] = try row.int("n")
            }
            let counts = try session.execute(
                """
                SELECT count(*) FILTER (WHERE state = 'waiting' AND (lease_until IS NULL OR lease_until < now())) AS waiting,
                       count(*) FILTER (WHERE state = 'waiting' AND lease_until >= now()) AS leased,
                       count(*) FILTER (WHERE state = 'done') AS done
                FROM work_item
                """
            ).named.first
            let leases = try session.execute(
                """
                SELECT lease_holder, count(*) AS n, extract(epoch FROM min(lease_until) - now())::float8 AS expires
                FROM work_item WHERE state = 'waiting' AND lease_until >= now() GROUP BY lease_holder ORDER BY lease_holder
                """
            ).named.map {
                LedgerStatus.Lease(holder: try $0.string("lease_holder"), claims: try $0.int("n"), expiresIn: try $0.row["expires"].decode(Double.self))
            }
            let oldest = try session.execute(
                """
                SELECT name, extract(epoch FROM now() - leased_at)::float8 AS age
                FROM work_item WHERE state = 'waiting' AND lease_until >= now() ORDER BY leased_at LIMIT 1
                """
            ).named.first
            let rates = try session.execute(
                """
                SELECT done_by, count(*) AS n FROM work_item
                WHERE state = 'done' AND done_at >= now() - make_interval(secs => $1) GROUP BY done_by ORDER BY done_by
                """,
                [Double(window)]
            ).named.map {
                let n = try $0.int("n")
                return LedgerStatus.Rate(worker: try $0.optionalString("done_by") ?? "?", claims: n, perMinute: Double(n) * 60 / Double(window))
            }
            return LedgerStatus(
                claims: claims, waiting: try counts?.int("waiting") ?? 0, leased: try counts?.int("leased") ?? 0,
                done: try counts?.int("done") ?? 0, leases: leases, oldestLease: try oldest?.string("name"),
                oldestLeaseSeconds: try oldest.map { try $0.row["age"].decode(Double.self) }, window: window, rates: rates,
                perMinute: Double(rates.reduce(0) { $0 + $1.claims }) * 60 / Double(window))
        }
    }
}
