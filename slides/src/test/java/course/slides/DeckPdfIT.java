package course.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.microsoft.playwright.Page;
import course.testkit.ClassBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-out: reveal.js's print layout ({@code index.html?print-pdf}) printed by the headless Chromium to
 * target/websocket-vs-rabbitmq.pdf, one page per slide.
 */
class DeckPdfIT {

    @RegisterExtension
    static final ClassBrowser browser = new ClassBrowser();

    @Test
    void thePdfExportHasOnePageForEverySlideInTheSlidesShape() throws IOException {
        Deck.Opened slideView = Deck.open(browser.get(), "");
        int slides = DeckIT.totalSlides(slideView.page().page());
        int width = ((Number) slideView.page().page().evaluate("() => Reveal.getConfig().width")).intValue();
        int height = ((Number) slideView.page().page().evaluate("() => Reveal.getConfig().height")).intValue();

        Deck.Opened print = Deck.open(browser.get(), "?print-pdf");
        Page page = print.page().page();
        // reveal.js moves every slide onto its own .pdf-page, then drops "loading-scroll-mode" in the same task.
        page.waitForFunction("() => document.documentElement.classList.contains('print-pdf')"
                        + " && document.querySelectorAll('.pdf-page').length > 0"
                        + " && !document.body.classList.contains('loading-scroll-mode')", null,
                new Page.WaitForFunctionOptions().setTimeout(Deck.WAIT_MILLIS));
        Path pdf = Path.of(System.getProperty("deck.pdf", "target/websocket-vs-rabbitmq.pdf"));
        Files.deleteIfExists(pdf);
        page.pdf(new Page.PdfOptions().setPath(pdf).setPreferCSSPageSize(true).setPrintBackground(true));

        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            assertThat(document.getNumberOfPages()).as("pages in " + pdf).isEqualTo(slides);
            PDRectangle first = document.getPage(0).getMediaBox();
            assertThat(first.getWidth() / first.getHeight()).as("page shape (width / height)")
                    .isCloseTo((float) width / height, offset(0.02f));
        }
        assertThat(print.requests()).allSatisfy(url -> assertThat(url).startsWith("file://"));
        print.page().assertNoProblems();
        slideView.page().assertNoProblems();
    }
}
