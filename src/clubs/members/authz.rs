//! Who may change a member's role or remove them: the rules about a member
//! as the *target* of an action ("up to CMod, not other CAdm" in AUTHZ.md),
//! which the club table in `clubs/authz.rs` cannot hold (its cells are about
//! the actor only). Only the members page acts on other members, so the
//! rules live with it.
use crate::clubs::authz::{Actor, Viewer, CLUB_ROLES};

use Actor::*;

/// The standing of a member as a target of role changes and removal.
pub fn member_actor(club_role: &str, is_owner: bool) -> Actor {
    Viewer::new(Some("member"), Some(club_role), is_owner)
        .club
        .unwrap_or(Outsider)
}

/// May `actor` give a member who is `target` the club role `to`
/// (`themself`: the actor's own membership)? Club admins manage up to
/// moderator and never *other* admins, so an admin may step down themself;
/// the owner and site admins manage anyone but the owner (ownership moves by
/// hand-over only).
pub fn may_change_role(actor: Actor, target: Actor, to: &str, themself: bool) -> bool {
    if !CLUB_ROLES.contains(&to) || target == Owner {
        return false;
    }
    match actor {
        ClubAdmin => {
            (themself || matches!(target, ClubGuest | Member | ClubModerator)) && to != "admin"
        }
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
        assert!(may_change_role(ClubAdmin, Member, "moderator", false));
        assert!(
            !may_change_role(ClubAdmin, Member, "admin", false),
            "never above their own level"
        );
        assert!(
            !may_change_role(ClubAdmin, ClubAdmin, "member", false),
            "not other club admins"
        );
        assert!(
            may_change_role(ClubAdmin, ClubAdmin, "moderator", true),
            "but they may step down themself"
        );
        assert!(may_change_role(Owner, ClubAdmin, "member", false));
        assert!(!may_change_role(Owner, Owner, "member", true));
        assert!(may_change_role(SiteAdmin, ClubAdmin, "moderator", false));
        assert!(!may_change_role(ClubModerator, Member, "guest", false));
        assert!(!may_change_role(
            ClubModerator,
            ClubModerator,
            "guest",
            true
        ));
        assert!(!may_change_role(Owner, Member, "overlord", false));
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
