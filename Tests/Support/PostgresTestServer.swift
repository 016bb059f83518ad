import Foundation

/// A PostgreSQL server for the tests of one test process: started on first use by
/// `scripts/pg-server` in a temporary folder, on a free loopback port, and stopped when
/// the process exits. Each test takes a database of its own.
public enum PostgresTestServer {
    nonisolated(unsafe) static var folder: String?

    /// The address of the server's maintenance database, once started.
    static let server: Result<String, ServerError> = start()

    public struct ServerError: Error, CustomStringConvertible {
        public var description: String
    }

    static func start() -> Result<String, ServerError> {
        guard let parent = try? TestPaths.temporaryFolder() else { return .failure(ServerError(description: "no temporary folder")) }
        let dir = parent.appendingPathComponent("pg").path
        let (status, output) = run(TestPaths.root.appendingPathComponent("scripts/pg-server").path, ["start", dir])
        guard status == 0, let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgresql://") else {
            return .failure(ServerError(description: "scripts/pg-server start failed (\(status)): \(output)"))
        }
        folder = dir
        atexit {
            if let folder = PostgresTestServer.folder {
                _ = PostgresTestServer.run(TestPaths.root.appendingPathComponent("scripts/pg-server").path, ["stop", folder])
            }
        }
        return .success(url)
    }

    /// A new empty database on the server; returns its address.
    public static func freshDatabase() throws -> String {
        let url = try server.get()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let (status, output) = run("/usr/bin/psql", [url, "-qc", "CREATE DATABASE \(name)"])
        guard status == 0 else { throw ServerError(description: "CREATE DATABASE failed: \(output)") }
        return String(url[..<(url.lastIndex(of: "/") ?? url.endIndex)]) + "/" + name
    }

    /// Runs a program; its exit status and what it wrote to stdout and stderr. Spawned
    /// and waited for directly (posix_spawn, waitpid): Foundation's Process did not see
    /// the end of `pg-server start`, whose server lives on after it.
    static func run(_ program: String, _ arguments: [String]) -> (Int32, String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("claimeye-pg-\(UUID().uuidString).log").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { return (-1, "cannot run \(program)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -1, text)
    }
}
