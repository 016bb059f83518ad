import Foundation

/// Paths the tests share: the package root, its Fixtures, the sibling shared folder,
/// the built claimeye binary, and fresh temporary folders.
public enum TestPaths {
    /// The package root, found from this file's own path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func fixture(_ relative: String) -> String {
        root.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// `../shared` beside the project root, when present.
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The claimeye binary built beside the test bundle (`swift build --build-tests`
    /// builds both into the same folder).
    public static var binary: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // On Linux the tests run from `<bin>/claimeyePackageTests.xctest`.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("claimeye")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/claimeye")
    }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("claimeye-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// The outcome of running the claimeye binary.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the built claimeye binary with `arguments` and waits for it.
/// With a `timeout`, a run still going after it is killed (SIGKILL) and reported as status
/// -9: a test of something that once hung fails instead of holding the suite.
public func runClaimEye(
    _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil, timeout: TimeInterval? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = TestPaths.binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    if let timeout {
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
            if process.isRunning { kill(pid, SIGKILL) }
        }
    }
    // Read both pipes before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}
