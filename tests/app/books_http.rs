//! The bookshelf over real HTTP: its authorization table one request per
//! cell, ISBNs (the same book typed two ways is one book per club), shelf
//! moves that date the reading, and row security beneath.
use crate::common::cast::{cast, club, table_failures, Cast, Who, Who::*};
use crate::common::{
    call, invalid_message, spawn_app, test_leptos_options, test_state_with, TestApp,
};
use sqlx::PgPool;
use uuid::Uuid;

async fn book(pool: &PgPool, club: Uuid, isbn: Option<&str>) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO books (club_id, title, isbn13) VALUES ($1, 'Middlemarch', $2) RETURNING id",
    )
    .bind(club)
    .bind(isbn)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Expected answer per actor, transcribed by hand from the table in
/// `src/books/authz.rs` (not computed from it): 200 allowed, 404 hidden, 403
/// refused, 401 must sign in.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                               Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let row: [u16; 10] = match action {
        "view" => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        "suggest" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 403],
        "move" | "edit" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        "remove" => [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
        _ => unreachable!("{action}"),
    };
    let mut row = row;
    if !public {
        row[..3].copy_from_slice(&[404, 404, 404]);
    }
    row
}

const ACTIONS: [&str; 5] = ["view", "suggest", "move", "edit", "remove"];

async fn attempt(
    app: &TestApp,
    pool: &PgPool,
    cast: &Cast,
    who: Who,
    action: &str,
    public: bool,
) -> u16 {
    let club = club(pool, cast, public).await;
    let book = book(pool, club, None).await;
    let (club_s, book_s) = (club.to_string(), book.to_string());
    let fields = |key: &'static str, id: &str| {
        vec![
            (key, id.to_owned()),
            ("title", "Dune".to_owned()),
            ("authors", "Frank Herbert".to_owned()),
            ("isbn", String::new()),
            ("cover_url", String::new()),
            ("pages", "412".to_owned()),
            ("description", String::new()),
        ]
    };
    let form: Vec<(&str, String)> = match action {
        "view" => vec![("club", club_s)],
        "suggest" => fields("club", &club_s),
        "move" => vec![("book", book_s), ("shelf", "up_next".to_owned())],
        "edit" => fields("book", &book_s),
        "remove" => vec![("book", book_s)],
        _ => unreachable!(),
    };
    let path = match action {
        "view" => "/api/books/shelf",
        "suggest" => "/api/books/suggest",
        "move" => "/api/books/move",
        "edit" => "/api/books/edit",
        _ => "/api/books/remove",
    };
    let r = cast.clients[&who]
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap();
    // An edit answers with a redirect to the shelf.
    match r.status().as_u16() {
        302 | 303 => 200,
        s => s,
    }
}

#[sqlx::test]
async fn every_cell_of_the_bookshelf_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let failures = table_failures(&ACTIONS, "club's shelf", expected, |who, action, public| {
        attempt(&app, &pool, &cast, who, action, public)
    })
    .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[sqlx::test]
async fn the_same_isbn_is_one_book_per_club_and_a_bad_one_is_explained(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let (club_a, club_b) = (
        club(&pool, &cast, true).await,
        club(&pool, &cast, true).await,
    );
    let suggest = |club: Uuid, isbn: &'static str, cover: &'static str| {
        let club = club.to_string();
        let member = &cast.clients[&Mem];
        let app = &app;
        async move {
            call(
                app,
                member,
                "/api/books/suggest",
                &[
                    ("club", club.as_str()),
                    ("title", "Middlemarch"),
                    ("authors", "George Eliot"),
                    ("isbn", isbn),
                    ("cover_url", cover),
                    ("pages", ""),
                    ("description", ""),
                ],
            )
            .await
        }
    };
    assert_eq!(suggest(club_a, "0-14-143954-8", "").await.0, 200);
    let (code, body) = suggest(club_a, "978 0141439549", "").await;
    assert_eq!(code, 422);
    assert_eq!(
        invalid_message(&body, "isbn"),
        "This book is already on the club's shelf."
    );
    assert_eq!(
        suggest(club_b, "9780141439549", "").await.0,
        200,
        "another club's shelf"
    );
    let (code, body) = suggest(club_a, "0-14-143954-7", "http://covers.example.org/x.jpg").await;
    assert_eq!(code, 422);
    assert!(invalid_message(&body, "isbn").contains("typo"), "{body}");
    assert!(
        invalid_message(&body, "cover_url").contains("https://"),
        "{body}"
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT isbn13 FROM books ORDER BY added_at")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(stored, vec!["9780141439549", "9780141439549"]);
    app.stop().await;
}

#[sqlx::test]
async fn moving_a_book_dates_the_reading_and_the_shelf_shows_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let book = book(&pool, club, None).await.to_string();
    let admin = &cast.clients[&CAdm];
    for shelf in ["up_next", "reading", "read"] {
        let (code, _) = call(
            &app,
            admin,
            "/api/books/move",
            &[("book", &book), ("shelf", shelf)],
        )
        .await;
        assert_eq!(code, 200, "{shelf}");
    }
    let (code, body) = call(
        &app,
        admin,
        "/api/books/move",
        &[("book", &book), ("shelf", "attic")],
    )
    .await;
    assert_eq!(code, 422, "{body}");
    let (started, finished): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) =
        sqlx::query_as("SELECT started_on, finished_on FROM books")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(started.is_some() && finished.is_some());
    let (_, shelf) = call(
        &app,
        &cast.clients[&Anon],
        "/api/books/shelf",
        &[("club", &club.to_string())],
    )
    .await;
    assert_eq!(shelf["books"][0]["shelf"], "read");
    assert!(shelf["books"][0]["finished_on"].is_string());
    assert_eq!(shelf["can_suggest"], false);
    let html = cast.clients[&Mem]
        .get(app.url(&format!("/clubs/{club}/books")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Middlemarch") && html.contains("Suggest a book"),
        "{html}"
    );
    app.stop().await;
}

/// Row security beneath the table: as the server's login, an outsider sees
/// no book of a private club and cannot put one there.
#[sqlx::test]
async fn row_security_hides_a_private_clubs_shelf(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let private = club(&pool, &cast, false).await;
    book(&pool, private, None).await;
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(cast.ids[&Out]))
        .await
        .unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM books")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0);
    let refused = sqlx::query("INSERT INTO books (club_id, title) VALUES ($1, 'Spam')")
        .bind(private)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert_eq!(
        refused
            .as_database_error()
            .and_then(|e| e.code())
            .as_deref(),
        Some("42501")
    );
    tx.rollback().await.unwrap();
    let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(cast.ids[&Mem]))
        .await
        .unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM books")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 1, "a member sees it");
    let moved = sqlx::query("UPDATE books SET shelf = 'read'")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(moved, 0, "but a plain member does not move it");
    app.stop().await;
}

/// A club's free-text "current book" from before the shelf existed becomes
/// the book it is reading now.
#[sqlx::test(migrations = false)]
async fn the_old_current_book_moves_onto_the_shelf(pool: PgPool) {
    use bookwork::platform::db::MIGRATOR;
    let before = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            MIGRATOR
                .iter()
                .take_while(|m| !m.description.contains("bookshelf"))
                .cloned()
                .collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before.run(&pool).await.unwrap();
    let owner: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('O', 'o@example.com', 'x') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO clubs (name, owner_id, current_book) VALUES ('A', $1, ' Dune '), ('B', $1, NULL), ('C', $1, '  ')",
    )
    .bind(owner)
    .execute(&pool)
    .await
    .unwrap();
    MIGRATOR.run(&pool).await.unwrap();
    let shelf: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.name, b.title, b.shelf FROM books b JOIN clubs c ON c.id = b.club_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        shelf,
        vec![("A".to_owned(), "Dune".to_owned(), "reading".to_owned())]
    );
}
