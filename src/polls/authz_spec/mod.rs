//! The four authorization tables in code (clubs, events, books, polls:
//! each feature's `authz.rs`) checked cell by cell against the spec,
//! `docs/AUTHZ.md`, read as it is written: a rule changed in one and not the
//! other fails here, and so does a new row of the spec until it is mapped to
//! the code below (or named as checked elsewhere). It lives in `polls`, the
//! highest of the four features, because it reads all of them.
//!
//! This file holds the reader of the spec and the clubs table; the events
//! table and the books and polls table are checked in files of their own.
use crate::clubs::authz::{self as clubs, Actor, ClubAction, Decision};
use crate::clubs::members::authz as members;

mod books_and_polls;
mod events;

use Actor::*;
use Decision::*;

const SPEC: &str = include_str!("../../../docs/AUTHZ.md");

/// The rows of the table under `## {heading}`: the action's words and one
/// cell per column, trimmed.
fn rows(heading: &str) -> Vec<(String, Vec<String>)> {
    let start = SPEC
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("AUTHZ.md has a section {heading:?}"));
    SPEC[start..]
        .lines()
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and the |---| line
        .map(|line| {
            let mut cells: Vec<String> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            (cells.remove(0), cells)
        })
        .collect()
}

/// The spec's columns, as the code's actors: the clubs table has a column
/// per actor; the others join site guests and outsiders in one.
fn columns(cells: usize) -> Vec<Vec<Actor>> {
    match cells {
        10 => clubs::ACTORS.iter().map(|a| vec![*a]).collect(),
        9 => std::iter::once(vec![Anonymous])
            .chain(std::iter::once(vec![SiteGuest, Outsider]))
            .chain(clubs::ACTORS[3..].iter().map(|a| vec![*a]))
            .collect(),
        n => panic!("a table with {n} columns"),
    }
}

/// What a cell says, for one actor: `None` where the action does not apply
/// (a blank cell). `words` gives the meaning of this row's own words (such
/// as "own" or "delete only") for the code action being checked.
fn meaning(cell: &str, actor: Actor, words: &[(&str, Decision)]) -> Option<Decision> {
    if let Some((_, d)) = words.iter().find(|(w, _)| *w == cell) {
        return Some(*d);
    }
    Some(match cell {
        "" => return None,
        "Y" => Allow,
        "404" => NotFound,
        "login" => SignIn,
        "join first" => Forbidden,
        // "Anonymous visitors asked to do something that needs an account
        // are sent to /login" (AUTHZ.md): a dash means "sign in" to them.
        "–" if actor == Anonymous => SignIn,
        "–" => Forbidden,
        other => panic!("the cell {other:?} needs its meaning for this action"),
    })
}

/// One code action checked against one spec row.
struct Check {
    row: &'static str,
    /// The setting the row is about (the private rows are about private
    /// clubs; the rest are written for public ones).
    public: bool,
    /// This row's own words and what they mean for this action.
    words: &'static [(&'static str, Decision)],
    decide: fn(Actor, bool) -> Decision,
    action: &'static str,
}

fn check(
    row: &'static str,
    public: bool,
    words: &'static [(&'static str, Decision)],
    action: &'static str,
    decide: fn(Actor, bool) -> Decision,
) -> Check {
    Check {
        row,
        public,
        words,
        decide,
        action,
    }
}

/// Every row of a section either checked against the code here or named
/// with where else it is checked.
fn compare(heading: &str, checks: &[Check], elsewhere: &[&str]) -> Vec<String> {
    let spec = rows(heading);
    let mut failures = Vec::new();
    for (row, _) in &spec {
        if !checks.iter().any(|c| c.row == row) && !elsewhere.contains(&row.as_str()) {
            failures.push(format!(
                "{heading}: the row {row:?} is not mapped to the code"
            ));
        }
    }
    for c in checks {
        let Some((_, cells)) = spec.iter().find(|(row, _)| row == c.row) else {
            failures.push(format!("{heading}: no row {:?} in AUTHZ.md", c.row));
            continue;
        };
        for (cell, actors) in cells.iter().zip(columns(cells.len())) {
            for actor in actors {
                let Some(want) = meaning(cell, actor, c.words) else {
                    continue;
                };
                let got = (c.decide)(actor, c.public);
                if got != want {
                    failures.push(format!(
                        "{heading} / {:?} ({}) as {actor:?}: the spec says {cell:?} ({want:?}), the code {got:?}",
                        c.row, c.action
                    ));
                }
            }
        }
    }
    failures
}

#[test]
fn the_club_table_is_the_spec() {
    use ClubAction::*;
    let checks = [
        check("see a public club page", true, &[], "ViewPublic", |a, p| {
            clubs::decide_for(a, ViewPublic, p)
        }),
        check(
            "see a private club page",
            false,
            &[],
            "ViewPrivate",
            |a, p| clubs::decide_for(a, ViewPrivate, p),
        ),
        check(
            "list members (names, roles, books read)",
            true,
            &[],
            "ListMembers",
            |a, p| clubs::decide_for(a, ListMembers, p),
        ),
        check(
            "see members' email and phone",
            true,
            &[],
            "SeeContacts",
            |a, p| clubs::decide_for(a, SeeContacts, p),
        ),
        check("edit the club", true, &[], "Edit", |a, p| {
            clubs::decide_for(a, Edit, p)
        }),
        check("delete the club", true, &[], "Delete", |a, p| {
            clubs::decide_for(a, Delete, p)
        }),
        check(
            "join a public club (if not full)",
            true,
            &[("Y (as CGuest)", Allow), ("Y (as Mem)", Allow)],
            "JoinPublic",
            |a, p| clubs::decide_for(a, JoinPublic, p),
        ),
        check(
            "leave",
            true,
            &[("after hand-over", Forbidden)],
            "Leave",
            |a, p| clubs::decide_for(a, Leave, p),
        ),
        check(
            "create / revoke invite links",
            true,
            &[],
            "ManageInvites",
            |a, p| clubs::decide_for(a, ManageInvites, p),
        ),
        check(
            "join a public club that takes requests, without asking",
            true,
            &[("ask first", Forbidden)],
            "decide_join",
            |a, p| clubs::decide_join_for(a, p, true),
        ),
        check(
            "ask to join a public club that takes requests (if not full)",
            true,
            &[],
            "AskToJoin",
            |a, p| clubs::decide_for(a, AskToJoin, p),
        ),
        check(
            "see, approve and decline requests to join",
            true,
            &[],
            "AnswerJoinRequests",
            |a, p| clubs::decide_for(a, AnswerJoinRequests, p),
        ),
        check(
            "hand over ownership",
            true,
            &[("Y (to a member)", Allow)],
            "HandOver",
            |a, p| clubs::decide_for(a, HandOver, p),
        ),
    ];
    let failures = compare(
        "Clubs",
        &checks,
        &[
            // Which targets: `the_role_and_removal_words_are_the_spec`.
            "change a member's role",
            "remove a member",
            // By invitation only, not a table decision: club_members_http.
            "join a private club",
            // Only ever one's own row: club_members_http.
            "update own books-read count",
            // Only ever one's own request: join_requests_http.
            "withdraw one's own request to join",
        ],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "change a member's role" and "remove a member" name which members each
/// actor may act on; every (actor, target) pair is checked against them.
#[test]
fn the_role_and_removal_words_are_the_spec() {
    let spec = rows("Clubs");
    let cells = |row: &str| {
        spec.iter()
            .find(|(r, _)| r == row)
            .unwrap_or_else(|| panic!("no row {row:?}"))
            .1
            .clone()
    };
    let targets = [ClubGuest, Member, ClubModerator, ClubAdmin, Owner];
    // Who each phrase lets the actor act on (the actor themself aside: a
    // phrase like "anyone else" is about other people).
    let who = |phrase: &str, actor: Actor| -> Vec<Actor> {
        match phrase {
            "–" => vec![],
            "up to CMod, not other CAdm" => vec![ClubGuest, Member, ClubModerator],
            "CGuest/Mem/CMod" => vec![ClubGuest, Member, ClubModerator],
            "any but Owner" | "anyone but Owner" => {
                vec![ClubGuest, Member, ClubModerator, ClubAdmin]
            }
            "anyone else" => targets.iter().copied().filter(|t| *t != actor).collect(),
            other => panic!("the phrase {other:?} needs its meaning"),
        }
    };
    let mut failures = Vec::new();
    for (phrase, actor) in cells("remove a member").iter().zip(clubs::ACTORS) {
        for target in targets.into_iter().filter(|t| *t != actor) {
            let want = who(phrase, actor).contains(&target);
            let got = members::may_remove(actor, target);
            if got != want {
                failures.push(format!(
                    "remove {target:?} as {actor:?}: the spec says {phrase:?}, the code {got}"
                ));
            }
        }
    }
    for (phrase, actor) in cells("change a member's role").iter().zip(clubs::ACTORS) {
        for target in targets.into_iter().filter(|t| *t != actor) {
            for to in clubs::CLUB_ROLES {
                // "Up to CMod": never to a role above it.
                let within = phrase != "up to CMod, not other CAdm" || to != "admin";
                let want = who(phrase, actor).contains(&target) && within;
                let got = members::may_change_role(actor, target, to, false);
                if got != want {
                    failures.push(format!(
                        "make {target:?} {to} as {actor:?}: the spec says {phrase:?}, the code {got}"
                    ));
                }
            }
        }
    }
    // "Not OTHER CAdm": a club admin may step down themself, within
    // "up to CMod".
    for to in clubs::CLUB_ROLES {
        let got = members::may_change_role(ClubAdmin, ClubAdmin, to, true);
        if got != (to != "admin") {
            failures.push(format!("a club admin making themself {to}: the code {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The reader itself: a table it misread would check nothing.
#[test]
fn the_spec_is_read_as_written() {
    let clubs = rows("Clubs");
    assert_eq!(clubs.len(), 18);
    assert_eq!(clubs[0].0, "see a public club page");
    assert_eq!(clubs[1].1[0], "404");
    assert!(clubs.iter().all(|(_, cells)| cells.len() == 10));
    let events = rows("Events, items, RSVPs, calendars");
    assert!(events.iter().all(|(_, cells)| cells.len() == 9));
    assert_eq!(columns(9)[1], [SiteGuest, Outsider]);
    assert_eq!(meaning("–", Anonymous, &[]), Some(SignIn));
    assert_eq!(meaning("–", Member, &[]), Some(Forbidden));
    assert_eq!(meaning("", Member, &[]), None);
}
