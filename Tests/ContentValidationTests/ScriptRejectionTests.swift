import Documents
import Testing

@testable import ContentValidation

/// Scripts are refused under every name: what libmagic calls an interpreter script or a batch file, and any text
/// that starts with an interpreter line; source code that is not executable by itself stays plain text.
@Suite struct ScriptRejectionTests {
    static let scripts: [(String, String?)] = [
        ("#!/bin/sh\necho hello\n", "text/x-shellscript"),
        ("#!/bin/bash\nrm -rf ~\n", "text/x-shellscript"),
        ("#! /bin/sh\necho\n", "text/x-shellscript"),
        ("#!/usr/bin/env python3\nprint(1)\n", "text/x-script.python"),
        ("#!/usr/bin/perl\nprint 1;\n", "text/x-perl"),
        ("#!/usr/bin/ruby\nputs 1\n", "text/x-ruby"),
        ("#!/usr/bin/awk -f\n{print}\n", "text/x-awk"),
        ("#!/usr/bin/env lua\nprint(1)\n", "text/x-lua"),
        ("#!/usr/bin/tclsh\nputs 1\n", "text/x-tcl"),
        ("<?php echo 1; ?>\n", "text/x-php"),
        ("@echo off\r\ndel C:\\x\r\n", "text/x-msdos-batch"),
        ("#!/usr/bin/env pwsh\nWrite-Host 1\n", "text/plain"),
        ("#!/usr/bin/env node\nconsole.log(1)\n", nil),
    ]

    @Test(arguments: scripts.indices, ["notes.txt", "data.csv"])
    func refusesAScriptUnderATextName(index: Int, name: String) throws {
        let (text, sniffed) = Self.scripts[index]
        let bytes = Array(text.utf8)
        if let sniffed { #expect(TestSupport.sniff(bytes) == sniffed, "libmagic's answer for \(text.prefix(20))") }
        let rejection = try #require(TestSupport.inspect(bytes, name: name).rejection, "\(text.prefix(20))")
        #expect(rejection.code == "unsupported_type")
        #expect(rejection.httpStatus == 415)
        #expect(rejection.message.contains("script"), "\(rejection.message)")
        #expect(!rejection.message.contains(name))
    }

    @Test func namesWhatItFound() throws {
        let shell = try #require(TestSupport.inspect(Array("#!/bin/sh\necho\n".utf8), name: "notes.txt").rejection)
        #expect(shell.message == "file content is a script (text/x-shellscript), which is not accepted")
        let shebang = try #require(TestSupport.inspect(Array("#!/usr/bin/osascript\n".utf8), name: "notes.txt").rejection)
        #expect(shebang.message.contains("#!"))
    }

    @Test(arguments: [
        "#include <stdio.h>\nint main(void) { return 0; }\n", "all:\n\tcc x.c\n", "notes about #!/bin/sh and echo\n",
        "import os\nos.system('x')\n", " #!/bin/sh is how a script starts\n",
    ])
    func keepsTextThatIsNotAScript(text: String) throws {
        #expect(try #require(TestSupport.inspect(Array(text.utf8), name: "notes.txt").value).type == .text)
    }
}
