import Foundation

/// Text for HTML pages. Every string that reaches a page goes through `escape`, so a
/// line that OCR read as `<script>` is shown as those characters and never runs.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                // Control characters other than tab and newline are not text: drop them.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                    scalar.value < 0x20 && scalar != "\t" && scalar != "\n"
                {
                    continue
                }
                result.append(character)
            }
        }
        return result
    }

    /// A data URI of a PNG, JPEG, GIF or WebP image in base64, or nil for anything else,
    /// so an image attribute can only ever hold inline image bytes (no URL, no quote).
    static func imageDataURI(_ uri: String?) -> String? {
        guard let uri else { return nil }
        let prefixes = ["data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,", "data:image/webp;base64,"]
        guard let prefix = prefixes.first(where: { uri.hasPrefix($0) }) else { return nil }
        let payload = uri.utf8.dropFirst(prefix.utf8.count)
        let isBase64 = payload.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2B || byte == 0x2F || byte == 0x3D
        }
        return isBase64 && !payload.isEmpty ? uri : nil
    }

    /// A ratio as a percentage without trailing zeros: 0.85 → `85%`, 0.075 → `7.5%`.
    static func percent(_ ratio: Decimal) -> String {
        var scaled = ratio * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 2, .plain)
        return NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX")) + "%"
    }
}
