import DataFolioReport
import Testing

@Suite("Escaping")
struct MarkupTests {
    @Test func escapesMarkupCharacters() {
        #expect(Markup.escape("<b>\"a&b\"</b>'") == "&lt;b&gt;&quot;a&amp;b&quot;&lt;/b&gt;&#39;")
    }
}
