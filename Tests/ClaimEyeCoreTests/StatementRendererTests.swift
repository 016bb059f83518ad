import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// The claimant's statement as HTML text.
@Suite struct StatementRendererTests {
    @Test func ocrTextIsEscaped() throws {
        let html = StatementRenderer.render(try StatementFixtures.statement(image: false))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.lowercased().contains("<script"))
        #expect(HTMLText.escape(#"a<b>&"c'"#) == "a&lt;b&gt;&amp;&quot;c&#39;")
    }

    @Test func thePageIsSelfContained() throws {
        let html = StatementRenderer.render(try StatementFixtures.statement(image: true))
        for forbidden in ["http:", "https:", "<script", "<link", "@import", "url(", "<iframe", "src=\"//"] {
            #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
        }
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"))
    }

    @Test func theStatementShowsTheSummaryEveryItemAndItsReasons() throws {
        let statement = try StatementFixtures.statement(image: false)
        let html = StatementRenderer.render(statement)
        let settlement = statement.settlement
        #expect(html.contains(StatementFixtures.claimId))
        #expect(html.contains(maskPersonal(StatementFixtures.insuredId)))
        #expect(!html.contains(StatementFixtures.insuredId))
        #expect(html.contains("Employee (职工医保)") && html.contains("Level 2 (二级)") && html.contains("Outpatient (门诊)"))
        #expect(html.contains("2026-03-02"))
        // A duplicate invoice blocks: the claim waits for review whatever the settlement says.
        #expect(statement.status == .needsReview)
        #expect(html.contains("Needs review (待审核)"))
        #expect(settlement.lines.count == 9)
        for line in settlement.lines {
            #expect(html.contains("<td class=\"num\">\(line.amount)</td>"))
            if !line.held { #expect(html.contains("<td class=\"num\">\(line.fundPay)</td><td class=\"num\">\(line.selfPay)</td>")) }
            for reason in line.reasons { #expect(html.contains(HTMLText.escape(reason.plainWords))) }
        }
        for flag in statement.flags { #expect(html.contains(HTMLText.escape(flag.message))) }
        #expect(html.contains("<td class=\"num\">\(settlement.totals.amount)</td>"))
        #expect(settlement.totals.amount == Fen(29_470))
        for name in ["普通门诊诊查费", "注射用七叶皂苷钠"] { #expect(html.contains(name)) }
        #expect(html.contains("fund ratio 85%"))
        #expect(html.contains(">85%</td>") && html.contains("85% of the rest after 10% 乙类自付"))
    }

    @Test func everyLineWithABoxIsDrawnAndFlaggedLinesAreMarked() throws {
        let statement = try StatementFixtures.statement(image: false)
        let html = StatementRenderer.render(statement)
        let boxes = statement.pages[0].lines.count
        let flagged = statement.pages[0].lines.filter { statement.flaggedLines.contains($0.lineIndex) }.count
        print("statement: \(boxes) line boxes, \(flagged) flagged, \(statement.flags.count) flags (\(statement.flags.map(\.rule.rawValue)))")
        #expect(boxes == 9)
        #expect(flagged >= 1)
        #expect(html.components(separatedBy: "<rect class=\"flagged\"").count - 1 == flagged)
        #expect(html.components(separatedBy: "<rect class=\"line\"").count - 1 == boxes - flagged)
        #expect(html.contains("The page image is not available"))
    }

    @Test func onlyAnInlineImageIsAccepted() {
        #expect(HTMLText.imageDataURI("data:image/png;base64,iVBORw0K") != nil)
        #expect(HTMLText.imageDataURI("https://example.org/a.png") == nil)
        #expect(HTMLText.imageDataURI("data:image/png;base64,AA\" onerror=\"x") == nil)
        #expect(HTMLText.imageDataURI("data:text/html;base64,PHNjcmlwdD4=") == nil)
    }

    @Test func theSameStatementGivesTheSameBytes() throws {
        let statement = try StatementFixtures.statement(image: false)
        var shuffled = statement
        shuffled.flags.reverse()
        #expect(StatementRenderer.render(statement) == StatementRenderer.render(shuffled))
    }

    @Test func everyCodeHasPlainWordsWithItsChineseTerm() {
        for code in ReasonCode.allCases {
            #expect(code.plainWords.count > 20 && TextFolding.hasCJK(code.plainWords), "\(code)")
        }
        for rule in AuditRuleID.allCases {
            #expect(rule.plainWords.count > 20 && TextFolding.hasCJK(rule.plainWords), "\(rule)")
        }
        #expect(Set(ReasonCode.allCases.map(\.plainWords)).count == ReasonCode.allCases.count)
        #expect(Set(AuditRuleID.allCases.map(\.plainWords)).count == AuditRuleID.allCases.count)
    }
}
