//! Looking books up in Open Library, against a local HTTP server that
//! answers as Open Library's search does (its `/search.json`, the fields it
//! documents), counting what it is asked: results become books the club can
//! suggest in one press, answers are kept, a slow answer never holds the
//! page, and only the club's people may look up for it.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::common::{
    call, page_text, plain_form_post, private_club, sign_up, spawn_app_with, TestApp,
};

/// One request's query parameters.
type Asked = Vec<(String, String)>;

/// The fake Open Library: what it was asked, and how long it waits first.
#[derive(Clone, Default)]
struct Library {
    asked: Arc<Mutex<Vec<Asked>>>,
    slow: Arc<AtomicUsize>,
}

async fn search(State(library): State<Library>, Query(params): Query<Asked>) -> Json<Value> {
    library.asked.lock().unwrap().push(params.clone());
    let wait = library.slow.load(Ordering::SeqCst) as u64;
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let asked = |name: &str| params.iter().any(|(k, v)| k == name && !v.is_empty());
    let docs = if asked("isbn") {
        json!([{
            "title": "Dune",
            "author_name": ["Frank Herbert"],
            "cover_i": 11481354,
            "number_of_pages_median": 612,
            "isbn": ["0441172717", "9780441172719"],
            "first_publish_year": 1965
        }])
    } else if params
        .iter()
        .any(|(k, v)| k == "q" && v.contains("nothing"))
    {
        json!([])
    } else {
        json!([
            {
                "title": "The Left Hand of Darkness",
                "author_name": ["Ursula K. Le Guin"],
                "cover_i": 6462,
                "number_of_pages_median": 304,
                "isbn": ["9780441478125"],
                "first_publish_year": 1969
            },
            { "title": "The Left Hand of Darkness: a critical reader", "author_name": [] }
        ])
    };
    Json(json!({ "numFound": docs.as_array().unwrap().len(), "start": 0, "docs": docs }))
}

/// Starts the fake library; returns its address and its record.
async fn library() -> (String, Library) {
    let library = Library::default();
    let app = Router::new()
        .route("/search.json", get(search))
        .with_state(library.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), library)
}

async fn app_with_library(pool: PgPool, url: &str) -> TestApp {
    spawn_app_with(
        pool,
        &[
            ("OPEN_LIBRARY_URL", url),
            ("OPEN_LIBRARY_COVERS_URL", "https://covers.example.org"),
        ],
    )
    .await
}

#[sqlx::test]
async fn a_book_looked_up_is_suggested_with_one_press(pool: PgPool) {
    let (url, library) = library().await;
    let app = app_with_library(pool.clone(), &url).await;
    let owner = sign_up(&app, "Olive", "olive@example.com").await;
    let club = private_club(&app, &owner).await;
    let shelf = format!("/clubs/{club}/books");

    // By title: the results, on the shelf page, without JavaScript.
    let page = page_text(
        &app,
        &owner,
        &format!("{shelf}?lookup=left+hand+of+darkness"),
    )
    .await;
    assert!(page.contains("The Left Hand of Darkness"), "{page}");
    assert!(
        page.contains("Ursula K. Le Guin · first published 1969 · 304 pages"),
        "{page}"
    );
    assert!(
        page.contains("https://covers.example.org/b/id/6462-M.jpg"),
        "{page}"
    );
    let asked = library.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0].contains(&("q".into(), "left hand of darkness".into())),
        "{asked:?}"
    );

    // Asked again (in other spacing and case): answered from what was kept.
    let (status, again) = call(
        &app,
        &owner,
        "/api/books/look-up",
        &[("club", &club), ("query", "  Left Hand  of Darkness ")],
    )
    .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["Found"][0]["title"], "The Left Hand of Darkness");
    assert_eq!(
        library.asked.lock().unwrap().len(),
        1,
        "kept, not asked twice"
    );

    // By ISBN (with hyphens): the ISBN-13 is asked for and kept.
    let (_, found) = call(
        &app,
        &owner,
        "/api/books/look-up",
        &[("club", &club), ("query", "0-441-17271-7")],
    )
    .await;
    let dune = &found["Found"][0];
    assert_eq!(dune["title"], "Dune");
    assert_eq!(dune["authors"], "Frank Herbert");
    assert_eq!(dune["isbn"], "9780441172719");
    assert_eq!(dune["pages"], 612);
    let asked = library.asked.lock().unwrap().clone();
    assert!(
        asked[1].contains(&("isbn".into(), "9780441172719".into())),
        "{asked:?}"
    );

    // "Suggest this": the book goes on the shelf with what was found.
    let form = [
        ("club", club.as_str()),
        ("title", "Dune"),
        ("authors", "Frank Herbert"),
        ("isbn", "9780441172719"),
        (
            "cover_url",
            "https://covers.example.org/b/id/11481354-M.jpg",
        ),
        ("pages", "612"),
        ("description", ""),
    ];
    let (_, page) = plain_form_post(&app, &owner, "/api/books/suggest", &shelf, &form).await;
    assert!(page.contains("Added to the suggestions."), "{page}");
    let (title, authors, isbn, cover, pages): (String, String, String, String, i32) =
        sqlx::query_as(
            "SELECT title, authors, isbn13, cover_url, pages FROM books WHERE club_id = $1::uuid",
        )
        .bind(&club)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        (
            title.as_str(),
            authors.as_str(),
            isbn.as_str(),
            cover.as_str(),
            pages
        ),
        (
            "Dune",
            "Frank Herbert",
            "9780441172719",
            "https://covers.example.org/b/id/11481354-M.jpg",
            612
        )
    );

    // The same book again (by title and author, whatever the case) is
    // flagged as already there, and nothing is added.
    let again = [
        ("club", club.as_str()),
        ("title", "dune"),
        ("authors", "FRANK HERBERT"),
        ("isbn", ""),
        ("cover_url", ""),
        ("pages", ""),
        ("description", ""),
    ];
    let (status, body) = call(&app, &owner, "/api/books/suggest", &again).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        crate::common::invalid_message(&body, "title")
            .contains("already on the club's shelf, under “Suggested”"),
        "{body}"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM books WHERE club_id = $1::uuid")
        .bind(&club)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);

    // Nothing found says so.
    let page = page_text(&app, &owner, &format!("{shelf}?lookup=nothing+at+all")).await;
    assert!(page.contains("data-testid=\"lookup-none\""), "{page}");
    app.stop().await;
}

#[sqlx::test]
async fn a_slow_library_never_holds_the_page(pool: PgPool) {
    let (url, library) = library().await;
    library.slow.store(10_000, Ordering::SeqCst);
    let app = app_with_library(pool.clone(), &url).await;
    let owner = sign_up(&app, "Olive", "olive@example.com").await;
    let club = private_club(&app, &owner).await;
    let started = Instant::now();
    let response = owner
        .get(app.url(&format!("/clubs/{club}/books?lookup=slow+book")))
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Open Library did not answer in time"),
        "{page}"
    );
    // The suggest form is still there to fill in by hand.
    assert!(page.contains("Suggest a book"), "{page}");
    assert!(took < Duration::from_secs(8), "the page waited {took:?}");
    app.stop().await;
}

#[sqlx::test]
async fn only_the_clubs_people_look_up_and_only_when_it_is_configured(pool: PgPool) {
    let (url, library) = library().await;
    let app = app_with_library(pool.clone(), &url).await;
    let owner = sign_up(&app, "Olive", "olive@example.com").await;
    let outsider = sign_up(&app, "Otto", "otto@example.com").await;
    let club = private_club(&app, &owner).await;
    let form = [("club", club.as_str()), ("query", "dune")];
    // A private club is no club at all to those outside it.
    let (status, _) = call(&app, &app.client, "/api/books/look-up", &form).await;
    assert_eq!(status, 404, "a visitor");
    let (status, _) = call(&app, &outsider, "/api/books/look-up", &form).await;
    assert_eq!(status, 404, "someone outside a private club");
    assert!(
        library.asked.lock().unwrap().is_empty(),
        "nobody refused reached the library"
    );
    let (status, body) = call(
        &app,
        &owner,
        "/api/books/look-up",
        &[("club", &club), ("query", " ")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    app.stop().await;

    // Without OPEN_LIBRARY_URL, no look-up is offered.
    let plain = crate::common::spawn_app(pool.clone()).await;
    let owner = sign_up(&plain, "Ada", "ada@example.com").await;
    let club = private_club(&plain, &owner).await;
    let page = page_text(&plain, &owner, &format!("/clubs/{club}/books")).await;
    assert!(
        page.contains("Suggest a book") && !page.contains("Find a book to suggest"),
        "{page}"
    );
    let (status, body) = call(
        &plain,
        &owner,
        "/api/books/look-up",
        &[("club", &club), ("query", "dune")],
    )
    .await;
    assert_eq!((status, body), (200, json!("Off")));
    plain.stop().await;
}
