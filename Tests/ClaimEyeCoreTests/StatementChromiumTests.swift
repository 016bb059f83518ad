import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// The statement in a real browser: Debian's headless Chromium renders it to PNG, and
/// the system's Tesseract reads the screenshot back. Both are installed by
/// scripts/setup; a missing one is a failure, not a skip.
@Suite(.serialized) struct StatementChromiumTests {
    /// 210 mm at 96 CSS pixels per inch.
    static let a4Width = 794
    /// Rendered at twice the pixel density, so Tesseract reads 8.5 pt table text.
    static let scale = 2

    /// Runs a program found on PATH and returns its standard output.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A screenshot of `page` in a window `width` × `height` CSS pixels.
    static func screenshot(_ page: URL, width: Int, height: Int, into folder: URL, name: String) throws -> URL {
        let png = folder.appendingPathComponent(name)
        let result = try run("chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(folder.appendingPathComponent("profile-\(name)").path)",
            "--force-device-scale-factor=\(scale)", "--window-size=\(width),\(height)",
            "--screenshot=\(png.path)", page.absoluteString,
        ])
        #expect(result.status == 0, "chromium exited with \(result.status): is the chromium package installed?")
        #expect(FileManager.default.fileExists(atPath: png.path), "chromium wrote no screenshot")
        return png
    }

    /// Tesseract's words with their boxes (TSV): text, left and right edge in pixels.
    static func words(_ png: URL) throws -> [(text: String, left: Int, right: Int)] {
        let result = try run("tesseract", [png.path, "-", "-l", "eng", "--psm", "3", "tsv"])
        #expect(result.status == 0, "tesseract exited with \(result.status)")
        return result.output.split(separator: "\n").dropFirst().compactMap { row in
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 12, let left = Int(fields[6]), let width = Int(fields[8]) else { return nil }
            let text = fields[11].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : (String(text), left, left + width)
        }
    }

    /// A one-stop statement read back from the browser's pixels: each fund's line and
    /// figure, and what is left to the patient, as the settlement computed them.
    @Test func aOneStopStatementShowsEveryFundsFigureInChromium() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let statement = try StatementFixtures.statement(image: false, oneStop: true)
        let totals = statement.settlement.totals
        #expect(totals.fundPay > .zero && totals.criticalIllnessPay > .zero && totals.assistancePay > .zero)
        let page = folder.appendingPathComponent("statement.html")
        try StatementRenderer.render(statement).write(to: page, atomically: true, encoding: .utf8)
        let read = try Self.words(try Self.screenshot(page, width: Self.a4Width, height: 1400, into: folder, name: "onestop.png"))
        let text = read.map(\.text).joined(separator: " ")
        print("chromium: one-stop statement, \(read.count) words; fund \(totals.fundPay), critical illness \(totals.criticalIllnessPay), assistance \(totals.assistancePay), you pay \(totals.selfPay)")
        // The labels wrap in their column; each one's first word is read just before its figure.
        #expect(text.contains("Fund pays") && text.contains("You pay"))
        #expect(text.contains("Critical-illness \(totals.criticalIllnessPay)"), "the critical-illness line not read back")
        #expect(text.contains("Medical \(totals.assistancePay)"), "the assistance line not read back")
        for figure in [totals.amount, totals.fundPay, totals.criticalIllnessPay, totals.assistancePay, totals.selfPay] {
            #expect(text.contains(figure.description), "\(figure) not read back")
        }
        #expect(totals.fundPay + totals.criticalIllnessPay + totals.assistancePay + totals.selfPay + totals.pending == totals.amount)
    }

    @Test func aStatementRendersInChromiumWithItsTextAndFitsA4Width() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("statement.html")
        try StatementRenderer.render(try StatementFixtures.statement(image: true)).write(to: page, atomically: true, encoding: .utf8)

        // At A4 width: the text a claimant must see is on the page.
        let narrow = try Self.screenshot(page, width: Self.a4Width, height: 1400, into: folder, name: "a4.png")
        let read = try Self.words(narrow)
        let text = read.map(\.text).joined(separator: " ")
        print("chromium: A4-width screenshot, \(read.count) words read back; claim id found: \(text.contains(StatementFixtures.claimId)), script tag as text: \(text.contains("<script>") ? "<script>" : (text.contains("script") ? "script" : "no"))")
        #expect(text.contains(StatementFixtures.claimId))
        // The hostile name shows as characters; had it run as a script, neither word
        // would be on the page (nothing else on it says "script" or "alert").
        #expect(text.contains("script") && text.contains("alert(1)"))
        #expect(text.contains("Total"))

        // In a window far wider than A4 the page stays one 210 mm column (centred):
        // the text spans no more than A4's width. A table or an OCR string wider than
        // the page would spill out of the column here and widen the span.
        let wide = try Self.screenshot(page, width: 1400, height: 1400, into: folder, name: "wide.png")
        let wideWords = try Self.words(wide)
        let limit = Self.a4Width * Self.scale
        let leftmost = wideWords.map(\.left).min() ?? 0
        let rightmost = wideWords.map(\.right).max() ?? 0
        print("chromium: wide-window screenshot, \(wideWords.count) words, text spans \(leftmost)–\(rightmost) px: \(rightmost - leftmost) px of at most \(limit) px (A4 width × \(Self.scale))")
        #expect(wideWords.count > 50, "the wide screenshot holds too little text to judge")
        #expect(rightmost - leftmost <= limit, "the text spans more than A4 width")
        #expect(rightmost - leftmost > limit / 2, "the page should use its width")
    }
}
