// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "claimeye",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "claimeye", targets: ["claimeye"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Leptonica and Tesseract come from the system (Debian: libleptonica-dev,
        // libtesseract-dev); pkg-config decides the library names and paths.
        .systemLibrary(
            name: "CLeptonica",
            pkgConfig: "lept",
            providers: [.apt(["libleptonica-dev"])]
        ),
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev"])]
        ),
        // PP-OCR on OpenCV's DNN module (Debian: libopencv-dnn-dev, libopencv-imgproc-dev),
        // behind a plain C interface. Debian ships no opencv4.pc for these packages alone,
        // so the header folder and libraries are named here.
        .target(
            name: "CPPOCR",
            // Optimised in debug builds too: the depthwise convolution (depthwise.cpp) is a
            // loop the compiler must vectorise, and the tests run the debug build.
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4", "-std=c++17", "-O2"])],
            linkerSettings: [
                .linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_core"),
            ]
        ),
        // PDF pages through poppler's GLib interface and cairo (Debian: libpoppler-glib-dev),
        // behind a plain C interface so no GLib type reaches Swift.
        .target(
            name: "CPDF",
            cSettings: [
                .unsafeFlags([
                    "-I/usr/include/poppler/glib", "-I/usr/include/poppler", "-I/usr/include/glib-2.0",
                    "-I/usr/lib/x86_64-linux-gnu/glib-2.0/include", "-I/usr/lib/aarch64-linux-gnu/glib-2.0/include",
                    "-I/usr/include/cairo",
                ]),
            ],
            linkerSettings: [
                .linkedLibrary("poppler-glib"), .linkedLibrary("gobject-2.0"), .linkedLibrary("glib-2.0"), .linkedLibrary("cairo"),
            ]
        ),
        .target(
            name: "ClaimEyeCore",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "ClaimEyeOCR",
            dependencies: [
                "ClaimEyeCore", "CTesseract", "CLeptonica", "CPPOCR", "CPDF",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "ClaimEyeStore",
            dependencies: [
                "ClaimEyeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The ledger on PostgreSQL, for workers on several hosts sharing one ledger.
        .target(
            name: "ClaimEyePostgres",
            dependencies: [
                "ClaimEyeCore", "ClaimEyeStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ClaimEyePipeline",
            dependencies: [
                "ClaimEyeCore", "ClaimEyeOCR", "ClaimEyeStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "claimeye",
            dependencies: [
                "ClaimEyeCore", "ClaimEyeOCR", "ClaimEyeStore", "ClaimEyePipeline", "ClaimEyePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Paths to fixtures and the built binary, shared by the test targets.
        .target(name: "ClaimEyeTestSupport", path: "Tests/Support"),
        .testTarget(name: "ClaimEyeCoreTests", dependencies: ["ClaimEyeCore", "ClaimEyeTestSupport"]),
        .testTarget(name: "ClaimEyeOCRTests", dependencies: ["ClaimEyeOCR", "ClaimEyeCore", "CLeptonica", "CPPOCR", "ClaimEyeTestSupport"]),
        .testTarget(name: "ClaimEyeStoreTests", dependencies: ["ClaimEyeStore", "ClaimEyeCore", "ClaimEyeTestSupport"]),
        .testTarget(
            name: "ClaimEyePipelineTests",
            dependencies: [
                "ClaimEyePipeline", "ClaimEyeCore", "ClaimEyeStore", "ClaimEyeTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The ledger's contract, run against SQLite and against PostgreSQL.
        .testTarget(
            name: "ClaimEyeLedgerTests",
            dependencies: ["ClaimEyeStore", "ClaimEyePostgres", "ClaimEyeCore", "ClaimEyeTestSupport"]),
        .testTarget(name: "claimeyeTests", dependencies: ["ClaimEyeCore", "ClaimEyeTestSupport"]),
    ]
)
