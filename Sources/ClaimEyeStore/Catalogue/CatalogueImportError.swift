/// What can go wrong importing a catalogue file. A malformed file is rejected whole:
/// nothing of it is written.
public enum CatalogueImportError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist or cannot be read (exit 66).
    case fileNotFound(path: String)
    /// The file is not UTF-8 text (exit 65).
    case notText(path: String)
    /// The header matches none of the known layouts (exit 65).
    case unknownLayout(path: String, header: String)
    /// A row is malformed; `line` is the file line the row starts on (exit 65).
    case malformedRow(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "catalogue file not found: \(path)"
        case .notText(let path):
            return "\(path) is not UTF-8 text; save the catalogue as UTF-8 CSV"
        case .unknownLayout(let path, let header):
            return "\(path): unknown catalogue layout (header: \(header)); expected the NRDL layout, the services layout, or \(CatalogueLayout.plainHeader.joined(separator: ","))"
        case .malformedRow(let path, let line, let reason):
            return "\(path):\(line): \(reason); nothing was imported — fix the row and import again"
        }
    }
}
