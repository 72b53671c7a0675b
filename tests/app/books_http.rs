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

/// Expected answer per actor, transcribed from the "Books, polls" table of
/// docs/AUTHZ.md (not from `src/books/authz.rs`): 200 allowed (an edit or
/// a removal also names the shelf to go back to), 404 hidden, 403 refused,
/// 401 must sign in, 409 refused for the book's state.
fn expected(action: &str, public: bool) -> [u16; 10] {
    //                                           Anon SGuest Out CGuest Mem CMod CAdm Owner SMod SAdm
    let mut row: [u16; 10] = match action {
        // "see a public club's shelf": Y for everyone.
        "view" => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        // "suggest a book": login, join first, –, Y, Y, Y, Y, –, –.
        "suggest" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 403],
        // "move books between shelves": CMod, CAdm, Owner, SAdm.
        "move" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        // "edit / remove a suggestion": Mem "own, while not in an open
        // poll"; CMod, CAdm, Owner Y; SMod "remove (moderation)"; SAdm Y.
        // "Own" is the actor's own suggestion (site guests, outsiders and
        // club guests may have suggested it as members before).
        "edit own" => [401, 403, 403, 403, 200, 200, 200, 200, 403, 200],
        "edit another's" => [401, 403, 403, 403, 403, 200, 200, 200, 403, 200],
        "edit own in an open poll" => [401, 403, 403, 403, 409, 200, 200, 200, 403, 200],
        "remove own" => [401, 403, 403, 403, 200, 200, 200, 200, 200, 200],
        "remove another's" => [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
        // And a book in a poll stays on the shelf, whoever asks (README:
        // the poll's record): 409 for everyone who could otherwise remove it.
        "remove own in an open poll" => [401, 403, 403, 403, 409, 409, 409, 409, 409, 409],
        _ => unreachable!("{action}"),
    };
    // "see a private club's shelf": 404 for Anon, SGuest and Out, whatever
    // they try.
    if !public {
        row[..3].copy_from_slice(&[404, 404, 404]);
    }
    row
}

const ACTIONS: [&str; 9] = [
    "view",
    "suggest",
    "move",
    "edit own",
    "edit another's",
    "edit own in an open poll",
    "remove own",
    "remove another's",
    "remove own in an open poll",
];

/// Another member of `club`, who suggests "another's" books.
async fn another_member(pool: &PgPool, club: Uuid) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash) VALUES ('Other', $1, 'x') RETURNING id",
    )
    .bind(format!("other-{}@example.com", Uuid::new_v4().simple()))
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'member')")
        .bind(club)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

/// An open poll in `club` with `book` among its options.
async fn open_poll_with(pool: &PgPool, club: Uuid, book: Uuid) -> Uuid {
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at) VALUES ($1, 'Next', now() + interval '3 days') RETURNING id",
    )
    .bind(club)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, 1, $2)")
        .bind(poll)
        .bind(book)
        .execute(pool)
        .await
        .unwrap();
    poll
}

/// The book as the owner's pool reads it: (title, shelf), or none.
async fn stored(pool: &PgPool, book: Uuid) -> Option<(String, String)> {
    sqlx::query_as("SELECT title, shelf FROM books WHERE id = $1")
        .bind(book)
        .fetch_optional(pool)
        .await
        .unwrap()
}

/// Sends one cell's request and checks its effect with the owner's pool:
/// the change made when allowed, nothing changed when refused (failures go
/// into `wrong`). Returns the status.
async fn attempt(
    app: &TestApp,
    pool: &PgPool,
    cast: &Cast,
    who: Who,
    action: &str,
    public: bool,
    wrong: &std::sync::Mutex<Vec<String>>,
) -> u16 {
    let club = club(pool, cast, public).await;
    let book = book(pool, club, None).await;
    // Whose suggestion the book is.
    let suggester = if action.contains("another's") {
        Some(another_member(pool, club).await)
    } else {
        cast.ids.get(&who).copied()
    };
    sqlx::query("UPDATE books SET suggested_by = $2 WHERE id = $1")
        .bind(book)
        .bind(suggester)
        .execute(pool)
        .await
        .unwrap();
    if action.ends_with("in an open poll") {
        open_poll_with(pool, club, book).await;
    }
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
    let verb = action.split(' ').next().unwrap();
    let form: Vec<(&str, String)> = match verb {
        "view" => vec![("club", club_s)],
        "suggest" => fields("club", &club_s),
        "move" => vec![("book", book_s), ("shelf", "up_next".to_owned())],
        "edit" => fields("book", &book_s),
        "remove" => vec![("book", book_s), ("confirm", "yes".to_owned())],
        _ => unreachable!(),
    };
    let r = cast.clients[&who]
        .post(app.url(&format!(
            "/api/books/{}",
            if verb == "view" { "shelf" } else { verb }
        )))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body = r.text().await.unwrap();
    let allowed = status == 200;
    let before = ("Middlemarch".to_owned(), "suggested".to_owned());
    let after = stored(pool, book).await;
    let effect_ok = match verb {
        "view" => body.contains(&book.to_string()) == allowed,
        "suggest" => {
            let added: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM books WHERE club_id = $1 AND title = 'Dune' AND suggested_by = $2",
            )
            .bind(club)
            .bind(cast.ids.get(&who).copied())
            .fetch_one(pool)
            .await
            .unwrap();
            added == i64::from(allowed)
        }
        "move" => {
            after
                == Some((
                    before.0.clone(),
                    if allowed { "up_next" } else { "suggested" }.to_owned(),
                ))
        }
        "edit" => {
            after
                == Some((
                    if allowed { "Dune" } else { "Middlemarch" }.to_owned(),
                    before.1.clone(),
                ))
        }
        "remove" => after == if allowed { None } else { Some(before) },
        _ => unreachable!(),
    };
    if !effect_ok {
        wrong.lock().unwrap().push(format!(
            "{action} in a {} club as {who:?}: answered {status}, but the book is now {after:?} ({body:.200})",
            if public { "public" } else { "private" }
        ));
    }
    status
}

#[sqlx::test]
async fn every_cell_of_the_bookshelf_authorization_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let wrong = std::sync::Mutex::new(Vec::new());
    let failures = table_failures(&ACTIONS, "club's shelf", expected, |who, action, public| {
        attempt(&app, &pool, &cast, who, action, public, &wrong)
    })
    .await;
    let wrong = wrong.into_inner().unwrap();
    assert!(
        failures.is_empty() && wrong.is_empty(),
        "statuses:\n{}\neffects:\n{}",
        failures.join("\n"),
        wrong.join("\n")
    );
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

/// Removing a book takes two steps, both without JavaScript: the book's
/// page, then the box to tick. Without the tick nothing goes and the reason
/// stands beside the box; with it the book goes and the shelf comes back.
#[sqlx::test]
async fn a_removal_needs_its_box_ticked_and_works_without_javascript(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let own = book(&pool, club, None).await;
    sqlx::query("UPDATE books SET suggested_by = $1")
        .bind(cast.ids[&Mem])
        .execute(&pool)
        .await
        .unwrap();
    let member = &cast.clients[&Mem];
    let (code, body) = call(
        &app,
        member,
        "/api/books/remove",
        &[("book", &own.to_string())],
    )
    .await;
    assert_eq!(
        (code, invalid_message(&body, "confirm").as_str()),
        (422, "Tick the box to confirm that the book should go.")
    );
    assert!(stored(&pool, own).await.is_some(), "nothing removed");
    let page = format!("/books/{own}/edit");
    let (_, html) = crate::common::plain_form_post(
        &app,
        member,
        "/api/books/remove",
        &page,
        &[("book", own.to_string())],
    )
    .await;
    assert!(
        html.contains("Tick the box to confirm that the book should go."),
        "back on the book's page with the reason: {html}"
    );
    assert!(stored(&pool, own).await.is_some(), "nothing removed");
    let (_, html) = crate::common::plain_form_post(
        &app,
        member,
        "/api/books/remove",
        &page,
        &[("book", own.to_string()), ("confirm", "yes".to_owned())],
    )
    .await;
    assert!(html.contains("<h1>Bookshelf"), "back on the shelf: {html}");
    assert_eq!(stored(&pool, own).await, None);
    app.stop().await;
}

/// The shelf offers each person what they may do with each book: a member
/// edits and removes their own suggestions (not while in an open poll, not
/// anyone else's); a moderator edits any book and removes any not in a
/// poll; the book's page says why a book in a poll stays.
#[sqlx::test]
async fn the_shelf_offers_members_their_own_suggestions_only(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, true).await;
    let other = another_member(&pool, club).await;
    let mut ids = Vec::new();
    for (title, by) in [
        ("Mine", cast.ids[&Mem]),
        ("Theirs", other),
        ("Mine in a poll", cast.ids[&Mem]),
    ] {
        ids.push(
            sqlx::query_scalar::<_, Uuid>(
                "INSERT INTO books (club_id, title, suggested_by) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(club)
            .bind(title)
            .bind(by)
            .fetch_one(&pool)
            .await
            .unwrap(),
        );
    }
    let (mine, theirs, polled) = (ids[0], ids[1], ids[2]);
    open_poll_with(&pool, club, polled).await;
    let offered = |who: Who| {
        let (app, client) = (&app, &cast.clients[&who]);
        async move {
            let (_, shelf) = call(
                app,
                client,
                "/api/books/shelf",
                &[("club", &club.to_string())],
            )
            .await;
            let mut offered: Vec<(String, bool, bool)> = shelf["books"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    (
                        b["title"].as_str().unwrap().to_owned(),
                        b["can_edit"].as_bool().unwrap(),
                        b["can_remove"].as_bool().unwrap(),
                    )
                })
                .collect();
            offered.sort();
            offered
        }
    };
    let row = |t: &str, e: bool, r: bool| (t.to_owned(), e, r);
    assert_eq!(
        offered(Mem).await,
        [
            row("Mine", true, true),
            row("Mine in a poll", false, false),
            row("Theirs", false, false)
        ]
    );
    assert_eq!(
        offered(CMod).await,
        [
            row("Mine", true, true),
            row("Mine in a poll", true, false),
            row("Theirs", true, true)
        ]
    );
    assert_eq!(
        offered(SMod).await,
        [
            row("Mine", false, true),
            row("Mine in a poll", false, false),
            row("Theirs", false, true)
        ]
    );
    assert_eq!(
        offered(CGuest).await,
        [
            row("Mine", false, false),
            row("Mine in a poll", false, false),
            row("Theirs", false, false)
        ]
    );
    // The page says the same in links.
    let html = cast.clients[&Mem]
        .get(app.url(&format!("/clubs/{club}/books")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("href=\"/books/{mine}/edit\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/books/{mine}/edit#remove\"")),
        "{html}"
    );
    for not_offered in [theirs, polled] {
        assert!(
            !html.contains(&format!("/books/{not_offered}/edit")),
            "{html}"
        );
    }
    // A moderator's page for a book in a poll edits it and says why it stays.
    let html = cast.clients[&CMod]
        .get(app.url(&format!("/books/{polled}/edit")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Save book"), "{html}");
    assert!(!html.contains("Remove book"), "{html}");
    assert!(
        html.contains("This book is part of a poll, so it stays on the shelf"),
        "{html}"
    );
    // A member's page for their own suggestion: edit and remove.
    let html = cast.clients[&Mem]
        .get(app.url(&format!("/books/{mine}/edit")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Save book") && html.contains("Remove book"),
        "{html}"
    );
    app.stop().await;
}

/// Row security beneath a member's own suggestions: as the server's login,
/// a member changes and removes their own suggestion, not someone else's,
/// not one in an open poll, and cannot move it to another shelf.
#[sqlx::test]
async fn row_security_lets_members_change_only_their_own_suggestions(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let club = club(&pool, &cast, false).await;
    let other = another_member(&pool, club).await;
    let mut ids = Vec::new();
    for by in [cast.ids[&Mem], other, cast.ids[&Mem], cast.ids[&Mem]] {
        ids.push(
            sqlx::query_scalar::<_, Uuid>(
                "INSERT INTO books (club_id, title, suggested_by) VALUES ($1, 'B', $2) RETURNING id",
            )
            .bind(club)
            .bind(by)
            .fetch_one(&pool)
            .await
            .unwrap(),
        );
    }
    let (mine, theirs, polled, to_remove) = (ids[0], ids[1], ids[2], ids[3]);
    open_poll_with(&pool, club, polled).await;
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(cast.ids[&Mem]))
        .await
        .unwrap();
    let retitle =
        |book: Uuid| sqlx::query("UPDATE books SET title = 'Changed' WHERE id = $1").bind(book);
    let mut changed = Vec::new();
    for book in [mine, theirs, polled] {
        changed.push(
            retitle(book)
                .execute(&mut *tx)
                .await
                .unwrap()
                .rows_affected(),
        );
    }
    assert_eq!(
        changed,
        [1, 0, 0],
        "own, someone else's, own in an open poll"
    );
    let moved = sqlx::query("UPDATE books SET shelf = 'up_next' WHERE id = $1")
        .bind(mine)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert_eq!(
        moved.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("42501"),
        "a member does not move books"
    );
    tx.rollback().await.unwrap();
    let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(cast.ids[&Mem]))
        .await
        .unwrap();
    let mut removed = Vec::new();
    for book in [to_remove, theirs, polled] {
        removed.push(
            sqlx::query("DELETE FROM books WHERE id = $1")
                .bind(book)
                .execute(&mut *tx)
                .await
                .unwrap()
                .rows_affected(),
        );
    }
    assert_eq!(removed, [1, 0, 0]);
    tx.commit().await.unwrap();
    let left: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM books ORDER BY added_at, id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!left.contains(&to_remove) && left.contains(&theirs) && left.contains(&polled));
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

/// The shelf's "in a poll" facts come from one private function: which of a
/// club's books are poll options, and whether of a poll still open. It
/// answers the club's people and nobody outside a private club.
#[sqlx::test]
async fn the_polled_books_of_a_private_club_are_for_its_people_only(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let private = club(&pool, &cast, false).await;
    let (open, closed, unpolled) = (
        book(&pool, private, None).await,
        book(&pool, private, Some("9780141439549")).await,
        book(&pool, private, Some("9780140449136")).await,
    );
    open_poll_with(&pool, private, open).await;
    let old = open_poll_with(&pool, private, closed).await;
    sqlx::query("UPDATE polls SET closed_at = now() WHERE id = $1")
        .bind(old)
        .execute(&pool)
        .await
        .unwrap();
    let app_pool = test_state_with(&pool, test_leptos_options("target/site"), &[]).pool;
    let polled_for = |viewer: Uuid| {
        let app_pool = app_pool.clone();
        async move {
            let mut tx = bookwork::platform::db::begin_as(&app_pool, Some(viewer))
                .await
                .unwrap();
            let mut rows: Vec<(Uuid, bool)> =
                sqlx::query_as("SELECT book_id, open FROM bookwork_private.club_polled_books($1)")
                    .bind(private)
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap();
            tx.rollback().await.unwrap();
            rows.sort();
            rows
        }
    };
    let mut expected = vec![(open, true), (closed, false)];
    expected.sort();
    // The book in no poll is not listed.
    assert_eq!(polled_for(cast.ids[&Mem]).await, expected, "{unpolled}");
    assert_eq!(polled_for(cast.ids[&Out]).await, vec![], "an outsider");
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

/// A book's own page: the book, who suggested it, the meetings that
/// discussed it and the polls it was in, for those who may see the club;
/// a private club's book is a 404 to anyone else.
#[sqlx::test]
async fn a_book_has_a_page_of_its_own(pool: PgPool) {
    let app = crate::common::spawn_app(pool.clone()).await;
    let owner = crate::common::sign_up(&app, "Olive", "olive@example.com").await;
    let outsider = crate::common::sign_up(&app, "Otto", "otto@example.com").await;
    let club = crate::common::private_club(&app, &owner).await;
    let olive: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'olive@example.com'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let book: Uuid = sqlx::query_scalar(
        "INSERT INTO books (club_id, title, authors, suggested_by) VALUES ($1::uuid, 'Middlemarch', 'George Eliot', $2) RETURNING id",
    )
    .bind(&club)
    .bind(olive)
    .fetch_one(&pool)
    .await
    .unwrap();
    let poll: Uuid = sqlx::query_scalar(
        "INSERT INTO polls (club_id, title, closes_at) VALUES ($1::uuid, 'Winter reading', now() + interval '3 days') RETURNING id",
    )
    .bind(&club)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO poll_options (poll_id, position, book_id) VALUES ($1, 1, $2)")
        .bind(poll)
        .bind(book)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO events (club_id, title, event_date, event_time, location, book_id)
         VALUES ($1::uuid, 'Middlemarch night', current_date + 3, '19:00', 'Library', $2)",
    )
    .bind(&club)
    .bind(book)
    .execute(&pool)
    .await
    .unwrap();

    let page = crate::common::page_text(&app, &owner, &format!("/books/{book}")).await;
    for shown in [
        "<h1>Middlemarch",
        "by George Eliot",
        "Suggested by Olive",
        "Middlemarch night",
        "Winter reading",
        "On the shelf: Suggested",
    ] {
        assert!(page.contains(shown), "{shown} missing: {page}");
    }
    let shelf = crate::common::page_text(&app, &owner, &format!("/clubs/{club}/books")).await;
    assert!(
        shelf.contains(&format!("href=\"/books/{book}\"")),
        "the shelf links to it"
    );
    for (who, client) in [("visitor", &app.client), ("outsider", &outsider)] {
        let r = client
            .get(app.url(&format!("/books/{book}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{who}");
        assert!(!r.text().await.unwrap().contains("Middlemarch"), "{who}");
    }
    app.stop().await;
}
