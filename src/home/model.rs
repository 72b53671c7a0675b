//! What the home page shows. Compiled on both sides.
use serde::{Deserialize, Serialize};

use crate::clubs::model::ClubSummary;
use crate::events::items::model::MyTask;
use crate::events::model::EventSummary;
use crate::polls::model::PollWaiting;

/// Public numbers shown to everyone on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub public_clubs: i64,
    pub upcoming_public_events: i64,
}

/// The signed-in member's own part of the home page (empty for a visitor),
/// read in one transaction rather than one per list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyLists {
    pub clubs: Vec<ClubSummary>,
    pub polls: Vec<PollWaiting>,
    pub events: Vec<EventSummary>,
    pub tasks: Vec<MyTask>,
}
