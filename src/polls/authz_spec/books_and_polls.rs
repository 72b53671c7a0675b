//! The books and polls tables (`books/authz.rs`, `polls/authz.rs`) checked
//! row by row against the spec's "Books, polls" section, which holds both,
//! with the reader in `mod.rs`. One file per table of the spec, so that each
//! stays readable beside the section it checks.
use super::{check, compare};
use crate::books::authz::{self as books, BookAction};
use crate::clubs::authz::Decision::*;
use crate::polls::authz::{self as polls, PollAction};

#[test]
fn the_book_and_poll_table_is_the_spec() {
    const OWN: &str = "own, while not in an open poll";
    let checks = [
        check(
            "see a public club's shelf and closed poll results",
            true,
            &[],
            "books View",
            |a, p| books::decide_for(a, BookAction::View, p),
        ),
        check(
            "see a public club's shelf and closed poll results",
            true,
            &[],
            "polls View",
            |a, p| polls::decide_for(a, PollAction::View, p),
        ),
        check(
            "see a private club's shelf, polls, results",
            false,
            &[],
            "books View",
            |a, p| books::decide_for(a, BookAction::View, p),
        ),
        check(
            "see a private club's shelf, polls, results",
            false,
            &[],
            "polls View",
            |a, p| polls::decide_for(a, PollAction::View, p),
        ),
        check(
            "suggest a book / nominate (within the cap)",
            true,
            &[],
            "books Suggest",
            |a, p| books::decide_for(a, BookAction::Suggest, p),
        ),
        check(
            "suggest a book / nominate (within the cap)",
            true,
            &[],
            "polls Vote (nominating)",
            |a, p| polls::decide_for(a, PollAction::Vote, p),
        ),
        check(
            "edit / remove a suggestion",
            true,
            &[(OWN, Forbidden), ("remove (moderation)", Forbidden)],
            "books Edit",
            |a, p| books::decide_for(a, BookAction::Edit, p),
        ),
        check(
            "edit / remove a suggestion",
            true,
            &[(OWN, Forbidden), ("remove (moderation)", Allow)],
            "books Remove",
            |a, p| books::decide_for(a, BookAction::Remove, p),
        ),
        check(
            "edit / remove a suggestion",
            true,
            &[(OWN, Allow), ("remove (moderation)", Forbidden)],
            "books ChangeOwnSuggestion",
            |a, p| books::decide_for(a, BookAction::ChangeOwnSuggestion, p),
        ),
        check(
            "move books between shelves, \"make this our next read\"",
            true,
            &[],
            "books Move",
            |a, p| books::decide_for(a, BookAction::Move, p),
        ),
        check(
            "open / close / delete a book or date poll",
            true,
            &[("delete (moderation)", Forbidden)],
            "polls Manage",
            |a, p| polls::decide_for(a, PollAction::Manage, p),
        ),
        check(
            "open / close / delete a book or date poll",
            true,
            &[("delete (moderation)", Allow)],
            "polls Delete",
            |a, p| polls::decide_for(a, PollAction::Delete, p),
        ),
        check(
            "vote (rank books; answer date options)",
            true,
            &[],
            "polls Vote",
            |a, p| polls::decide_for(a, PollAction::Vote, p),
        ),
        check(
            "see live results (when the poll shows them)",
            true,
            &[("as \"see\"", Allow)],
            "polls View",
            |a, p| polls::decide_for(a, PollAction::View, p),
        ),
        check(
            "see who answered which date option",
            true,
            &[],
            "polls SeeDateAnswers",
            |a, p| polls::decide_for(a, PollAction::SeeDateAnswers, p),
        ),
    ];
    let failures = compare(
        "Books, polls",
        &checks,
        // Ballots are secret by row security: least_privilege.rs.
        &["see who voted how"],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
