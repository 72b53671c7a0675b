//! What the home page shows. Compiled on both sides.
use serde::{Deserialize, Serialize};

use crate::clubs::model::ClubSummary;
use crate::events::items::model::MyTask;
use crate::events::model::EventSummary;
use crate::polls::model::PollWaiting;

/// Public numbers shown to everyone on the home page, and a few public
/// clubs to start from: the same for everyone who asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub public_clubs: i64,
    pub upcoming_public_events: i64,
    pub featured: Vec<ClubSummary>,
}

/// What to read for the viewer's next meeting: its book (set on the
/// meeting, else what its club is reading now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextRead {
    pub event_id: uuid::Uuid,
    pub book: String,
}

/// The signed-in member's own part of the home page (empty for a visitor),
/// read in one transaction rather than one per list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyLists {
    /// The viewer's name; `None` for a visitor.
    pub name: Option<String>,
    /// The book for the first of `events`, if it has one.
    pub next_read: Option<NextRead>,
    pub clubs: Vec<ClubSummary>,
    pub polls: Vec<PollWaiting>,
    pub events: Vec<EventSummary>,
    pub tasks: Vec<MyTask>,
}
