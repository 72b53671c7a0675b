//! Clubs over real HTTP: the authorization table of AUTHZ.md, one request per
//! cell, each checked by what it did (read back with the test's own owner
//! pool) and what it showed; who may create a club; and the member limit
//! under a race.
use std::collections::{BTreeMap, BTreeSet};

use crate::common::cast::{cast, club, Cast, Who, Who::*, EVERYONE};
use crate::common::{send_form, sign_up, spawn_app, spawn_app_for_a_crowd, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// Whose membership a role change or a removal is aimed at. The "other"
/// people hold that club role beside the cast, so an actor is never their
/// own target unless the cell says `Themself`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    OtherGuest,
    OtherMember,
    OtherModerator,
    OtherAdmin,
    TheOwner,
    Themself,
}
use Target::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    View,
    Join,
    Leave,
    /// The member list: names, roles, books read.
    Members,
    /// The same list, looked at for members' email and phone.
    Contacts,
    Edit,
    Delete,
    /// Give the target this club role.
    Role(Target, &'static str),
    Remove(Target),
    /// Hand the club over to the other member.
    HandOver,
    ListInvites,
    CreateInvite,
    RevokeInvite,
    /// Set one's own books-read count.
    BooksRead,
}
use Action::*;

const ACTIONS: [Action; 25] = [
    View,
    Join,
    Leave,
    Members,
    Contacts,
    Edit,
    Delete,
    Role(OtherGuest, "member"),
    Role(OtherMember, "moderator"),
    Role(OtherModerator, "member"),
    Role(OtherMember, "admin"),
    Role(OtherAdmin, "moderator"),
    Role(TheOwner, "member"),
    Role(Themself, "moderator"),
    Remove(OtherGuest),
    Remove(OtherMember),
    Remove(OtherModerator),
    Remove(OtherAdmin),
    Remove(TheOwner),
    Remove(Themself),
    HandOver,
    ListInvites,
    CreateInvite,
    RevokeInvite,
    BooksRead,
];

/// Expected HTTP status per actor, transcribed from AUTHZ.md ("Clubs") by
/// hand, never computed from the code's own table: 200 allowed, 403
/// refused, 401 must sign in (the "–" of a visitor: they are sent to sign
/// in), 404 answered as if it did not exist.
fn expected(action: Action, public: bool) -> [u16; 10] {
    //                                     Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let row: [u16; 10] = match action {
        View => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        // "join a public club": SGuest as CGuest, Out as Mem; the club's
        // people are in it already; site staff join like anyone. A private
        // club is "by invite": nobody joins it with this button.
        Join if public => [401, 200, 200, 403, 403, 403, 403, 403, 200, 200],
        Join => [401, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        // "leave": the owner only "after hand-over".
        Leave => [401, 403, 403, 200, 200, 200, 200, 403, 403, 403],
        // Contacts come with the member list: who may not list members gets
        // the list's refusal; the others get the list, with or without
        // contacts (see SEES_CONTACTS).
        Members | Contacts => [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
        Edit => [401, 403, 403, 403, 403, 403, 200, 200, 403, 200],
        Delete => [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
        // "change a member's role": CAdm "up to CMod, not other CAdm",
        // Owner and SAdm "any but Owner".
        Role(OtherGuest | OtherMember | OtherModerator, "guest" | "member" | "moderator") => {
            [401, 403, 403, 403, 403, 403, 200, 200, 403, 200]
        }
        Role(OtherGuest | OtherMember | OtherModerator, "admin") => {
            [401, 403, 403, 403, 403, 403, 403, 200, 403, 200]
        }
        Role(OtherAdmin, _) => [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
        Role(TheOwner, _) => [401, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        // Their own membership: a CAdm may step down ("not *other* CAdm"),
        // the Owner is the Owner; a SAdm who is not in the club has no
        // membership to change (404).
        Role(Themself, "moderator") => [401, 403, 403, 403, 403, 403, 200, 403, 403, 404],
        // "remove a member": CAdm "CGuest/Mem/CMod", Owner "anyone else",
        // SAdm "anyone but Owner".
        Remove(OtherGuest | OtherMember | OtherModerator) => {
            [401, 403, 403, 403, 403, 403, 200, 200, 403, 200]
        }
        Remove(OtherAdmin) => [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
        Remove(TheOwner) => [401, 403, 403, 403, 403, 403, 403, 403, 403, 403],
        Remove(Themself) => [401, 403, 403, 403, 403, 403, 403, 403, 403, 404],
        // "hand over ownership": Owner "Y (to a member)", SAdm.
        HandOver => [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
        // "create / revoke invite links" (and so see them).
        ListInvites | CreateInvite | RevokeInvite => {
            [401, 403, 403, 403, 403, 403, 200, 200, 403, 200]
        }
        // "update own books-read count": the club's people; nobody else
        // has a count there.
        BooksRead => [401, 403, 403, 200, 200, 200, 200, 200, 403, 403],
        Role(..) => unreachable!("{action:?}"),
    };
    let mut row = row;
    if !public {
        // A private club does not exist for Anon, SGuest and Out ("see a
        // private club page": 404, whatever they try).
        row[..3].copy_from_slice(&[404, 404, 404]);
    }
    row
}

/// "see members' email and phone", transcribed from AUTHZ.md: CAdm, Owner
/// and SAdm only.
fn sees_contacts(who: Who) -> bool {
    matches!(who, CAdm | Owner | SAdm)
}

/// Everyone's name and role in a fresh scene (the member list's content),
/// written out by hand.
const MEMBER_LIST: [(&str, &str); 9] = [
    ("Owner", "admin"),
    ("CAdm", "admin"),
    ("Other admin", "admin"),
    ("CMod", "moderator"),
    ("Other moderator", "moderator"),
    ("Mem", "member"),
    ("Other member", "member"),
    ("CGuest", "guest"),
    ("Other guest", "guest"),
];

/// The phone number each person in the scene has: different for each, so a
/// list that showed one person's number beside another's would not pass.
fn phone_of(name: &str) -> String {
    let n = MEMBER_LIST
        .iter()
        .chain([("SGuest", ""), ("Out", ""), ("SMod", ""), ("SAdm", "")].iter())
        .position(|(n, _)| *n == name)
        .expect("a person of the scene");
    format!("+44 20 7946 00{n:02}")
}

/// One cell's club: the cast's, with one more person in each club role
/// (targets that are never the actor), a live invitation link the owner
/// made, and everyone's contact details as the test wrote them.
struct Scene {
    club: Uuid,
    others: BTreeMap<&'static str, Uuid>,
    invite: Uuid,
    /// Name → (email, phone), as inserted.
    contacts: BTreeMap<String, (String, String)>,
}

async fn scene(pool: &PgPool, cast: &Cast, public: bool) -> Scene {
    let club = club(pool, cast, public).await;
    let mut others = BTreeMap::new();
    let mut contacts = BTreeMap::new();
    for who in [CGuest, Mem, CMod, CAdm, Owner] {
        let name = format!("{who:?}");
        let email = format!("{name}@example.com").to_lowercase();
        contacts.insert(name.clone(), (email, phone_of(&name)));
    }
    for (name, role) in [
        ("Other guest", "guest"),
        ("Other member", "member"),
        ("Other moderator", "moderator"),
        ("Other admin", "admin"),
    ] {
        let email = format!("{}.{club}@example.com", name.replace(' ', "."));
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO users (name, email, password_hash, phone) VALUES ($1, $2, 'x', $3) RETURNING id",
        )
        .bind(name)
        .bind(&email)
        .bind(phone_of(name))
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(club)
            .bind(id)
            .bind(role)
            .execute(pool)
            .await
            .unwrap();
        others.insert(role, id);
        contacts.insert(name.to_owned(), (email, phone_of(name)));
    }
    let invite: Uuid = sqlx::query_scalar(
        "INSERT INTO club_invites (club_id, token_hash, created_by, expires_at, max_uses)
         VALUES ($1, $2, $3, now() + interval '7 days', 5) RETURNING id",
    )
    .bind(club)
    .bind(Uuid::new_v4().simple().to_string())
    .bind(cast.ids[&Owner])
    .fetch_one(pool)
    .await
    .unwrap();
    Scene {
        club,
        others,
        invite,
        contacts,
    }
}

/// Gives every signed-in member of the cast the phone number of the scene.
async fn give_phones(pool: &PgPool, cast: &Cast) {
    for (who, id) in &cast.ids {
        sqlx::query("UPDATE users SET phone = $2 WHERE id = $1")
            .bind(id)
            .bind(phone_of(&format!("{who:?}")))
            .execute(pool)
            .await
            .unwrap();
    }
}

/// What the database holds about a club, read with the owner's pool: the
/// club row, every membership and every invitation, by people's names.
#[derive(Debug, Clone, Default, PartialEq)]
struct ClubState {
    club: Option<ClubRow>,
    members: BTreeMap<String, Membership>,
    invites: Vec<Invite>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
struct ClubRow {
    name: String,
    description: Option<String>,
    location: Option<String>,
    public: bool,
    owner: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Membership {
    role: String,
    active: bool,
    books_read: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Invite {
    made_by: String,
    max_uses: i32,
    revoked: bool,
}

async fn club_state(pool: &PgPool, club: Uuid) -> ClubState {
    let club_row: Option<ClubRow> = sqlx::query_as(
        "SELECT c.name, c.description, c.location, c.is_public AS public, u.name AS owner
           FROM clubs c JOIN users u ON u.id = c.owner_id WHERE c.id = $1",
    )
    .bind(club)
    .fetch_optional(pool)
    .await
    .unwrap();
    let members: Vec<(String, String, bool, i32)> = sqlx::query_as(
        "SELECT u.name, m.role::text, m.is_active, m.books_read
           FROM club_members m JOIN users u ON u.id = m.user_id WHERE m.club_id = $1",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap();
    let invites: Vec<(String, i32, bool)> = sqlx::query_as(
        "SELECT u.name, i.max_uses, i.revoked_at IS NOT NULL
           FROM club_invites i JOIN users u ON u.id = i.created_by
          WHERE i.club_id = $1 ORDER BY 1, 2, 3",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap();
    ClubState {
        club: club_row,
        members: members
            .into_iter()
            .map(|(name, role, active, books_read)| {
                (
                    name,
                    Membership {
                        role,
                        active,
                        books_read,
                    },
                )
            })
            .collect(),
        invites: invites
            .into_iter()
            .map(|(made_by, max_uses, revoked)| Invite {
                made_by,
                max_uses,
                revoked,
            })
            .collect(),
    }
}

fn target_name(target: Target, actor: Who) -> String {
    match target {
        OtherGuest => "Other guest".into(),
        OtherMember => "Other member".into(),
        OtherModerator => "Other moderator".into(),
        OtherAdmin => "Other admin".into(),
        TheOwner => "Owner".into(),
        Themself => format!("{actor:?}"),
    }
}

/// What an allowed action is meant to do to the club, worked out by hand
/// from `before`: the change the request asks for, and nothing else.
fn intended(action: Action, actor: Who, before: &ClubState) -> ClubState {
    let mut after = before.clone();
    let me = format!("{actor:?}");
    fn of<'a>(state: &'a mut ClubState, name: &str) -> &'a mut Membership {
        state.members.get_mut(name).expect("a member of the scene")
    }
    match action {
        View | Members | Contacts | ListInvites => {}
        Join => {
            let role = if actor == SGuest { "guest" } else { "member" };
            after.members.insert(
                me,
                Membership {
                    role: role.into(),
                    active: true,
                    books_read: 0,
                },
            );
        }
        Leave => of(&mut after, &me).active = false,
        Edit => {
            let club = after.club.as_mut().expect("the club");
            club.name = "Renamed".into();
            club.description = Some("Poems now".into());
            club.location = Some("Library".into());
            club.public = true;
        }
        // With its memberships and invitations.
        Delete => after = ClubState::default(),
        Role(target, role) => of(&mut after, &target_name(target, actor)).role = role.into(),
        Remove(target) => of(&mut after, &target_name(target, actor)).active = false,
        HandOver => {
            after.club.as_mut().expect("the club").owner = "Other member".into();
            of(&mut after, "Other member").role = "admin".into();
        }
        CreateInvite => {
            after.invites.push(Invite {
                made_by: me,
                max_uses: 1,
                revoked: false,
            });
            after.invites.sort();
        }
        // The scene's one invitation.
        RevokeInvite => {
            for invite in &mut after.invites {
                invite.revoked = true;
            }
        }
        BooksRead => of(&mut after, &me).books_read = 7,
    }
    after
}

/// Sends the cell's request; returns the status and the JSON body (null
/// when there is none).
async fn attempt(
    app: &TestApp,
    cast: &Cast,
    who: Who,
    action: Action,
    scene: &Scene,
) -> (u16, Value) {
    let club = scene.club.to_string();
    let target = |t: Target| -> String {
        match t {
            OtherGuest => scene.others["guest"].to_string(),
            OtherMember => scene.others["member"].to_string(),
            OtherModerator => scene.others["moderator"].to_string(),
            OtherAdmin => scene.others["admin"].to_string(),
            TheOwner => cast.ids[&Owner].to_string(),
            // A visitor has no account: nobody's id.
            Themself => cast
                .ids
                .get(&who)
                .copied()
                .unwrap_or_else(Uuid::new_v4)
                .to_string(),
        }
    };
    let (path, form): (&str, Vec<(&str, String)>) = match action {
        View => ("/api/clubs/view", vec![("id", club)]),
        Join => ("/api/clubs/join", vec![("id", club)]),
        Leave => ("/api/clubs/leave", vec![("id", club)]),
        Members | Contacts => ("/api/clubs/members", vec![("club", club)]),
        Edit => (
            "/api/clubs/update",
            vec![
                ("id", club),
                ("name", "Renamed".into()),
                ("description", "Poems now".into()),
                ("is_public", "on".into()),
                ("max_members", "".into()),
                ("meeting_frequency", "".into()),
                ("location", "Library".into()),
                ("tags", "".into()),
            ],
        ),
        Delete => (
            "/api/clubs/delete",
            vec![("id", club), ("confirm_name", "Readers".into())],
        ),
        Role(t, role) => (
            "/api/clubs/members/role",
            vec![("club", club), ("user", target(t)), ("role", role.into())],
        ),
        Remove(t) => (
            "/api/clubs/members/remove",
            vec![("club", club), ("user", target(t))],
        ),
        HandOver => (
            "/api/clubs/members/hand-over",
            vec![("club", club), ("user", target(OtherMember))],
        ),
        ListInvites => ("/api/clubs/invites", vec![("club", club)]),
        CreateInvite => (
            "/api/clubs/invites/create",
            vec![
                ("club", club),
                ("days", "7".into()),
                ("max_uses", "1".into()),
            ],
        ),
        RevokeInvite => (
            "/api/clubs/invites/revoke",
            vec![("club", club), ("invite", scene.invite.to_string())],
        ),
        BooksRead => (
            "/api/clubs/members/books-read",
            vec![("club", club), ("books_read", "7".into())],
        ),
    };
    send_form(app, &cast.clients[&who], path, &form).await
}

/// What a read showed, against what the spec lets this actor see: the thing
/// itself when `allowed`, and no part of it otherwise. `None` when right.
fn read_problem(
    action: Action,
    who: Who,
    allowed: bool,
    body: &Value,
    scene: &Scene,
) -> Option<String> {
    let text = body.to_string();
    let shows = |part: &str| text.contains(part);
    match action {
        View if allowed => (body["club"]["name"] != "Readers")
            .then(|| format!("the club's name is missing: {body}")),
        View => shows("Readers").then(|| format!("the club's name was shown: {body}")),
        Members | Contacts if !allowed => {
            (body["members"].is_array() || shows("Other member") || shows("@example.com"))
                .then(|| format!("members were shown: {body}"))
        }
        Members => {
            let listed: BTreeSet<(String, String)> = body["members"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| {
                    (
                        m["name"].as_str().unwrap_or("").to_owned(),
                        m["role"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            let want: BTreeSet<(String, String)> = MEMBER_LIST
                .iter()
                .map(|(n, r)| ((*n).to_owned(), (*r).to_owned()))
                .collect();
            (listed != want).then(|| format!("listed {listed:?}, expected {want:?}"))
        }
        Contacts => {
            let shown: BTreeMap<String, (Value, Value)> = body["members"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| {
                    (
                        m["name"].as_str().unwrap_or("").to_owned(),
                        (m["email"].clone(), m["phone"].clone()),
                    )
                })
                .collect();
            let want: BTreeMap<String, (Value, Value)> = scene
                .contacts
                .iter()
                .map(|(name, (email, phone))| {
                    let pair = if sees_contacts(who) {
                        (Value::from(email.as_str()), Value::from(phone.as_str()))
                    } else {
                        (Value::Null, Value::Null)
                    };
                    (name.clone(), pair)
                })
                .collect();
            (shown != want).then(|| format!("contacts {shown:?}, expected {want:?}"))
        }
        ListInvites if allowed => {
            let listed: Vec<(String, String)> = body
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| {
                    (
                        i["id"].as_str().unwrap_or("").to_owned(),
                        i["state"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            let want = vec![(scene.invite.to_string(), "active".to_owned())];
            (listed != want).then(|| format!("invitations {listed:?}, expected {want:?}"))
        }
        ListInvites => {
            shows(&scene.invite.to_string()).then(|| format!("an invitation was shown: {body}"))
        }
        _ => None,
    }
}

#[sqlx::test]
async fn every_cell_of_the_club_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    give_phones(&pool, &cast).await;
    let mut failures = Vec::new();
    for action in ACTIONS {
        for public in [true, false] {
            for (who, want) in EVERYONE.into_iter().zip(expected(action, public)) {
                // A fresh club per cell: every write changes it.
                let scene = scene(&pool, &cast, public).await;
                let before = club_state(&pool, scene.club).await;
                let (got, body) = attempt(&app, &cast, who, action, &scene).await;
                let after = club_state(&pool, scene.club).await;
                let cell = format!(
                    "{action:?} in a {} club as {who:?}",
                    if public { "public" } else { "private" }
                );
                if got != want {
                    failures.push(format!("{cell}: expected {want}, got {got} {body}"));
                }
                // The spec's word on the cell, not the answer's.
                let allowed = want == 200;
                let meant = if allowed {
                    intended(action, who, &before)
                } else {
                    before.clone()
                };
                if after != meant {
                    failures.push(format!(
                        "{cell}: {}\n  expected {meant:?}\n  found    {after:?}",
                        if allowed {
                            "not done as asked"
                        } else {
                            "changed the club"
                        }
                    ));
                }
                if let Some(problem) = read_problem(action, who, allowed, &body, &scene) {
                    failures.push(format!("{cell}: {problem}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

/// AUTHZ.md: "Any signed-in user except a site guest may create a club (and
/// becomes its Owner)." Transcribed per actor (the club roles are plain
/// accounts here: the club does not exist yet).
#[sqlx::test]
async fn every_actor_but_visitors_and_site_guests_may_create_a_club(pool: PgPool) {
    //                Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let expected = [401, 403, 200, 200, 200, 200, 200, 200, 200, 200];
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let mut failures = Vec::new();
    for (who, want) in EVERYONE.into_iter().zip(expected) {
        let name = format!("Club of {who:?}");
        let (got, body) = send_form(
            &app,
            &cast.clients[&who],
            "/api/clubs/create",
            &[
                ("name", name.as_str()),
                ("description", ""),
                ("max_members", ""),
                ("meeting_frequency", ""),
                ("location", ""),
                ("tags", ""),
            ],
        )
        .await;
        if got != want {
            failures.push(format!("{who:?}: expected {want}, got {got} {body}"));
        }
        // Who owns a club of that name, and in which role they are in it.
        let made: Vec<(Option<Uuid>, Option<String>)> = sqlx::query_as(
            "SELECT c.owner_id, m.role::text FROM clubs c
               LEFT JOIN club_members m ON m.club_id = c.id AND m.user_id = c.owner_id AND m.is_active
              WHERE c.name = $1",
        )
        .bind(&name)
        .fetch_all(&pool)
        .await
        .unwrap();
        let meant = if want == 200 {
            vec![(cast.ids.get(&who).copied(), Some("admin".to_owned()))]
        } else {
            Vec::new()
        };
        if made != meant {
            failures.push(format!("{who:?}: expected {meant:?}, found {made:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[sqlx::test]
async fn private_clubs_never_show_up_for_people_who_cannot_see_them(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let public = club(&pool, &cast, true).await;
    let private = club(&pool, &cast, false).await;
    sqlx::query(
        "UPDATE clubs SET name = 'Secret Sonnets Society', description = 'sonnets' WHERE id = $1",
    )
    .bind(private)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE clubs SET name = 'Open Sonnets Circle', description = 'sonnets' WHERE id = $1",
    )
    .bind(public)
    .execute(&pool)
    .await
    .unwrap();
    for (who, sees_private) in [
        (Anon, false),
        (SGuest, false),
        (Out, false),
        (Mem, true),
        (SAdm, true),
        (SMod, true),
    ] {
        let list: Value = cast.clients[&who]
            .post(app.url("/api/clubs/discover"))
            .form(&[("search", "sonnets"), ("tag", ""), ("page", "1")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let expected_total = if sees_private { 2 } else { 1 };
        assert_eq!(list["total"], expected_total, "{who:?}: {list}");
        let names: Vec<&str> = list["clubs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names.contains(&"Secret Sonnets Society"),
            sees_private,
            "{who:?}"
        );
    }
    // A private club's page is the same 404 as a club that does not exist.
    let page = app
        .client
        .get(app.url(&format!("/clubs/{private}")))
        .send()
        .await
        .unwrap();
    let missing = app
        .client
        .get(app.url(&format!("/clubs/{}", Uuid::new_v4())))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (page.status().as_u16(), missing.status().as_u16()),
        (404, 404)
    );
    app.stop().await;
}

/// Every page of discover with no search or tag, in name order, read by
/// `who`: the names in the order shown, and the total the first page states.
async fn discover_everything(app: &TestApp, client: &reqwest::Client) -> (Vec<String>, i64) {
    let mut names = Vec::new();
    let mut total = -1;
    for page in 1.. {
        let list: Value = client
            .post(app.url("/api/clubs/discover"))
            .form(&[
                ("search", ""),
                ("tag", ""),
                ("page", &page.to_string()),
                ("sort", "name"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if page == 1 {
            total = list["total"].as_i64().unwrap();
        }
        names.extend(
            list["clubs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned()),
        );
        if page >= list["pages"].as_i64().unwrap() {
            break;
        }
    }
    (names, total)
}

/// Discover with no search or tag reads a page in name order and takes its
/// total from a kept tally rather than counting the site, so both are
/// checked against the rule itself (AUTHZ.md: public clubs, and the private
/// ones a person belongs to; site staff see every club), for every actor,
/// before and after clubs are added, made private and deleted.
#[sqlx::test]
async fn discover_without_a_search_lists_and_counts_what_each_person_may_see(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let public = club(&pool, &cast, true).await;
    let private = club(&pool, &cast, false).await;
    // More than a page (twelve) of public clubs, named out of order.
    let mut extras = Vec::new();
    for i in 0..14 {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO clubs (name, owner_id, is_public) VALUES ($1, $2, true) RETURNING id",
        )
        .bind(format!("{} Readers", ["zeta", "Alpha", "mu"][i % 3]))
        .bind(cast.ids[&Owner])
        .fetch_one(&pool)
        .await
        .unwrap();
        extras.push(id);
    }
    let check = |when: &'static str| {
        let (app, cast, pool) = (&app, &cast, &pool);
        async move {
            let mut failures = Vec::new();
            for who in EVERYONE {
                let staff = matches!(who, SMod | SAdm);
                let expected: Vec<String> = sqlx::query_scalar(
                    "SELECT c.name FROM clubs c
                      WHERE c.is_public OR $1 OR EXISTS (SELECT 1 FROM club_members m
                            WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active)
                      ORDER BY lower(c.name), c.id",
                )
                .bind(staff)
                .bind(cast.ids.get(&who).copied())
                .fetch_all(pool)
                .await
                .unwrap();
                let (names, total) = discover_everything(app, &cast.clients[&who]).await;
                if total != expected.len() as i64 || names != expected {
                    failures.push(format!(
                        "{when}, {who:?}: expected {} {expected:?}, shown {total} {names:?}",
                        expected.len()
                    ));
                }
            }
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    };
    check("at first").await;
    sqlx::query("UPDATE clubs SET is_public = false WHERE id = $1")
        .bind(public)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE clubs SET is_public = true WHERE id = $1")
        .bind(private)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM clubs WHERE id = ANY($1)")
        .bind(&extras[..3])
        .execute(&pool)
        .await
        .unwrap();
    check("after changes").await;
    app.stop().await;
}

/// The kept tally of clubs (what discover's total and the home page's count
/// read) stays equal to a count of the table while clubs are created, made
/// private or public, and deleted at the same moment on many connections.
#[sqlx::test]
async fn the_club_tally_holds_when_clubs_change_at_once(pool: PgPool) {
    let owner: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Owner', 'owner@example.com', 'x') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                let id: Uuid = sqlx::query_scalar(
                    "INSERT INTO clubs (name, owner_id, is_public) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(format!("Club {i}"))
                .bind(owner)
                .bind(i % 2 == 0)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
                match i % 4 {
                    0 => {
                        sqlx::query("UPDATE clubs SET is_public = NOT is_public WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .unwrap();
                    }
                    1 => {
                        sqlx::query("DELETE FROM clubs WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .unwrap();
                    }
                    _ => {}
                }
                // Some of them change their mind: nothing of theirs may stay.
                if i % 6 == 5 {
                    tx.rollback().await.unwrap();
                } else {
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let counted: (i64, i64) =
        sqlx::query_as("SELECT count(*), count(*) FILTER (WHERE is_public) FROM clubs")
            .fetch_one(&pool)
            .await
            .unwrap();
    let kept: (i64, i64) =
        sqlx::query_as("SELECT all_clubs, public_clubs FROM bookwork_private.club_tally")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(kept, counted);
    // Worked out by hand: 24 made; the six with i % 4 == 1 deleted; of the
    // four rolled back (i % 6 == 5: 5, 11, 17, 23), 11 and 23 were not
    // deleted → 24 − 6 − 2 = 16 clubs. Public: the even ones, less those
    // flipped (i % 4 == 0) → i = 2, 6, 10, 14, 18, 22.
    assert_eq!(counted, (16, 6));
}

#[sqlx::test]
async fn forty_simultaneous_joins_for_five_free_places_give_five_members(pool: PgPool) {
    let app = spawn_app_for_a_crowd(pool.clone()).await;
    let owner: Uuid = sqlx::query_scalar("INSERT INTO users (name, email, password_hash) VALUES ('Owner', 'owner@example.com', 'x') RETURNING id")
        .fetch_one(&pool)
        .await
        .unwrap();
    let club: Uuid = sqlx::query_scalar("INSERT INTO clubs (name, owner_id, is_public, max_members) VALUES ('Small', $1, true, 6) RETURNING id")
        .bind(owner)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
        .bind(club)
        .bind(owner)
        .execute(&pool)
        .await
        .unwrap();

    // Forty signed-in people (signed up through the real endpoint).
    let mut joiners = Vec::new();
    for i in 0..40 {
        let c = sign_up(&app, "Joiner", &format!("joiner{i}@example.com")).await;
        joiners.push(c);
    }
    sqlx::query("DELETE FROM auth_attempts")
        .execute(&pool)
        .await
        .unwrap();

    let mut attempts = tokio::task::JoinSet::new();
    for c in joiners {
        let request = c
            .post(app.url("/api/clubs/join"))
            .form(&[("id", club.to_string())]);
        attempts.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = attempts.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        35,
        "the rest are told the club is full"
    );
    let members: i64 =
        sqlx::query_scalar("SELECT count(*) FROM club_members WHERE club_id = $1 AND is_active")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(members, 6);
    app.stop().await;
}

#[sqlx::test]
async fn deleting_a_club_needs_its_name_and_takes_its_events_with_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location) VALUES ($1, 'Talk', current_date + 3, '19:00', 'Library') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO event_items (event_id, name) VALUES ($1, 'Snacks')")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO availability (event_id, user_id, status) VALUES ($1, $2, 'available')",
    )
    .bind(event)
    .bind(cast.ids[&Mem])
    .execute(&pool)
    .await
    .unwrap();
    let owner = &cast.clients[&Owner];
    let wrong = owner
        .post(app.url("/api/clubs/delete"))
        .form(&[
            ("id", club.to_string().as_str()),
            ("confirm_name", "readers?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let right = owner
        .post(app.url("/api/clubs/delete"))
        .form(&[
            ("id", club.to_string().as_str()),
            ("confirm_name", "Readers"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    for table in [
        "clubs",
        "events",
        "event_items",
        "availability",
        "club_members",
    ] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    app.stop().await;
}

/// The names discover shows on its first page for `sort` (with `search`).
async fn discover_order(app: &TestApp, search: &str, sort: &str) -> Vec<String> {
    let list: Value = app
        .client
        .post(app.url("/api/clubs/discover"))
        .form(&[
            ("search", search),
            ("tag", ""),
            ("page", "1"),
            ("sort", sort),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["clubs"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Discover's orders, each checked against the rule worked out in SQL from
/// the rows themselves (not from the kept member count): most members
/// first (the default without a search), soonest next meeting first (clubs
/// without one last), and by name; and the count a club keeps follows
/// joining, leaving and removal over HTTP.
#[sqlx::test]
async fn discover_orders_clubs_by_size_by_next_meeting_and_by_name(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('O', 'o@example.com', 'x') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // Sonnets has 3 members, Haiku 1, Odes 4, Limericks 2; Odes meets in
    // ten days, Haiku in two (and had a meeting cancelled sooner), the
    // others never.
    let mut people = Vec::new();
    for i in 0..4 {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'x') RETURNING id",
        )
        .bind(format!("P{i}"))
        .bind(format!("p{i}@example.com"))
        .fetch_one(&pool)
        .await
        .unwrap();
        people.push(id);
    }
    for (name, members) in [("Sonnets", 3), ("Haiku", 1), ("Odes", 4), ("Limericks", 2)] {
        let club: Uuid = sqlx::query_scalar(
            "INSERT INTO clubs (name, owner_id, is_public, description) VALUES ($1, $2, true, 'poetry') RETURNING id",
        )
        .bind(name)
        .bind(owner)
        .fetch_one(&pool)
        .await
        .unwrap();
        for person in &people[..members] {
            sqlx::query("INSERT INTO club_members (club_id, user_id) VALUES ($1, $2)")
                .bind(club)
                .bind(person)
                .execute(&pool)
                .await
                .unwrap();
        }
        for (days, cancelled, meets) in
            [(10, false, "Odes"), (2, false, "Haiku"), (1, true, "Haiku")]
        {
            if meets == name {
                sqlx::query(
                    "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, cancelled_at)
                     VALUES ($1, 'Meet', current_date + $2::int, '19:00', 'Library', true,
                             CASE WHEN $3 THEN now() END)",
                )
                .bind(club)
                .bind(days)
                .bind(cancelled)
                .execute(&pool)
                .await
                .unwrap();
            }
        }
    }
    let by = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let by_size = by(
        "SELECT c.name FROM clubs c ORDER BY (SELECT count(*) FROM club_members m
           WHERE m.club_id = c.id AND m.is_active) DESC, lower(c.name)",
    )
    .await;
    assert_eq!(
        by_size,
        ["Odes", "Sonnets", "Limericks", "Haiku"],
        "the world as meant"
    );
    let by_meeting = by(
        "SELECT c.name FROM clubs c ORDER BY (SELECT min(e.starts_at) FROM events e
           WHERE e.club_id = c.id AND e.starts_at > now() AND e.cancelled_at IS NULL) NULLS LAST, lower(c.name)",
    )
    .await;
    let by_name = by("SELECT name FROM clubs ORDER BY lower(name)").await;

    assert_eq!(discover_order(&app, "", "").await, by_size, "the default");
    assert_eq!(discover_order(&app, "", "size").await, by_size);
    assert_eq!(discover_order(&app, "", "soon").await, by_meeting);
    assert_eq!(discover_order(&app, "", "name").await, by_name);
    assert_eq!(discover_order(&app, "", "nonsense").await, by_size);
    // The same orders among a search's matches.
    assert_eq!(discover_order(&app, "poetry", "size").await, by_size);
    assert_eq!(discover_order(&app, "poetry", "soon").await, by_meeting);
    assert_eq!(discover_order(&app, "poetry", "name").await, by_name);

    // The kept count follows the members, whichever way they change.
    let kept_is_counted = || {
        let pool = pool.clone();
        async move {
            let wrong: Vec<String> = sqlx::query_scalar(
                "SELECT c.name FROM clubs c WHERE c.member_total <>
                   (SELECT count(*) FROM club_members m WHERE m.club_id = c.id AND m.is_active)",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            assert!(wrong.is_empty(), "kept counts gone wrong: {wrong:?}");
        }
    };
    kept_is_counted().await;
    let cast = cast(&app, &pool).await;
    let open = club(&pool, &cast, true).await;
    let open = open.to_string();
    let (status, body) = crate::common::call(
        &app,
        &cast.clients[&Out],
        "/api/clubs/join",
        &[("id", &open)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    kept_is_counted().await;
    let (status, body) = crate::common::call(
        &app,
        &cast.clients[&Out],
        "/api/clubs/leave",
        &[("id", &open)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let member = cast.ids[&Mem].to_string();
    let (status, body) = crate::common::call(
        &app,
        &cast.clients[&Owner],
        "/api/clubs/members/remove",
        &[("club", &open), ("user", &member)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    kept_is_counted().await;
    sqlx::query("DELETE FROM clubs WHERE id = $1::uuid")
        .bind(&open)
        .execute(&pool)
        .await
        .unwrap();
    kept_is_counted().await;
    app.stop().await;
}
