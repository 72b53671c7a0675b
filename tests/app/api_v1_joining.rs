//! Coming into a club over the API: invitation links (made, read, used and
//! withdrawn: `/api/v1/clubs/{id}/invitations`, `/api/v1/invitations/{token}`)
//! and requests to join (asked, withdrawn, answered:
//! `/api/v1/clubs/{id}/join-request(s)`), with the refusals of docs/AUTHZ.md
//! (admins manage links and answer requests; members do neither; a private
//! club is not there for outsiders), each checked by the rows afterwards.
use crate::api_v1::{club_with, member_of, person, refused_fields, send, token};
use crate::common::spawn_app;
use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

async fn is_member(pool: &PgPool, club: &str, user: Uuid) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM club_members
                         WHERE club_id = $1::uuid AND user_id = $2 AND is_active)",
    )
    .bind(club)
    .bind(user)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn invitations(pool: &PgPool, club: &str) -> Vec<(i32, bool)> {
    sqlx::query_as(
        "SELECT uses, revoked_at IS NOT NULL FROM club_invites
          WHERE club_id = $1::uuid ORDER BY created_at",
    )
    .bind(club)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn invitation_links_are_made_by_admins_and_used_by_whoever_holds_them(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner = person(&app, &pool, "owner").await;
    let member = person(&app, &pool, "member").await;
    let guest = person(&app, &pool, "guest").await;
    let late = person(&app, &pool, "late").await;
    let owner_rw = token(&pool, owner, &["read", "write"], None).await;
    let member_rw = token(&pool, member, &["read", "write"], None).await;
    let guest_rw = token(&pool, guest, &["read", "write"], None).await;
    let guest_read = token(&pool, guest, &["read"], None).await;
    let late_rw = token(&pool, late, &["read", "write"], None).await;
    let (_, _, club) = send(
        &app,
        Method::POST,
        "/api/v1/clubs",
        Some(&owner_rw),
        Some(json!({"name": "Hidden", "is_public": false})),
        &[],
    )
    .await;
    let club = club["id"].as_str().unwrap().to_owned();
    member_of(&pool, &club, member, "member").await;
    let links = format!("/api/v1/clubs/{club}/invitations");

    // Members neither see nor make links; to outsiders the club is not there.
    for (method, who, refusal) in [
        (Method::GET, &member_rw, 403),
        (Method::POST, &member_rw, 403),
        (Method::GET, &guest_rw, 404),
        (Method::POST, &guest_rw, 404),
    ] {
        let (status, _, body) = send(
            &app,
            method.clone(),
            &links,
            Some(who),
            Some(json!({})),
            &[],
        )
        .await;
        assert_eq!(status, refusal, "{method}: {body}");
    }
    assert!(invitations(&pool, &club).await.is_empty());

    // Every invalid field at once, and no link made.
    let (status, _, problem) = send(
        &app,
        Method::POST,
        &links,
        Some(&owner_rw),
        Some(json!({"days": 0, "max_uses": 1001, "email": "not an address"})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields = refused_fields(&problem);
    assert_eq!(fields, ["days", "email", "max_uses"], "{problem}");
    assert!(invitations(&pool, &club).await.is_empty());

    // The owner makes one for two people; a retry with its key makes no other.
    let mut made = Vec::new();
    for _ in 0..2 {
        let (status, headers, link) = send(
            &app,
            Method::POST,
            &links,
            Some(&owner_rw),
            Some(json!({"days": 3, "max_uses": 2})),
            &[("idempotency-key", "link-1")],
        )
        .await;
        assert_eq!(status, 201, "{link}");
        let location = headers["location"].to_str().unwrap().to_owned();
        assert_eq!(
            location,
            format!("{links}/{}", link["id"].as_str().unwrap())
        );
        made.push((location, link));
    }
    assert_eq!(made[0].1["id"], made[1].1["id"]);
    assert_eq!(invitations(&pool, &club).await, [(0, false)]);
    let (location, link) = &made[0];
    let url = link["url"].as_str().unwrap();
    let secret = url
        .rsplit_once("/invite/")
        .expect("a link to /invite/…")
        .1
        .to_owned();
    let (status, _, read) = send(&app, Method::GET, location, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        (read["state"].as_str(), read["max_uses"].as_i64()),
        (Some("active"), Some(2))
    );
    assert!(read.get("url").is_none(), "the link is shown once");

    // Whoever holds the link sees where it leads and joins by it; a
    // read-only token does not join.
    let by_link = format!("/api/v1/invitations/{secret}");
    let (status, _, preview) =
        send(&app, Method::GET, &by_link, Some(&guest_read), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        (preview["state"].as_str(), preview["club_name"].as_str()),
        (Some("valid"), Some("Hidden"))
    );
    let accept = format!("{by_link}/acceptance");
    let (status, _, _) = send(&app, Method::POST, &accept, Some(&guest_read), None, &[]).await;
    assert_eq!(status, 403);
    assert!(!is_member(&pool, &club, guest).await);
    let (status, _, joined) = send(&app, Method::POST, &accept, Some(&guest_rw), None, &[]).await;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(joined["club_id"].as_str(), Some(club.as_str()));
    assert!(is_member(&pool, &club, guest).await);
    let (status, _, _) = send(&app, Method::POST, &accept, Some(&guest_rw), None, &[]).await;
    assert_eq!(status, 409, "already a member");
    assert_eq!(invitations(&pool, &club).await, [(1, false)]);
    for unknown in [
        "/api/v1/invitations/not-a-link",
        "/api/v1/invitations/not-a-link/acceptance",
    ] {
        let method = if unknown.ends_with("acceptance") {
            Method::POST
        } else {
            Method::GET
        };
        let (status, _, _) = send(&app, method, unknown, Some(&late_rw), None, &[]).await;
        assert_eq!(status, 404, "{unknown}");
    }

    // A member does not withdraw it; the owner does, and it stops working.
    let (status, _, _) = send(&app, Method::DELETE, location, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 403);
    assert_eq!(invitations(&pool, &club).await, [(1, false)]);
    let (status, _, _) = send(&app, Method::DELETE, location, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 204);
    assert_eq!(invitations(&pool, &club).await, [(1, true)]);
    let (status, _, refusal) = send(&app, Method::POST, &accept, Some(&late_rw), None, &[]).await;
    assert_eq!(status, 409, "{refusal}");
    assert!(!is_member(&pool, &club, late).await);
    app.stop().await;
}

async fn requests(pool: &PgPool, club: &str, user: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT status FROM join_requests WHERE club_id = $1::uuid AND user_id = $2 ORDER BY created_at",
    )
    .bind(club)
    .bind(user)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn requests_to_join_are_asked_withdrawn_and_answered_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (club, people) = club_with(
        &app,
        &pool,
        json!({"name": "By request", "is_public": true, "join_by_request": true}),
        [
            ("owner", None),
            ("admin", Some("admin")),
            ("member", Some("member")),
            ("asker", None),
            ("shy", None),
            ("refused", None),
        ],
    )
    .await;
    let [(_, owner_rw), (_, admin_rw), (member, member_rw), (asker, asker_rw), (shy, shy_rw), (refused, refused_rw)] =
        people;
    let mine = format!("/api/v1/clubs/{club}/join-request");
    let waiting = format!("/api/v1/clubs/{club}/join-requests");

    // Asking: 201 once; a second ask while it waits is a 409.
    let (status, headers, asked) = send(
        &app,
        Method::PUT,
        &mine,
        Some(&asker_rw),
        Some(json!({"message": "I loved your last pick."})),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{asked}");
    assert_eq!(headers["location"].to_str().unwrap(), mine);
    assert_eq!(asked["status"], "waiting");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &mine,
        Some(&asker_rw),
        Some(json!({})),
        &[],
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(requests(&pool, &club, asker).await, ["pending"]);
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &mine,
        Some(&member_rw),
        Some(json!({})),
        &[],
    )
    .await;
    assert_eq!(status, 403, "a member does not ask");
    assert!(requests(&pool, &club, member).await.is_empty());

    // Only admins see and answer the waiting requests.
    for who in [&asker_rw, &member_rw] {
        let (status, _, _) = send(&app, Method::GET, &waiting, Some(who), None, &[]).await;
        assert_eq!(status, 403);
    }
    let (status, _, list) = send(&app, Method::GET, &waiting, Some(&admin_rw), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["message"], "I loved your last pick.");
    let request = list["items"][0]["id"].as_str().unwrap().to_owned();
    let decision = format!("{waiting}/{request}/decision");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &decision,
        Some(&member_rw),
        Some(json!({"answer": "approve"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, problem) = send(
        &app,
        Method::PUT,
        &decision,
        Some(&owner_rw),
        Some(json!({"answer": "maybe"})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(requests(&pool, &club, asker).await, ["pending"]);
    assert!(!is_member(&pool, &club, asker).await);

    // Two admins approving at once: one answer stands, one member more.
    let (a, b) = tokio::join!(
        send(
            &app,
            Method::PUT,
            &decision,
            Some(&owner_rw),
            Some(json!({"answer": "approve"})),
            &[]
        ),
        send(
            &app,
            Method::PUT,
            &decision,
            Some(&admin_rw),
            Some(json!({"answer": "decline"})),
            &[]
        ),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [204, 409], "{} {}", a.2, b.2);
    let approved = a.0 == 204;
    assert_eq!(is_member(&pool, &club, asker).await, approved);
    assert_eq!(
        requests(&pool, &club, asker).await,
        [if approved { "approved" } else { "declined" }]
    );

    // Withdrawing: once.
    send(
        &app,
        Method::PUT,
        &mine,
        Some(&shy_rw),
        Some(json!({})),
        &[],
    )
    .await;
    let (status, _, _) = send(&app, Method::DELETE, &mine, Some(&shy_rw), None, &[]).await;
    assert_eq!(status, 204);
    let (status, _, _) = send(&app, Method::DELETE, &mine, Some(&shy_rw), None, &[]).await;
    assert_eq!(status, 409);
    assert_eq!(requests(&pool, &club, shy).await, ["withdrawn"]);
    let (status, _, _) = send(&app, Method::GET, &mine, Some(&shy_rw), None, &[]).await;
    assert_eq!(status, 404, "nothing that matters");

    // Declined: the asker hears when they may ask again, and may not yet.
    send(
        &app,
        Method::PUT,
        &mine,
        Some(&refused_rw),
        Some(json!({})),
        &[],
    )
    .await;
    let (_, _, list) = send(&app, Method::GET, &waiting, Some(&owner_rw), None, &[]).await;
    let request = list["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &format!("{waiting}/{request}/decision"),
        Some(&owner_rw),
        Some(json!({"answer": "decline"})),
        &[],
    )
    .await;
    assert_eq!(status, 204);
    let (status, _, mine_now) = send(&app, Method::GET, &mine, Some(&refused_rw), None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(mine_now["status"], "declined");
    assert!(mine_now["ask_again_from"].is_string());
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &mine,
        Some(&refused_rw),
        Some(json!({})),
        &[],
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(requests(&pool, &club, refused).await, ["declined"]);
    assert!(!is_member(&pool, &club, refused).await);
    app.stop().await;
}

#[sqlx::test]
async fn the_owner_hands_a_club_over_and_each_member_sets_their_own_count(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (club, [(owner, owner_rw), (admin, admin_rw), (member, member_rw)]) = club_with(
        &app,
        &pool,
        json!({"name": "Handed", "is_public": true}),
        [
            ("owner", None),
            ("admin", Some("admin")),
            ("member", Some("member")),
        ],
    )
    .await;
    let owner_of = async || -> Uuid {
        sqlx::query_scalar("SELECT owner_id FROM clubs WHERE id = $1::uuid")
            .bind(&club)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    // Only the owner hands it over; an admin may not take it.
    let path = format!("/api/v1/clubs/{club}/owner");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &path,
        Some(&admin_rw),
        Some(json!({"user_id": admin})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(owner_of().await, owner);
    let (status, _, body) = send(
        &app,
        Method::PUT,
        &path,
        Some(&owner_rw),
        Some(json!({"user_id": member})),
        &[],
    )
    .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(owner_of().await, member);
    let role: String = sqlx::query_scalar(
        "SELECT role::text FROM club_members WHERE club_id = $1::uuid AND user_id = $2",
    )
    .bind(&club)
    .bind(member)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(role, "admin", "the new owner is an admin");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &path,
        Some(&owner_rw),
        Some(json!({"user_id": owner})),
        &[],
    )
    .await;
    assert_eq!(status, 403, "the former owner cannot take it back");

    // Books read: one's own, a whole number.
    let count_of = async |user: Uuid| -> i32 {
        sqlx::query_scalar(
            "SELECT books_read FROM club_members WHERE club_id = $1::uuid AND user_id = $2",
        )
        .bind(&club)
        .bind(user)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let admins_count = format!("/api/v1/clubs/{club}/members/{admin}/books-read");
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &admins_count,
        Some(&member_rw),
        Some(json!({"books_read": 99})),
        &[],
    )
    .await;
    assert_eq!(status, 403, "someone else's count");
    let (status, _, problem) = send(
        &app,
        Method::PUT,
        &admins_count,
        Some(&admin_rw),
        Some(json!({"books_read": -2})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(count_of(admin).await, 0);
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &admins_count,
        Some(&admin_rw),
        Some(json!({"books_read": 7})),
        &[],
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!((count_of(admin).await, count_of(member).await), (7, 0));
    app.stop().await;
}
