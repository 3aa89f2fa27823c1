/// Recognises scripts, which are refused whatever name they come under.
///
/// A script is text, so without this rule a `#!/bin/sh` file named `notes.txt` would pass as plain text: it
/// would be stored, listed and served to other users, ready to run for anyone who saves and executes it.
/// Two positive signs make a script: libmagic naming an interpreter (``scriptTypes``: its "… script, ASCII
/// text executable" results, and batch files), or an interpreter line, `#!` at the very start, which makes any
/// text executable however libmagic names it (5.44 says `text/plain` for `#!/usr/bin/env pwsh`). Source code
/// that is not executable by itself (`text/x-c`, `text/x-makefile`, …) stays plain text.
enum ExecutableScript {
    /// libmagic 5.44's MIME types for interpreter scripts and batch files (`file --mime-type`, magic(5) sources
    /// `commands`, `perl`, `python`, `ruby`, `javascript`, `msdos`, `lua`, `tcl`).
    static let scriptTypes: Set<String> = [
        "text/x-shellscript", "application/x-shellscript", "text/x-perl", "text/x-python", "text/x-script.python",
        "text/x-ruby", "text/x-php", "text/x-awk", "text/x-nawk", "text/x-gawk", "text/x-lua", "text/x-tcl",
        "text/x-msdos-batch", "application/javascript", "text/javascript",
    ]

    /// What the content is, for the refusal's message, when it is a script; nil otherwise.
    static func describe(sniffed: String, head: [UInt8]) -> String? {
        if scriptTypes.contains(sniffed) { return "a script (\(sniffed))" }
        if head.starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")]) { return "a script (it starts with an interpreter line, #!)" }
        return nil
    }
}
