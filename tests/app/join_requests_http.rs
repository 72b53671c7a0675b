//! Asking to join a club that takes new members by request, over real HTTP:
//! the rows of AUTHZ.md about requests, cell by cell with their effect (the
//! request and the membership, read with the owner's pool), the notices
//! either way, and the races (the last place, two admins, two tabs).
use crate::common::cast::{cast, club, Cast, Who, EVERYONE};
use crate::common::{call, page_text, plain_form_post, sign_up, spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

use Who::*;

/// A club of the cast (Owner, CGuest, Mem, CMod, CAdm in it) that takes new
/// members by request.
async fn asking_club(pool: &PgPool, cast: &Cast, public: bool) -> Uuid {
    let id = club(pool, cast, public).await;
    sqlx::query("UPDATE clubs SET join_by_request = true WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

/// `user`'s requests to `club` as (status, message), oldest first.
async fn requests_of(pool: &PgPool, club: Uuid, user: Uuid) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT status, message FROM join_requests WHERE club_id = $1 AND user_id = $2 ORDER BY created_at",
    )
    .bind(club)
    .bind(user)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn is_member(pool: &PgPool, club: Uuid, user: Uuid) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM club_members WHERE club_id = $1 AND user_id = $2 AND is_active)",
    )
    .bind(club)
    .bind(user)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn user_id(pool: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Someone new, signed in, and their id.
async fn newcomer(app: &TestApp, pool: &PgPool, name: &str) -> (reqwest::Client, Uuid) {
    let email = format!("{name}@example.com").to_lowercase();
    let c = sign_up(app, name, &email).await;
    (c, user_id(pool, &email).await)
}

/// A waiting request from `user` to `club`, written directly (the asking
/// itself is tested on its own): its id.
async fn waiting_request(pool: &PgPool, club: Uuid, user: Uuid, note: &str) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO join_requests (club_id, user_id, message) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(club)
    .bind(user)
    .bind(note)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn status_of(pool: &PgPool, request: Uuid) -> String {
    sqlx::query_scalar("SELECT status FROM join_requests WHERE id = $1")
        .bind(request)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// `user`'s latest request's id (to any club).
async fn latest_request(pool: &PgPool, user: Uuid) -> Uuid {
    sqlx::query_scalar(
        "SELECT id FROM join_requests WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// `client` approves or declines (`answer`) a request: the status and body.
async fn answer(
    app: &TestApp,
    client: &reqwest::Client,
    club: Uuid,
    request: Uuid,
    answer: &str,
) -> (u16, serde_json::Value) {
    call(
        app,
        client,
        "/api/clubs/requests/answer",
        &[
            ("club", &club.to_string()),
            ("request", &request.to_string()),
            ("answer", answer),
        ],
    )
    .await
}

/// Notices of `kind` to `user` as their payloads.
async fn notices(pool: &PgPool, user: Uuid, kind: &str) -> Vec<serde_json::Value> {
    sqlx::query_scalar(
        "SELECT payload FROM notifications WHERE user_id = $1 AND kind = $2 ORDER BY id",
    )
    .bind(user)
    .bind(kind)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// "ask to join a public club that takes requests": login | Y | Y | blank
/// for the club's people and site staff (refused: they are in, or join
/// without asking); a private club is 404 to those who may not see it and
/// takes no requests. Checked by the request rows each attempt left.
#[sqlx::test]
async fn who_may_ask_to_join_is_the_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let mut failures = Vec::new();
    for public in [true, false] {
        let club = asking_club(&pool, &cast, public).await;
        //                 Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
        let want: [u16; 10] = if public {
            [401, 200, 200, 403, 403, 403, 403, 403, 403, 403]
        } else {
            [404, 404, 404, 403, 403, 403, 403, 403, 403, 403]
        };
        for (who, want) in EVERYONE.into_iter().zip(want) {
            let note = format!("{who:?} would like to join");
            let (got, body) = call(
                &app,
                &cast.clients[&who],
                "/api/clubs/ask",
                &[("id", &club.to_string()), ("message", &note)],
            )
            .await;
            if got != want {
                failures.push(format!(
                    "ask, public {public}, as {who:?}: {want} expected, {got}: {body}"
                ));
            }
            let rows = match cast.ids.get(&who) {
                Some(id) => requests_of(&pool, club, *id).await,
                None => sqlx::query_as(
                    "SELECT status, message FROM join_requests WHERE club_id = $1 AND message = $2",
                )
                .bind(club)
                .bind(&note)
                .fetch_all(&pool)
                .await
                .unwrap(),
            };
            let expected_rows = if want == 200 {
                vec![("pending".to_owned(), note.clone())]
            } else {
                vec![]
            };
            if rows != expected_rows {
                failures.push(format!(
                    "ask, public {public}, as {who:?}: left {rows:?}, expected {expected_rows:?}"
                ));
            }
        }
    }
    // A public club that takes people directly has no requests to ask.
    let direct = club(&pool, &cast, true).await;
    let (got, _) = call(
        &app,
        &cast.clients[&Out],
        "/api/clubs/ask",
        &[("id", &direct.to_string()), ("message", "")],
    )
    .await;
    assert_eq!(got, 403, "a club that takes people directly");
    assert!(requests_of(&pool, direct, cast.ids[&Out]).await.is_empty());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

/// "join a public club that takes requests, without asking": login | ask
/// first | ask first | site staff Y. Checked by the membership.
#[sqlx::test]
async fn a_club_that_takes_requests_cannot_be_joined_without_asking(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    for (who, want) in [
        (Anon, 401),
        (SGuest, 403),
        (Out, 403),
        (SMod, 200),
        (SAdm, 200),
    ] {
        let (got, body) = call(
            &app,
            &cast.clients[&who],
            "/api/clubs/join",
            &[("id", &club.to_string())],
        )
        .await;
        assert_eq!(got, want, "{who:?}: {body}");
        if let Some(id) = cast.ids.get(&who) {
            assert_eq!(is_member(&pool, club, *id).await, want == 200, "{who:?}");
        }
        if want == 403 {
            assert!(
                body.to_string().contains("ask to join"),
                "{who:?} is told how to get in: {body}"
            );
        }
    }
    app.stop().await;
}

/// "see, approve and decline requests to join": CAdm, Owner, SAdm. Each
/// actor tries to approve a request of their own (a fresh asker each), and
/// to read the waiting list: those refused leave the request waiting and
/// the asker outside, and never see the note.
#[sqlx::test]
async fn who_may_answer_requests_is_the_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    let mut failures = Vec::new();
    //                  Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let want: [u16; 10] = [401, 403, 403, 403, 403, 403, 200, 200, 403, 200];
    for (i, (who, want)) in EVERYONE.into_iter().zip(want).enumerate() {
        let (_, asker) = newcomer(&app, &pool, &format!("asker{i}")).await;
        let note = format!("a note for {who:?}");
        let request = waiting_request(&pool, club, asker, &note).await;
        let client = &cast.clients[&who];
        let (listed, list) = call(
            &app,
            client,
            "/api/clubs/requests",
            &[("club", &club.to_string())],
        )
        .await;
        if listed != want || list.to_string().contains(&note) != (want == 200) {
            failures.push(format!("list as {who:?}: {listed} {list}"));
        }
        let (got, body) = answer(&app, client, club, request, "approve").await;
        if got != want {
            failures.push(format!(
                "approve as {who:?}: {want} expected, {got}: {body}"
            ));
        }
        let (status, member) = (
            status_of(&pool, request).await,
            is_member(&pool, club, asker).await,
        );
        let expected = if want == 200 {
            ("approved", true)
        } else {
            ("pending", false)
        };
        if (status.as_str(), member) != expected {
            failures.push(format!("approve as {who:?} left {status}, member {member}"));
        }
    }
    sqlx::query("DELETE FROM auth_attempts")
        .execute(&pool)
        .await
        .unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[sqlx::test]
async fn admins_hear_of_a_request_and_the_asker_of_the_answer_either_way(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    let club_s = club.to_string();
    let out = &cast.clients[&Out];
    let (status, _) = call(
        &app,
        out,
        "/api/clubs/ask",
        &[("id", &club_s), ("message", "  I love Trollope.  ")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        requests_of(&pool, club, cast.ids[&Out]).await,
        vec![("pending".to_owned(), "I love Trollope.".to_owned())],
        "the note is kept, trimmed"
    );
    // The club's admins (the owner is one) hear of it; nobody else does.
    for who in EVERYONE.into_iter().skip(1) {
        let told = notices(&pool, cast.ids[&who], "join_requested").await;
        let want = usize::from(matches!(who, CAdm | Owner));
        assert_eq!(told.len(), want, "{who:?}");
        if want == 1 {
            assert_eq!(told[0]["message"], "I love Trollope.");
            assert_eq!(told[0]["actor"], "Out");
        }
    }
    // Asking again while one waits is refused, and the page says it waits.
    let (again, body) = call(
        &app,
        out,
        "/api/clubs/ask",
        &[("id", &club_s), ("message", "")],
    )
    .await;
    assert_eq!(again, 409, "{body}");
    let page = page_text(&app, out, &format!("/clubs/{club}")).await;
    assert!(page.contains("You asked to join on"), "{page}");
    assert!(!page.contains("action=\"/api/clubs/ask\""));

    // Approved: a member, told so.
    let request = latest_request(&pool, cast.ids[&Out]).await;
    let (status, _) = answer(&app, &cast.clients[&CAdm], club, request, "approve").await;
    assert_eq!(status, 200);
    assert!(is_member(&pool, club, cast.ids[&Out]).await);
    let told = notices(&pool, cast.ids[&Out], "join_answered").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["decision"], "approved");

    // Declined: told so, not a member, and may not ask again for 30 days.
    let (status, _) = call(
        &app,
        &cast.clients[&SGuest],
        "/api/clubs/ask",
        &[("id", &club_s), ("message", "")],
    )
    .await;
    assert_eq!(status, 200);
    let request = latest_request(&pool, cast.ids[&SGuest]).await;
    let (status, _) = answer(&app, &cast.clients[&Owner], club, request, "decline").await;
    assert_eq!(status, 200);
    assert!(!is_member(&pool, club, cast.ids[&SGuest]).await);
    let told = notices(&pool, cast.ids[&SGuest], "join_answered").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["decision"], "declined");
    let (again, body) = call(
        &app,
        &cast.clients[&SGuest],
        "/api/clubs/ask",
        &[("id", &club_s), ("message", "")],
    )
    .await;
    assert_eq!(again, 409);
    assert!(body.to_string().contains("ask again from"), "{body}");
    // 31 days on, they may.
    sqlx::query("UPDATE join_requests SET created_at = created_at - interval '31 days', decided_at = decided_at - interval '31 days' WHERE id = $1")
        .bind(request)
        .execute(&pool)
        .await
        .unwrap();
    let (again, body) = call(
        &app,
        &cast.clients[&SGuest],
        "/api/clubs/ask",
        &[("id", &club_s), ("message", "")],
    )
    .await;
    assert_eq!(again, 200, "{body}");

    // Withdrawn: gone from the admins' list; answering it is refused.
    let (withdrawn, _) = call(
        &app,
        &cast.clients[&SGuest],
        "/api/clubs/ask/withdraw",
        &[("id", &club_s)],
    )
    .await;
    assert_eq!(withdrawn, 200);
    let (_, list) = call(
        &app,
        &cast.clients[&Owner],
        "/api/clubs/requests",
        &[("club", &club_s)],
    )
    .await;
    assert_eq!(list, serde_json::json!([]));
    let withdrawn_request: Uuid = sqlx::query_scalar(
        "SELECT id FROM join_requests WHERE user_id = $1 AND status = 'withdrawn'",
    )
    .bind(cast.ids[&SGuest])
    .fetch_one(&pool)
    .await
    .unwrap();
    let (late, _) = answer(
        &app,
        &cast.clients[&Owner],
        club,
        withdrawn_request,
        "approve",
    )
    .await;
    assert_eq!(late, 409);
    assert!(!is_member(&pool, club, cast.ids[&SGuest]).await);
    app.stop().await;
}

/// One place left and six waiting requests approved at once (by two
/// admins): one gets the place, the others stay waiting and the limit holds.
#[sqlx::test]
async fn approving_many_requests_for_the_last_place_admits_one(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    // Five in the club: one place left.
    sqlx::query("UPDATE clubs SET max_members = 6 WHERE id = $1")
        .bind(club)
        .execute(&pool)
        .await
        .unwrap();
    let mut requests = Vec::new();
    for i in 0..6 {
        let (_, asker) = newcomer(&app, &pool, &format!("hopeful{i}")).await;
        requests.push(waiting_request(&pool, club, asker, "").await);
    }
    let mut answers = tokio::task::JoinSet::new();
    for (i, request) in requests.iter().enumerate() {
        let admin = if i % 2 == 0 { Owner } else { CAdm };
        let send = cast.clients[&admin]
            .post(app.url("/api/clubs/requests/answer"))
            .form(&[
                ("club", club.to_string()),
                ("request", request.to_string()),
                ("answer", "approve".to_owned()),
            ]);
        answers.spawn(async move { send.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = answers.join_all().await;
    statuses.sort();
    assert_eq!(statuses, vec![200, 409, 409, 409, 409, 409]);
    let members: i64 =
        sqlx::query_scalar("SELECT count(*) FROM club_members WHERE club_id = $1 AND is_active")
            .bind(club)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(members, 6);
    let mut states = Vec::new();
    for r in &requests {
        states.push(status_of(&pool, *r).await);
    }
    states.sort();
    assert_eq!(
        states,
        ["approved", "pending", "pending", "pending", "pending", "pending"]
    );
    sqlx::query("DELETE FROM auth_attempts")
        .execute(&pool)
        .await
        .unwrap();
    app.stop().await;
}

/// Two admins answering one request at once (one approves, one declines):
/// one answer stands, the other is told it was answered, the asker hears once.
#[sqlx::test]
async fn two_admins_answering_one_request_give_one_answer(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    for round in 0..5 {
        let (_, asker) = newcomer(&app, &pool, &format!("torn{round}")).await;
        let request = waiting_request(&pool, club, asker, "").await;
        let mut answers = tokio::task::JoinSet::new();
        for (admin, answer) in [(Owner, "approve"), (CAdm, "decline")] {
            let send = cast.clients[&admin]
                .post(app.url("/api/clubs/requests/answer"))
                .form(&[
                    ("club", club.to_string()),
                    ("request", request.to_string()),
                    ("answer", answer.to_owned()),
                ]);
            answers.spawn(async move { send.send().await.unwrap().status().as_u16() });
        }
        let mut statuses = answers.join_all().await;
        statuses.sort();
        assert_eq!(statuses, vec![200, 409], "round {round}");
        let status = status_of(&pool, request).await;
        assert_eq!(is_member(&pool, club, asker).await, status == "approved");
        let told = notices(&pool, asker, "join_answered").await;
        assert_eq!(told.len(), 1, "round {round}");
        assert_eq!(told[0]["decision"], status.as_str());
    }
    app.stop().await;
}

/// Five tabs asking at once: one waiting request, the rest told it waits.
#[sqlx::test]
async fn asking_from_five_tabs_at_once_leaves_one_request(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    let mut asks = tokio::task::JoinSet::new();
    for i in 0..5 {
        let send = cast.clients[&Out]
            .post(app.url("/api/clubs/ask"))
            .form(&[("id", club.to_string()), ("message", format!("tab {i}"))]);
        asks.spawn(async move { send.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = asks.join_all().await;
    statuses.sort();
    assert_eq!(statuses, vec![200, 409, 409, 409, 409]);
    assert_eq!(requests_of(&pool, club, cast.ids[&Out]).await.len(), 1);
    // The admins were told once.
    assert_eq!(
        notices(&pool, cast.ids[&Owner], "join_requested")
            .await
            .len(),
        1
    );
    app.stop().await;
}

/// Without JavaScript: a note too long comes back with what was typed and
/// the message beside the box; a good one lands on the club page saying the
/// request waits; the admin approves from the members page.
#[sqlx::test]
async fn asking_and_approving_work_as_plain_forms(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = asking_club(&pool, &cast, true).await;
    let club_page = format!("/clubs/{club}");
    let out = &cast.clients[&Out];
    let page = page_text(&app, out, &club_page).await;
    assert!(page.contains("By request"), "the club says how people join");
    assert!(page.contains("action=\"/api/clubs/ask\""), "{page}");

    let long = format!("{} the end", "x".repeat(500));
    let (_, page) = plain_form_post(
        &app,
        out,
        "/api/clubs/ask",
        &club_page,
        &[
            ("id", club.to_string().as_str()),
            ("message", long.as_str()),
        ],
    )
    .await;
    assert!(page.contains("Keep the note to 500 characters."), "{page}");
    assert!(page.contains(&long), "what was typed is kept");
    assert!(requests_of(&pool, club, cast.ids[&Out]).await.is_empty());

    let (_, page) = plain_form_post(
        &app,
        out,
        "/api/clubs/ask",
        &club_page,
        &[
            ("id", club.to_string().as_str()),
            ("message", "Hello &amp; <b>hi</b>"),
        ],
    )
    .await;
    assert!(
        page.contains("Your request is with the club"),
        "said once: {page}"
    );
    assert!(page.contains("You asked to join on"));

    let members_page = format!("/clubs/{club}/members");
    let admin_page = page_text(&app, &cast.clients[&CAdm], &members_page).await;
    assert!(admin_page.contains("Requests to join (1)"), "{admin_page}");
    assert!(
        admin_page.contains("Hello &amp;amp; &lt;b&gt;hi&lt;/b&gt;"),
        "the note is text, never markup"
    );
    let member_page = page_text(&app, &cast.clients[&Mem], &members_page).await;
    assert!(
        !member_page.contains("Requests to join"),
        "members do not see requests"
    );

    let request = latest_request(&pool, cast.ids[&Out]).await;
    let (_, page) = plain_form_post(
        &app,
        &cast.clients[&CAdm],
        "/api/clubs/requests/answer",
        &members_page,
        &[
            ("club", club.to_string().as_str()),
            ("request", request.to_string().as_str()),
            ("answer", "approve"),
        ],
    )
    .await;
    assert!(page.contains("Out is now a member."), "{page}");
    assert!(!page.contains("Requests to join ("), "nothing waits now");
    assert!(is_member(&pool, club, cast.ids[&Out]).await);
    app.stop().await;
}
