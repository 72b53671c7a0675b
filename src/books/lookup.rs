//! Looking a book up in Open Library, by ISBN or by title: its search
//! (`/search.json`), which answers title, authors, cover id, pages and ISBNs
//! in one request. Off unless `OPEN_LIBRARY_URL` is set.
//!
//! A look-up never holds a page for long: it gives up after
//! [`LOOKUP_TIMEOUT`] and the page says so (the form is still there to fill
//! in by hand). Answers are kept for [`KEPT_FOR`] per instance, so a club
//! looking the same book up twice asks once.
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::model::FoundBook;
use crate::platform::config::OpenLibrary;

/// How long a look-up may take before the page goes on without it.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_millis(2500);
/// How long an answer is kept.
const KEPT_FOR: Duration = Duration::from_secs(60 * 60);
/// Answers kept at most (the oldest go first).
const KEPT_AT_MOST: usize = 500;
/// Books shown for one look-up.
const RESULTS: usize = 5;

/// Why a look-up has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupProblem {
    /// Open Library did not answer within [`LOOKUP_TIMEOUT`].
    TooSlow,
    /// It answered with an error, or with something that is not its search.
    Unavailable,
}

impl LookupProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::TooSlow => {
                "Open Library did not answer in time. Try again, or fill in the book's details below."
            }
            Self::Unavailable => {
                "Open Library could not be asked just now. Fill in the book's details below."
            }
        }
    }
}

/// Open Library's search answer: only the fields used.
#[derive(Debug, Deserialize)]
struct Search {
    docs: Vec<Doc>,
}

#[derive(Debug, Deserialize)]
struct Doc {
    title: Option<String>,
    #[serde(default)]
    author_name: Vec<String>,
    cover_i: Option<i64>,
    number_of_pages_median: Option<i32>,
    #[serde(default)]
    isbn: Vec<String>,
    first_publish_year: Option<i32>,
}

type Kept = HashMap<String, (Instant, Vec<FoundBook>)>;

fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(|| Mutex::new(HashMap::new()))
}

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(LOOKUP_TIMEOUT)
            .user_agent(concat!(
                "Bookwork/",
                env!("CARGO_PKG_VERSION"),
                " (book club organiser)"
            ))
            .build()
            .expect("an HTTP client with default TLS roots")
    })
}

/// Books matching `query` (an ISBN, with or without hyphens, or words of a
/// title and author), best first, at most [`RESULTS`].
pub async fn look_up(ol: &OpenLibrary, query: &str) -> Result<Vec<FoundBook>, LookupProblem> {
    let query = query.split_whitespace().collect::<Vec<_>>().join(" ");
    let (param, value) = match super::isbn::isbn13(&query) {
        Ok(isbn) => ("isbn", isbn),
        Err(_) => ("q", query),
    };
    let key = format!("{}\n{param}={}", ol.url, value.to_lowercase());
    if let Some(found) = kept_answer(&key) {
        return Ok(found);
    }
    let url = format!("{}/search.json", ol.url);
    let limit = RESULTS.to_string();
    let response = client()
        .get(&url)
        .query(&[
            (param, value.as_str()),
            ("limit", limit.as_str()),
            (
                "fields",
                "title,author_name,cover_i,number_of_pages_median,isbn,first_publish_year",
            ),
        ])
        .send()
        .await
        .map_err(|err| problem_of(&err))?;
    if !response.status().is_success() {
        tracing::warn!(status = %response.status(), "Open Library answered a look-up with an error");
        return Err(LookupProblem::Unavailable);
    }
    let search: Search = response.json().await.map_err(|err| problem_of(&err))?;
    let found: Vec<FoundBook> = search
        .docs
        .into_iter()
        .filter_map(|doc| found_book(doc, &ol.covers_url))
        .take(RESULTS)
        .collect();
    keep(key, found.clone());
    Ok(found)
}

fn problem_of(err: &reqwest::Error) -> LookupProblem {
    if err.is_timeout() {
        tracing::warn!("Open Library did not answer a look-up in time");
        LookupProblem::TooSlow
    } else {
        tracing::warn!(error = %err, "Open Library could not be asked");
        LookupProblem::Unavailable
    }
}

/// A search result as the suggest form takes it: the ISBN-13 among its
/// ISBNs (the first valid one), a cover from the covers address.
fn found_book(doc: Doc, covers_url: &str) -> Option<FoundBook> {
    let title = doc.title?.trim().to_owned();
    if title.is_empty() {
        return None;
    }
    let isbn = doc
        .isbn
        .iter()
        .filter_map(|i| super::isbn::isbn13(i).ok())
        .next();
    Some(FoundBook {
        title: title.chars().take(255).collect(),
        authors: doc.author_name.join(", ").chars().take(255).collect(),
        isbn,
        cover_url: doc
            .cover_i
            .filter(|id| *id > 0)
            .map(|id| format!("{covers_url}/b/id/{id}-M.jpg")),
        pages: doc
            .number_of_pages_median
            .filter(|p| (1..=100_000).contains(p)),
        year: doc.first_publish_year,
    })
}

fn kept_answer(key: &str) -> Option<Vec<FoundBook>> {
    let kept = kept().lock().ok()?;
    kept.get(key)
        .filter(|(at, _)| at.elapsed() < KEPT_FOR)
        .map(|(_, found)| found.clone())
}

fn keep(key: String, found: Vec<FoundBook>) {
    let Ok(mut kept) = kept().lock() else {
        return;
    };
    kept.retain(|_, (at, _)| at.elapsed() < KEPT_FOR);
    if kept.len() >= KEPT_AT_MOST {
        if let Some(oldest) = kept
            .iter()
            .min_by_key(|(_, (at, _))| *at)
            .map(|(k, _)| k.clone())
        {
            kept.remove(&oldest);
        }
    }
    kept.insert(key, (Instant::now(), found));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_becomes_a_book_the_form_takes() {
        let doc = Doc {
            title: Some(" Dune ".into()),
            author_name: vec!["Frank Herbert".into(), "Brian Herbert".into()],
            cover_i: Some(12345),
            number_of_pages_median: Some(612),
            isbn: vec!["not an isbn".into(), "0-441-17271-7".into()],
            first_publish_year: Some(1965),
        };
        let book = found_book(doc, "https://covers.example.org").unwrap();
        assert_eq!(book.title, "Dune");
        assert_eq!(book.authors, "Frank Herbert, Brian Herbert");
        assert_eq!(book.isbn.as_deref(), Some("9780441172719"));
        assert_eq!(
            book.cover_url.as_deref(),
            Some("https://covers.example.org/b/id/12345-M.jpg")
        );
        assert_eq!(book.pages, Some(612));
        let untitled = Doc {
            title: Some("  ".into()),
            author_name: vec![],
            cover_i: Some(-1),
            number_of_pages_median: Some(0),
            isbn: vec![],
            first_publish_year: None,
        };
        assert!(found_book(untitled, "https://c").is_none());
    }
}
