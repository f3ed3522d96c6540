// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "rpmsg-doctor",
    products: [
        .executable(name: "rpmsg-doctor", targets: ["RpmsgDoctorCLI"]),
        .library(name: "RpmsgDoctorCore", targets: ["RpmsgDoctorCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibudev",
            pkgConfig: "libudev",
            providers: [.apt(["libudev-dev"])]
        ),
        .target(name: "CRpmsg"),
        .systemLibrary(
            name: "CLibarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .executableTarget(name: "EmbeddedTextGenerator"),
        .plugin(
            name: "EmbedTexts",
            capability: .buildTool(),
            dependencies: ["EmbeddedTextGenerator"]
        ),
        .target(
            name: "RpmsgDoctorCore",
            dependencies: ["CLibudev", "CRpmsg", "CLibarchive", "CZlib"],
            plugins: ["EmbedTexts"]
        ),
        .executableTarget(
            name: "RpmsgDoctorCLI",
            dependencies: [
                "RpmsgDoctorCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "RpmsgFixtures",
            dependencies: ["RpmsgDoctorCore"]
        ),
        .executableTarget(
            name: "rpmsg-doctor-fixture",
            dependencies: ["RpmsgFixtures"],
            path: "Sources/RpmsgFixtureTool"
        ),
        .executableTarget(
            name: "rpmsg-doctor-bench",
            dependencies: ["RpmsgDoctorCore", "RpmsgFixtures"],
            path: "Benchmarks/ScanBenchmark"
        ),
        .testTarget(
            name: "RpmsgDoctorCoreTests",
            dependencies: ["RpmsgDoctorCore", "RpmsgFixtures"]
        ),
    ]
)

// The fuzz targets exist only for scripts/fuzz.sh, which names libFuzzer's no-main library in RPMSG_DOCTOR_FUZZ
// (a plain `swift build` could not link them), and instruments the libraries they drive for coverage and
// AddressSanitizer.
if let libFuzzer = ProcessInfo.processInfo.environment["RPMSG_DOCTOR_FUZZ"] {
    let fuzzing: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
    for target in package.targets where ["RpmsgDoctorCore", "RpmsgFixtures"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + fuzzing
    }
    package.targets.append(.target(name: "FuzzDriver", path: "Tests/Fuzz/FuzzDriver"))
    package.targets += ["SnapshotFuzzer", "SysfsFuzzer"].map { name in
        .executableTarget(
            name: "fuzz-" + name.dropLast("Fuzzer".count).lowercased(),
            dependencies: ["FuzzDriver", "RpmsgDoctorCore", "RpmsgFixtures"],
            path: "Tests/Fuzz/\(name)",
            swiftSettings: fuzzing,
            linkerSettings: [.unsafeFlags(["-sanitize=address", libFuzzer, "-lstdc++"])]
        )
    }
}
