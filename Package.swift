// swift-tools-version: 6.0
// routerisk: border-route risk analysis over GEOS, PROJ and GDAL.
import PackageDescription

let package = Package(
    name: "routerisk",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RouteRisk", targets: ["RouteRisk"]),
        .executable(name: "routerisk", targets: ["routerisk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System libraries: Debian's libgeos-dev, libproj-dev, libgdal-dev.
        .systemLibrary(
            name: "CGEOS", pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"]), .brew(["geos"])]),
        .systemLibrary(
            name: "CPROJ", pkgConfig: "proj",
            providers: [.apt(["libproj-dev"]), .brew(["proj"])]),
        .systemLibrary(
            name: "CGDAL", pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"]), .brew(["gdal"])]),
        // GLPK, the MIP solver of `routerisk plan` (Debian's libglpk-dev has no pkg-config file).
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"]), .brew(["glpk"])]),
        // OpenSSL's libcrypto (Debian's libssl-dev): SHA-256 of the input files.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]),
        // glibc's <malloc.h> (mallopt: large blocks back to the system when freed).
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "RouteRisk",
            dependencies: [
                "CGEOS", "CPROJ", "CGDAL", "CGLPK", "COpenSSL", "CMalloc",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        .executableTarget(
            name: "routerisk",
            dependencies: [
                "RouteRisk",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "RouteRiskTests",
            dependencies: ["RouteRisk"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "routeriskCLITests",
            dependencies: ["RouteRisk"],
            // Golden outputs of main (issue 7), read from the source tree by GoldenRegressionTests.
            exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v5]
)
