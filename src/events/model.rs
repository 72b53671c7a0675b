//! What the browser and the server exchange about events, and the checks on
//! what people type. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::items::model::{Assignable, ItemView};
use crate::clubs::authz::Viewer;
use crate::error::{AppError, Checks};
use crate::forms::optional_text as optional;

pub const EVENT_TYPES: [&str; 5] = ["discussion", "meeting", "social", "planning", "other"];
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
    /// When it starts, as an instant (RFC 3339, UTC).
    pub instant: String,
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
    /// The viewer may see the club's hosting rotation.
    pub can_see_hosting: bool,
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
    pub user_id: Uuid,
    pub name: String,
    pub status: String,
    pub note: String,
    pub waitlist_position: Option<i64>,
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
    /// The zone the event is in (where it happens).
    pub event_zone: String,
    /// When it starts, as an instant (RFC 3339, UTC): for `<time datetime>`,
    /// and for the page's script to say it in the browser's zone.
    pub instant: String,
    pub location: String,
    /// Who hosts it (a current member), if anyone.
    pub host: Option<String>,
    pub book: String,
    /// The book is one from the club's shelf.
    pub book_on_shelf: bool,
    /// The date poll it was planned from: id and title.
    pub from_poll: Option<(Uuid, String)>,
    pub kind: String,
    pub max_attendees: Option<i32>,
    pub is_public: bool,
    pub cancelled: bool,
    pub past: bool,
    pub viewer: Viewer,
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

/// What the create and edit forms show: the event (none yet for a new one),
/// its club, and its fields as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFields {
    pub id: Option<Uuid>,
    pub club_id: Uuid,
    pub club_name: String,
    pub form: EventInput,
    /// The club's books the event may be about: reading now, up next,
    /// suggested, then read.
    pub shelf: Vec<BookChoice>,
    /// Who may host it, as (value, label): the next in the rotation, then
    /// the club's members.
    pub hosts: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookChoice {
    pub id: Uuid,
    pub title: String,
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
    /// A book from the club's shelf (then `book` is its title).
    pub book_id: Option<Uuid>,
    pub kind: String,
    pub max_attendees: Option<i32>,
    pub is_public: bool,
    /// Its host (checked against the club's members by the caller).
    pub host_id: Option<Uuid>,
}

/// An event form as text: every field a string, as the browser shows and
/// sends it. The create, edit and plan-the-meeting functions take it as it
/// comes (`#[server(flatten)]`), so its field names are the form's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub location: String,
    /// Free text: a book that is not on the shelf.
    pub book: String,
    /// A book from the shelf (its id), or empty (a form without a shelf
    /// leaves it out).
    #[serde(default)]
    pub book_id: String,
    pub kind: String,
    pub max_attendees: String,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub is_public: bool,
    /// Who hosts it: a member's id, `rotation` for the next in the club's
    /// rotation, or empty for nobody (a form without the choice leaves it
    /// out).
    #[serde(default)]
    pub host: String,
}

impl EventInput {
    /// The date and time, when both were typed in a form we read.
    pub fn when(&self) -> Option<(chrono::NaiveDate, chrono::NaiveTime)> {
        parse_date(&self.date).ok().zip(parse_time(&self.time).ok())
    }

    /// Checks every field (all problems at once) that can be checked without
    /// the database; the time zone's existence and "not in the past" are
    /// checked against it by the caller.
    pub fn validate(&self) -> Result<NewEvent, AppError> {
        let mut checks = Checks::new();
        let title = checks.check(optional(&self.title, "title", 255).and_then(|t| {
            t.ok_or_else(|| AppError::validation("title", "Give the event a title."))
        }));
        let date = checks.check(parse_date(&self.date));
        let time = checks.check(parse_time(&self.time));
        let time_zone = self.time_zone.trim();
        if time_zone.is_empty() || time_zone.len() > 64 {
            checks.add("time_zone", "Enter a time zone, like Europe/London.");
        }
        let location = checks.check(optional(&self.location, "location", 255).and_then(|l| {
            l.ok_or_else(|| {
                AppError::validation("location", "Say where it happens, or paste a meeting link.")
            })
        }));
        let kind = self.kind.trim();
        if !EVENT_TYPES.contains(&kind) {
            checks.add("kind", "Choose a type of event.");
        }
        let max_attendees = match self.max_attendees.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(n) if (1..=100_000).contains(&n) => Some(Some(n as i32)),
                Ok(_) => {
                    checks.add(
                        "max_attendees",
                        "The attendee limit must be at least 1 (or leave it empty for no limit).",
                    );
                    None
                }
                Err(_) => {
                    checks.add(
                        "max_attendees",
                        "Enter a whole number, or leave it empty for no limit.",
                    );
                    None
                }
            },
        };
        let description = checks.check(optional(&self.description, "description", 5000));
        let book = checks.check(optional(&self.book, "book", 255));
        let book_id = match self.book_id.trim() {
            "" => Some(None),
            id => match id.parse::<Uuid>() {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    checks.add("book_id", "Choose a book from the club's shelf.");
                    None
                }
            },
        };
        checks.done(|| {
            Some(NewEvent {
                title: title?,
                description: description?,
                date: date?,
                time: time?,
                time_zone: time_zone.to_owned(),
                location: location?,
                book: book?,
                book_id: book_id?,
                kind: kind.to_owned(),
                max_attendees: max_attendees?,
                is_public: self.is_public,
                host_id: None,
            })
        })
    }
}

fn parse_date(date: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation("date", "Enter the date as YYYY-MM-DD, like 2026-12-03."))
}

fn parse_time(time: &str) -> Result<chrono::NaiveTime, AppError> {
    chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .map_err(|_| AppError::validation("time", "Enter the time as HH:MM, like 19:30."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<NewEvent, AppError>) -> String {
        r.unwrap_err().fields().join(",")
    }

    fn form(fields: [&str; 9]) -> EventInput {
        EventInput {
            title: fields[0].into(),
            description: fields[1].into(),
            date: fields[2].into(),
            time: fields[3].into(),
            time_zone: fields[4].into(),
            location: fields[5].into(),
            book: fields[6].into(),
            book_id: String::new(),
            kind: fields[7].into(),
            max_attendees: fields[8].into(),
            is_public: true,
            host: String::new(),
        }
    }

    #[test]
    fn event_input_is_checked() {
        let ok = form([
            " Dune ",
            "",
            "2030-01-02",
            "19:30",
            "Europe/London",
            "Library",
            "",
            "discussion",
            "12",
        ])
        .validate()
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
            form(f).validate()
        };
        assert_eq!(field(with(0, "  ")), "title");
        assert_eq!(field(with(2, "02/01/2030")), "date");
        assert_eq!(field(with(3, "7pm")), "time");
        assert_eq!(field(with(4, "")), "time_zone");
        assert_eq!(field(with(5, "")), "location");
        assert_eq!(field(with(7, "party")), "kind");
        assert_eq!(field(with(8, "0")), "max_attendees");
        assert_eq!(field(with(8, "lots")), "max_attendees");
        assert_eq!(
            field(form(["", "", "soon", "", "", "", "", "", "-1"]).validate()),
            "title,date,time,time_zone,location,kind,max_attendees",
            "every problem at once"
        );
    }
}
