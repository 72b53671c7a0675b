//! What a club and a reader take with them, over real HTTP: the club's
//! record is its admins' to download, and holds its history (the poll's
//! rounds worked out here by hand from the ballots); a reader's writing
//! holds what they wrote, in clubs they left too, and nobody else's.
use std::io::Read;

use crate::common::cast::{cast, club, Who::*};
use crate::common::{call, spawn_app, TestApp};
use sqlx::PgPool;
use uuid::Uuid;

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, Vec<u8>) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        files.insert(file.name().to_owned(), text);
    }
    files
}

#[sqlx::test]
async fn a_clubs_record_is_for_its_admins(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    for public in [true, false] {
        let club = club(&pool, &cast, public).await;
        let path = format!("/clubs/{club}/record.zip");
        // From the AUTHZ.md row "download the club's record": CAdm, Owner,
        // SAdm; a visitor signs in first; outsiders of a private club are
        // told it does not exist.
        for (who, want) in [
            (Anon, 303),
            (SGuest, if public { 403 } else { 404 }),
            (Out, if public { 403 } else { 404 }),
            (CGuest, 403),
            (Mem, 403),
            (CMod, 403),
            (CAdm, 200),
            (Owner, 200),
            (SMod, 403),
            (SAdm, 200),
        ] {
            let (status, body) = get(&app, &cast.clients[&who], &path).await;
            assert_eq!(status, want, "{who:?}, public: {public}");
            // Only an allowed download is a zip (it starts "PK").
            assert_eq!(body.starts_with(b"PK"), want == 200, "{who:?}");
        }
    }
    app.stop().await;
}

#[sqlx::test]
async fn the_record_holds_the_clubs_history(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let one = |sql: &'static str| sqlx::query_scalar::<_, Uuid>(sql);
    let read = one(
        "INSERT INTO books (club_id, title, authors, shelf, started_on, finished_on)
         VALUES ($1, 'Middlemarch', 'Eliot, George', 'read', '2026-09-01', '2026-10-15') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         VALUES ($1, $2, 'Book one', '2026-09-15'), ($1, $2, 'Book two', '2026-10-01')",
    )
    .bind(club)
    .bind(read)
    .execute(&pool)
    .await
    .unwrap();
    let meeting = one(
        "INSERT INTO events (club_id, title, event_date, event_time, time_zone, location, host_id)
         VALUES ($1, 'Middlemarch, at last', '2026-10-20', '19:00', 'Europe/London', 'Library', $2) RETURNING id",
    )
    .bind(club)
    .bind(cast.ids[&Mem])
    .fetch_one(&pool)
    .await
    .unwrap();
    for (who, status) in [(Mem, "available"), (CMod, "available"), (CAdm, "maybe")] {
        sqlx::query(
            "INSERT INTO availability (event_id, user_id, status, arrival) VALUES ($1, $2, $3, nextval('availability_arrival_seq'))",
        )
        .bind(meeting)
        .bind(cast.ids[&who])
        .bind(status)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO meeting_questions (club_id, event_id, author_id, text, position)
         VALUES ($1, $2, $3, '=Was Dorothea right?', 1)",
    )
    .bind(club)
    .bind(meeting)
    .bind(cast.ids[&Mem])
    .execute(&pool)
    .await
    .unwrap();
    // A closed book poll over three books, five ballots: A B | B A | B |
    // C A | A. Round one: A 2, B 2, C 1; C is out and its ballot goes to
    // A. Round two: A 3, B 2 of 5: A wins.
    let poll = one(
        "INSERT INTO polls (club_id, title, closes_at, closed_at, created_by)
         VALUES ($1, 'Next read', now() - interval '1 day', now() - interval '1 day', $2) RETURNING id",
    )
    .bind(club)
    .bind(cast.ids[&Owner])
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut options = Vec::new();
    for (position, title) in ["Anna Karenina", "Bleak House", "Cranford"]
        .iter()
        .enumerate()
    {
        let book = one("INSERT INTO books (club_id, title) VALUES ($1, $2) RETURNING id")
            .bind(club)
            .bind(title)
            .fetch_one(&pool)
            .await
            .unwrap();
        options.push(
            one("INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, $2, $3) RETURNING id")
                .bind(poll)
                .bind(position as i32 + 1)
                .bind(book)
                .fetch_one(&pool)
                .await
                .unwrap(),
        );
    }
    let (a, b, c) = (options[0], options[1], options[2]);
    for (who, ranking) in [
        (Mem, vec![a, b]),
        (CMod, vec![b, a]),
        (CAdm, vec![b]),
        (Owner, vec![c, a]),
        (SMod, vec![a]),
    ] {
        if who == SMod {
            // A fifth voter who belongs to the club.
            sqlx::query(
                "INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')",
            )
            .bind(club)
            .bind(cast.ids[&who])
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query("INSERT INTO ballots (poll_id, user_id, ranking) VALUES ($1, $2, $3)")
            .bind(poll)
            .bind(cast.ids[&who])
            .bind(&ranking)
            .execute(&pool)
            .await
            .unwrap();
    }

    let (status, body) = get(
        &app,
        &cast.clients[&Owner],
        &format!("/clubs/{club}/record.zip"),
    )
    .await;
    assert_eq!(status, 200);
    let files = unzip(&body);
    assert_eq!(
        files.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "README.txt",
            "books.csv",
            "date_polls.csv",
            "meetings.csv",
            "poll_rounds.csv",
            "questions.csv",
            "record.json",
            "schedule.csv"
        ]
    );
    assert!(files["books.csv"].contains("Middlemarch,\"Eliot, George\",read,"));
    assert!(files["books.csv"].contains(",2026-09-01,2026-10-15\r\n"));
    assert!(files["schedule.csv"].contains("Middlemarch,1,Book one,2026-09-15\r\n"));
    assert!(files["schedule.csv"].contains("Middlemarch,2,Book two,2026-10-01\r\n"));
    assert!(
        files["meetings.csv"].contains(
            "\"Middlemarch, at last\",2026-10-20,19:00,Europe/London,Library,,Mem,false,2,CMod; Mem,0,1,0\r\n"
        ),
        "{}",
        files["meetings.csv"]
    );
    assert_eq!(
        files["poll_rounds.csv"],
        "poll,round,option,votes\r\n\
         Next read,1,Anna Karenina,2\r\nNext read,1,Bleak House,2\r\nNext read,1,Cranford,1\r\n\
         Next read,2,Anna Karenina,3\r\nNext read,2,Bleak House,2\r\nNext read,2,Cranford,out\r\n"
    );
    // A question typed like a formula is defused for spreadsheets.
    assert!(files["questions.csv"]
        .contains("\"Middlemarch, at last\",1,'=Was Dorothea right?,,Mem\r\n"));
    let json: serde_json::Value = serde_json::from_str(&files["record.json"]).unwrap();
    assert_eq!(json["book_polls"][0]["winner"], "Anna Karenina");
    assert_eq!(json["book_polls"][0]["ballots"], 5);
    assert_eq!(json["meetings"][0]["host"], "Mem");
    app.stop().await;
}

#[sqlx::test]
async fn a_reader_downloads_what_they_wrote_and_nothing_else(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let book: Uuid = sqlx::query_scalar(
        "INSERT INTO books (club_id, title, shelf) VALUES ($1, 'Persuasion', 'reading') RETURNING id",
    )
    .bind(club)
    .fetch_one(&pool)
    .await
    .unwrap();
    let section: Uuid = sqlx::query_scalar(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date)
         VALUES ($1, $2, 'Volume one', current_date + 7) RETURNING id",
    )
    .bind(club)
    .bind(book)
    .fetch_one(&pool)
    .await
    .unwrap();
    for (who, text) in [(Mem, "Anne deserves better."), (CMod, "Wentworth!")] {
        let (status, body) = call(
            &app,
            &cast.clients[&who],
            "/api/reading/comments/post",
            &[
                ("section", &section.to_string()),
                ("body", text),
                ("parent", ""),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    // Mem leaves the club: what she wrote is still hers to take.
    let (status, _) = call(
        &app,
        &cast.clients[&Mem],
        "/api/clubs/leave",
        &[("id", &club.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = get(&app, &cast.clients[&Mem], "/me/writing.json").await;
    assert_eq!(status, 200);
    let writing: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(writing["name"], "Mem");
    let comments = writing["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1, "{writing}");
    assert_eq!(comments[0]["text"], "Anne deserves better.");
    assert_eq!(comments[0]["section"], "Volume one");
    assert_eq!(comments[0]["book"], "Persuasion");
    assert!(!String::from_utf8_lossy(&body).contains("Wentworth"));
    // Signed out: sent to sign in first.
    let (status, _) = get(&app, &cast.clients[&Anon], "/me/writing.json").await;
    assert_eq!(status, 303);
    app.stop().await;
}
