// swift-tools-version: 6.0
// libFuzzer targets for routerisk's input paths (README "Fuzzing"). Built only by `make fuzz`:
//   swift build --package-path Fuzz --sanitize=fuzzer --sanitize=address --scratch-path .build-fuzz
// Each target is an executable whose entry point is libFuzzer's `main`, calling the
// `@_cdecl("LLVMFuzzerTestOneInput")` function of its main.swift (as swift-protobuf's FuzzTesting).
import PackageDescription

let package = Package(
    name: "routerisk-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "routerisk", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "RouteRisk", package: "routerisk")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", .product(name: "RouteRisk", package: "routerisk")]),
        .executableTarget(name: "FuzzSceneOptions", dependencies: ["FuzzSupport", .product(name: "RouteRisk", package: "routerisk")]),
        .executableTarget(name: "FuzzTimestamp", dependencies: ["FuzzSupport", .product(name: "RouteRisk", package: "routerisk")]),
        .executableTarget(name: "FuzzLayer", dependencies: ["FuzzSupport", .product(name: "RouteRisk", package: "routerisk")]),
    ],
    swiftLanguageModes: [.v5]
)
