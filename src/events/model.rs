//! What the browser and the server exchange about events, and the checks on
//! what people type. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clubs::authz::Actor;
use crate::error::AppError;
use crate::forms::optional_text as optional;

pub const EVENT_TYPES: [&str; 5] = ["discussion", "meeting", "social", "planning", "other"];
pub const ITEM_CATEGORIES: [&str; 5] = ["agenda", "task", "material", "note", "other"];
pub const ITEM_STATUSES: [&str; 4] = ["pending", "in_progress", "completed", "cancelled"];
pub const RSVP_STATUSES: [&str; 3] = ["available", "maybe", "unavailable"];

/// How a status reads on the page.
pub fn label(value: &str) -> &str {
    match value {
        "in_progress" => "in progress",
        other => other,
    }
}

/// An event in a list, with the viewer's own answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: Uuid,
    pub club_id: Uuid,
    pub club_name: String,
    pub title: String,
    /// When it starts, in the viewer's zone, e.g. "Thu 3 Dec 2026, 19:00".
    pub starts: String,
    /// The zone `starts` is written in.
    pub zone: String,
    pub location: String,
    pub kind: String,
    pub cancelled: bool,
    pub my_rsvp: Option<String>,
    pub waitlisted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubEvents {
    pub upcoming: Vec<EventSummary>,
    pub past: Vec<EventSummary>,
    pub can_create: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpCounts {
    /// Confirmed places (available and not waitlisted).
    pub available: i64,
    pub waitlisted: i64,
    pub maybe: i64,
    pub unavailable: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRsvp {
    pub status: String,
    pub note: String,
    /// 1-based place on the waitlist, when waitlisted.
    pub waitlist_position: Option<i64>,
}

/// One person's answer, for the people allowed to see who answered what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub name: String,
    pub status: String,
    pub note: String,
    pub waitlist_position: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub status: String,
    pub notes: String,
    pub assignee_id: Option<Uuid>,
    pub assignee: Option<String>,
    /// The viewer may change this item's status.
    pub can_update_status: bool,
}

/// A club member an item can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignable {
    pub id: Uuid,
    pub name: String,
}

/// An event as one viewer sees it, with what that viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    pub id: Uuid,
    pub club_id: Uuid,
    pub club_name: String,
    pub title: String,
    pub description: String,
    pub starts: String,
    pub zone: String,
    /// The event's own date, time and zone, when they differ from `starts`.
    pub local_starts: Option<String>,
    pub location: String,
    pub book: String,
    pub kind: String,
    pub max_attendees: Option<i32>,
    pub is_public: bool,
    pub cancelled: bool,
    pub past: bool,
    pub viewer: Actor,
    pub counts: RsvpCounts,
    pub my_rsvp: Option<MyRsvp>,
    /// Empty unless the viewer may see who answered what.
    pub answers: Vec<Answer>,
    pub can_see_answers: bool,
    pub can_rsvp: bool,
    pub can_edit: bool,
    pub can_cancel: bool,
    pub can_manage_items: bool,
    pub can_delete_items: bool,
    /// Empty unless the viewer may see items.
    pub items: Vec<ItemView>,
    pub can_see_items: bool,
    /// Who items can be assigned to; empty unless the viewer manages items.
    pub assignable: Vec<Assignable>,
}

/// An event's editable fields as text, for the create and edit forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFields {
    pub id: Option<Uuid>,
    pub club_id: Uuid,
    pub club_name: String,
    pub title: String,
    pub description: String,
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub location: String,
    pub book: String,
    pub kind: String,
    pub max_attendees: String,
    pub is_public: bool,
}

/// An open task of mine, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTask {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub status: String,
    pub event_id: Uuid,
    pub event_title: String,
    pub starts: String,
}

/// An event's fields as typed, checked (the time zone and "not in the past"
/// are checked against the database's zone data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    pub description: Option<String>,
    pub date: chrono::NaiveDate,
    pub time: chrono::NaiveTime,
    pub time_zone: String,
    pub location: String,
    pub book: Option<String>,
    pub kind: String,
    pub max_attendees: Option<i32>,
    pub is_public: bool,
}

#[allow(clippy::too_many_arguments)]
pub fn validate_event(
    title: &str,
    description: &str,
    date: &str,
    time: &str,
    time_zone: &str,
    location: &str,
    book: &str,
    kind: &str,
    max_attendees: &str,
    is_public: bool,
) -> Result<NewEvent, AppError> {
    let title = optional(title, "title", 255)?
        .ok_or_else(|| AppError::validation("title", "Give the event a title."))?;
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::validation("date", "Enter the date as YYYY-MM-DD, like 2026-12-03.")
    })?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .map_err(|_| AppError::validation("time", "Enter the time as HH:MM, like 19:30."))?;
    let time_zone = time_zone.trim();
    if time_zone.is_empty() || time_zone.len() > 64 {
        return Err(AppError::validation(
            "time_zone",
            "Enter a time zone, like Europe/London.",
        ));
    }
    let location = optional(location, "location", 255)?.ok_or_else(|| {
        AppError::validation("location", "Say where it happens, or paste a meeting link.")
    })?;
    let kind = kind.trim();
    if !EVENT_TYPES.contains(&kind) {
        return Err(AppError::validation("kind", "Choose a type of event."));
    }
    let max_attendees = match max_attendees.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => Some(n as i32),
            Ok(_) => {
                return Err(AppError::validation(
                    "max_attendees",
                    "The attendee limit must be at least 1 (or leave it empty for no limit).",
                ))
            }
            Err(_) => {
                return Err(AppError::validation(
                    "max_attendees",
                    "Enter a whole number, or leave it empty for no limit.",
                ))
            }
        },
    };
    Ok(NewEvent {
        title,
        description: optional(description, "description", 5000)?,
        date,
        time,
        time_zone: time_zone.to_owned(),
        location,
        book: optional(book, "book", 255)?,
        kind: kind.to_owned(),
        max_attendees,
        is_public,
    })
}

/// An item's fields as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub name: String,
    pub category: String,
    pub assignee: Option<Uuid>,
    pub notes: Option<String>,
}

pub fn validate_item(
    name: &str,
    category: &str,
    assignee: &str,
    notes: &str,
) -> Result<NewItem, AppError> {
    let name = optional(name, "name", 255)?
        .ok_or_else(|| AppError::validation("name", "Give the item a name."))?;
    let category = category.trim();
    if !ITEM_CATEGORIES.contains(&category) {
        return Err(AppError::validation("category", "Choose a category."));
    }
    let assignee = match assignee.trim() {
        "" => None,
        raw => Some(raw.parse::<Uuid>().map_err(|_| {
            AppError::validation("assignee", "Choose a member of the club, or nobody.")
        })?),
    };
    Ok(NewItem {
        name,
        category: category.to_owned(),
        assignee,
        notes: optional(notes, "notes", 2000)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<NewEvent, AppError>) -> String {
        match r.unwrap_err() {
            AppError::Validation { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn event_input_is_checked() {
        let ok = validate_event(
            " Dune ",
            "",
            "2030-01-02",
            "19:30",
            "Europe/London",
            "Library",
            "",
            "discussion",
            "12",
            true,
        )
        .unwrap();
        assert_eq!(ok.title, "Dune");
        assert_eq!(ok.max_attendees, Some(12));
        let base = [
            "T",
            "",
            "2030-01-02",
            "19:30",
            "UTC",
            "Here",
            "",
            "social",
            "",
        ];
        let with = |i: usize, v: &'static str| {
            let mut f = base;
            f[i] = v;
            validate_event(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], false)
        };
        assert_eq!(field(with(0, "  ")), "title");
        assert_eq!(field(with(2, "02/01/2030")), "date");
        assert_eq!(field(with(3, "7pm")), "time");
        assert_eq!(field(with(4, "")), "time_zone");
        assert_eq!(field(with(5, "")), "location");
        assert_eq!(field(with(7, "party")), "kind");
        assert_eq!(field(with(8, "0")), "max_attendees");
        assert_eq!(field(with(8, "lots")), "max_attendees");
    }

    #[test]
    fn item_input_is_checked() {
        assert!(validate_item("Bring snacks", "task", "", "").is_ok());
        assert!(validate_item("", "task", "", "").is_err());
        assert!(validate_item("x", "chore", "", "").is_err());
        assert!(validate_item("x", "task", "someone", "").is_err());
    }
}
