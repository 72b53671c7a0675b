//! A meeting's discussion over real HTTP: the club's people read all of
//! it whatever their progress (it is about the book as a whole), replies
//! stay in their discussion, notices about it name the meeting and never
//! what was said, moderation and one's own writing include it, and a
//! comment racing the meeting's deletion is either kept with the meeting
//! or refused with it. Who may read and post is in the reading table
//! (`reading_http.rs`, rows "read meeting discussion", "comment on
//! meeting").
use crate::common::cast::{cast, club, Who::*};
use crate::common::{call, page_text, spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

/// A meeting of `club` about a book on its reading shelf, and that book's
/// first section: `(event, section)`.
async fn meeting(pool: &PgPool, club: Uuid) -> (Uuid, Uuid) {
    let book: Uuid = sqlx::query_scalar(
        "INSERT INTO books (club_id, title, shelf) VALUES ($1, 'Middlemarch', 'reading') RETURNING id",
    )
    .bind(club)
    .fetch_one(pool)
    .await
    .unwrap();
    let section: Uuid = sqlx::query_scalar(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         VALUES ($1, $2, 'Book one: Miss Brooke', current_date + 7) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .fetch_one(pool)
    .await
    .unwrap();
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, book, book_id)
         VALUES ($1, 'Book night', current_date + 14, '19:00', 'Library', 'Middlemarch', $2) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .fetch_one(pool)
    .await
    .unwrap();
    (event, section)
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    event: Uuid,
    body: &str,
    parent: Option<Uuid>,
) -> (u16, serde_json::Value) {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    call(
        app,
        client,
        "/api/reading/meeting-comments/post",
        &[
            ("event", &event.to_string()),
            ("body", body),
            ("parent", &parent),
        ],
    )
    .await
}

async fn id_of(pool: &PgPool, text: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM comments WHERE body LIKE '%' || $1 || '%'")
        .bind(text)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn count(pool: &PgPool, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_meetings_discussion_is_the_whole_clubs_whatever_their_progress(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let (event, section) = meeting(&pool, club).await;
    // Nobody has finished any section: a meeting's discussion waits for
    // nobody, so everyone who may read it reads every word.
    let (status, body) = post(
        &app,
        &cast.clients[&Mem],
        event,
        "Shall we meet at MEET-ONE? ||Casaubon dies||",
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for who in [CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm] {
        let (status, thread) = call(
            &app,
            &cast.clients[&who],
            "/api/reading/meeting-thread",
            &[("event", &event.to_string())],
        )
        .await;
        assert_eq!(status, 200, "{who:?}: {thread}");
        let text = thread.to_string();
        assert!(text.contains("MEET-ONE"), "{who:?}: {text}");
        // The spoiler is marked, not gated.
        assert!(text.contains(r#"class=\"spoiler\""#), "{who:?}: {text}");
        let page = page_text(
            &app,
            &cast.clients[&who],
            &format!("/events/{event}/discussion"),
        )
        .await;
        assert!(page.contains("MEET-ONE"), "{who:?}");
        assert!(page.contains("Book night"), "{who:?}");
    }
    // Outside a private club the meeting does not exist.
    for who in [Anon, SGuest, Out] {
        let page = page_text(
            &app,
            &cast.clients[&who],
            &format!("/events/{event}/discussion"),
        )
        .await;
        assert!(!page.contains("MEET-ONE"), "{who:?}");
    }
    // The event page leads to it for the club's people.
    let page = page_text(&app, &cast.clients[&CGuest], &format!("/events/{event}")).await;
    assert!(page.contains(&format!("/events/{event}/discussion")));

    // A reply with a mention: Mem is answered, CGuest is mentioned; the
    // notices name the meeting and say nothing of the comment.
    let first = id_of(&pool, "MEET-ONE").await;
    let (status, body) = post(
        &app,
        &cast.clients[&Owner],
        event,
        "Yes, MEET-TWO, and @CGuest brings tea.",
        Some(first),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let told: Vec<(Uuid, String, serde_json::Value)> = sqlx::query_as(
        "SELECT user_id, kind::text, payload FROM notifications
          WHERE kind IN ('comment_reply', 'mention') ORDER BY kind",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let got: Vec<(Uuid, &str)> = told.iter().map(|t| (t.0, t.1.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (cast.ids[&Mem], "comment_reply"),
            (cast.ids[&CGuest], "mention")
        ]
    );
    for (_, _, payload) in &told {
        assert!(!payload.to_string().contains("MEET-"), "{payload}");
        assert_eq!(payload["event_id"], event.to_string());
    }
    let (_, list) = call(&app, &cast.clients[&Mem], "/api/notifications/list", &[]).await;
    let shown = list.to_string();
    assert!(shown.contains("Owner replied to you"), "{shown}");
    assert!(shown.contains("Book night"), "{shown}");
    assert!(
        shown.contains(&format!("/events/{event}/discussion#comment-")),
        "{shown}"
    );
    assert!(!shown.contains("MEET-"), "{shown}");

    // A reply stays in its discussion: a section's comment is not answered
    // here, nor a meeting's in a section; nothing is stored either way.
    sqlx::query("INSERT INTO reading_marks (section_id, club_id, user_id) VALUES ($1, $2, $3)")
        .bind(section)
        .bind(club)
        .bind(cast.ids[&Mem])
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = call(
        &app,
        &cast.clients[&Mem],
        "/api/reading/comments/post",
        &[
            ("section", &section.to_string()),
            ("body", "In the section."),
            ("parent", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let in_section = id_of(&pool, "In the section.").await;
    let before = count(
        &pool,
        "SELECT count(*) FROM comments WHERE club_id = $1",
        club,
    )
    .await;
    let (status, _) = post(
        &app,
        &cast.clients[&Mem],
        event,
        "Across!",
        Some(in_section),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call(
        &app,
        &cast.clients[&Mem],
        "/api/reading/comments/post",
        &[
            ("section", &section.to_string()),
            ("body", "Across!"),
            ("parent", &first.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 409);
    let after = count(
        &pool,
        "SELECT count(*) FROM comments WHERE club_id = $1",
        club,
    )
    .await;
    assert_eq!(before, after);

    // Reported, it is on the club's moderation page under the meeting's
    // name; hidden, its text goes from the page of someone who does not
    // moderate.
    let reply = id_of(&pool, "MEET-TWO").await;
    let (status, _) = call(
        &app,
        &cast.clients[&Mem],
        "/api/reading/comments/report",
        &[("comment", &reply.to_string()), ("reason", "Off topic")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, queue) = call(
        &app,
        &cast.clients[&CAdm],
        "/api/reading/moderation",
        &[("club", &club.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(queue["reported"][0]["id"], reply.to_string(), "{queue}");
    assert_eq!(queue["reported"][0]["topic_title"], "Book night", "{queue}");
    assert_eq!(
        queue["reported"][0]["topic"]["Meeting"],
        event.to_string(),
        "{queue}"
    );
    let (status, _) = call(
        &app,
        &cast.clients[&CAdm],
        "/api/reading/comments/hide",
        &[("comment", &reply.to_string()), ("reason", "Off topic")],
    )
    .await;
    assert_eq!(status, 200);
    let page = page_text(
        &app,
        &cast.clients[&Mem],
        &format!("/events/{event}/discussion"),
    )
    .await;
    assert!(!page.contains("MEET-TWO") && page.contains("MEET-ONE"));
    assert!(
        page.contains("The club&#x27;s admins hid this comment")
            || page.contains("The club's admins hid this comment")
    );

    // One's own writing names the meeting.
    let writing: serde_json::Value = cast.clients[&Mem]
        .get(app.url("/me/writing.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let at_meeting: Vec<&serde_json::Value> = writing["comments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["meeting"] == "Book night")
        .collect();
    assert_eq!(at_meeting.len(), 1, "{writing}");
    assert!(at_meeting[0]["section"].is_null());
    assert!(at_meeting[0]["text"].as_str().unwrap().contains("MEET-ONE"));
    app.stop().await;
}

#[sqlx::test]
async fn a_comment_and_its_meetings_deletion_at_once_never_leave_half(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let admin = &cast.clients[&Owner];
    for round in 0..6 {
        let (event, _) = meeting(&pool, club).await;
        let id = event.to_string();
        let form = [("id", id.as_str())];
        let post = post(&app, admin, event, "See you there!", None);
        let delete = call(&app, admin, "/api/events/delete", &form);
        let ((posted, body), (deleted, _)) = tokio::join!(post, delete);
        let events = count(&pool, "SELECT count(*) FROM events WHERE id = $1", event).await;
        let comments = count(
            &pool,
            "SELECT count(*) FROM comments WHERE event_id = $1",
            event,
        )
        .await;
        match (posted, deleted) {
            // The comment first, then the deletion takes it along.
            (200, 200) => assert_eq!((events, comments), (0, 0), "round {round}"),
            // The deletion first: the comment is refused, said plainly when
            // it had already found the meeting (else the meeting is gone).
            (409, 200) => {
                assert_eq!((events, comments), (0, 0), "round {round}");
                assert!(body.to_string().contains("deleted"), "{body}");
            }
            (404, 200) => assert_eq!((events, comments), (0, 0), "round {round}"),
            other => panic!("round {round}: {other:?}"),
        }
    }
    app.stop().await;
}
