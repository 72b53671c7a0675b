//! Choosing together over the API: a book poll opened on the shelf's books
//! and one that takes nominations first, a date poll answered until its best
//! date is plain and planned into a meeting (once, however many organisers
//! press at once), and a book changed and removed under the shelf's rules —
//! each refusal checked by the rows afterwards.
use crate::api_v1::{club_with, refused_fields, send};
use crate::common::{in_days, spawn_app};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn suggest(app: &crate::common::TestApp, token: &str, club: &str, title: &str) -> String {
    let (status, _, book) = send(
        app,
        Method::POST,
        &format!("/api/v1/clubs/{club}/books"),
        Some(token),
        Some(json!({"title": title, "authors": "Someone"})),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{book}");
    book["id"].as_str().unwrap().to_owned()
}

#[sqlx::test]
async fn polls_are_opened_nominated_answered_and_planned_by_whom_the_pages_allow(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (club, [(_, owner_rw), (_, member_rw), (_, other_rw)]) = club_with(
        &app,
        &pool,
        json!({"name": "Choosers", "is_public": true}),
        [("owner", None), ("member", Some("member")), ("other", None)],
    )
    .await;
    let polls_of_club = "SELECT count(*) FROM polls WHERE club_id = $1::uuid";
    let a = suggest(&app, &owner_rw, &club, "Alpha").await;
    let b = suggest(&app, &member_rw, &club, "Beta").await;

    // A book poll: members and outsiders open none; bad fields all at once.
    let new_poll = json!({"title": "Spring", "closes_date": in_days(5), "closes_time": "20:00", "books": [a, b]});
    for (who, refusal) in [(&member_rw, 403), (&other_rw, 403)] {
        let (status, _, body) = send(
            &app,
            Method::POST,
            &format!("/api/v1/clubs/{club}/polls"),
            Some(who),
            Some(new_poll.clone()),
            &[],
        )
        .await;
        assert_eq!(status, refusal, "{body}");
    }
    let (status, _, problem) = send(
        &app,
        Method::POST,
        &format!("/api/v1/clubs/{club}/polls"),
        Some(&owner_rw),
        Some(
            json!({"title": "", "closes_date": "yesterday", "closes_time": "20:00", "books": [a]}),
        ),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields = refused_fields(&problem);
    assert!(
        fields.contains(&"title") && fields.contains(&"books"),
        "{problem}"
    );
    assert_eq!(count(&pool, polls_of_club, &club).await, 0);
    let (status, headers, poll) = send(
        &app,
        Method::POST,
        &format!("/api/v1/clubs/{club}/polls"),
        Some(&owner_rw),
        Some(new_poll.clone()),
        &[],
    )
    .await;
    assert_eq!(status, 201, "{poll}");
    let poll_path = headers["location"].to_str().unwrap().to_owned();
    assert_eq!(poll["options"].as_array().unwrap().len(), 2);
    assert_eq!(poll["open"], true);

    // A member does not delete it; the owner does, with its options.
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        &poll_path,
        Some(&member_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(count(&pool, polls_of_club, &club).await, 1);
    let (status, _, _) = send(&app, Method::DELETE, &poll_path, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 204);
    assert_eq!(count(&pool, polls_of_club, &club).await, 0);

    // Nominations first: a member puts a new book forward, up to the cap;
    // an outsider puts none; then the owner opens the voting.
    let (status, _, poll) = send(&app, Method::POST, &format!("/api/v1/clubs/{club}/polls"), Some(&owner_rw),
        Some(json!({"title": "Nominated", "closes_date": in_days(5), "closes_time": "20:00", "nominate": true, "cap": 1})), &[]).await;
    assert_eq!(status, 201, "{poll}");
    assert_eq!(poll["nominations"]["cap"], 1);
    let id = poll["id"].as_str().unwrap().to_owned();
    let nominations = format!("/api/v1/polls/{id}/nominations");
    let options = "SELECT count(*) FROM poll_options WHERE poll_id = $1::uuid";
    let (status, _, _) = send(
        &app,
        Method::POST,
        &nominations,
        Some(&other_rw),
        Some(json!({"title": "Gamma", "authors": "Outsider"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, after) = send(
        &app,
        Method::POST,
        &nominations,
        Some(&member_rw),
        Some(json!({"title": "Gamma", "authors": "Insider"})),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["nominations"]["mine"], 1);
    let (status, _, _) = send(
        &app,
        Method::POST,
        &nominations,
        Some(&member_rw),
        Some(json!({"book_id": a})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "past the cap");
    assert_eq!(count(&pool, options, &id).await, 1);
    send(
        &app,
        Method::POST,
        &nominations,
        Some(&owner_rw),
        Some(json!({"book_id": a})),
        &[],
    )
    .await;
    let voting = format!("/api/v1/polls/{id}/voting");
    let (status, _, _) = send(&app, Method::POST, &voting, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 403);
    let (status, _, open) = send(&app, Method::POST, &voting, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 200, "{open}");
    assert!(open["nominations"].is_null());
    assert_eq!(open["options"].as_array().unwrap().len(), 2);
    let (status, _, _) = send(
        &app,
        Method::POST,
        &nominations,
        Some(&member_rw),
        Some(json!({"title": "Late", "authors": "Comer"})),
        &[],
    )
    .await;
    assert_eq!(status, 409, "nominations are over");
    assert_eq!(count(&pool, options, &id).await, 2);

    // Ballots, the close, and the winner up next (organisers only).
    let ids: Vec<String> = open["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    let gamma = open["options"]
        .as_array()
        .unwrap()
        .iter()
        .position(|o| o["title"] == "Gamma")
        .unwrap();
    for who in [&owner_rw, &member_rw] {
        let (status, _, body) = send(
            &app,
            Method::PUT,
            &format!("/api/v1/polls/{id}/ballot"),
            Some(who),
            Some(json!({"ranking": [ids[gamma]]})),
            &[],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let next_read = format!("/api/v1/polls/{id}/next-read");
    let (status, _, _) = send(&app, Method::POST, &next_read, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 409, "still open");
    send(
        &app,
        Method::POST,
        &format!("/api/v1/polls/{id}/closing"),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    let (status, _, _) = send(&app, Method::POST, &next_read, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 403);
    let (status, _, chosen) =
        send(&app, Method::POST, &next_read, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 200, "{chosen}");
    assert_eq!(chosen["title"], "Gamma");
    let shelf: String = sqlx::query_scalar(
        "SELECT shelf::text FROM books WHERE club_id = $1::uuid AND title = 'Gamma'",
    )
    .bind(&club)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(shelf, "up_next");
    app.stop().await;
}

#[sqlx::test]
async fn a_date_poll_is_answered_and_planned_into_one_meeting(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (club, [(_, owner_rw), (_, admin_rw), (_, member_rw), (_, other_rw)]) = club_with(
        &app,
        &pool,
        json!({"name": "Daters", "is_public": true}),
        [
            ("owner", None),
            ("admin", Some("admin")),
            ("member", Some("member")),
            ("other", None),
        ],
    )
    .await;
    let slots = json!([{"date": in_days(10), "time": "19:00"}, {"date": in_days(11), "time": "15:00"}, {"date": in_days(12), "time": "18:30"}]);
    let new = json!({"title": "Next meeting", "place": "Tea room", "closes_date": in_days(5), "closes_time": "20:00", "slots": slots});
    let create = format!("/api/v1/clubs/{club}/date-polls");
    let (status, _, _) = send(
        &app,
        Method::POST,
        &create,
        Some(&member_rw),
        Some(new.clone()),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, problem) = send(&app, Method::POST, &create, Some(&owner_rw),
        Some(json!({"title": "One date", "closes_date": in_days(5), "closes_time": "20:00", "slots": [{"date": in_days(10), "time": "19:00"}]})), &[]).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM polls WHERE club_id = $1::uuid",
            &club
        )
        .await,
        0
    );
    let (status, _, poll) =
        send(&app, Method::POST, &create, Some(&owner_rw), Some(new), &[]).await;
    assert_eq!(status, 201, "{poll}");
    assert_eq!(poll["kind"], "date");
    let id = poll["id"].as_str().unwrap().to_owned();
    let dates: Vec<String> = poll["dates"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(dates.len(), 3);
    assert!(poll["dates"]["best"].is_null(), "nobody has answered");

    // Answers: the second date suits most (worked out by hand: two yes and a
    // maybe against one yes and two maybe); outsiders answer nothing.
    let answers = format!("/api/v1/polls/{id}/answers");
    let say = |d0: &str, d1: &str, d2: &str| {
        json!({"answers": [
        {"option": dates[0], "answer": d0}, {"option": dates[1], "answer": d1}, {"option": dates[2], "answer": d2}]})
    };
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &answers,
        Some(&other_rw),
        Some(say("yes", "yes", "yes")),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, problem) = send(
        &app,
        Method::PUT,
        &answers,
        Some(&member_rw),
        Some(say("yes", "perhaps", "no")),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(count(&pool, "SELECT count(*) FROM date_answers a JOIN poll_options o ON o.id = a.option_id WHERE o.poll_id = $1::uuid", &id).await, 0);
    for (who, answer) in [
        (&owner_rw, say("yes", "yes", "no")),
        (&admin_rw, say("maybe", "yes", "no")),
        (&member_rw, say("maybe", "maybe", "yes")),
    ] {
        let (status, _, body) =
            send(&app, Method::PUT, &answers, Some(who), Some(answer), &[]).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, _, poll) = send(
        &app,
        Method::GET,
        &format!("/api/v1/polls/{id}"),
        Some(&member_rw),
        None,
        &[],
    )
    .await;
    let counted: Vec<(i64, i64, i64)> = poll["dates"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["yes"].as_i64().unwrap(),
                o["maybe"].as_i64().unwrap(),
                o["no"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counted, [(1, 2, 0), (2, 1, 0), (1, 0, 2)]);
    assert_eq!(poll["dates"]["best"].as_str(), Some(dates[1].as_str()));
    assert_eq!(poll["dates"]["options"][2]["my_answer"], "yes");

    // Planning: a member may not; two organisers at once make one meeting.
    let plan = format!("/api/v1/polls/{id}/meeting");
    let body = json!({"option_id": dates[1], "max_attendees": 8});
    let (status, _, _) = send(
        &app,
        Method::POST,
        &plan,
        Some(&member_rw),
        Some(body.clone()),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let meetings = "SELECT count(*) FROM events WHERE club_id = $1::uuid";
    assert_eq!(count(&pool, meetings, &club).await, 0);
    let (first, second) = tokio::join!(
        send(
            &app,
            Method::POST,
            &plan,
            Some(&owner_rw),
            Some(body.clone()),
            &[]
        ),
        send(
            &app,
            Method::POST,
            &plan,
            Some(&admin_rw),
            Some(body.clone()),
            &[]
        ),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{} {}", first.2, second.2);
    assert_eq!(count(&pool, meetings, &club).await, 1);
    let (_, headers, event): (u16, _, Value) = if first.0 == 201 { first } else { second };
    assert_eq!(event["title"], "Next meeting");
    assert_eq!(event["location"], "Tea room");
    assert_eq!(event["max_attendees"], 8);
    let location = headers["location"].to_str().unwrap().to_owned();
    let (_, _, poll) = send(
        &app,
        Method::GET,
        &format!("/api/v1/polls/{id}"),
        Some(&member_rw),
        None,
        &[],
    )
    .await;
    assert_eq!(poll["open"], false);
    assert_eq!(
        format!(
            "/api/v1/events/{}",
            poll["dates"]["event_id"].as_str().unwrap()
        ),
        location
    );
    let (status, _, _) = send(
        &app,
        Method::PUT,
        &answers,
        Some(&member_rw),
        Some(say("yes", "yes", "yes")),
        &[],
    )
    .await;
    assert_eq!(status, 409, "the poll is closed");
    app.stop().await;
}

#[sqlx::test]
async fn a_book_is_changed_and_removed_under_the_shelf_rules(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (club, [(_, owner_rw), (_, member_rw), (_, other_rw)]) = club_with(
        &app,
        &pool,
        json!({"name": "Shelvers", "is_public": true}),
        [
            ("owner", None),
            ("member", Some("member")),
            ("other", Some("member")),
        ],
    )
    .await;
    let book = suggest(&app, &member_rw, &club, "Middlemarch").await;
    let path = format!("/api/v1/books/{book}");
    let title = async || -> Option<String> {
        sqlx::query_scalar("SELECT title FROM books WHERE id = $1::uuid")
            .bind(&book)
            .fetch_optional(&pool)
            .await
            .unwrap()
    };

    // Another member changes nothing; the one who suggested it does, and a
    // change on a stale read is refused.
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&other_rw),
        Some(json!({"title": "Hijacked"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(title().await.as_deref(), Some("Middlemarch"));
    let (_, headers, _) = send(&app, Method::GET, &path, Some(&member_rw), None, &[]).await;
    let tag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, problem) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&member_rw),
        Some(json!({"title": " ", "isbn": "12345"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let (status, _, changed) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&member_rw),
        Some(json!({"title": "Middlemarch (Penguin)", "pages": 880})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (changed["pages"].as_i64(), changed["authors"].as_str()),
        (Some(880), Some("Someone"))
    );
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &path,
        Some(&owner_rw),
        Some(json!({"title": "Stale"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 412);
    assert_eq!(title().await.as_deref(), Some("Middlemarch (Penguin)"));

    // Not while it is in a poll; otherwise its organiser removes it.
    let other_book = suggest(&app, &owner_rw, &club, "Persuasion").await;
    let (status, _, poll) = send(&app, Method::POST, &format!("/api/v1/clubs/{club}/polls"), Some(&owner_rw),
        Some(json!({"title": "Pick", "closes_date": in_days(5), "closes_time": "20:00", "books": [book, other_book]})), &[]).await;
    assert_eq!(status, 201, "{poll}");
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&other_rw), None, &[]).await;
    assert_eq!(status, 403);
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 409, "in an open poll");
    assert!(title().await.is_some());
    send(
        &app,
        Method::DELETE,
        &format!("/api/v1/polls/{}", poll["id"].as_str().unwrap()),
        Some(&owner_rw),
        None,
        &[],
    )
    .await;
    let (status, _, _) = send(&app, Method::DELETE, &path, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 204);
    assert!(title().await.is_none());
    app.stop().await;
}
