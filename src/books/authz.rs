//! Who may do what with a club's bookshelf, in the form of AUTHZ.md's
//! tables. Actors and decisions are the clubs'. Server functions ask
//! [`decide`]; the HTTP tests send one request per cell.
use serde::{Deserialize, Serialize};

use crate::clubs::authz::{table_cell, Actor, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BookAction {
    /// The shelf and the reading history.
    View,
    /// Put a book on the "suggested" shelf.
    Suggest,
    /// Move a book between shelves.
    Move,
    /// Edit any book on the shelf.
    Edit,
    /// Remove any book from the shelf.
    Remove,
    /// Edit or remove a suggestion of one's own, while it is one (on the
    /// suggested shelf) and not an option of an open poll.
    ChangeOwnSuggestion,
}

use BookAction::*;
use Decision::*;

/// The table for a **public** club, in the order of [`ACTORS`]. For a
/// private club, everyone who may not see it gets `NotFound` (see [`decide`]).
pub const RULES: [(BookAction, [Decision; 10]); 6] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        View,
        [
            Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    // Members choose what they read; guests and site staff (who would join
    // first) do not.
    (
        Suggest,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Forbidden,
            Forbidden,
        ],
    ),
    (
        Move,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    (
        Edit,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    // Site moderators may take a book down (moderation), not change it.
    (
        Remove,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    // "Own, while not in an open poll": the book decides the rest (see
    // `db::may_change`).
    (
        ChangeOwnSuggestion,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Forbidden, Allow,
        ],
    ),
];

/// The decision for `viewer` doing `action` on the shelf of a club that is
/// `public` or not: the most permissive of their site and club roles.
pub fn decide(viewer: Viewer, action: BookAction, public: bool) -> Decision {
    viewer.decide_with(|actor| decide_for(actor, action, public))
}

/// One column of the table. A private club's shelf does not exist for those
/// who may not see the club.
pub fn decide_for(actor: Actor, action: BookAction, public: bool) -> Decision {
    table_cell(&RULES, actor, action, public)
}
