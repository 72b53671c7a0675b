//! What the browser and the server exchange about reading together, and
//! the checks on what people type. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, Checks};

/// The longest section title.
pub const TITLE_MAX: usize = 120;
/// The longest comment, in characters (a long post, not a chapter).
pub const COMMENT_MAX: usize = 10_000;

/// One section of a book's schedule, as one reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: Uuid,
    pub title: String,
    /// `YYYY-MM-DD`, the day in the club's sense (no time of day).
    pub target_date: String,
    /// Said for people: "Fri 12 Dec".
    pub target_label: String,
    /// The viewer has finished it.
    pub done: bool,
    /// Its target date is past and the viewer has not finished it.
    pub behind: bool,
    /// Comments in its discussion (not deleted).
    pub comments: i64,
    /// How many of the club's readers (who show their progress) finished it.
    pub finished_by: i64,
}

/// How far one member has read: the sections they finished, in the
/// schedule's order (only for those who show it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderView {
    pub name: String,
    pub finished: i64,
    /// The last section finished in the schedule's order, if any.
    pub reached: Option<String>,
    /// Where they are between sections: "page 140" or "45%".
    pub place: Option<String>,
}

/// `/books/{id}/reading`: a book's schedule, my progress, and where the
/// others are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingPlan {
    pub club_id: Uuid,
    pub club_name: String,
    pub book_id: Uuid,
    pub book_title: String,
    pub shelf: String,
    pub sections: Vec<SectionView>,
    pub can_set_schedule: bool,
    pub can_track: bool,
    pub can_discuss: bool,
    /// The viewer keeps their progress to themself.
    pub hidden: bool,
    /// Where the club's readers are (empty for those who may not see it).
    pub readers: Vec<ReaderView>,
    /// Where the viewer said they are, as they typed it ("140", "45%").
    pub my_place: String,
    /// Readers who hide their progress (counted, not named).
    pub hidden_readers: i64,
}

/// A book the club reads now (or next), for the club page: where its
/// schedule stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NowReading {
    pub book_id: Uuid,
    pub title: String,
    /// `reading` or `up_next`.
    pub shelf: String,
    pub sections: i64,
    /// The first section whose target date is today or later.
    pub next: Option<(String, String)>,
}

/// One comment of a discussion, as one reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    /// `None` for an account that is gone.
    pub author: Option<String>,
    pub posted: String,
    pub edited: bool,
    pub deleted: bool,
    /// The comment as cleaned HTML (see `markdown.rs`), and as typed for
    /// its author's edit form.
    pub html: String,
    pub text: Option<String>,
    /// Counts its edits; an edit form sends back the one it showed.
    pub revision: i32,
    pub mine: bool,
    /// Hidden by a moderator: its text is sent only to those who moderate.
    pub hidden: bool,
    /// For those who moderate: who hid it, and why ("Ann: off topic").
    pub hidden_note: Option<String>,
    /// The reader reported it.
    pub reported: bool,
    /// For those who moderate: the reasons of its open reports.
    pub reports: Vec<String>,
}

/// A section's discussion (`/reading/{id}`). For a reader who has not
/// finished the section and has not asked to see it anyway, `comments` is
/// empty and `waiting` counts what is there: the text never leaves the
/// server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub club_id: Uuid,
    pub club_name: String,
    pub book_id: Uuid,
    pub book_title: String,
    pub section: SectionView,
    /// The comments are shown: finished, or asked for.
    pub open: bool,
    /// Shown because the reader asked to, not because they finished it.
    pub revealed: bool,
    pub waiting: i64,
    pub comments: Vec<CommentView>,
    pub can_comment: bool,
    pub can_track: bool,
    pub can_set_schedule: bool,
    pub can_report: bool,
    pub can_moderate: bool,
}

/// Which discussion a comment is in: a section's (gated by reading
/// progress) or a meeting's (open to the club's people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    Section(Uuid),
    Meeting(Uuid),
}

impl Topic {
    /// The discussion's page.
    pub fn href(self) -> String {
        match self {
            Topic::Section(id) => format!("/reading/{id}"),
            Topic::Meeting(id) => format!("/events/{id}/discussion"),
        }
    }

    /// The form field that names the discussion when posting to it, and
    /// its value.
    pub fn field(self) -> (&'static str, String) {
        match self {
            Topic::Section(id) => ("section", id.to_string()),
            Topic::Meeting(id) => ("event", id.to_string()),
        }
    }
}

/// A meeting's discussion (`/events/{id}/discussion`): the club's people
/// talk about the meeting and the book as a whole; spoilers are marked
/// inline (`||…||`), as nothing here waits for a reader's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingThread {
    pub club_id: Uuid,
    pub club_name: String,
    pub event_id: Uuid,
    pub event_title: String,
    /// When it starts, in the club's zone: "Thu 10 Dec 2026, 19:00".
    pub starts: String,
    /// The book it is about, if any.
    pub book: Option<String>,
    pub comments: Vec<CommentView>,
    pub can_comment: bool,
    pub can_report: bool,
    pub can_moderate: bool,
}

/// A comment as the moderation page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratedComment {
    pub id: Uuid,
    pub topic: Topic,
    /// Where it was written: "Book, Section", or the meeting's title.
    pub topic_title: String,
    pub author: Option<String>,
    /// Its text as typed (not rendered), shortened.
    pub excerpt: String,
    pub posted: String,
    /// The reasons of its open reports.
    pub reports: Vec<String>,
    /// Who hid it and why, when it is hidden.
    pub hidden_note: Option<String>,
}

/// A club's moderation page (`/clubs/{id}/moderation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueue {
    pub club_id: Uuid,
    pub club_name: String,
    /// Reported and not dealt with, oldest report first.
    pub reported: Vec<ModeratedComment>,
    /// Hidden, latest first.
    pub hidden: Vec<ModeratedComment>,
}

/// The longest reason for a report or for hiding a comment.
pub const REASON_MAX: usize = 500;

/// A report's or a hiding's reason, trimmed; said beside `field` when it
/// is empty or too long.
pub fn reason_text(raw: &str, field: &str) -> Result<String, AppError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(AppError::validation(field, "Say why, in a few words."));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::validation(
            field,
            format!("Keep the reason to {REASON_MAX} characters."),
        ));
    }
    Ok(reason.to_owned())
}

/// The longest discussion question.
pub const QUESTION_MAX: usize = 500;

/// One discussion question for a meeting, as one reader may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: Uuid,
    /// `None` while it is about a section the reader has not finished: the
    /// text stays on the server.
    pub text: Option<String>,
    /// The section it is about, if any.
    pub section: Option<String>,
    pub author: Option<String>,
    /// Its place on the meeting's list, once picked.
    pub position: Option<i32>,
    pub mine: bool,
}

/// `/events/{id}/questions`: the questions picked for a meeting (in order)
/// and the ones suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingQuestions {
    pub event_id: Uuid,
    pub event_title: String,
    pub when: String,
    pub club_id: Uuid,
    pub club_name: String,
    pub picked: Vec<QuestionView>,
    pub suggested: Vec<QuestionView>,
    /// Sections a question may be about: the meeting's book's schedule.
    pub sections: Vec<(Uuid, String)>,
    pub can_suggest: bool,
    pub can_arrange: bool,
}

/// A question's text, checked: not empty, not too long.
pub fn question_text(text: &str) -> Result<String, AppError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AppError::validation("text", "Write the question first."));
    }
    if trimmed.chars().count() > QUESTION_MAX {
        return Err(AppError::validation(
            "text",
            format!("Use at most {QUESTION_MAX} characters."),
        ));
    }
    Ok(trimmed.to_owned())
}

/// What an admin types for a section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionInput {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub target_date: String,
}

/// A section as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSection {
    pub title: String,
    pub target_date: chrono::NaiveDate,
}

impl SectionInput {
    pub fn check(&self) -> Result<NewSection, AppError> {
        let mut checks = Checks::new();
        let title = self.title.trim();
        if title.is_empty() {
            checks.add(
                "title",
                "Name the section, like “Chapters 1–9” or “Part one”.",
            );
        } else if title.chars().count() > TITLE_MAX {
            checks.add("title", format!("Use at most {TITLE_MAX} characters."));
        }
        let date = checks.check(
            chrono::NaiveDate::parse_from_str(self.target_date.trim(), "%Y-%m-%d").map_err(|_| {
                AppError::validation(
                    "target_date",
                    "Enter the target date as YYYY-MM-DD, like 2026-12-18.",
                )
            }),
        );
        checks.done(|| {
            Some(NewSection {
                title: title.to_owned(),
                target_date: date?,
            })
        })
    }
}

/// The id chosen in a form's list (`field`): none when left empty, else
/// one that reads as an id (`message` beside the field otherwise). Read
/// after the caller is authorized, so a stranger hears "sign in" first.
pub fn chosen_id(text: Option<&str>, field: &str, message: &str) -> Result<Option<Uuid>, AppError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) => id
            .parse::<Uuid>()
            .map(Some)
            .map_err(|_| AppError::validation(field, message)),
    }
}

/// A comment's text, checked: not empty, not too long (said beside
/// `field`). Line breaks are kept.
pub fn comment_text(text: &str, field: &str) -> Result<String, AppError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AppError::validation(field, "Write something first."));
    }
    let length = trimmed.chars().count();
    if length > COMMENT_MAX {
        return Err(AppError::validation(
            field,
            format!("Use at most {COMMENT_MAX} characters (this has {length})."),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Where a reader is within a book: a page or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Page(i32),
    Percent(i16),
}

/// The place a reader typed: nothing, a page number ("140", "p. 140") or a
/// percentage ("45%"); a page past the book's last (when its length is
/// known) is refused.
pub fn reading_place(raw: &str, pages: Option<i32>) -> Result<Option<Place>, AppError> {
    let typed = raw.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let wrong = || {
        AppError::validation(
            "place",
            "Write a page number, like 140, or a percentage, like 45%.",
        )
    };
    if let Some(number) = typed.strip_suffix('%') {
        return match number.trim().parse::<i16>() {
            Ok(n) if (0..=100).contains(&n) => Ok(Some(Place::Percent(n))),
            Ok(_) => Err(AppError::validation(
                "place",
                "A percentage goes from 0% to 100%.",
            )),
            Err(_) => Err(wrong()),
        };
    }
    let number = typed
        .trim_start_matches("page")
        .trim_start_matches("p.")
        .trim_start_matches('p')
        .trim();
    match number.parse::<i32>() {
        Ok(page) if page >= 1 && pages.is_none_or(|last| page <= last) && page <= 99_999 => {
            Ok(Some(Place::Page(page)))
        }
        Ok(page) if page >= 1 && pages.is_some_and(|last| page > last) => {
            Err(AppError::validation(
                "place",
                format!("This book has {} pages.", pages.unwrap_or_default()),
            ))
        }
        _ => Err(wrong()),
    }
}

/// The people of `members` (id, name) a comment names as `@Name`: the
/// whole name, in any case, not followed by a letter or digit (so `@Ann`
/// is not `@Anna`).
pub fn mentioned(text: &str, members: &[(Uuid, String)]) -> Vec<Uuid> {
    let lower = text.to_lowercase();
    members
        .iter()
        .filter(|(_, name)| {
            let needle = format!("@{}", name.trim().to_lowercase());
            needle.len() > 1
                && lower.match_indices(&needle).any(|(at, _)| {
                    lower[at + needle.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
                })
        })
        .map(|(id, _)| *id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_needs_a_title_and_a_date() {
        let e = SectionInput::default().check().unwrap_err();
        let AppError::Validation { errors } = e else {
            panic!("{e:?}")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "target_date"]);
        let ok = SectionInput {
            title: "  Part one ".into(),
            target_date: "2026-12-18".into(),
        }
        .check()
        .unwrap();
        assert_eq!(ok.title, "Part one");
    }

    #[test]
    fn a_comment_is_neither_empty_nor_endless() {
        assert!(comment_text(" \n ", "body").is_err());
        assert!(comment_text(&"x".repeat(COMMENT_MAX + 1), "body").is_err());
        assert_eq!(comment_text(" hi\nthere ", "body").unwrap(), "hi\nthere");
    }

    #[test]
    fn a_mention_is_a_whole_name_after_an_at_sign() {
        let (ann, anna, lee) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let members = [
            (ann, "Ann".to_owned()),
            (anna, "Anna Karenina".to_owned()),
            (lee, "Lee".to_owned()),
        ];
        assert_eq!(mentioned("What do you think, @ann?", &members), [ann]);
        assert_eq!(
            mentioned("@Anna Karenina, and @Lee.", &members),
            [anna, lee]
        );
        assert_eq!(
            mentioned("@Annabel is not here; Lee is not @-named", &members),
            Vec::<Uuid>::new()
        );
        assert_eq!(mentioned("email me at lee@Lee", &members), [lee]);
    }

    #[test]
    fn a_place_is_a_page_or_a_percentage() {
        use super::Place::*;
        assert_eq!(reading_place("", None).unwrap(), None);
        assert_eq!(reading_place(" 140 ", None).unwrap(), Some(Page(140)));
        assert_eq!(reading_place("p. 12", Some(300)).unwrap(), Some(Page(12)));
        assert_eq!(
            reading_place("page 300", Some(300)).unwrap(),
            Some(Page(300))
        );
        assert_eq!(reading_place("45%", None).unwrap(), Some(Percent(45)));
        assert_eq!(reading_place("0 %", None).unwrap(), Some(Percent(0)));
        for (raw, pages, said) in [
            ("301", Some(300), "This book has 300 pages."),
            ("101%", None, "A percentage goes from 0% to 100%."),
            (
                "0",
                None,
                "Write a page number, like 140, or a percentage, like 45%.",
            ),
            (
                "chapter 3",
                None,
                "Write a page number, like 140, or a percentage, like 45%.",
            ),
            (
                "1e3",
                None,
                "Write a page number, like 140, or a percentage, like 45%.",
            ),
        ] {
            let err = reading_place(raw, pages).unwrap_err();
            assert_eq!(err.field_message("place").as_deref(), Some(said), "{raw}");
        }
    }
}
