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

    /// Workers with the engine `settings` choose.
    public init(jobs: Int, settings: OCRSettings) {
        self.init(jobs: jobs) { try settings.engine.make(settings) }
    }

    /// Recognises every page. A page that fails gets its error in the result; an error
    /// that concerns the whole run (no engine) is thrown. `progress` is called with the
    /// number of pages done, from worker threads.
    public func run(
        _ pages: [PageReference], progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> [Result<OCRPage, OCRError>] {
        let collected = Collected(count: pages.count)
        try stream(pages) { index, outcome in
            let done = collected.slots.withLock { slots in
                slots.results[index] = outcome
                slots.done += 1
                return slots.done
            }
            progress?(done)
        }
        return try collected.slots.withLock { slots in
            try slots.results.enumerated().map { index, slot in
                guard let slot else { throw OCRError.recognitionFailed(page: "page \(index) was never processed") }
                return slot
            }
        }
    }

    /// Recognises the pages and hands each result to `deliver` as soon as it is ready
    /// (from the worker's thread, with the page's index), keeping none: a caller that
    /// finishes claims as their pages arrive holds only the claims in flight. Workers
    /// take pages in order. Once `shouldStop` answers true no new page is started; the
    /// pages in hand are finished and delivered. Returns when every worker has stopped;
    /// throws an error that concerns the whole run (no engine).
    public func stream(
        _ pages: [PageReference], shouldStop: @escaping @Sendable () -> Bool = { false },
        deliver: @escaping @Sendable (Int, Result<OCRPage, OCRError>) -> Void
    ) throws {
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
                while !state.failed, !shouldStop(), let index = state.take() {
                    let outcome: Result<OCRPage, OCRError>
                    do {
                        outcome = .success(try engine.recognize(pages[index]))
                    } catch let error as OCRError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(.recognitionFailed(page: "\(pages[index]): \(error)"))
                    }
                    deliver(index, outcome)
                }
            }
            // Tesseract's LSTM recursion is deep on large pages; the default 512 KiB
            // secondary-thread stack is not always enough.
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        if let error = state.runError { throw error }
    }
}

/// The results `run` collects, in input order.
private final class Collected: Sendable {
    let slots: Mutex<(results: [Result<OCRPage, OCRError>?], done: Int)>

    init(count: Int) { slots = Mutex((Array(repeating: nil, count: count), 0)) }
}

/// The state the workers share: the next page to take and a fatal error.
private final class PoolState: Sendable {
    private let next = Atomic<Int>(0)
    private let count: Int
    private let fatal = Mutex<(any Error)?>(nil)

    init(count: Int) {
        self.count = count
    }

    func take() -> Int? {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }

    func fail(_ error: any Error) {
        fatal.withLock { if $0 == nil { $0 = error } }
    }

    var failed: Bool { fatal.withLock { $0 != nil } }
    var runError: (any Error)? { fatal.withLock { $0 } }
}
