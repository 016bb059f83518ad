import CLeptonica
import CPPOCR
import CTesseract
import Foundation

/// The versions of the OCR libraries and models claimeye runs with, for `--version`.
public enum EngineVersions {
    public static var tesseract: String { String(cString: TessVersion()) }

    public static var leptonica: String {
        guard let text = getLeptonicaVersion() else { return "unknown" }
        defer { lept_free(text) }
        let version = String(cString: text)
        return version.hasPrefix("leptonica-") ? String(version.dropFirst("leptonica-".count)) : version
    }

    public static var opencv: String { String(cString: ppocr_opencv_version()) }

    /// The PP-OCR models of `folder`, from the MANIFEST `scripts/setup-models` writes:
    /// the wheel they were converted from and the recipe's hash; or why there are none.
    public static func models(in folder: String) -> String {
        let manifest = (folder as NSString).appendingPathComponent("MANIFEST")
        guard let data = FileManager.default.contents(atPath: manifest) else {
            return "not set up in \(folder) (scripts/setup-models)"
        }
        var source = "unknown source", recipe = ""
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            if fields[0] == "source" { source = String(fields[1]) }
            if fields[0] == "recipe" { recipe = String(fields[1].prefix(12)) }
        }
        return "PP-OCRv4 mobile from \(source), recipe \(recipe), in \(folder)"
    }
}
