//! The events table (`events/authz.rs`) checked row by row against the
//! spec's "Events, items, RSVPs, calendars" section, with the reader in
//! `mod.rs`. One file per table of the spec, so that each stays readable
//! beside the section it checks.
use super::{check, compare};
use crate::clubs::authz::Decision::*;
use crate::events::authz::{self as events, EventAction};

#[test]
fn the_event_table_is_the_spec() {
    use EventAction::*;
    let checks = [
        check(
            "see a public event (details, RSVP counts)",
            true,
            &[],
            "View",
            |a, p| events::decide_for(a, View, p),
        ),
        check("see a private event", false, &[], "View", |a, p| {
            events::decide_for(a, View, p)
        }),
        check("see who answered what", true, &[], "SeeAnswers", |a, p| {
            events::decide_for(a, SeeAnswers, p)
        }),
        check(
            "RSVP (available / maybe / unavailable)",
            true,
            &[],
            "Rsvp",
            |a, p| events::decide_for(a, Rsvp, p),
        ),
        check(
            "create / edit an event",
            true,
            &[],
            "CreateOrEdit",
            |a, p| events::decide_for(a, CreateOrEdit, p),
        ),
        check(
            "cancel / delete an event",
            true,
            &[("Y (moderation)", Allow)],
            "CancelOrDelete",
            |a, p| events::decide_for(a, CancelOrDelete, p),
        ),
        check(
            "see items of a visible event",
            true,
            &[],
            "SeeItems",
            |a, p| events::decide_for(a, SeeItems, p),
        ),
        check(
            "create / edit / assign / delete items",
            true,
            &[("delete only", Forbidden)],
            "ManageItems",
            |a, p| events::decide_for(a, ManageItems, p),
        ),
        check(
            "create / edit / assign / delete items",
            true,
            &[("delete only", Allow)],
            "DeleteItem",
            |a, p| events::decide_for(a, DeleteItem, p),
        ),
        check(
            "change an item's status",
            true,
            &[("own", Allow)],
            "UpdateOwnItemStatus",
            |a, p| events::decide_for(a, UpdateOwnItemStatus, p),
        ),
        check(
            "change an item's status",
            true,
            &[("own", Forbidden)],
            "UpdateAnyItemStatus",
            |a, p| events::decide_for(a, UpdateAnyItemStatus, p),
        ),
        check(
            "take on an unassigned task or material (\"I'll bring it\")",
            true,
            &[],
            "Volunteer",
            |a, p| events::decide_for(a, Volunteer, p),
        ),
        check(
            "download an event's .ics",
            true,
            &[("as \"see\"", Allow)],
            "View",
            |a, p| events::decide_for(a, View, p),
        ),
    ];
    let failures = compare("Events, items, RSVPs, calendars", &checks, &[]);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
