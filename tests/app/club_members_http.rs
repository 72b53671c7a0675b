//! Club members and invitation links over real HTTP.
use crate::common::{call, cookie_client, private_club, sign_up, spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

async fn person(app: &TestApp, pool: &PgPool, name: &str) -> (reqwest::Client, Uuid) {
    let email = format!("{name}@example.com");
    let c = sign_up(app, name, &email).await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(pool)
        .await
        .unwrap();
    (c, id)
}

/// `user`'s membership of `club` as (role, active, books read), read with
/// the test's owner pool; `None` when they never joined.
async fn membership(pool: &PgPool, club: &str, user: &str) -> Option<(String, bool, i32)> {
    sqlx::query_as(
        "SELECT role::text, is_active, books_read FROM club_members WHERE club_id = $1::uuid AND user_id = $2::uuid",
    )
    .bind(club)
    .bind(user)
    .fetch_optional(pool)
    .await
    .unwrap()
}

fn active(role: &str, books_read: i32) -> Option<(String, bool, i32)> {
    Some((role.to_owned(), true, books_read))
}

/// The club's invitation links as (uses, max uses, revoked), oldest first.
async fn invitations(pool: &PgPool, club: &str) -> Vec<(i32, i32, bool)> {
    sqlx::query_as(
        "SELECT uses, max_uses, revoked_at IS NOT NULL FROM club_invites WHERE club_id = $1::uuid ORDER BY created_at, id",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn invite(
    app: &TestApp,
    owner: &reqwest::Client,
    club: &str,
    days: &str,
    uses: &str,
) -> String {
    let (status, link) = call(
        app,
        owner,
        "/api/clubs/invites/create",
        &[("club", club), ("days", days), ("max_uses", uses)],
    )
    .await;
    assert_eq!(status, 200, "{link}");
    // The whole link, to paste anywhere: the server's public address first.
    let link = link.as_str().unwrap();
    assert!(link.starts_with("http"), "{link}");
    link.rsplit_once("/invite/").unwrap().1.to_owned()
}

#[sqlx::test]
async fn invitation_links_valid_expired_exhausted_revoked_and_reused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, _) = person(&app, &pool, "owner").await;
    let club = private_club(&app, &owner).await;

    // Valid: a signed-in person joins.
    let token = invite(&app, &owner, &club, "7", "1").await;
    let (ann, ann_id) = person(&app, &pool, "ann").await;
    let ann_id = ann_id.to_string();
    assert_eq!(
        call(&app, &ann, "/api/clubs/view", &[("id", &club)])
            .await
            .0,
        404,
        "hidden before joining"
    );
    let (status, status_body) = call(&app, &ann, "/api/invites/status", &[("token", &token)]).await;
    assert_eq!(status, 200);
    assert!(status_body.get("Valid").is_some(), "{status_body}");
    assert_eq!(
        call(&app, &ann, "/api/invites/accept", &[("token", &token)])
            .await
            .0,
        200
    );
    assert_eq!(membership(&pool, &club, &ann_id).await, active("member", 0));
    assert_eq!(invitations(&pool, &club).await, [(1, 1, false)]);
    assert_eq!(
        call(&app, &ann, "/api/clubs/view", &[("id", &club)])
            .await
            .0,
        200
    );

    // Reused by a member: said plainly.
    let (status, body) = call(&app, &ann, "/api/invites/accept", &[("token", &token)]).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("already a member"), "{body}");

    assert_eq!(
        invitations(&pool, &club).await,
        [(1, 1, false)],
        "not used twice"
    );

    // Exhausted: one use only.
    let (bob, bob_id) = person(&app, &pool, "bob").await;
    let bob_id = bob_id.to_string();
    let (status, body) = call(&app, &bob, "/api/invites/accept", &[("token", &token)]).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("used up"), "{body}");
    assert_eq!(membership(&pool, &club, &bob_id).await, None);

    // Expired.
    let expiring = invite(&app, &owner, &club, "1", "5").await;
    sqlx::query("UPDATE club_invites SET created_at = now() - interval '3 days', expires_at = now() - interval '1 day' WHERE max_uses = 5")
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = call(&app, &bob, "/api/invites/accept", &[("token", &expiring)]).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("expired"), "{body}");
    assert_eq!(membership(&pool, &club, &bob_id).await, None);

    // Revoked.
    let revocable = invite(&app, &owner, &club, "7", "5").await;
    let (_, list) = call(&app, &owner, "/api/clubs/invites", &[("club", &club)]).await;
    let active = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["state"] == "active")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        call(
            &app,
            &owner,
            "/api/clubs/invites/revoke",
            &[("club", &club), ("invite", &active)]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        invitations(&pool, &club).await,
        // The expired link was made "three days ago", so it comes first.
        [(0, 5, false), (1, 1, false), (0, 5, true)],
        "the active one, and only it, is revoked"
    );
    let (status, body) = call(&app, &bob, "/api/invites/accept", &[("token", &revocable)]).await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("withdrawn"), "{body}");
    assert_eq!(membership(&pool, &club, &bob_id).await, None);
    let links = invitations(&pool, &club).await;

    // Only club admins (and the owner, and site admins) manage links; others get 403, outsiders 404.
    assert_eq!(
        call(
            &app,
            &ann,
            "/api/clubs/invites/create",
            &[("club", &club), ("days", "7"), ("max_uses", "1")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &app,
            &bob,
            "/api/clubs/invites/create",
            &[("club", &club), ("days", "7"), ("max_uses", "1")]
        )
        .await
        .0,
        404
    );
    assert_eq!(
        call(
            &app,
            &cookie_client(),
            "/api/clubs/invites/create",
            &[("club", &club), ("days", "7"), ("max_uses", "1")]
        )
        .await
        .0,
        404
    );
    assert_eq!(invitations(&pool, &club).await, links, "no link was made");
    app.stop().await;
}

/// The member list as (name, email), in its order.
fn names_and_emails(list: &serde_json::Value) -> Vec<(&str, Option<&str>)> {
    list["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["email"].as_str()))
        .collect()
}

async fn owner_of(pool: &PgPool, club: &str) -> String {
    sqlx::query_scalar::<_, Uuid>("SELECT owner_id FROM clubs WHERE id = $1::uuid")
        .bind(club)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

#[sqlx::test]
async fn members_roles_removal_and_hand_over(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, owner_id) = person(&app, &pool, "owner").await;
    let owner_id = owner_id.to_string();
    let club = private_club(&app, &owner).await;
    let mut people = Vec::new();
    for name in ["ann", "bob", "cid"] {
        let (c, id) = person(&app, &pool, name).await;
        let token = invite(&app, &owner, &club, "7", "1").await;
        assert_eq!(
            call(&app, &c, "/api/invites/accept", &[("token", &token)])
                .await
                .0,
            200
        );
        people.push((c, id.to_string()));
    }
    let (ann, ann_id) = &people[0];
    let (bob, bob_id) = &people[1];
    let (_, cid_id) = &people[2];

    // Members see names, roles and books read, but not contact details.
    let (status, list) = call(&app, ann, "/api/clubs/members", &[("club", &club)]).await;
    assert_eq!(status, 200);
    assert_eq!(
        names_and_emails(&list),
        [("owner", None), ("ann", None), ("bob", None), ("cid", None)]
    );
    let (_, as_owner) = call(&app, &owner, "/api/clubs/members", &[("club", &club)]).await;
    assert_eq!(
        names_and_emails(&as_owner),
        [
            ("owner", Some("owner@example.com")),
            ("ann", Some("ann@example.com")),
            ("bob", Some("bob@example.com")),
            ("cid", Some("cid@example.com"))
        ]
    );

    // A member may not change roles; the owner may.
    assert_eq!(
        call(
            &app,
            ann,
            "/api/clubs/members/role",
            &[("club", &club), ("user", bob_id), ("role", "moderator")]
        )
        .await
        .0,
        403
    );
    assert_eq!(membership(&pool, &club, bob_id).await, active("member", 0));
    assert_eq!(
        call(
            &app,
            &owner,
            "/api/clubs/members/role",
            &[("club", &club), ("user", ann_id), ("role", "admin")]
        )
        .await
        .0,
        200
    );
    assert_eq!(membership(&pool, &club, ann_id).await, active("admin", 0));
    // A club admin manages up to moderator, never another admin or the owner.
    assert_eq!(
        call(
            &app,
            ann,
            "/api/clubs/members/role",
            &[("club", &club), ("user", bob_id), ("role", "moderator")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        membership(&pool, &club, bob_id).await,
        active("moderator", 0)
    );
    assert_eq!(
        call(
            &app,
            ann,
            "/api/clubs/members/role",
            &[("club", &club), ("user", bob_id), ("role", "admin")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        membership(&pool, &club, bob_id).await,
        active("moderator", 0)
    );
    assert_eq!(
        call(
            &app,
            ann,
            "/api/clubs/members/remove",
            &[("club", &club), ("user", &owner_id)]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        membership(&pool, &club, &owner_id).await,
        active("admin", 0)
    );
    assert_eq!(
        call(
            &app,
            ann,
            "/api/clubs/members/remove",
            &[("club", &club), ("user", cid_id)]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        membership(&pool, &club, cid_id).await,
        Some(("member".to_owned(), false, 0)),
        "removed: the row stays, inactive"
    );

    // Books read: each member their own.
    assert_eq!(
        call(
            &app,
            bob,
            "/api/clubs/members/books-read",
            &[("club", &club), ("books_read", "7")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        membership(&pool, &club, bob_id).await,
        active("moderator", 7)
    );
    assert_eq!(
        membership(&pool, &club, ann_id).await,
        active("admin", 0),
        "only their own"
    );
    assert_eq!(
        call(
            &app,
            bob,
            "/api/clubs/members/books-read",
            &[("club", &club), ("books_read", "-1")]
        )
        .await
        .0,
        422
    );
    assert_eq!(
        membership(&pool, &club, bob_id).await,
        active("moderator", 7)
    );

    // The owner cannot leave until they hand over; then they can.
    assert_eq!(
        call(&app, &owner, "/api/clubs/leave", &[("id", &club)])
            .await
            .0,
        403
    );
    assert_eq!(
        membership(&pool, &club, &owner_id).await,
        active("admin", 0)
    );
    assert_eq!(
        call(
            &app,
            ann,
            "/api/clubs/members/hand-over",
            &[("club", &club), ("user", bob_id)]
        )
        .await
        .0,
        403,
        "only the owner hands over"
    );
    assert_eq!(owner_of(&pool, &club).await, owner_id);
    assert_eq!(
        call(
            &app,
            &owner,
            "/api/clubs/members/hand-over",
            &[("club", &club), ("user", ann_id)]
        )
        .await
        .0,
        200
    );
    assert_eq!(owner_of(&pool, &club).await, *ann_id);
    assert_eq!(membership(&pool, &club, ann_id).await, active("admin", 0));
    assert_eq!(
        call(&app, &owner, "/api/clubs/leave", &[("id", &club)])
            .await
            .0,
        200
    );
    assert_eq!(
        membership(&pool, &club, &owner_id).await,
        Some(("admin".to_owned(), false, 0))
    );
    // A removed member is an outsider again: the private club is hidden from them.
    let (cid, _) = &people[2];
    assert_eq!(
        call(&app, cid, "/api/clubs/members", &[("club", &club)])
            .await
            .0,
        404
    );
    app.stop().await;
}
