package course.slides;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import course.testkit.ClassBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deck as an instructor uses it: opened from the file system in a real headless Chromium, offline, slide by slide.
 * Every slide is shown, checked and photographed into target/slides-screenshots/.
 */
class DeckIT {

    /** Slide content may touch the edge of the slide area, but not cross it; 1 CSS pixel absorbs rounding. */
    private static final String CURRENT_SLIDE_OVERFLOW = """
            () => {
              const slide = Reveal.getCurrentSlide();
              const area = Reveal.getSlidesElement().getBoundingClientRect();
              const scale = Reveal.getScale();
              const px = n => Math.round(n / scale);
              const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                  ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
              const problems = [];
              for (const el of [slide, ...slide.querySelectorAll('*')]) {
                if (el.closest('aside.notes')) continue;
                const r = el.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue;
                if (r.left < area.left - 1 || r.right > area.right + 1 || r.top < area.top - 1 || r.bottom > area.bottom + 1) {
                  problems.push(name(el) + ' reaches past the slide: ' + px(r.left - area.left) + '..' + px(r.right - area.left)
                      + ' x ' + px(r.top - area.top) + '..' + px(r.bottom - area.top) + ' in a ' + px(area.width) + 'x' + px(area.height) + ' slide');
                }
              }
              for (const el of slide.querySelectorAll('pre, pre code, table, .imageblock')) {
                if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
                  problems.push(name(el) + ' is cut off: content ' + el.scrollWidth + 'x' + el.scrollHeight
                      + ' in a box of ' + el.clientWidth + 'x' + el.clientHeight);
                }
              }
              return [...new Set(problems)];
            }""";

    @RegisterExtension
    static final ClassBrowser browser = new ClassBrowser((long) Deck.WAIT_MILLIS);

    @Test
    void everySlideRendersFromTheFileSystemWithNoErrorAndNoNetworkRequest() {
        Deck.Opened deck = Deck.open(browser.get(), "");
        Page page = deck.page().page();
        int total = totalSlides(page);
        assertThat(total).as("slides in the deck").isGreaterThan(10);

        List<String> brokenImages = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            show(page, i);
            @SuppressWarnings("unchecked")
            List<String> broken = (List<String>) page.evaluate("() => Array.from(Reveal.getCurrentSlide().querySelectorAll('img'))"
                    + ".filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.getAttribute('src'))");
            broken.forEach(src -> brokenImages.add(slideTitle(page) + ": " + src));
        }

        assertThat(brokenImages).as("images (diagrams) that did not load").isEmpty();
        assertThat(deck.requests()).as("every request the deck made").isNotEmpty()
                .allSatisfy(url -> assertThat(url).as("a request that leaves the file system").startsWith("file://"));
        assertThat(deck.requests()).as("reveal.js and its theme come from next to the deck")
                .anySatisfy(url -> assertThat(url).endsWith("/reveal.js/dist/reveal.js"))
                .anySatisfy(url -> assertThat(url).endsWith("/reveal.js/plugin/notes/notes.js"))
                .anySatisfy(url -> assertThat(url).contains("/reveal.js/dist/theme/fonts/"));
        assertThat((Boolean) page.evaluate("() => Reveal.hasPlugin('notes') && Reveal.hasPlugin('zoom')"))
                .as("the notes and zoom plugins are loaded").isTrue();
        deck.page().assertNoProblems();
    }

    @Test
    void noSlideOverflowsItsAreaAndEachIsSavedAsAScreenshot() throws IOException {
        Path screenshots = Path.of(System.getProperty("deck.screenshots", "target/slides-screenshots"));
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path png : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        }
        Deck.Opened deck = Deck.open(browser.get(), "");
        Page page = deck.page().page();
        int total = totalSlides(page);

        List<String> overflows = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            show(page, i);
            @SuppressWarnings("unchecked")
            List<String> problems = (List<String>) page.evaluate(CURRENT_SLIDE_OVERFLOW);
            String title = slideTitle(page);
            problems.forEach(p -> overflows.add(title + ": " + p));
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(String.format("%02d.png", i + 1))));
        }

        assertThat(overflows).as("content that does not fit its slide").isEmpty();
        try (Stream<Path> pngs = Files.list(screenshots)) {
            assertThat(pngs.filter(p -> p.toString().endsWith(".png"))).as("one screenshot per slide").hasSize(total);
        }
        deck.page().assertNoProblems();
    }

    @Test
    void everySlideHasSpeakerNotes() {
        Deck.Opened deck = Deck.open(browser.get(), "");
        Page page = deck.page().page();

        @SuppressWarnings("unchecked")
        List<String> withoutNotes = (List<String>) page.evaluate("() => Reveal.getSlides()"
                + ".filter(slide => !(Reveal.getSlideNotes(slide) || '').replace(/<[^>]*>/g, '').trim())"
                + ".map(slide => (slide.querySelector('h1, h2, h3') || {}).textContent || slide.id)");

        assertThat(withoutNotes).as("slides an instructor would have to prepare for").isEmpty();
        deck.page().assertNoProblems();
    }

    @Test
    void theSpeakerViewOpensOfflineAndShowsTheCurrentSlidesNotes() {
        Deck.Opened deck = Deck.open(browser.get(), "");
        Page page = deck.page().page();
        show(page, 1);
        String notes = (String) page.evaluate("() => Reveal.getCurrentSlide().querySelector('aside.notes').textContent.trim()");
        String firstLine = notes.lines().findFirst().orElseThrow().strip();

        // The speaker view is a popup with the current and the next slide in frames: record its problems from the start.
        List<String> speakerViewProblems = new CopyOnWriteArrayList<>();
        List<String> speakerViewRequests = new CopyOnWriteArrayList<>();
        page.context().onPage(popup -> {
            popup.onConsoleMessage(m -> {
                if ("error".equals(m.type())) {
                    speakerViewProblems.add("console error: " + m.text());
                }
            });
            popup.onPageError(e -> speakerViewProblems.add("page error: " + e));
            popup.onRequestFailed(r -> speakerViewProblems.add("failed request: " + r.url() + ": " + r.failure()));
            popup.onRequest(r -> speakerViewRequests.add(r.url()));
        });

        Page speakerView = page.waitForPopup(() -> page.keyboard().press("s"));

        PlaywrightAssertions.assertThat(speakerView.locator(".speaker-controls-notes .value")).containsText(firstLine);
        PlaywrightAssertions.assertThat(speakerView.frameLocator("#current-slide iframe").locator("section.present h2"))
                .hasText((String) page.evaluate("() => Reveal.getCurrentSlide().querySelector('h2').textContent"));
        assertThat(speakerViewProblems).as("problems in the speaker view").isEmpty();
        assertThat(speakerViewRequests).as("the speaker view's requests").isNotEmpty()
                .allSatisfy(url -> assertThat(url).matches("(file://|about:blank).*"));
        assertThat(deck.requests()).allSatisfy(url -> assertThat(url).startsWith("file://"));
        deck.page().assertNoProblems();
    }

    static int totalSlides(Page page) {
        return ((Number) page.evaluate("() => Reveal.getTotalSlides()")).intValue();
    }

    /** Shows slide {@code index} (counting every slide, in order), laid out and painted. */
    static void show(Page page, int index) {
        page.evaluate("i => { const s = Reveal.getSlides()[i]; const at = Reveal.getIndices(s); Reveal.slide(at.h, at.v); Reveal.layout(); }",
                index);
        page.waitForFunction("i => Reveal.getCurrentSlide() === Reveal.getSlides()[i]"
                        + " && Reveal.getCurrentSlide().classList.contains('present')"
                        + " && getComputedStyle(Reveal.getCurrentSlide()).display !== 'none'", index,
                new Page.WaitForFunctionOptions().setTimeout(Deck.WAIT_MILLIS));
    }

    static String slideTitle(Page page) {
        return (String) page.evaluate("() => { const s = Reveal.getCurrentSlide(); const h = s.querySelector('h1, h2, h3');"
                + " return (Reveal.getSlides().indexOf(s) + 1) + ' \"' + (h ? h.textContent.trim() : s.id) + '\"'; }");
    }
}
