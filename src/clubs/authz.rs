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

/// The standing of a member as a target of role changes and removal.
pub fn member_actor(club_role: &str, is_owner: bool) -> Actor {
    actor(Some("member"), Some(club_role), is_owner)
}

pub const CLUB_ROLES: [&str; 4] = ["admin", "moderator", "member", "guest"];

/// May `actor` give a member who is `target` the club role `to`? Club admins
/// manage up to moderator and never other admins; the owner and site admins
/// manage anyone but the owner (ownership moves by hand-over only).
pub fn may_change_role(actor: Actor, target: Actor, to: &str) -> bool {
    if !CLUB_ROLES.contains(&to) || target == Owner {
        return false;
    }
    match actor {
        ClubAdmin => matches!(target, ClubGuest | Member | ClubModerator) && to != "admin",
        Owner | SiteAdmin => true,
        _ => false,
    }
}

/// May `actor` remove a member who is `target`?
pub fn may_remove(actor: Actor, target: Actor) -> bool {
    match actor {
        ClubAdmin => matches!(target, ClubGuest | Member | ClubModerator),
        Owner | SiteAdmin => target != Owner,
        _ => false,
    }
}

#[cfg(test)]
mod member_rules {
    use super::*;

    #[test]
    fn role_changes_follow_the_table() {
        assert!(may_change_role(ClubAdmin, Member, "moderator"));
        assert!(
            !may_change_role(ClubAdmin, Member, "admin"),
            "never above their own level"
        );
        assert!(
            !may_change_role(ClubAdmin, ClubAdmin, "member"),
            "not other club admins"
        );
        assert!(may_change_role(Owner, ClubAdmin, "member"));
        assert!(!may_change_role(Owner, Owner, "member"));
        assert!(may_change_role(SiteAdmin, ClubAdmin, "moderator"));
        assert!(!may_change_role(ClubModerator, Member, "guest"));
        assert!(!may_change_role(Owner, Member, "overlord"));
    }

    #[test]
    fn removals_follow_the_table() {
        assert!(may_remove(ClubAdmin, ClubModerator));
        assert!(!may_remove(ClubAdmin, ClubAdmin));
        assert!(may_remove(Owner, ClubAdmin));
        assert!(!may_remove(SiteAdmin, Owner));
        assert!(!may_remove(Member, ClubGuest));
    }
}
