//! Who may do what with a club's hosting rotation, in the form of
//! AUTHZ.md's tables. Actors and decisions are the clubs'. Choosing a
//! meeting's host when planning or editing it is the event's
//! `CreateOrEdit`.
use serde::{Deserialize, Serialize};

use crate::clubs::authz::{table_cell, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HostingAction {
    /// The rotation, and who hosts the coming meetings.
    SeeRotation,
    /// Put oneself in the rotation, or take oneself out.
    Volunteer,
    /// Swap a meeting one hosts with another meeting's host.
    SwapOwn,
    /// Take anyone out of the rotation; swap any two meetings' hosts.
    ManageRotation,
}

use Decision::*;
use HostingAction::*;

/// The table for a **public** club, in the order of [`ACTORS`]; people
/// outside a private club are told it does not exist (see [`table_cell`]).
/// Hosting is for those who come to the meetings: site staff do not.
///
/// [`ACTORS`]: crate::clubs::authz::ACTORS
pub const RULES: [(HostingAction, [Decision; 10]); 4] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        SeeRotation,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        Volunteer,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Forbidden,
            Forbidden,
        ],
    ),
    // Only for a meeting the actor hosts (the server checks).
    (
        SwapOwn,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Forbidden,
            Forbidden,
        ],
    ),
    (
        ManageRotation,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
];

/// The decision for `viewer` doing `action` in a club that is `public`.
pub fn decide(viewer: Viewer, action: HostingAction, public: bool) -> Decision {
    viewer.decide_with(|actor| table_cell(&RULES, actor, action, public))
}
