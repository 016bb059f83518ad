import Foundation

/// Finds Tesseract's language data. Order: `--tessdata`, `TESSDATA_PREFIX`, `./tessdata`
/// (when it holds traineddata files), then the system's folders.
public enum Tessdata {
    /// Folders where Debian and common builds put language data.
    public static let systemFolders = [
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",
        "/usr/local/share/tessdata",
    ]

    /// The folder to use. An explicit folder is returned as given, even when it lacks
    /// data, so the error can name it.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty { return prefix }
        let candidates = ["tessdata"] + systemFolders
        for folder in candidates where holdsLanguageData(folder) { return folder }
        return systemFolders[0]
    }

    /// Checks that every language of a `chi_sim+eng` style list has its traineddata file.
    public static func check(languages: String, folder: String) throws {
        for language in languages.split(separator: "+").map(String.init) {
            let file = (folder as NSString).appendingPathComponent("\(language).traineddata")
            if !FileManager.default.isReadableFile(atPath: file) {
                throw OCRError.languageDataMissing(language: language, folder: folder)
            }
        }
    }

    /// Debian's package for a language: `chi_sim` → `tesseract-ocr-chi-sim`.
    public static func debianPackage(for language: String) -> String {
        "tesseract-ocr-" + language.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    private static func holdsLanguageData(_ folder: String) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.contains { $0.hasSuffix(".traineddata") }
    }
}
