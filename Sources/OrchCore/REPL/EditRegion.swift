/// The rows libedit draws the prompt and the line being typed on, laid out as its `refresh.c`
/// lays them: a character too wide for what is left of a row starts the next row, a full row
/// moves on to the next, a tab runs to the next multiple of 8 and a control character shows
/// as `^X`. Printing a notice has to start from the first of those rows, or the rows of a
/// wrapped line above the cursor stay on screen as stale text.
enum EditRegion {
    /// How many rows below the prompt's first row libedit's cursor is, for a terminal
    /// `columns` wide. `prompt` may hold invisible sections between `\u{1}` markers.
    static func cursorRow(prompt: String, beforeCursor: String, columns: Int) -> Int {
        guard columns > 1 else { return 0 }
        var row = 0
        var column = 0
        func put(width: Int) {
            if width > 0, column + width > columns {
                row += 1
                column = 0
            }
            column += width
            if column >= columns {
                row += 1
                column = 0
            }
        }
        var invisible = false
        for scalar in prompt.unicodeScalars {
            if scalar == "\u{1}" {
                invisible.toggle()
            } else if !invisible {
                put(width: width(of: scalar))
            }
        }
        for scalar in beforeCursor.unicodeScalars {
            if scalar == "\t" {
                repeat { put(width: 1) } while column % 8 != 0
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                put(width: 1)
                put(width: 1)
            } else {
                put(width: width(of: scalar))
            }
        }
        return row
    }

    /// Columns one character takes, as `wcwidth` gives them in a UTF-8 locale (whatever
    /// locale this process has): 2 for wide ones, 0 for combining marks and zero-width
    /// formats, else 1.
    static func width(of scalar: Unicode.Scalar) -> Int {
        if scalar.isWide { return 2 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: return 1
        }
    }

    /// The escapes that take the cursor from row `row` of the region to the start of its
    /// first row and clear from there to the end of the screen.
    static func eraseFromRow(_ row: Int) -> String {
        "\r" + (row > 0 ? "\u{1B}[\(row)A" : "") + "\u{1B}[J"
    }
}
