//! Who may do what with a club's polls, in the form of AUTHZ.md's tables.
//! Server functions ask [`decide`]; the HTTP tests send one request per cell.
use serde::{Deserialize, Serialize};

use crate::clubs::authz::{table_cell, Actor, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PollAction {
    /// The poll, its options, the viewer's own ballot and (when shown) the
    /// results.
    View,
    /// Rank the books, answer a date poll's dates, nominate books while a
    /// poll takes nominations.
    Vote,
    /// Open a poll (books or dates), start the voting after nominations,
    /// close it early, make the winner the next read, plan the meeting from
    /// a date (which also needs `EventAction::CreateOrEdit`: the same people).
    Manage,
}

use Decision::*;
use PollAction::*;

/// The table, in the order of [`ACTORS`]. Polls are the club's business:
/// people outside it are told a private club's polls do not exist, and a
/// public club's are not theirs to see.
pub const RULES: [(PollAction, [Decision; 10]); 3] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        View,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        Vote,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Forbidden,
            Forbidden,
        ],
    ),
    (
        Manage,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
];

pub fn decide(viewer: Viewer, action: PollAction, public: bool) -> Decision {
    viewer.decide_with(|actor| decide_for(actor, action, public))
}

pub fn decide_for(actor: Actor, action: PollAction, public: bool) -> Decision {
    table_cell(&RULES, actor, action, public)
}
