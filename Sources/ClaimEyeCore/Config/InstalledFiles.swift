import Foundation

/// Where an installed claimeye keeps its shared files (`scripts/install`): the folder
/// `PREFIX/share/claimeye` beside `PREFIX/bin/claimeye`, found from the running binary's
/// own path, so an installed claimeye finds its configuration, policies, sample
/// catalogue and models from any working folder.
public enum InstalledFiles {
    /// `PREFIX/share/claimeye` when it exists beside the running binary; nil in a checkout.
    public static let shareFolder: String? = {
        guard let binary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let prefix = ((binary as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let folder = (prefix as NSString).appendingPathComponent("share/claimeye")
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue ? folder : nil
    }()

    /// A file or folder under the shared folder, when claimeye is installed.
    public static func path(_ relative: String) -> String? {
        shareFolder.map { ($0 as NSString).appendingPathComponent(relative) }
    }
}
