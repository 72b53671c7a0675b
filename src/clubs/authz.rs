//! Who may do what in a club: the rules of AUTHZ.md, written down once.
//! Server functions ask [`decide`]; the HTTP tests are generated from
//! [`RULES`], one per cell. Which members a role change or removal may touch
//! is in `members/authz.rs`.
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
    /// Ask to join a public club that takes new members by request.
    AskToJoin,
    /// See a club's requests to join, and approve or decline them.
    AnswerJoinRequests,
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
pub const RULES: [(ClubAction, [Decision; 10]); 12] = [
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
    // Members are already in; site staff join without asking.
    (
        AskToJoin,
        [
            SignIn, Allow, Allow, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden,
            Forbidden,
        ],
    ),
    (
        AnswerJoinRequests,
        [
            SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow, Forbidden,
            Allow,
        ],
    ),
];

/// Who someone is to a club: the column of their site role, and the column
/// of their club role when they belong to the club. Site staff who are also
/// members stand in both columns and get what either allows: a site admin
/// who is a member answers invitations to meetings like any member, a site
/// moderator who is a member still moderates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Viewer {
    /// `Anonymous`, `SiteGuest`, `Outsider` (a plain account), `SiteModerator`
    /// or `SiteAdmin`.
    pub site: Actor,
    /// `ClubGuest`, `Member`, `ClubModerator`, `ClubAdmin` or `Owner`; `None`
    /// for anyone not (or no longer) in the club.
    pub club: Option<Actor>,
}

impl Viewer {
    /// A visitor who is not signed in.
    pub const ANONYMOUS: Viewer = Viewer {
        site: Anonymous,
        club: None,
    };

    /// The viewer with this site role (`None` when not signed in), active
    /// club role and ownership.
    pub fn new(site_role: Option<&str>, club_role: Option<&str>, is_owner: bool) -> Viewer {
        let Some(site_role) = site_role else {
            return Viewer::ANONYMOUS;
        };
        let site = match site_role {
            "admin" => SiteAdmin,
            "moderator" => SiteModerator,
            "guest" => SiteGuest,
            _ => Outsider,
        };
        let club = if is_owner {
            Some(Owner)
        } else {
            match club_role {
                Some("admin") => Some(ClubAdmin),
                Some("moderator") => Some(ClubModerator),
                Some("member") => Some(Member),
                Some("guest") => Some(ClubGuest),
                _ => None,
            }
        };
        Viewer { site, club }
    }

    /// In the club (any club role, owner included)?
    pub fn is_member(&self) -> bool {
        self.club.is_some()
    }

    /// Does either of their columns pass `test`?
    pub fn any(&self, test: impl Fn(Actor) -> bool) -> bool {
        test(self.site) || self.club.is_some_and(test)
    }

    /// The most permissive of what each of their columns decides.
    pub fn decide_with(&self, decide: impl Fn(Actor) -> Decision) -> Decision {
        let site = decide(self.site);
        match self.club {
            None => site,
            Some(club) => most_permissive(site, decide(club)),
        }
    }
}

/// One cell of a club feature's table (events, books, polls): for something
/// that is not `public`, the people who may not see the club are answered
/// as if it did not exist; everyone else gets their column of `action`'s row.
pub fn table_cell<A: PartialEq + Copy>(
    rules: &[(A, [Decision; 10])],
    actor: Actor,
    action: A,
    public: bool,
) -> Decision {
    if !public && matches!(actor, Anonymous | SiteGuest | Outsider) {
        return NotFound;
    }
    let column = ACTORS
        .iter()
        .position(|a| *a == actor)
        .expect("every actor is in the table");
    rules
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, row)| row[column])
        .expect("every action is in the table")
}

/// Allow over Forbidden (visible, not theirs) over SignIn over NotFound.
fn most_permissive(a: Decision, b: Decision) -> Decision {
    let rank = |d: Decision| match d {
        NotFound => 0,
        SignIn => 1,
        Forbidden => 2,
        Allow => 3,
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

/// Joining a club directly, for a club that may take new members only by
/// request (`by_request`): then those who could join must ask instead
/// (Forbidden here, `AskToJoin` for them), site staff aside.
pub fn decide_join(viewer: Viewer, club_is_public: bool, by_request: bool) -> Decision {
    let joining = decide(viewer, JoinPublic, club_is_public);
    let staff = viewer.any(|a| matches!(a, SiteModerator | SiteAdmin));
    if by_request && joining == Allow && !staff {
        Forbidden
    } else {
        joining
    }
}

/// [`decide_join`] for one column of the table (the spec's cells).
pub fn decide_join_for(actor: Actor, club_is_public: bool, by_request: bool) -> Decision {
    let joining = decide_for(actor, JoinPublic, club_is_public);
    if by_request && joining == Allow && !matches!(actor, SiteModerator | SiteAdmin) {
        Forbidden
    } else {
        joining
    }
}

/// Asking to join happens only where there is no other way in (a public
/// club that takes requests) and never for a private club, which outsiders
/// may not even see.
pub fn decide_ask(viewer: Viewer, club_is_public: bool, by_request: bool) -> Decision {
    let asking = decide(viewer, AskToJoin, club_is_public);
    if asking == Allow && !(club_is_public && by_request) {
        Forbidden
    } else {
        asking
    }
}

/// The decision for `viewer` doing `action` on a club.
pub fn decide(viewer: Viewer, action: ClubAction, club_is_public: bool) -> Decision {
    // Joining is about belonging, not powers: someone in the club is in it
    // whatever their site role allows.
    if let (JoinPublic | AskToJoin, Some(club)) = (action, viewer.club) {
        return decide_for(club, action, club_is_public);
    }
    viewer.decide_with(|actor| decide_for(actor, action, club_is_public))
}

/// The decision for one column of the table. For a private club the people
/// who may not see it get `NotFound` whatever they try, and nobody joins it
/// without an invitation.
pub fn decide_for(actor: Actor, action: ClubAction, club_is_public: bool) -> Decision {
    if !club_is_public && rule(actor, ViewPrivate) == NotFound {
        return NotFound;
    }
    if matches!(action, JoinPublic | AskToJoin) && !club_is_public {
        return if rule(actor, action) == Allow {
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

pub const CLUB_ROLES: [&str; 4] = ["admin", "moderator", "member", "guest"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outsiders_cannot_learn_that_a_private_club_exists() {
        for actor in [Anonymous, SiteGuest, Outsider] {
            for (action, _) in RULES {
                assert_eq!(
                    decide_for(actor, action, false),
                    NotFound,
                    "{actor:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn roles_map_to_viewers() {
        let v = Viewer::new;
        assert_eq!(v(None, None, false), Viewer::ANONYMOUS);
        assert_eq!(v(Some("member"), None, false).site, Outsider);
        assert_eq!(v(Some("guest"), None, false).site, SiteGuest);
        let staff_member = v(Some("admin"), Some("member"), false);
        assert_eq!(
            (staff_member.site, staff_member.club),
            (SiteAdmin, Some(Member))
        );
        assert_eq!(v(Some("member"), Some("admin"), true).club, Some(Owner));
        assert_eq!(
            v(Some("moderator"), Some("member"), false).site,
            SiteModerator
        );
    }

    #[test]
    fn every_club_role_and_the_owner_are_in_the_club_and_nobody_else_is() {
        for role in CLUB_ROLES {
            assert!(
                Viewer::new(Some("member"), Some(role), false).is_member(),
                "{role}"
            );
        }
        assert!(Viewer::new(Some("member"), None, true).is_member(), "owner");
        for site_role in [
            None,
            Some("guest"),
            Some("member"),
            Some("moderator"),
            Some("admin"),
        ] {
            assert!(
                !Viewer::new(site_role, None, false).is_member(),
                "{site_role:?} without a club role"
            );
        }
    }

    #[test]
    fn a_viewer_passes_a_test_when_either_column_does() {
        let staff_member = Viewer::new(Some("admin"), Some("member"), false);
        assert!(staff_member.any(|a| a == SiteAdmin), "the site column");
        assert!(staff_member.any(|a| a == Member), "the club column");
        assert!(!staff_member.any(|a| a == Owner), "neither");
        assert!(
            !Viewer::ANONYMOUS.any(|a| a == Member),
            "no club column to pass"
        );
    }

    /// AUTHZ.md: "join a private club: 404 | by invite | by invite", blank for
    /// everyone in it and for site staff. Those who may see it are refused
    /// (403), those who may not get 404, nobody is let in without an invite.
    #[test]
    fn nobody_joins_a_private_club_without_an_invitation() {
        for actor in ACTORS {
            let expected = if matches!(actor, Anonymous | SiteGuest | Outsider) {
                NotFound
            } else {
                Forbidden
            };
            assert_eq!(decide_for(actor, JoinPublic, false), expected, "{actor:?}");
        }
    }

    /// Everything but joining is the same in a private club as in a public
    /// one for those who may see it.
    #[test]
    fn a_private_club_differs_only_in_who_sees_it_and_who_joins() {
        for actor in [
            ClubGuest,
            Member,
            ClubModerator,
            ClubAdmin,
            Owner,
            SiteModerator,
            SiteAdmin,
        ] {
            for (action, _) in RULES {
                if !matches!(action, JoinPublic | AskToJoin) {
                    assert_eq!(
                        decide_for(actor, action, false),
                        decide_for(actor, action, true),
                        "{actor:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn site_staff_who_are_members_get_what_either_role_allows() {
        let admin_member = Viewer::new(Some("admin"), Some("member"), false);
        assert_eq!(
            decide(admin_member, Leave, true),
            Allow,
            "members may leave"
        );
        assert_eq!(
            decide(admin_member, Delete, true),
            Allow,
            "site admins delete"
        );
        assert_eq!(
            decide(admin_member, JoinPublic, true),
            Forbidden,
            "already in"
        );
        let moderator_member = Viewer::new(Some("moderator"), Some("member"), false);
        assert_eq!(decide(moderator_member, ViewPrivate, false), Allow);
        assert_eq!(decide(moderator_member, Edit, true), Forbidden);
        let owner_admin = Viewer::new(Some("admin"), Some("admin"), true);
        assert_eq!(
            decide(owner_admin, Leave, true),
            Forbidden,
            "the owner hands over first"
        );
    }
}
