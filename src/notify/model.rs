//! What the browser and the server exchange about notifications. Compiled on
//! both sides.
use serde::{Deserialize, Serialize};

/// The kinds of notice, as stored (`notification_kind` in the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Reminder,
    WaitlistPromoted,
    EventNew,
    EventChanged,
    EventCancelled,
    TaskAssigned,
    PollOpened,
    /// A poll closes within a day and the reader has not voted.
    PollClosing,
    /// Someone asks to join a club the reader runs.
    JoinRequested,
    /// The club answered the reader's request to join.
    JoinAnswered,
    /// The reader was made a meeting's host.
    Hosting,
    /// Someone answered the reader's comment.
    CommentReply,
    /// Someone named the reader (`@Name`) in a comment.
    Mention,
    /// A section's target date is tomorrow and the reader has not finished
    /// it.
    ReadingTarget,
    /// To an address, not a member: not a preference anyone sets.
    Invitation,
}

impl Kind {
    /// The kinds a member chooses about, in the order the settings list them.
    pub const CHOSEN_BY_MEMBERS: [Kind; 14] = [
        Kind::Reminder,
        Kind::Hosting,
        Kind::CommentReply,
        Kind::Mention,
        Kind::ReadingTarget,
        Kind::WaitlistPromoted,
        Kind::EventNew,
        Kind::EventChanged,
        Kind::EventCancelled,
        Kind::TaskAssigned,
        Kind::PollOpened,
        Kind::PollClosing,
        Kind::JoinRequested,
        Kind::JoinAnswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reminder => "reminder",
            Kind::WaitlistPromoted => "waitlist_promoted",
            Kind::EventNew => "event_new",
            Kind::EventChanged => "event_changed",
            Kind::EventCancelled => "event_cancelled",
            Kind::TaskAssigned => "task_assigned",
            Kind::PollOpened => "poll_opened",
            Kind::PollClosing => "poll_closing",
            Kind::JoinRequested => "join_requested",
            Kind::JoinAnswered => "join_answered",
            Kind::Hosting => "hosting",
            Kind::CommentReply => "comment_reply",
            Kind::Mention => "mention",
            Kind::ReadingTarget => "reading_target",
            Kind::Invitation => "invitation",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        [Kind::Invitation]
            .into_iter()
            .chain(Kind::CHOSEN_BY_MEMBERS)
            .find(|k| k.as_str() == raw)
    }

    /// How the settings and the unsubscribe page name it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Reminder => "Meeting reminders",
            Kind::WaitlistPromoted => "You got a place from the waitlist",
            Kind::EventNew => "New meetings in my clubs",
            Kind::EventChanged => "Meetings moved (time or place)",
            Kind::EventCancelled => "Meetings cancelled",
            Kind::TaskAssigned => "Tasks assigned to me",
            Kind::PollOpened => "New polls in my clubs",
            Kind::PollClosing => "Polls closing soon that I have not voted in",
            Kind::JoinRequested => "Requests to join clubs I run",
            Kind::JoinAnswered => "Answers to my requests to join a club",
            Kind::Hosting => "Meetings I'm asked to host",
            Kind::CommentReply => "Replies to my comments",
            Kind::Mention => "Mentions of me in discussions",
            Kind::ReadingTarget => "A reading target tomorrow that I have not reached",
            Kind::Invitation => "Invitations",
        }
    }
}

/// One notice in the bell's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// A path on this site.
    pub link: String,
    /// When it arrived, in the reader's zone.
    pub when: String,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationList {
    pub items: Vec<NotificationItem>,
    pub unread: i64,
}

/// A member's choice for one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    pub kind: Kind,
    pub email: bool,
    pub in_app: bool,
}

/// What an unsubscribe link would turn off, for the page that asks to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeTarget {
    pub kind: Kind,
    pub email: String,
    /// Already off.
    pub done: bool,
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in Kind::CHOSEN_BY_MEMBERS
            .into_iter()
            .chain([Kind::Invitation])
        {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("poll_reopened"), None);
    }
}
