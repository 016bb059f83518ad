import ClaimEyeCore
import Testing

@testable import ClaimEyeOCR

struct OCRLexiconTests {
    static let lexicon = OCRLexicon(["铁蛋白测定", "阿莫西林胶囊", "0.9%氯化钠注射液"])

    static func words(_ texts: String...) -> [OCRWord] { words(texts) }

    static func words(_ texts: [String]) -> [OCRWord] {
        texts.enumerated().map { index, text in
            OCRWord(text: text, box: BoundingBox(x: index * 100, y: 0, width: 90, height: 30), confidence: 80)
        }
    }

    @Test(arguments: [
        (["铁蛋白测定"], true),
        (["铁蛋", "白测定"], true),  // words as Tesseract splits them
        (["铁 蛋 白 测 定"], true),  // spaces between CJK characters
        (["０.９%氯化钠注射液"], true),  // full-width digits
        (["甲"], true), (["乙"], true),  // class marks come with any lexicon
        (["16.00甲"], true), (["16.00", "甲"], true),  // a class mark printed close to the amount
        (["铁蛋和白测定"], false), (["铁蛋白"], false), (["铁蛋白测定x"], false),
        (["16.0甲"], false), (["16甲"], false), (["16.00"], false), (["16.00丁"], false), ([""], false),
    ])
    func knowsExactSpellingsOnly(texts: [String], known: Bool) {
        #expect(Self.lexicon.knows(Self.words(texts)) == known)
    }

    @Test func anEmptyLexiconKnowsNothing() {
        #expect(!OCRLexicon.empty.knows(Self.words("甲")))
        #expect(OCRLexicon.empty.isEmpty)
        #expect(OCRLexicon([""]).isEmpty)
    }

    @Test func theDigestFollowsTheEntriesNotTheirOrder() {
        #expect(OCRLexicon(["a", "b"]).digest == OCRLexicon(["b", "a", "a"]).digest)
        #expect(OCRLexicon(["a", "b"]).digest != OCRLexicon(["a", "c"]).digest)
        #expect(OCRLexicon.empty.digest == "none")
    }

    @Test func aReadingThatSpellsAnEntryWinsOverAgreementAndConfidence() {
        var page = Self.words("铁蛋白测定")
        page[0].confidence = 60
        var reread = Self.words("铁蛋和白测定")
        reread[0].confidence = 95
        // Without a lexicon the more confident re-read wins; with one, the spelling.
        #expect(TesseractEngine.choose([page, reread]) == reread)
        #expect(TesseractEngine.choose([page, reread], lexicon: Self.lexicon) == page)
        // Two readings agreeing on a wrong text lose to one that spells an entry.
        #expect(TesseractEngine.choose([reread, reread, page], lexicon: Self.lexicon) == page)
        // No reading known: agreement, then confidence, as before.
        let other = Self.words("铁重白测定")
        #expect(TesseractEngine.choose([other, reread, other], lexicon: Self.lexicon) == other)
    }
}
