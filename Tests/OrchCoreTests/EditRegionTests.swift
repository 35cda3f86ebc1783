@testable import OrchCore
import Testing

/// The row libedit's cursor is on, as refresh.c lays out the prompt and the line.
struct EditRegionTests {
    @Test func aFullRowMovesTheCursorToTheNext() {
        #expect(EditRegion.cursorRow(prompt: "> ", beforeCursor: String(repeating: "x", count: 77), columns: 80) == 0)
        #expect(EditRegion.cursorRow(prompt: "> ", beforeCursor: String(repeating: "x", count: 78), columns: 80) == 1)
        #expect(EditRegion.cursorRow(prompt: "> ", beforeCursor: String(repeating: "x", count: 238), columns: 80) == 3)
    }

    @Test func colourEscapesInThePromptTakeNoColumns() {
        let prompt = "\u{1}\u{1B}[1m\u{1}orch> \u{1}\u{1B}[0m\u{1}"
        #expect(EditRegion.cursorRow(prompt: prompt, beforeCursor: String(repeating: "x", count: 73), columns: 80) == 0)
        #expect(EditRegion.cursorRow(prompt: prompt, beforeCursor: String(repeating: "x", count: 74), columns: 80) == 1)
    }

    @Test func aWideCharacterThatDoesNotFitStartsTheNextRow() {
        // 9 columns used; a 2-column character does not fit in the 10th and moves down.
        #expect(EditRegion.cursorRow(prompt: "", beforeCursor: String(repeating: "x", count: 9) + "界", columns: 10) == 1)
        #expect(EditRegion.cursorRow(prompt: "", beforeCursor: String(repeating: "x", count: 7) + "界", columns: 10) == 0)
    }

    @Test func tabsAndControlCharactersTakeTheirDrawnWidth() {
        // A tab at column 1 runs to column 8; `^A` is two columns.
        #expect(EditRegion.cursorRow(prompt: "", beforeCursor: "x\t\t", columns: 16) == 1)
        #expect(EditRegion.cursorRow(prompt: "", beforeCursor: "x\t", columns: 16) == 0)
        #expect(EditRegion.cursorRow(prompt: "", beforeCursor: String(repeating: "\u{1}", count: 5), columns: 10) == 1)
    }

    @Test func theEraseGoesUpToTheFirstRow() {
        #expect(EditRegion.eraseFromRow(0) == "\r\u{1B}[J")
        #expect(EditRegion.eraseFromRow(2) == "\r\u{1B}[2A\u{1B}[J")
    }
}
