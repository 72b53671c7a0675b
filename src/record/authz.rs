//! Who may download a club's record, in the form of AUTHZ.md's tables.
//! A reader's own writing is theirs alone: being signed in is the rule.
use crate::clubs::authz::{table_cell, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordAction {
    /// The club's history as a zip of JSON and CSV.
    DownloadClubRecord,
}

use Decision::*;
use RecordAction::*;

/// The table for a **public** club, in the order of [`ACTORS`]: the club's
/// admins and owner, and site admins. People outside a private club are
/// told it does not exist (see [`table_cell`]).
///
/// [`ACTORS`]: crate::clubs::authz::ACTORS
pub const RULES: [(RecordAction, [Decision; 10]); 1] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        DownloadClubRecord,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
];

pub fn decide(viewer: Viewer, action: RecordAction, public: bool) -> Decision {
    viewer.decide_with(|actor| table_cell(&RULES, actor, action, public))
}
