//! Who may do what in a club: the rules of AUTHZ.md, written down once.
//! Server functions ask [`decide`]; the HTTP tests are generated from
//! [`RULES`], one per cell.
use serde::{Deserialize, Serialize};

/// Everyone who can stand in front of a club, from the club's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Anonymous,
    SiteGuest,
    /// Signed in, not a member (or removed).
    Outsider,
    ClubGuest,
    Member,
    ClubModerator,
    ClubAdmin,
    Owner,
    SiteModerator,
    SiteAdmin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClubAction {
    ViewPublic,
    ViewPrivate,
    ListMembers,
    SeeContacts,
    Edit,
    Delete,
    JoinPublic,
    Leave,
    ManageInvites,
    HandOver,
}

/// What happens when an actor tries an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    /// Answered exactly as for a club that does not exist.
    NotFound,
    /// Visible, but not theirs to do: 403 with a message.
    Forbidden,
    /// Needs an account: sent to sign in.
    SignIn,
}

use Actor::*;
use ClubAction::*;
use Decision::*;

pub const ACTORS: [Actor; 10] = [
    Anonymous,
    SiteGuest,
    Outsider,
    ClubGuest,
    Member,
    ClubModerator,
    ClubAdmin,
    Owner,
    SiteModerator,
    SiteAdmin,
];

/// The table, action by action, in the order of [`ACTORS`].
pub const RULES: [(ClubAction, [Decision; 10]); 10] = [
    (
        ViewPublic,
        [
            Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        ViewPrivate,
        [
            NotFound, NotFound, NotFound, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        ListMembers,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Allow, Allow, Allow,
        ],
    ),
    (
        SeeContacts,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    (
        Edit,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    (
        Delete,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow,
            Forbidden, Allow,
        ],
    ),
    // Members are already in; site staff act through their site role.
    (
        JoinPublic,
        [
            SignIn, Allow, Allow, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow,
            Allow,
        ],
    ),
    // The owner must hand the club over first.
    (
        Leave,
        [
            SignIn, Forbidden, Forbidden, Allow, Allow, Allow, Allow, Forbidden, Forbidden,
            Forbidden,
        ],
    ),
    (
        ManageInvites,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
    (
        HandOver,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow,
            Forbidden, Allow,
        ],
    ),
];

/// The decision for `actor` doing `action` on a club. For a private club the
/// people who may not see it get `NotFound` whatever they try, and nobody
/// joins it without an invitation.
pub fn decide(actor: Actor, action: ClubAction, club_is_public: bool) -> Decision {
    if !club_is_public && rule(actor, ViewPrivate) == NotFound {
        return NotFound;
    }
    if action == JoinPublic && !club_is_public {
        return if rule(actor, JoinPublic) == Allow {
            Forbidden
        } else {
            rule(actor, JoinPublic)
        };
    }
    rule(actor, action)
}

fn rule(actor: Actor, action: ClubAction) -> Decision {
    let column = ACTORS
        .iter()
        .position(|a| *a == actor)
        .expect("every actor is in the table");
    RULES
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, row)| row[column])
        .expect("every action is in the table")
}

/// The actor for a viewer with this site role and (active) club role.
pub fn actor(site_role: Option<&str>, club_role: Option<&str>, is_owner: bool) -> Actor {
    match (site_role, club_role, is_owner) {
        (None, _, _) => Anonymous,
        (Some(_), _, true) => Owner,
        // A site admin keeps their powers in clubs they happen to belong to.
        (Some("admin"), _, _) => SiteAdmin,
        (Some(_), Some("admin"), _) => ClubAdmin,
        (Some(_), Some("moderator"), _) => ClubModerator,
        (Some(_), Some("member"), _) => Member,
        (Some(_), Some("guest"), _) => ClubGuest,
        (Some("moderator"), _, _) => SiteModerator,
        (Some("guest"), _, _) => SiteGuest,
        (Some(_), _, _) => Outsider,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outsiders_cannot_learn_that_a_private_club_exists() {
        for actor in [Anonymous, SiteGuest, Outsider] {
            for (action, _) in RULES {
                assert_eq!(
                    decide(actor, action, false),
                    NotFound,
                    "{actor:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn roles_map_to_actors() {
        assert_eq!(actor(None, None, false), Anonymous);
        assert_eq!(actor(Some("member"), None, false), Outsider);
        assert_eq!(actor(Some("guest"), None, false), SiteGuest);
        assert_eq!(actor(Some("admin"), Some("member"), false), SiteAdmin);
        assert_eq!(actor(Some("moderator"), Some("member"), false), Member);
        assert_eq!(actor(Some("member"), Some("admin"), true), Owner);
    }
}
