import ClaimEyeCore
import Foundation

/// Finds the converted PP-OCR models (`scripts/setup-models` writes them). Order:
/// `--models`, `CLAIMEYE_MODELS`, `./models/ppocr`, then the installed folder
/// (`PREFIX/share/claimeye/models/ppocr`, `scripts/install`).
public enum PPOCRModels {
    public static let installedFolder = InstalledFiles.path("models/ppocr")
    /// The recognition networks' input widths (height 48): a line is read by the
    /// narrowest that holds it.
    public static let recognitionWidths = [160, 320, 480, 640, 960, 1280]
    /// The detection network's square input side.
    public static let detectionSide = 960

    /// The folder to use. An explicit folder is returned as given, even when it lacks
    /// the models, so the error can name it.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let folder = environment["CLAIMEYE_MODELS"], !folder.isEmpty { return folder }
        for folder in ["models/ppocr", installedFolder].compactMap(\.self) where holdsModels(folder) { return folder }
        return "models/ppocr"
    }

    static func detectionFile(in folder: String) -> String { path(folder, "det.onnx") }
    static func recognitionFiles(in folder: String) -> [String] { recognitionWidths.map { path(folder, "rec-\($0).onnx") } }
    static func dictionaryFile(in folder: String) -> String { path(folder, "keys.json") }
    static func classifierFile(in folder: String) -> String { path(folder, "cls.onnx") }

    /// Throws `OCRError.modelsMissing` (exit 69) naming the first file that is not there.
    public static func check(folder: String) throws {
        for file in [detectionFile(in: folder), dictionaryFile(in: folder), classifierFile(in: folder)] + recognitionFiles(in: folder)
        where !FileManager.default.isReadableFile(atPath: file) {
            throw OCRError.modelsMissing(file: file)
        }
    }

    /// The recogniser's dictionary: entry i is output class i + 1 (class 0 is the blank).
    static func dictionary(in folder: String) throws -> [String] {
        let file = dictionaryFile(in: folder)
        guard let data = FileManager.default.contents(atPath: file),
            let keys = try? JSONDecoder().decode([String].self, from: data), !keys.isEmpty
        else { throw OCRError.engineUnavailable(message: "\(file): not a JSON array of characters; run scripts/setup-models again") }
        return keys
    }

    private static func holdsModels(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: detectionFile(in: folder))
    }

    private static func path(_ folder: String, _ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }
}
