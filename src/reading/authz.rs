//! Who may do what when a club reads together, in the form of AUTHZ.md's
//! tables. Actors and decisions are the clubs'. Server functions ask
//! [`decide`]; the HTTP tests send one request per cell.
use serde::{Deserialize, Serialize};

use crate::clubs::authz::{table_cell, Actor, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReadingAction {
    /// The schedule: the sections of the book and their target dates. A
    /// public club's schedule is everyone's to see, as its shelf is.
    ViewSchedule,
    /// Add, change and remove sections.
    SetSchedule,
    /// Who has read how far (apart from those who hide it).
    SeeProgress,
    /// Mark the sections one has finished; hide or show one's progress.
    TrackProgress,
    /// Read a section's discussion.
    ReadDiscussion,
    /// Comment and reply; edit and delete one's own comments.
    Comment,
    /// Suggest a discussion question for a meeting; withdraw one's own
    /// while it is not picked. (Reading the questions is `ReadDiscussion`.)
    SuggestQuestion,
    /// Pick the meeting's questions, order them, take them off the list.
    ArrangeQuestions,
    /// Report a comment to the club's admins.
    ReportComment,
    /// Hide a comment (with a reason) or show it again; see what was
    /// reported and hidden.
    Moderate,
}

use Decision::*;
use ReadingAction::*;

/// The table for a **public** club, in the order of [`ACTORS`]. People
/// outside a private club are told its schedule does not exist (see
/// [`table_cell`]). What the club says about the book is its own people's:
/// visitors of a public club see the schedule, not the talk.
///
/// [`ACTORS`]: crate::clubs::authz::ACTORS
pub const RULES: [(ReadingAction, [Decision; 10]); 10] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        ViewSchedule,
        [
            Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    // The club's organisers, as for shelves and polls.
    (
        SetSchedule,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    (
        SeeProgress,
        [
            Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    // Reading along is for the club's people; site staff join first.
    (
        TrackProgress,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
        ],
    ),
    // Site moderators read what they may have to moderate.
    (
        ReadDiscussion,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        Comment,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
        ],
    ),
    (
        SuggestQuestion,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
        ],
    ),
    // Those who run the meeting: the club's organisers. The questions are
    // the club's people's: to anyone else they do not exist.
    (
        ArrangeQuestions,
        [
            SignIn, NotFound, NotFound, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden, Allow,
        ],
    ),
    // Whoever takes part in the discussion. Its comments are the club's:
    // to anyone else they do not exist.
    (
        ReportComment,
        [
            SignIn, NotFound, NotFound, Allow, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
        ],
    ),
    // The club's admins and the site's moderators and admins. What was
    // reported and hidden is the club's business: to anyone else it does
    // not exist.
    (
        Moderate,
        [
            SignIn, NotFound, NotFound, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow,
        ],
    ),
];

/// The decision for `viewer` doing `action` in a club that is `public` or
/// not: the most permissive of their site and club roles.
pub fn decide(viewer: Viewer, action: ReadingAction, public: bool) -> Decision {
    viewer.decide_with(|actor| decide_for(actor, action, public))
}

/// One column of the table.
pub fn decide_for(actor: Actor, action: ReadingAction, public: bool) -> Decision {
    table_cell(&RULES, actor, action, public)
}
