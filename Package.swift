// swift-tools-version:6.0
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
        .executableTarget(name: "FindingPagesGenerator"),
        .plugin(
            name: "EmbedFindingPages",
            capability: .buildTool(),
            dependencies: ["FindingPagesGenerator"]
        ),
        .target(
            name: "RpmsgDoctorCore",
            dependencies: ["CLibudev", "CRpmsg"],
            plugins: ["EmbedFindingPages"]
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
