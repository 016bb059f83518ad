import ClaimEyeStore
import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL ledger's address, `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`
/// (also `postgres://`), as `--db` or `$CLAIMEYE_DB` gives it.
public struct PostgresAddress: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    /// Whether `text` names a PostgreSQL ledger rather than a SQLite file.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Parses an address; throws a message naming what is missing.
    public init(_ text: String) throws {
        guard Self.isAddress(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw StoreError.cannotOpen(
                path: Self.redact(text), message: "not a PostgreSQL address; write postgresql://USER@HOST:PORT/DATABASE")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.cannotOpen(path: Self.redact(text), message: "the address names no database (…/DATABASE at its end)")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.user = url.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self.password = url.password.flatMap { $0.removingPercentEncoding }
        self.database = database.removingPercentEncoding ?? database
    }

    /// The address as messages and `ledger status` show it: never the password.
    public var redacted: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    static func redact(_ text: String) -> String {
        guard let url = URLComponents(string: text), url.password != nil else { return text }
        var copy = url
        copy.password = "***"
        return copy.string ?? "postgresql://…"
    }
}

/// How long a worker keeps trying a ledger it lost before it gives up: attempts with
/// doubling waits (0.25 s, 0.5 s, … at most 4 s between them).
public struct ReconnectPolicy: Sendable {
    public var attempts: Int
    public var firstWait: Double
    public var longestWait: Double

    public init(attempts: Int = 8, firstWait: Double = 0.25, longestWait: Double = 4) {
        self.attempts = attempts
        self.firstWait = firstWait
        self.longestWait = longestWait
    }

    /// `$CLAIMEYE_DB_RETRIES` attempts when set (0: give up at the first loss), else 8.
    public static var fromEnvironment: ReconnectPolicy {
        var policy = ReconnectPolicy()
        if let text = ProcessInfo.processInfo.environment["CLAIMEYE_DB_RETRIES"], let attempts = Int(text), attempts >= 0 {
            policy.attempts = attempts
        }
        return policy
    }

    func wait(before attempt: Int) -> Double { min(longestWait, firstWait * pow(2, Double(attempt - 1))) }
}

/// A value bound to a statement's `$n`.
typealias SQLValue = (any PostgresDynamicTypeEncodable)?

/// One connection to the server, used from one thread at a time, with blocking calls
/// (the pipeline's ledger calls are synchronous). A lost connection is opened again with
/// backoff (`ReconnectPolicy`) and the statement or transaction in hand is repeated;
/// when the server stays out of reach the call throws `StoreError.unreachable`.
final class PostgresSession: @unchecked Sendable {
    let address: PostgresAddress
    let policy: ReconnectPolicy
    private let logger: Logger
    private var connection: PostgresConnection?
    private var nextID = 1

    init(address: PostgresAddress, policy: ReconnectPolicy) {
        self.address = address
        self.policy = policy
        var logger = Logger(label: "claimeye.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit { close() }

    func close() {
        if let connection { try? connection.close().wait() }
        connection = nil
    }

    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        nextID += 1
        let opened = try PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: nextID, logger: logger
        ).wait()
        connection = opened
        return opened
    }

    /// Runs one statement, reconnecting when the connection was lost. Only for statements
    /// that may be repeated (reads, and writes outside a transaction that are idempotent).
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue] = []) throws -> PostgresQueryResult {
        do {
            return try withReconnect { try self.execute(sql, values) }
        } catch let error as PSQLError {
            throw StoreError.statementFailed(message: Self.describe(error))
        }
    }

    /// Runs `body` as one transaction: BEGIN, body, COMMIT; ROLLBACK when it throws. A
    /// lost connection, a deadlock, a serialisation failure or (with `retryConflicts`) a
    /// unique key taken meanwhile by another writer runs it all again from the start.
    func transaction<T>(retryConflicts: Bool = true, _ body: () throws -> T) throws -> T {
        var conflicts = 0
        while true {
            do {
                return try withReconnect {
                    try self.execute("BEGIN")
                    do {
                        let result = try body()
                        try self.execute("COMMIT")
                        return result
                    } catch {
                        if let connection = self.connection, !connection.isClosed { _ = try? self.execute("ROLLBACK") }
                        throw error
                    }
                }
            } catch let error as PSQLError {
                guard retryConflicts, Self.isConflict(error), conflicts < 20 else {
                    throw StoreError.statementFailed(message: Self.describe(error))
                }
                conflicts += 1
                Thread.sleep(forTimeInterval: 0.005 * Double(conflicts))
            }
        }
    }

    /// One statement on the connection as it is, errors as they come.
    @discardableResult
    func execute(_ sql: String, _ values: [SQLValue] = []) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { binds.append(value) } else { binds.appendNull() }
        }
        return try connected().query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
    }

    private func withReconnect<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch where Self.isConnectionLoss(error) {
                close()
                attempt += 1
                guard attempt <= policy.attempts else {
                    throw StoreError.unreachable(location: address.redacted, message: Self.describe(error), attempts: attempt)
                }
                Thread.sleep(forTimeInterval: policy.wait(before: attempt))
            }
        }
    }

    /// Deadlock (40P01), serialisation failure (40001), unique violation (23505).
    static func isConflict(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return ["40P01", "40001", "23505"].contains(state)
    }

    static func isConnectionLoss(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                // Admin shutdown, crash shutdown, cannot connect now, connection failures.
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            }
            return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code)
        }
        return error is IOError || error is ChannelError || error is NIOConnectionError
    }

    /// The server's words (its SQLSTATE and message) or the connection's.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// Reads a row's columns by name.
struct SQLRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func string(_ column: String) throws -> String { try row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func int64(_ column: String) throws -> Int64 { try row[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func bool(_ column: String) throws -> Bool { try row[column].decode(Bool.self) }
    func data(_ column: String) throws -> Data {
        var buffer = try row[column].decode(ByteBuffer.self)
        return Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }
}

extension PostgresQueryResult {
    /// The rows, readable by column name.
    var named: [SQLRow] { map(SQLRow.init) }
    /// The rows an INSERT, UPDATE or DELETE touched.
    var affected: Int { metadata.rows ?? 0 }
}
