import ClaimEyeCore
import Foundation
import Synchronization

/// Runs OCR over many pages with `jobs` workers. Each worker thread creates its own
/// engine and pulls the next page from a shared counter; only this pool combines the
/// results, in input order.
public struct OCRWorkerPool: Sendable {
    public let jobs: Int
    private let makeEngine: @Sendable () throws -> any OCREngine

    /// `makeEngine` is called once per worker, on that worker's thread.
    public init(jobs: Int, makeEngine: @escaping @Sendable () throws -> any OCREngine) {
        self.jobs = max(1, jobs)
        self.makeEngine = makeEngine
    }

    /// Tesseract workers with `settings`.
    public init(jobs: Int, settings: OCRSettings) {
        self.init(jobs: jobs) { try TesseractEngine(settings: settings) }
    }

    /// Recognises every page. A page that fails gets its error in the result; an error
    /// that concerns the whole run (no engine) is thrown. `progress` is called with the
    /// number of pages done, from worker threads.
    public func run(
        _ pages: [PageReference], progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> [Result<OCRPage, OCRError>] {
        let state = PoolState(count: pages.count)
        let workers = min(jobs, max(1, pages.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [makeEngine] in
                defer { group.leave() }
                let engine: any OCREngine
                do {
                    engine = try makeEngine()
                } catch {
                    state.fail(error)
                    return
                }
                while !state.failed, let index = state.take() {
                    let outcome: Result<OCRPage, OCRError>
                    do {
                        outcome = .success(try engine.recognize(pages[index]))
                    } catch let error as OCRError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(.recognitionFailed(page: "\(pages[index]): \(error)"))
                    }
                    let done = state.store(outcome, at: index)
                    progress?(done)
                }
            }
            // Tesseract's LSTM recursion is deep on large pages; the default 512 KiB
            // secondary-thread stack is not always enough.
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        if let error = state.runError { throw error }
        return try state.results()
    }
}

/// The state the workers share: the next page to take, the results, a fatal error.
private final class PoolState: Sendable {
    private let next = Atomic<Int>(0)
    private let count: Int
    private let slots: Mutex<(results: [Result<OCRPage, OCRError>?], done: Int)>
    private let fatal = Mutex<(any Error)?>(nil)

    init(count: Int) {
        self.count = count
        slots = Mutex((Array(repeating: nil, count: count), 0))
    }

    func take() -> Int? {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }

    func store(_ outcome: Result<OCRPage, OCRError>, at index: Int) -> Int {
        slots.withLock { slots in
            slots.results[index] = outcome
            slots.done += 1
            return slots.done
        }
    }

    func fail(_ error: any Error) {
        fatal.withLock { if $0 == nil { $0 = error } }
    }

    var failed: Bool { fatal.withLock { $0 != nil } }
    var runError: (any Error)? { fatal.withLock { $0 } }

    func results() throws -> [Result<OCRPage, OCRError>] {
        try slots.withLock { slots in
            try slots.results.enumerated().map { index, slot in
                guard let slot else { throw OCRError.recognitionFailed(page: "page \(index) was never processed") }
                return slot
            }
        }
    }
}
