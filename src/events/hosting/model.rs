//! What the browser and the server exchange about hosting. Compiled on
//! both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The event form's choice that asks for the next host in the rotation
/// (picked when the meeting is saved, not when the form was shown).
pub const NEXT_IN_ROTATION: &str = "rotation";

/// One volunteer, in the order they will be asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub user_id: Uuid,
    pub name: String,
    /// Their last (or next) meeting as host, in the viewer's zone; none if
    /// they have not hosted yet.
    pub last_hosted: Option<String>,
    /// That meeting is still to come.
    pub hosting_soon: bool,
}

/// A coming meeting and its host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedMeeting {
    pub event_id: Uuid,
    pub title: String,
    pub starts: String,
    pub host: Option<String>,
    /// The viewer hosts it.
    pub mine: bool,
}

/// The club's hosting page for one viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    pub club_id: Uuid,
    pub club_name: String,
    /// Next to be asked first.
    pub volunteers: Vec<Volunteer>,
    pub meetings: Vec<HostedMeeting>,
    pub me_in: bool,
    pub can_volunteer: bool,
    /// Take others out; swap any two meetings' hosts.
    pub can_manage: bool,
    pub can_swap_own: bool,
}
