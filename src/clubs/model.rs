//! What the browser and the server exchange about clubs, and the checks on
//! what people type. Compiled on both sides. Members and invitations have
//! theirs in `members/model.rs`.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, Checks};
use crate::forms::optional_text as optional;

pub const CLUBS_PER_PAGE: i64 = 12;
pub const MAX_TAGS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubSummary {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub member_count: i64,
    pub max_members: Option<i32>,
    pub meeting_frequency: Option<String>,
    /// The book on the shelf as "reading now" (the latest, if several).
    pub current_book: Option<String>,
    /// When the next meeting the viewer may see starts, in its own zone.
    pub next_meeting: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
}

/// A [`ClubSummary`] from a row of any query that selects its columns under
/// their names (the club page's and discover's queries each add their own:
/// sqlx gives every query a record type of its own).
#[cfg(feature = "ssr")]
macro_rules! club_summary_from_row {
    ($r:expr) => {{
        let r = $r;
        $crate::clubs::model::ClubSummary {
            id: r.id,
            name: r.name,
            description: r.description,
            is_public: r.is_public,
            member_count: r.member_count,
            max_members: r.max_members,
            meeting_frequency: r.meeting_frequency,
            current_book: r.current_book,
            next_meeting: r.next_meeting,
            location: r.location,
            tags: r.tags,
        }
    }};
}
#[cfg(feature = "ssr")]
pub(crate) use club_summary_from_row;

impl ClubSummary {
    /// "1 member", "1,204 members", and for a club with a cap, what is
    /// left of it in words: "3 members · 7 places left", "10 members · full".
    pub fn members_text(&self) -> String {
        let members = crate::ui::counted(self.member_count, "member", "members");
        match self.max_members {
            Some(max) => match (i64::from(max) - self.member_count).max(0) {
                0 => format!("{members} · full"),
                left => format!(
                    "{members} · {}",
                    crate::ui::counted(left, "place left", "places left")
                ),
            },
            None => members,
        }
    }

    pub fn is_full(&self) -> bool {
        self.max_members
            .is_some_and(|max| self.member_count >= i64::from(max))
    }
}

/// A club as one viewer sees it, with what that viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubView {
    pub club: ClubSummary,
    /// The first book on the shelf as "up next".
    pub up_next: Option<String>,
    /// May see the member list (names, roles, books read).
    pub can_list_members: bool,
    pub can_join: bool,
    /// Joining needs a sign-in first: the viewer is a visitor.
    pub join_needs_sign_in: bool,
    pub can_leave: bool,
    pub can_edit: bool,
    /// New members come in by request (the admins approve each one).
    pub join_by_request: bool,
    /// May ask to join (a visitor: after signing in, `join_needs_sign_in`).
    pub can_ask: bool,
    /// The viewer's own latest request to join, while it matters.
    pub my_request: Option<MyJoinRequest>,
}

/// Where the viewer's own request to join a club stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MyJoinRequest {
    /// Waiting for the admins since this day (in the viewer's zone).
    Waiting { asked: String },
    /// Declined; they may ask again from this day.
    Declined { again_from: String },
}

/// A request to join, as the club's admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequestRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub message: String,
    /// When they asked, in the reader's zone, in words.
    pub asked: String,
}

/// The longest note someone may send with a request to join.
pub const JOIN_NOTE_MAX: usize = 500;

/// A note to send with a request to join, checked: trimmed, at most
/// [`JOIN_NOTE_MAX`] characters.
pub fn checked_join_note(raw: &str) -> Result<String, AppError> {
    let note = raw.trim();
    if note.chars().count() > JOIN_NOTE_MAX {
        return Err(AppError::validation(
            "message",
            format!("Keep the note to {JOIN_NOTE_MAX} characters."),
        ));
    }
    Ok(note.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubList {
    pub clubs: Vec<ClubSummary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// A new club's fields as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClub {
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub join_by_request: bool,
    pub max_members: Option<i32>,
    pub meeting_frequency: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
}

/// When a club's meetings are announced again before they start: the choices
/// offered, in minutes before, with how they read.
pub const REMINDER_CHOICES: [(i32, &str); 6] = [
    (10080, "1 week before"),
    (2880, "2 days before"),
    (1440, "1 day before"),
    (180, "3 hours before"),
    (120, "2 hours before"),
    (60, "1 hour before"),
];

/// A club's reminder settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    /// Minutes before each meeting; empty: no reminders.
    pub minutes: Vec<i32>,
    pub remind_unanswered: bool,
}

impl ReminderSettings {
    /// The ticked choices as sent by the form; anything not offered is
    /// refused (the form offers nothing else).
    pub fn from_form(minutes: &[String], remind_unanswered: bool) -> Result<Self, AppError> {
        let mut chosen = Vec::new();
        for m in minutes {
            let m: i32 = m
                .trim()
                .parse()
                .ok()
                .filter(|m| REMINDER_CHOICES.iter().any(|(c, _)| c == m))
                .ok_or_else(|| AppError::validation("minutes", "Choose from the times offered."))?;
            if !chosen.contains(&m) {
                chosen.push(m);
            }
        }
        chosen.sort_unstable_by(|a, b| b.cmp(a));
        Ok(ReminderSettings {
            minutes: chosen,
            remind_unanswered,
        })
    }
}

/// A club's fields as text: what the create and edit forms show and send.
/// The create and edit functions take it as it comes (`#[server(flatten)]`),
/// so its field names are the forms'.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubFields {
    /// The club edited (its functions take the id on its own, so a form
    /// without one is refused); the create form has none.
    #[serde(default)]
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub is_public: bool,
    /// New members ask and the admins approve (for a public club).
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub join_by_request: bool,
    pub max_members: String,
    pub meeting_frequency: String,
    pub location: String,
    pub tags: String,
    /// Left out by a form that does not ask (the club keeps its zone).
    #[serde(default)]
    pub time_zone: String,
}

impl ClubFields {
    /// Checks every field that needs no database (all problems at once);
    /// the time zone is checked against the database by the caller.
    pub fn validate(&self) -> Result<NewClub, AppError> {
        let mut checks = Checks::new();
        let name = self.name.trim();
        if name.is_empty() {
            checks.add("name", "Give the club a name.");
        } else if name.chars().count() > 255 {
            checks.add("name", "Use at most 255 characters.");
        }
        let max_members = match self.max_members.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(n) if (1..=100_000).contains(&n) => Some(n),
                Ok(_) => {
                    checks.add(
                        "max_members",
                        "The member limit must be at least 1 (or leave it empty for no limit).",
                    );
                    None
                }
                Err(_) => {
                    checks.add(
                        "max_members",
                        "Enter a whole number, or leave it empty for no limit.",
                    );
                    None
                }
            },
        };
        let tags: Vec<String> = self
            .tags
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .fold(Vec::new(), |mut seen, t| {
                if !seen.contains(&t) {
                    seen.push(t);
                }
                seen
            });
        if tags.len() > MAX_TAGS {
            checks.add("tags", format!("Use at most {MAX_TAGS} tags."));
        } else if tags.iter().any(|t| t.chars().count() > 30) {
            checks.add("tags", "Keep each tag to 30 characters.");
        }
        let description = checks.check(optional(&self.description, "description", 5000));
        let meeting_frequency =
            checks.check(optional(&self.meeting_frequency, "meeting_frequency", 50));
        let location = checks.check(optional(&self.location, "location", 255));
        checks.finish()?;
        Ok(NewClub {
            name: name.to_owned(),
            description: description.flatten(),
            is_public: self.is_public,
            join_by_request: self.join_by_request,
            max_members,
            meeting_frequency: meeting_frequency.flatten(),
            location: location.flatten(),
            tags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_counts_read_as_english() {
        let club = |count, max| ClubSummary {
            id: Uuid::nil(),
            name: "R".into(),
            description: None,
            is_public: true,
            member_count: count,
            max_members: max,
            meeting_frequency: None,
            current_book: None,
            next_meeting: None,
            location: None,
            tags: vec![],
        };
        assert_eq!(club(1, None).members_text(), "1 member");
        assert_eq!(club(0, None).members_text(), "0 members");
        assert_eq!(club(12, None).members_text(), "12 members");
        assert_eq!(
            club(3, Some(10)).members_text(),
            "3 members · 7 places left"
        );
        assert_eq!(club(9, Some(10)).members_text(), "9 members · 1 place left");
        assert_eq!(club(1, Some(1)).members_text(), "1 member · full");
        assert_eq!(club(12, Some(10)).members_text(), "12 members · full");
        assert_eq!(club(5693, None).members_text(), "5,693 members");
    }

    #[test]
    fn new_club_input_is_checked() {
        #[allow(clippy::too_many_arguments)]
        fn validate_new_club(
            name: &str,
            description: &str,
            is_public: bool,
            max_members: &str,
            meeting_frequency: &str,
            location: &str,
            tags: &str,
        ) -> Result<NewClub, AppError> {
            ClubFields {
                name: name.into(),
                description: description.into(),
                is_public,
                max_members: max_members.into(),
                meeting_frequency: meeting_frequency.into(),
                location: location.into(),
                tags: tags.into(),
                ..ClubFields::default()
            }
            .validate()
        }
        let ok = validate_new_club(
            "Readers",
            "",
            true,
            "12",
            "Monthly",
            "",
            "Sci-Fi, classics, sci-fi",
        )
        .unwrap();
        assert_eq!(ok.max_members, Some(12));
        assert_eq!(ok.tags, ["sci-fi", "classics"]);
        let field = |r: Result<NewClub, AppError>| r.unwrap_err().fields().join(",");
        assert_eq!(
            field(validate_new_club(" ", "", true, "", "", "", "")),
            "name"
        );
        assert_eq!(
            field(validate_new_club("R", "", true, "0", "", "", "")),
            "max_members"
        );
        assert_eq!(
            field(validate_new_club("R", "", true, "-3", "", "", "")),
            "max_members"
        );
        assert_eq!(
            field(validate_new_club("R", "", true, "many", "", "", "")),
            "max_members"
        );
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert_eq!(
            field(validate_new_club(
                "R",
                "",
                true,
                "",
                "",
                "",
                &many.join(",")
            )),
            "tags"
        );
        assert_eq!(
            field(validate_new_club(" ", "", true, "many", "", "", "")),
            "name,max_members",
            "every problem at once"
        );
    }
}
