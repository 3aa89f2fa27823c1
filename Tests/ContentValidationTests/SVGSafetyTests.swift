import Documents
import Testing

@testable import ContentValidation

/// Hostile SVGs are rejected however they are chunked; ordinary SVGs pass.
@Suite struct SVGSafetyTests {
    static func document(_ body: String) -> String {
        ##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">"## + body + "</svg>"
    }

    static let hostile: [(String, String)] = [
        ("script element", document("<script>alert(1)</script>")),
        ("script, upper case", document("<SCRIPT>alert(1)</SCRIPT>")),
        ("script with namespace prefix", document(##"<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>"##)),
        ("onload", document(##"<rect onload="alert(1)"/>"##)),
        ("onclick with spaces", document(##"<rect onclick  =  'alert(1)'/>"##)),
        ("event handler after slash", ##"<svg/onload=alert(1) xmlns="http://www.w3.org/2000/svg"></svg>"##),
        ("event handler, mixed case", document(##"<rect OnMouseOver="alert(1)"/>"##)),
        ("event handler, newline before =", document("<rect onfocus\n=\"alert(1)\"/>")),
        ("javascript: href", document(##"<a href="javascript:alert(1)"><rect/></a>"##)),
        ("javascript: xlink:href", document(##"<a xlink:href="javascript:alert(1)"><rect/></a>"##)),
        ("javascript: with tab entity", document(##"<a href="java&#x09;script:alert(1)"><rect/></a>"##)),
        ("javascript: with decimal entity", document(##"<a href="&#106;avascript:alert(1)"><rect/></a>"##)),
        ("javascript: with hex entity", document(##"<a href="&#x6A;avascript:alert(1)"><rect/></a>"##)),
        ("javascript: with zero-padded entity", document(##"<a href="&#0000106avascript:alert(1)"><rect/></a>"##)),
        ("javascript: with named entities", document(##"<a href="javascript&colon;alert(1)"><rect/></a>"##)),
        ("javascript: with raw newline", document("<a href=\"java\nscript:alert(1)\"><rect/></a>")),
        ("javascript: with leading space", document(##"<a href="  javascript:alert(1)"><rect/></a>"##)),
        ("javascript: in an animation value", document(##"<a><set attributeName="x" to="javascript:alert(1)"/></a>"##)),
        ("javascript: with tab entity in an animation", document(##"<a><set attributeName="x" to="java&#x09;script:alert(1)"/></a>"##)),
        ("javascript: with entities in an animation", document(##"<a><animate values="&#x6A;ava&#115;cript&colon;alert(1)"/></a>"##)),
        ("vbscript:", document(##"<a href="vbscript:msgbox(1)"><rect/></a>"##)),
        ("external image", document(##"<image href="https://evil.example/x.png"/>"##)),
        ("protocol-relative image", document(##"<image xlink:href="//evil.example/x.png"/>"##)),
        ("relative file", document(##"<image href="x.png"/>"##)),
        ("file URL", document(##"<image href="file:///etc/passwd"/>"##)),
        ("svg data URL", document(##"<use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>"##)),
        ("html data URL", document(##"<image href="data:text/html,hi"/>"##)),
        ("unquoted external href", document("<image href=https://evil.example/x.png />")),
        ("script src", document(##"<script src="https://evil.example/x.js"/>"##)),
        ("foreignObject", document("<foreignObject><div>hi</div></foreignObject>")),
        ("ENTITY declaration", ##"<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>"##),
        ("ATTLIST default handler", ##"<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]><svg/>"##),
        ("xml-stylesheet", ##"<?xml-stylesheet href="https://evil.example/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>"##),
        ("@import", document("<style>@import url(https://evil.example/x.css);</style>")),
        ("@import, escaped", document(#"<style>@\69mport 'x.css';</style>"#)),
        ("@import, entity", document("<style>&#64;import 'x.css';</style>")),
        ("url() to the outside", document(##"<rect style="fill:url(https://evil.example/x)"/>"##)),
        ("url() quoted", document(##"<rect fill="url('http://evil.example/#a')"/>"##)),
        ("url() escaped", document(#"<rect style="fill: u\72l(https://evil.example/x)"/>"#)),
        ("image-set()", document(##"<style>rect{fill:image-set("https://evil.example/a.png" 1x)}</style>"##)),
        ("animation of href", document(##"<a><set attributeName="href" to="https://evil.example"/></a>"##)),
        ("animation of xlink:href", document(##"<a><animate attributeName="xlink:href" values="#a;https://evil.example"/></a>"##)),
        ("animation of an event attribute", document(##"<rect><set attributeName="onclick" to="x"/></rect>"##)),
        ("xml:base", document(##"<g xml:base="https://evil.example/"><use href="#a"/></g>"##)),
        ("iframe", document("<iframe/>")),
        ("embed", document("<embed/>")),
        ("object", document("<object/>")),
        ("handler (SVG Tiny)", document("<handler>x</handler>")),
        ("NUL byte", document("<rect/>\u{0}")),
        (
            "markup after a long inline image",
            document("<text>href=\"data:image/png;base64,\(String(repeating: "A", count: 60))</text><script>alert(1)</script>")
        ),
        ("markup inside an unterminated value", document(##"<text>href="#</text><script>alert(1)</script>"##)),
        // In a style sheet an unquoted value is just text: CSS punctuation must end it, or it hides what follows.
        ("@import inside an unquoted value", document(##"<style>x href=#{}@import"https://evil.example/x.css";</style>"##)),
        ("@import in an unquoted animation target", document(##"<style>x attributeName=a@import"https://evil.example/x.css";</style>"##)),
        ("url() past a semicolon in an unquoted value", document("<style>*{x:y href=#a;fill:url(https://evil.example/p.svg#p)}</style>")),
        ("url() past a brace in an unquoted value", document("<style>x href=#{}*{background:url(//evil.example/x.png)}</style>")),
        (
            "url() past a comma in an unquoted value",
            document("<style>@font-face{font-family:f;src:local(x) href=#b,url(//evil.example/f.woff)}</style>")
        ),
        // A CSS string ends at a line break, so a quoted value must too.
        ("url() past a line break in a quoted value", document("<style>x href=\"#\n*{background:url(//evil.example/x.png)}\n\"</style>")),
    ]

    static let safe: [(String, String)] = [
        ("plain shapes", document(##"<rect width="10" height="10" fill="green"/><circle cx="5" cy="5" r="2"/>"##)),
        ("gradient by fragment", document(##"<defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="stroke:url( '#g' )"/>"##)),
        ("use by fragment", document(##"<defs><path id="p" d="M0 0"/></defs><use href="#p"/><use xlink:href="#p"/>"##)),
        ("inline PNG", document("<image href=\"data:image/png;base64,\(String(repeating: "iVBORw0KGgo/onab=", count: 20))=\"/>")),
        ("inline JPEG in CSS", document(##"<rect style="fill:url(data:image/jpeg;base64,/9j/4AAQSkZJRg==)"/>"##)),
        ("empty href", document(##"<a href=""><rect/></a>"##)),
        (
            "DOCTYPE and comments",
            ##"<?xml version="1.0" encoding="UTF-8" standalone="no"?><!-- Generator: test --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>"##
        ),
        ("editor namespaces", document(##"<g inkscape:label="Layer 1" sodipodi:nodetypes="cc" data-online="yes"/>"##)),
        ("escaped markup in text", document("<text>&lt;script&gt; is just text, as is C:\\Users\\x</text>")),
        ("CSS without resources", document("<style>rect { fill: #0a0; stroke-width: 2px } @media print { rect { fill: black } }</style>")),
        ("non-ASCII text", document("<text>Blutdruck – Größe ≥ 120 mmHg</text>")),
        ("fragment references in CSS", document("<style>rect { fill: url(#g); clip-path: url('#c'); mask: url(\"#m\") }</style>")),
        ("multi-line attributes", document("<path d=\"M0 0\n L10 10\" fill=\"url(#g)\"/><use href=\"#p\"\n x=\"1\"/>")),
    ]

    @Test(arguments: hostile)
    func rejectsHostileSVG(label: String, svg: String) {
        var scanner = SVGSafetyScanner()
        #expect(throws: UploadRejection.self, "\(label)") {
            try Self.scan(Array(svg.utf8), with: &scanner)
            try scanner.finish()
        }
    }

    @Test(arguments: hostile)
    func rejectsHostileSVGSplitAnywhere(label: String, svg: String) {
        let bytes = Array(svg.utf8)
        for split in 0...bytes.count {
            var scanner = SVGSafetyScanner()
            let outcome = Result(catching: { () throws(UploadRejection) in
                try Self.scan(Array(bytes[..<split]), with: &scanner)
                try Self.scan(Array(bytes[split...]), with: &scanner)
                try scanner.finish()
            })
            #expect(outcome.rejection?.code == "unsafe_svg", "\(label) split at \(split)")
        }
    }

    @Test(arguments: hostile)
    func rejectsHostileSVGByteByByte(label: String, svg: String) {
        var scanner = SVGSafetyScanner()
        let outcome = Result(catching: { () throws(UploadRejection) in
            for byte in svg.utf8 { try Self.scan([byte], with: &scanner) }
            try scanner.finish()
        })
        #expect(outcome.rejection?.code == "unsafe_svg", "\(label)")
    }

    @Test(arguments: safe)
    func acceptsOrdinarySVG(label: String, svg: String) throws {
        let result = TestSupport.inspect(Array(svg.utf8), name: "chart.svg", chunkSize: 7)
        #expect(result.value?.type == .svg, "\(label): \(String(describing: result.rejection))")
    }

    @Test(arguments: hostile)
    func theInspectorRejectsHostileSVG(label: String, svg: String) throws {
        let rejection = try #require(TestSupport.inspect(Array(svg.utf8), name: "chart.svg", chunkSize: 5).rejection, "\(label)")
        #expect(rejection.httpStatus == 415)
        #expect(["unsafe_svg", "unsupported_type"].contains(rejection.code), "\(label): \(rejection)")
    }

    @Test func rejectsAScriptSplitAcrossChunksAfterTheHead() throws {
        let padding = "<!--" + String(repeating: "padding ", count: 10_000) + "-->"  // 80 KiB: past the 64 KiB head
        let bytes = Array(Self.document(padding + "<script>alert(1)</script>").utf8)
        let split = try #require(bytes.indices.first { bytes[$0...].starts(with: "ipt>".utf8) })
        var inspector = UploadInspector(fileName: "chart.svg", category: .other, sniffer: TestSupport.sniffer)
        try TestSupport.consume(bytes[..<split], into: &inspector)  // ends with "<scr"
        #expect(inspector.decidedType == .svg)
        let rejection = try #require(throws: UploadRejection.self) { try TestSupport.consume(bytes[split...], into: &inspector) }
        #expect(rejection.code == "unsafe_svg")
        #expect(rejection.message.contains("<script>"))
    }

    @Test func saysWhatWasFound() {
        let cases: [(String, String)] = [
            (Self.document("<script/>"), "<script> element"),
            (Self.document(##"<rect onload="x"/>"##), "event-handler attribute"),
            (Self.document(##"<a href="java&#x09;script:x"/>"##), "javascript: URL"),
            (Self.document(##"<image href="https://x"/>"##), "external reference"),
            (##"<!DOCTYPE svg [<!ENTITY x "y">]><svg/>"##, "<!ENTITY>"),
            (Self.document("<style>@import 'x';</style>"), "@import"),
        ]
        for (svg, expected) in cases {
            var scanner = SVGSafetyScanner()
            let outcome = Result(catching: { () throws(UploadRejection) in
                try Self.scan(Array(svg.utf8), with: &scanner)
                try scanner.finish()
            })
            #expect(outcome.rejection?.message.contains(expected) == true, "\(String(describing: outcome.rejection))")
        }
    }

    static func scan(_ bytes: [UInt8], with scanner: inout SVGSafetyScanner) throws(UploadRejection) {
        let outcome = bytes.withUnsafeBytes { buffer -> Result<Void, UploadRejection> in
            do throws(UploadRejection) {
                try scanner.scan(buffer)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }
}

extension Result where Success == Void, Failure == UploadRejection {
    init(catching body: () throws(UploadRejection) -> Void) {
        do throws(UploadRejection) {
            try body()
            self = .success(())
        } catch {
            self = .failure(error)
        }
    }
}
