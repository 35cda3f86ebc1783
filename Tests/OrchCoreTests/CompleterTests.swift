@testable import OrchCore
import Testing

@Suite struct CompleterTests {
    let vocabulary = CompletionVocabulary(agents: ["claude", "amp", "antigravity", "codex"])

    func complete(_ text: String) -> Completion {
        Completer.complete(text, vocabulary: vocabulary, listDirectory: { folder in
            folder == "." ? ["examples", "fan-out.orch", ".hidden"] : folder == "examples/" ? ["tour.orch", "review.orch"] : []
        }, isDirectory: { $0 == "examples" })
    }

    @Test func commandWords() {
        #expect(complete("pe").candidates == ["peek"])
        #expect(complete("pe").replacing == 2)
        #expect(complete("s").candidates == ["send", "session", "set", "sleep", "source", "status"])
        #expect(complete("echo hi; pe").candidates == ["peek"])
        #expect(complete("loop 2 { pe").candidates == ["peek"])
    }

    @Test func agentNamesWhereAnAgentGoes() {
        #expect(complete("peek a").candidates == ["amp", "antigravity"])
        #expect(complete("send --force c").candidates == ["claude", "codex"])
        #expect(complete("send amp,c").candidates == ["amp,claude", "amp,codex"])
        #expect(complete("send amp,c").replacing == 5)
        #expect(complete("send amp hello ").candidates == [])  // the text is free
        #expect(complete("send --no").candidates == ["--no-submit", "--no-wait"])
    }

    /// A name or path the lexer would split or read is completed quoted, so the line runs;
    /// inside a quote the user opened, in that quote. Inside quoted text, Tab is a tab.
    @Test func namesThatNeedQuotesAreQuoted() {
        let spaced = CompletionVocabulary(agents: ["my agent", "my other", "it's", "amp"])
        func complete(_ text: String) -> Completion {
            Completer.complete(text, vocabulary: spaced, listDirectory: { $0 == "." ? ["my dir", "plain.orch"] : $0 == "my dir/" ? ["a b.orch"] : [] }, isDirectory: { $0 == "my dir" })
        }
        #expect(complete("send m").candidates == ["'my agent'", "'my other'"])
        #expect(complete("send m").replacing == 1)
        #expect(complete("send 'my a").candidates == ["'my agent'"])
        #expect(complete("send 'my a").replacing == 5)
        #expect(complete("send \"my a").candidates == ["\"my agent\""])
        #expect(complete("peek it").candidates == ["\"it's\""])
        #expect(complete("peek am").candidates == ["amp"])
        #expect(complete("source my").candidates == ["'my dir/"])  // a folder: the quote stays open
        #expect(complete("source 'my dir/a").candidates == ["'my dir/a b.orch'"])
        // What is completed reads back as the name.
        for (typed, name) in [("status m", "my agent"), ("status it", "it's")] {
            let line = "status " + complete(typed).candidates[0]
            guard case .status(let refs)? = (try? Parser.parse(source: line, file: "t"))?.first?.kind else {
                Issue.record("\(line) does not parse as status")
                continue
            }
            #expect(refs.map(\.name) == [name], "\(line)")
        }
        #expect(complete("send amp \"some text").candidates.isEmpty)
        #expect(complete("send amp \"some text").tabIsText)
        #expect(!complete("send amp some").tabIsText)
    }

    @Test func stateWordsAndTargetsAfterWait() {
        #expect(complete("wait ").candidates == ["done", "free", "idle", "input", "working"])
        #expect(complete("wait done a").candidates == ["all", "amp", "antigravity", "any"])
        #expect(complete("wait done amp t").candidates == ["timeout"])
    }

    @Test func keysSubcommandsAndSwitches() {
        #expect(complete("key amp C-").candidates == ["C-c", "C-d"])
        #expect(complete("queue l").candidates == ["list"])
        #expect(complete("dispatch o").candidates == ["off", "on"])
        #expect(complete("help qu").candidates == ["queue", "quit"])
    }

    @Test func filePathsAfterSource() {
        #expect(complete("source f").candidates == ["fan-out.orch"])
        let folder = complete("source ex")
        #expect(folder.candidates == ["examples/"])
        #expect(folder.appendSpace == false)
        #expect(complete("source examples/t").candidates == ["examples/tour.orch"])
        #expect(complete("source ").candidates == ["examples/", "fan-out.orch"])  // hidden files only when asked
    }

    @Test func nothingInsideQuotedText() {
        #expect(complete("send amp \"pe").candidates == [])
    }
}

/// `orch __complete --unquoted`, for shells that quote what they insert themselves.
struct CompleterUnquoteTests {
    @Test func unquoteUndoesQuote() {
        for word in ["my agent", "it's here", #"say "hi" \ back"#, "plain"] {
            #expect(Completer.unquote(Completer.quote(word, opened: nil)) == word)
            #expect(Completer.unquote(Completer.quote(word, opened: "\"", close: false)) == word)
        }
    }
}
