//! What a page says after one of its forms was sent: the same page for a
//! plain post (no JavaScript) and for the islands loader's fetch, which
//! sends the same `Accept: text/html` post and shows the page it leads to.
use crate::common::{plain_form_post, private_club, sign_in, sign_up, spawn_app};
use sqlx::PgPool;

/// Counts `needle` in `haystack`.
fn times(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[sqlx::test]
async fn a_form_that_worked_says_so_on_its_page_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let ada = sign_up(&app, "Ada", "ada@example.com").await;
    let form = [("name", "Ada Lovelace"), ("phone", ""), ("avatar", "")];
    let (status, page) = plain_form_post(&app, &ada, "/api/me/update", "/me", &form).await;
    assert_eq!(status, 302);
    assert_eq!(times(&page, ">Saved.<"), 1, "{page}");
    assert!(page.contains("Ada Lovelace"));
    // Said once: the page loaded again says nothing.
    let again = ada
        .get(app.url("/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(times(&again, ">Saved.<"), 0);

    // A form that failed says why instead, and nothing about saving.
    let bad = [("name", ""), ("phone", ""), ("avatar", "")];
    let (_, page) = plain_form_post(&app, &ada, "/api/me/update", "/me", &bad).await;
    assert_eq!(times(&page, ">Saved.<"), 0);
    assert!(page.contains("field-error"), "{page}");
    app.stop().await;
}

#[sqlx::test]
async fn what_a_form_answered_is_shown_with_its_message(pool: PgPool) {
    let app = spawn_app(pool).await;
    let ada = sign_up(&app, "Ada", "ada@example.com").await;
    // Two more browsers: signing out "everywhere else" ends two sessions.
    sign_in(&app, "ada@example.com").await;
    sign_in(&app, "ada@example.com").await;
    let none: [(&str, &str); 0] = [];
    let (_, page) = plain_form_post(&app, &ada, "/api/me/sessions/end-others", "/me", &none).await;
    assert_eq!(times(&page, "Signed out 2 other sessions."), 1, "{page}");
    app.stop().await;
}

#[sqlx::test]
async fn an_invitation_link_made_by_a_plain_post_is_shown_once_and_works(pool: PgPool) {
    let app = spawn_app(pool).await;
    let owner = sign_up(&app, "Olive", "olive@example.com").await;
    let club = private_club(&app, &owner).await;
    let club = club.as_str();
    let members = format!("/clubs/{club}/members");
    let form = [
        ("club", club),
        ("days", "7"),
        ("max_uses", "1"),
        ("email", ""),
    ];
    let (_, page) =
        plain_form_post(&app, &owner, "/api/clubs/invites/create", &members, &form).await;
    let start = page
        .find(r#"data-testid="invite-link">"#)
        .expect("the link is shown");
    let link: String = page[start..]
        .trim_start_matches(r#"data-testid="invite-link">"#)
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    assert!(link.starts_with("/invite/"), "{link}");
    let again = owner
        .get(app.url(&members))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(&link), "shown once");

    // The link is the one the club made: someone else joins with it.
    let guest = sign_up(&app, "Gus", "gus@example.com").await;
    let invite_page = guest.get(app.url(&link)).send().await.unwrap();
    assert_eq!(invite_page.status(), 200);
    assert!(invite_page.text().await.unwrap().contains("Quiet Readers"));
    app.stop().await;
}

#[sqlx::test]
async fn pages_carry_only_their_islands(pool: PgPool) {
    let app = spawn_app(pool).await;
    let html = app.get("/").await.text().await.unwrap();
    let islands: Vec<&str> = html
        .split("<leptos-island data-component=\"")
        .skip(1)
        .map(|rest| rest.split('_').next().unwrap_or_default())
        .collect();
    // docs/ARCHITECTURE.md, "Islands and forms": the navigation on every page.
    assert_eq!(islands, ["MenuButton"], "{html}");
    // What the page read is not sent along: nothing outside an island is
    // hydrated (the home page's counts would be its data).
    assert!(!html.contains("__RESOLVED_RESOURCES["), "{html}");
    // The loader brings them to life and sends forms in place.
    assert!(html.contains("Bookwork could not send a form"), "{html}");
    app.stop().await;
}
