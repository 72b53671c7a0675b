//! Who may do what with events, their items, RSVPs and calendars: the second
//! table of AUTHZ.md, written down once. Actors and decisions are the clubs'.
//! Server functions ask [`decide`]; the HTTP tests send one request per cell.
use serde::{Deserialize, Serialize};

use crate::clubs::authz::{table_cell, Actor, Decision, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventAction {
    /// Details, RSVP counts and the .ics download.
    View,
    /// Who answered what, and the waitlist.
    SeeAnswers,
    Rsvp,
    CreateOrEdit,
    CancelOrDelete,
    SeeItems,
    /// Create, edit and assign items.
    ManageItems,
    DeleteItem,
    /// The status of an item assigned to the actor.
    UpdateOwnItemStatus,
    /// The status of anyone's item.
    UpdateAnyItemStatus,
    /// Take on an unassigned task ("I'll bring it").
    Volunteer,
}

use Decision::*;
use EventAction::*;

/// The table for a **public** event, action by action, in the order of
/// [`ACTORS`]. For a private event, everyone who may not see it gets
/// `NotFound` instead (see [`decide`]).
pub const RULES: [(EventAction, [Decision; 10]); 11] = [
    // Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm
    (
        View,
        [
            Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        SeeAnswers,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    // Site staff run the site, they do not attend: they would join first.
    (
        Rsvp,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
        ],
    ),
    (
        CreateOrEdit,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    // Site moderators may take an event down (moderation), not change it.
    (
        CancelOrDelete,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        SeeItems,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        ManageItems,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    (
        DeleteItem,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        UpdateOwnItemStatus,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Forbidden, Allow,
        ],
    ),
    (
        UpdateAnyItemStatus,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    // Those who come to the meetings; site staff do not attend.
    (
        Volunteer,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
        ],
    ),
];

/// The decision for `viewer` doing `action` on an event that is `public` (a
/// public event of a public club): the most permissive of what their site
/// role and their club role allow (see [`Viewer`]).
pub fn decide(viewer: Viewer, action: EventAction, public: bool) -> Decision {
    viewer.decide_with(|actor| decide_for(actor, action, public))
}

/// The decision for one column of the table. A private event does not exist
/// for those who may not see it, whatever they try.
pub fn decide_for(actor: Actor, action: EventAction, public: bool) -> Decision {
    table_cell(&RULES, actor, action, public)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_events_do_not_exist_for_outsiders() {
        for actor in [Actor::Anonymous, Actor::SiteGuest, Actor::Outsider] {
            for (action, _) in RULES {
                assert_eq!(
                    decide_for(actor, action, false),
                    NotFound,
                    "{actor:?} {action:?}"
                );
            }
        }
        assert_eq!(decide_for(Actor::ClubGuest, View, false), Allow);
    }

    #[test]
    fn only_club_people_answer() {
        assert_eq!(decide(Viewer::ANONYMOUS, Rsvp, true), SignIn);
        let signed_in = |site, club| Viewer::new(Some(site), club, false);
        assert_eq!(decide(signed_in("member", None), Rsvp, true), Forbidden);
        assert_eq!(
            decide(signed_in("member", Some("guest")), Rsvp, true),
            Allow
        );
        assert_eq!(decide(signed_in("admin", None), Rsvp, true), Forbidden);
        assert_eq!(
            decide(signed_in("admin", Some("member")), Rsvp, true),
            Allow,
            "site staff who belong to the club answer like members"
        );
        assert_eq!(
            decide(signed_in("moderator", Some("member")), CancelOrDelete, true),
            Allow,
            "and keep their site powers there"
        );
    }
}
