import CLeptonica

/// Owns one Leptonica image and destroys it when released. Not shared between threads.
final class PixImage {
    let pointer: UnsafeMutablePointer<PIX>

    /// Takes ownership of `pointer`; nil when a Leptonica call returned no image.
    init?(_ pointer: UnsafeMutablePointer<PIX>?) {
        guard let pointer else { return nil }
        self.pointer = pointer
    }

    deinit {
        var owned: UnsafeMutablePointer<PIX>? = pointer
        pixDestroy(&owned)
    }

    var width: Int { Int(pixGetWidth(pointer)) }
    var height: Int { Int(pixGetHeight(pointer)) }
    var depth: Int { Int(pixGetDepth(pointer)) }
    var resolution: Int { Int(pixGetXRes(pointer)) }

    func setResolution(_ dpi: Int) {
        pixSetResolution(pointer, Int32(dpi), Int32(dpi))
    }
}
