// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cutroom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cutroom", targets: ["App"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            path: "Sources/CFFmpeg",
            pkgConfig: "libavformat libavcodec libavfilter libavutil libswscale libswresample",
            providers: [.apt([
                "libavformat-dev", "libavcodec-dev", "libavfilter-dev",
                "libavutil-dev", "libswscale-dev", "libswresample-dev",
            ])]
        ),
        // Font families to files, and uploaded fonts checked and named (drawtext takes a file).
        .systemLibrary(
            name: "CFontconfig",
            path: "Sources/CFontconfig",
            pkgConfig: "fontconfig",
            providers: [.apt(["libfontconfig-dev"])]
        ),
        // Text widths as drawtext lays them out (centred and right-aligned lines of a block).
        .systemLibrary(
            name: "CFreeType",
            path: "Sources/CFreeType",
            pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"])]
        ),
        // The timeline document: model, strict reading, validation. Pure Swift, no C.
        .target(name: "TimelineModel", path: "Sources/Timeline"),
        // Timeline → render plan (inputs, one filter-graph description, output settings). Knows fonts
        // and text metrics, never FFmpeg.
        .target(name: "Compiler", dependencies: ["TimelineModel", "CFontconfig", "CFreeType"]),
        // Runs plans through libav: wrappers, the pipeline, stream copy, probing.
        .target(
            name: "Render",
            dependencies: ["TimelineModel", "Compiler", "CFFmpeg"]
        ),
        .target(
            name: "Store",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "App",
            dependencies: [
                "TimelineModel", "Compiler", "Render", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Test helpers both StoreTests and AppTests use (a real S3 server, free ports).
        .target(name: "CutroomTestSupport", dependencies: ["Store"], path: "Tests/Support"),
        // Documents and media info the engine's suites share (no files, no FFmpeg).
        .target(name: "EngineTestSupport", dependencies: ["TimelineModel"], path: "Tests/EngineTestSupport"),
        // The model and the compiler, tested without linking FFmpeg.
        .testTarget(name: "CompilerTests", dependencies: ["TimelineModel", "Compiler", "EngineTestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["TimelineModel", "Compiler", "Render", "CFFmpeg", "EngineTestSupport"]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "CutroomTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "TimelineModel", "Compiler", "Render", "Store", "CutroomTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
