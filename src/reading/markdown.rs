//! A comment's text as HTML: Markdown read by pulldown-cmark, then cleaned
//! by ammonia to a small set of tags. Raw HTML in a comment is shown as the
//! text it is, never as markup; links go only to http(s) and mail
//! addresses and never carry the reader's referrer. What comes out is safe
//! to put into a page as it is, which is the only place this is used.
//!
//! `||words||` marks a spoiler inside a comment the reader may already read
//! (the discussion's own gate is the server's, by section): it is blurred
//! until pointed at or focused.
use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The tags a comment may use: emphasis, links, quotes, lists and code.
const TAGS: &[&str] = &[
    "p",
    "br",
    "em",
    "strong",
    "del",
    "a",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect::<HashSet<_>>())
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        // Only `spoilers` writes a span (typed markup is text by then).
        .add_tags(["span"])
        .add_tag_attributes("span", ["tabindex"])
        .add_allowed_classes("span", ["spoiler"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer ugc"))
        .strip_comments(true);
    b
});

const SPOILER_OPEN: &str = "<span class=\"spoiler\" tabindex=\"0\">";
const SPOILER_CLOSE: &str = "</span>";

/// The HTML for `text`, a comment as its author typed it.
pub fn to_html(text: &str) -> String {
    let events = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        // Markup typed into a comment is words, not markup: a block of it
        // is a paragraph of text, like any other.
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, spoilers(events).into_iter());
    CLEANER.clean(&html).to_string()
}

/// Marks `||…||` in running text as spoilers. A mark left open closes
/// where its paragraph (or list item, or heading) ends, so it never spills
/// into the next one; code keeps its bars.
fn spoilers<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut open = false;
    for event in events {
        match event {
            Event::Text(text) if text.contains("||") => {
                for (i, part) in text.split("||").enumerate() {
                    if i > 0 {
                        out.push(Event::InlineHtml(
                            if open { SPOILER_CLOSE } else { SPOILER_OPEN }.into(),
                        ));
                        open = !open;
                    }
                    if !part.is_empty() {
                        out.push(Event::Text(part.to_owned().into()));
                    }
                }
            }
            Event::End(end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_))) => {
                if open {
                    out.push(Event::InlineHtml(SPOILER_CLOSE.into()));
                    open = false;
                }
                out.push(Event::End(end));
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn formatting_comes_through() {
        assert_eq!(
            to_html("*so* **good**, ~~not~~"),
            "<p><em>so</em> <strong>good</strong>, <del>not</del></p>\n"
        );
        assert_eq!(
            to_html("[site](https://example.org/a)"),
            "<p><a href=\"https://example.org/a\" rel=\"nofollow noopener noreferrer ugc\">site</a></p>\n"
        );
    }

    #[test]
    fn markup_and_scripts_are_text() {
        let html = to_html("<script>alert(1)</script> <b onclick=x>hi</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        // A block of markup is a paragraph of text, as plain words would be.
        assert_eq!(
            to_html("<div onclick=x>hi</div>"),
            "<p>&lt;div onclick=x&gt;hi&lt;/div&gt;</p>\n"
        );
    }

    #[test]
    fn dangerous_links_lose_their_address() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html,hi)",
            "<javascript:alert(1)>",
        ] {
            // The words stay (as words); the link goes nowhere.
            let html = to_html(link);
            assert!(!html.contains("href"), "{link} → {html}");
        }
    }

    #[test]
    fn spoiler_marks_blur_what_they_hold() {
        assert_eq!(
            to_html("It ends ||in Rome|| after all."),
            "<p>It ends <span class=\"spoiler\" tabindex=\"0\">in Rome</span> after all.</p>\n"
        );
        // Left open, it closes with its paragraph; the next is plain.
        assert_eq!(
            to_html("Beware ||she dies\n\nNext"),
            "<p>Beware <span class=\"spoiler\" tabindex=\"0\">she dies</span></p>\n<p>Next</p>\n"
        );
        // Emphasis inside a spoiler stays; code keeps its bars.
        assert!(to_html("||a *b* c||")
            .contains("<span class=\"spoiler\" tabindex=\"0\">a <em>b</em> c</span>"));
        assert_eq!(to_html("`a || b`"), "<p><code>a || b</code></p>\n");
        // Typed markup cannot make one, nor another class.
        let typed = to_html("<span class=\"spoiler\">x</span> <span class=\"evil\">y</span>");
        assert!(!typed.contains("<span"), "{typed}");
    }

    #[test]
    fn images_do_not_load() {
        let html = to_html("![x](https://tracker.example/p.gif)");
        assert!(!html.contains("<img"), "{html}");
    }
}
