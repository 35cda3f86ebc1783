// libFuzzer entry point over orch's pure front ends: the lexer and parser (script text and
// one-shot words) and the screen classifier (every profile). Built by Fuzz/run.sh with
// `swiftc -sanitize=fuzzer` from the sources these need; any crash found becomes a file in
// Fuzz/corpus/, which the regular test suite replays.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? Parser.parse(source: text, file: "<fuzz>")
    _ = try? Parser.parse(arguments: text.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init))
    for profile in AgentProfile.builtIn {
        _ = ScreenClassifier.classify(text, profile: profile)
    }
    return 0
}
