//! What a date poll is: the dates proposed, the club's answers and the
//! best of them, and the forms that propose dates and answer them.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// What a date poll proposes, and the club's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateGrid {
    /// Where the meeting will be, if the organiser said.
    pub place: String,
    /// The book it will be about, if the organiser chose one.
    pub book: Option<String>,
    /// The zone the options were proposed in (the club's).
    pub time_zone: String,
    /// In the order proposed (by time).
    pub options: Vec<DateOption>,
    /// Everyone who answered, by name: one answer per option (or none).
    /// Only for the club's people (see `names_shown`).
    pub rows: Vec<DateRow>,
    /// The viewer may see who answered what (`rows`).
    pub names_shown: bool,
    /// How many people answered.
    pub people: i64,
    /// The viewer's own answers, per option.
    pub mine: Vec<Option<String>>,
    /// The option with the most yes, then the most "if need be" (the
    /// earlier on a tie); none while nobody can come to anything.
    pub best: Option<usize>,
    /// The meeting planned from this poll.
    pub event: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateOption {
    pub id: Uuid,
    /// In the viewer's zone, named.
    pub when: String,
    pub yes: i64,
    pub maybe: i64,
    pub no: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRow {
    pub name: String,
    pub answers: Vec<Option<String>>,
}

/// The answers to a date option, with how they read.
pub const DATE_ANSWERS: [(&str, &str); 3] = [("yes", "Yes"), ("maybe", "If need be"), ("no", "No")];

pub fn answer_label(answer: &str) -> &'static str {
    DATE_ANSWERS
        .iter()
        .find(|(value, _)| *value == answer)
        .map_or("", |(_, label)| label)
}

/// The best option: most yes, then most "if need be"; the earlier wins a
/// tie. None when no option has a yes or an "if need be".
pub fn best_option(options: &[DateOption]) -> Option<usize> {
    let (best, o) = options
        .iter()
        .enumerate()
        .max_by_key(|(i, o)| (o.yes, o.maybe, std::cmp::Reverse(*i)))?;
    (o.yes + o.maybe > 0).then_some(best)
}

/// The form field of a date option's answer: `answer[option-<id>]`.
pub fn answer_field(option: Uuid) -> String {
    format!("answer[option-{option}]")
}

/// A date poll's answers as the form sends them (`option-<id>` = yes, maybe
/// or no; options left alone are not answered). At least one, and only this
/// poll's options.
pub fn answers_from_form(
    options: &[Uuid],
    answers: &HashMap<String, String>,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let mut chosen = Vec::new();
    for (key, value) in answers {
        let option = key
            .strip_prefix("option-")
            .and_then(|id| id.parse::<Uuid>().ok())
            .filter(|o| options.contains(o))
            .ok_or_else(|| AppError::validation("form", "Those answers are for another poll."))?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if !DATE_ANSWERS.iter().any(|(a, _)| *a == value) {
            return Err(AppError::validation(
                "form",
                "Answer each date with yes, if need be, or no.",
            ));
        }
        chosen.push((option, value.to_owned()));
    }
    if chosen.is_empty() {
        return Err(AppError::validation(
            "form",
            "Answer at least one date: yes, if need be, or no.",
        ));
    }
    Ok(chosen)
}

/// "Plan the meeting": the new-event form filled in from a date poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForm {
    pub poll_id: Uuid,
    pub poll_title: String,
    pub fields: crate::events::model::EventFields,
}

/// Most dates a date poll proposes, and fewest.
pub const MAX_DATES: usize = 12;
pub const MIN_DATES: usize = 2;
/// The highest row a date poll's form may send (`slot_date[row-N]`). The form
/// offers [`MAX_DATES`] rows; a post with more is refused as too many and its
/// rows are shown again as typed, up to this one.
pub const MAX_ROW_NUMBER: usize = 2 * MAX_DATES;

/// The number `N` of a date poll form's row key `row-N`, written the way
/// the form writes it, from 1 to [`MAX_ROW_NUMBER`].
pub fn row_number(key: &str) -> Option<usize> {
    let n: usize = key.strip_prefix("row-")?.parse().ok()?;
    ((1..=MAX_ROW_NUMBER).contains(&n) && key == format!("row-{n}")).then_some(n)
}

/// The new date poll form as the browser sends it; `create_date_poll` takes
/// it as it comes (`#[server(flatten)]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatePollInput {
    pub title: String,
    pub place: String,
    /// A book from the shelf, or empty.
    #[serde(default)]
    pub book: String,
    /// When the poll closes.
    pub date: String,
    pub time: String,
    /// The proposed dates and times, by row (`slot_date[row-1]` …
    /// `slot_date[row-12]`); empty rows are skipped.
    #[serde(default, rename = "slot_date")]
    pub slot_dates: HashMap<String, String>,
    #[serde(default, rename = "slot_time")]
    pub slot_times: HashMap<String, String>,
}
