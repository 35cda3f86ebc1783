// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "orch",
    // orch runs on Linux only: it calls Glibc directly, reads /proc (its own executable, pane
    // processes) and uses inotify and posix_spawn_file_actions_addclosefrom_np. The macOS entry
    // only sets the minimum the Synchronization module needs, should someone port the seams.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orch", targets: ["orch"]),
        .library(name: "OrchCore", targets: ["OrchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // libedit, through a header of non-variadic wrappers (Swift cannot call el_set/history).
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Linux calls the Glibc module hides (pipe2).
        .systemLibrary(name: "CPosix"),
        // All of orch's logic: language, interpreter, tmux client, agents, REPL.
        .target(
            name: "OrchCore",
            dependencies: ["CEditLine", "CPosix"]
        ),
        // A program that behaves like an agent CLI in a terminal; `orch demo` and the tests run it.
        .target(name: "SimAgent", dependencies: ["OrchCore"]),
        // The thin command: argument parsing, mode choice, exit codes.
        .executableTarget(
            name: "orch",
            dependencies: [
                "OrchCore",
                "SimAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measures notice latency and idle CPU against a capture-pane polling loop (README).
        .executableTarget(name: "orch-bench", dependencies: ["OrchCore", "SimAgent"]),
        .testTarget(
            name: "OrchCoreTests",
            dependencies: ["OrchCore", "orch"],
            exclude: ["Fixtures"]
        ),
    ]
)
