import ClaimEyeCore
import ClaimEyeOCR
import Foundation

/// OCR of whole documents for the commands that parse: every page of every file through
/// the worker pool, or recorded OCR replayed from a folder of `<file>.ocr.json`.
struct DocumentReader {
    var settings: OCRSettings
    var jobs: Int
    /// A folder of recorded OCR (`claimeye ocr --json` output per file); nil to run OCR.
    var recorded: String?

    /// The outcome for one input file: its pages, or why it could not be read.
    struct Document {
        var path: String
        var pages: Result<[OCRPage], OCRError>
        var seconds: Double
    }

    func read(_ paths: [String]) throws -> [Document] {
        if let recorded { return paths.map { replay($0, from: recorded) } }
        try Tessdata.check(languages: settings.languages, folder: settings.tessdata)
        var files: [(String, Result<ImageFile, OCRError>)] = []
        var references: [PageReference] = []
        for path in paths {
            do {
                let file = try ImageFile(path: path, pixelLimit: settings.pixelLimit, pageLimit: settings.pageLimit)
                files.append((path, .success(file)))
                references += file.pages
            } catch let error as OCRError {
                files.append((path, .failure(error)))
            }
        }
        let start = Date()
        let results = try OCRWorkerPool(jobs: jobs, settings: settings).run(references)
        let perPage = references.isEmpty ? 0 : Date().timeIntervalSince(start) / Double(references.count)
        if case .failure(let error)? = results.first(where: { if case .failure(let e) = $0 { return e.isFatal } else { return false } }) {
            throw error
        }
        var cursor = 0
        return files.map { path, file in
            switch file {
            case .failure(let error):
                return Document(path: path, pages: .failure(error), seconds: 0)
            case .success(let image):
                let slice = results[cursor..<cursor + image.pageCount]
                cursor += image.pageCount
                var pages: [OCRPage] = []
                for result in slice {
                    switch result {
                    case .success(let page): pages.append(page)
                    case .failure(let error): return Document(path: path, pages: .failure(error), seconds: 0)
                    }
                }
                return Document(path: path, pages: .success(pages), seconds: perPage * Double(image.pageCount))
            }
        }
    }

    private func replay(_ path: String, from folder: String) -> Document {
        let name = (path as NSString).lastPathComponent
        let file = (folder as NSString).appendingPathComponent(name + ".ocr.json")
        guard let data = FileManager.default.contents(atPath: file) else {
            return Document(path: path, pages: .failure(.fileNotFound(path: file)), seconds: 0)
        }
        do {
            return Document(path: path, pages: .success(try JSONDecoder().decode([OCRPage].self, from: data)), seconds: 0)
        } catch {
            return Document(path: path, pages: .failure(.corruptImage(path: file)), seconds: 0)
        }
    }
}
