//! What the browser and the server exchange about the bookshelf, and the
//! checks on what people type. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::isbn::isbn13;
use crate::error::{AppError, Checks};
use crate::forms::optional_text;

/// A book found by a look-up (Open Library), as the suggest form takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundBook {
    pub title: String,
    /// Comma-separated, as typed into the form.
    pub authors: String,
    pub isbn: Option<String>,
    pub cover_url: Option<String>,
    pub pages: Option<i32>,
    /// The year it was first published.
    pub year: Option<i32>,
}

/// What a look-up answered: the books found, or why there are none to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup {
    /// No look-up service is configured.
    Off,
    Found(Vec<FoundBook>),
    /// It could not be asked, or did not answer in time: what to tell the reader.
    Failed(String),
}

/// The shelves, in the order the page shows them: (stored name, heading).
pub const SHELVES: [(&str, &str); 4] = [
    ("reading", "Reading now"),
    ("up_next", "Up next"),
    ("suggested", "Suggested"),
    ("read", "Read"),
];

pub fn shelf_label(shelf: &str) -> &str {
    SHELVES
        .iter()
        .find(|(s, _)| *s == shelf)
        .map(|(_, label)| *label)
        .unwrap_or(shelf)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookView {
    pub id: Uuid,
    pub title: String,
    pub authors: String,
    pub isbn13: Option<String>,
    pub cover_url: Option<String>,
    pub pages: Option<i32>,
    pub description: String,
    pub shelf: String,
    pub suggested_by: Option<String>,
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
    /// The meetings where it was discussed: (event id, title, date).
    pub meetings: Vec<(Uuid, String, String)>,
    /// The viewer may edit it (any book, or their own suggestion while it
    /// is not in an open poll).
    pub can_edit: bool,
    /// The viewer may remove it now (as for editing; and no book in a poll
    /// is removed).
    pub can_remove: bool,
}

/// A book's own page (`/books/{id}`): the book as the shelf shows it, and
/// the polls it was an option of, (poll id, title, still open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookPage {
    pub club_id: Uuid,
    pub club_name: String,
    pub book: BookView,
    pub polls: Vec<(Uuid, String, bool)>,
}

/// A club's shelf as one viewer sees it, with what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    pub club_id: Uuid,
    pub club_name: String,
    pub books: Vec<BookView>,
    pub can_suggest: bool,
    /// Books can be looked up (Open Library) for the suggest form.
    pub can_look_up: bool,
    /// Move books between shelves.
    pub can_move: bool,
}

/// A book's page for changing it (`/books/{id}/edit`): its fields, and what
/// the viewer may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableBook {
    pub book_id: Uuid,
    pub club_id: Uuid,
    pub club_name: String,
    pub fields: BookInput,
    pub can_edit: bool,
    pub can_remove: bool,
    /// Why it cannot be removed now, when the viewer otherwise could (it is
    /// in a poll).
    pub kept: Option<String>,
}

/// The value of the box that confirms a removal or deletion.
pub const CONFIRMED: &str = "yes";

/// A book's fields as typed; the suggest and edit functions take it as the
/// form sends it (`#[server(flatten)]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookInput {
    pub title: String,
    pub authors: String,
    pub isbn: String,
    pub cover_url: String,
    pub pages: String,
    pub description: String,
}

/// A checked book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBook {
    pub title: String,
    pub authors: String,
    pub isbn13: Option<String>,
    pub cover_url: Option<String>,
    pub pages: Option<i32>,
    pub description: String,
}

impl BookInput {
    /// Every problem at once, each beside its field.
    pub fn validate(&self) -> Result<NewBook, AppError> {
        let mut checks = Checks::new();
        let title = self.title.trim();
        if title.is_empty() {
            checks.add("title", "Enter the book's title.");
        } else if title.chars().count() > 255 {
            checks.add("title", "Use at most 255 characters.");
        }
        let authors = checks.check(optional_text(&self.authors, "authors", 255));
        let isbn = match self.isbn.trim() {
            "" => Some(None),
            typed => match isbn13(typed) {
                Ok(isbn) => Some(Some(isbn)),
                Err(problem) => {
                    checks.add("isbn", problem.message());
                    None
                }
            },
        };
        let cover_url = match self.cover_url.trim() {
            "" => Some(None),
            url if url.len() > 2048 => {
                checks.add(
                    "cover_url",
                    "Use a shorter address (at most 2048 characters).",
                );
                None
            }
            url if url.starts_with("https://")
                && url.len() > "https://".len()
                && !url
                    .chars()
                    .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>') =>
            {
                Some(Some(url.to_owned()))
            }
            _ => {
                checks.add(
                    "cover_url",
                    "Use an image address that starts with https://.",
                );
                None
            }
        };
        let pages = match self.pages.trim() {
            "" => Some(None),
            n => match n.parse::<i32>() {
                Ok(n) if (1..=99_999).contains(&n) => Some(Some(n)),
                _ => {
                    checks.add(
                        "pages",
                        "Enter the number of pages (1 to 99999), or leave it empty.",
                    );
                    None
                }
            },
        };
        let description = checks.check(optional_text(&self.description, "description", 2000));
        checks.done(|| {
            Some(NewBook {
                title: title.to_owned(),
                authors: authors?.unwrap_or_default(),
                isbn13: isbn?,
                cover_url: cover_url?,
                pages: pages?,
                description: description?.unwrap_or_default(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BookInput {
        BookInput {
            title: " Middlemarch ".into(),
            authors: "George Eliot".into(),
            isbn: "0-14-143954-8".into(),
            cover_url: "https://covers.example.org/m.jpg".into(),
            pages: "880".into(),
            description: String::new(),
        }
    }

    #[test]
    fn a_good_book_is_tidied() {
        let book = input().validate().unwrap();
        assert_eq!(book.title, "Middlemarch");
        assert_eq!(book.isbn13.as_deref(), Some("9780141439549"));
        assert_eq!(book.pages, Some(880));
    }

    #[test]
    fn every_problem_is_named_beside_its_field() {
        let bad = BookInput {
            title: "  ".into(),
            isbn: "0-14-143954-7".into(),
            cover_url: "http://covers.example.org/m.jpg".into(),
            pages: "lots".into(),
            ..input()
        };
        let err = bad.validate().unwrap_err();
        for field in ["title", "isbn", "cover_url", "pages"] {
            assert!(err.field_message(field).is_some(), "{field}: {err:?}");
        }
        assert!(err.field_message("isbn").unwrap().contains("typo"));
    }
}
