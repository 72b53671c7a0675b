//! Who may do what with a club's polls, in the form of AUTHZ.md's tables.
//! Server functions ask [`decide`]; the HTTP tests send one request per cell.
use serde::{Deserialize, Serialize};

use crate::clubs::authz::{table_cell, Actor, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PollAction {
    /// The poll, its options, the viewer's own ballot and (when the poll
    /// shows them: live, or after the close) the counted results. A public
    /// club's polls are everyone's to see, as its shelf is.
    View,
    /// Who answered which date of a date poll: the club's people.
    SeeDateAnswers,
    /// Rank the books, answer a date poll's dates, nominate books while a
    /// poll takes nominations.
    Vote,
    /// Open a poll (books or dates), start the voting after nominations,
    /// close it early, make the winner the next read, plan the meeting from
    /// a date (which also needs `EventAction::CreateOrEdit`: the same people).
    Manage,
    /// Delete a poll with its options, ballots and answers.
    Delete,
}

use Decision::*;
use PollAction::*;

/// The table for a **public** club, in the order of [`ACTORS`]. People
/// outside a private club are told its polls do not exist (see
/// [`table_cell`]); a public club's polls and their results are everyone's
/// to see, who answered which date is the club's.
pub const RULES: [(PollAction, [Decision; 10]); 5] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        View,
        [
            Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        SeeDateAnswers,
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
    // Site moderators may take a poll down (moderation), not run one.
    (
        Delete,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
];

pub fn decide(viewer: Viewer, action: PollAction, public: bool) -> Decision {
    viewer.decide_with(|actor| decide_for(actor, action, public))
}

pub fn decide_for(actor: Actor, action: PollAction, public: bool) -> Decision {
    table_cell(&RULES, actor, action, public)
}
