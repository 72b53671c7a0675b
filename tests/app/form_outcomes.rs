//! What a page says after one of its forms was sent: the same page for a
//! plain post (no JavaScript) and for the islands loader's fetch, which
//! sends the same `Accept: text/html` post and shows the page it leads to.
use crate::common::{page_text, plain_form_post, private_club, sign_in, sign_up, spawn_app};
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
    // Sessions are dated in the site's one format, with their zone named.
    let today = chrono::Utc::now().format("%a %-d %b %Y").to_string();
    assert!(
        again.contains(&format!("Signed in <!>{today}, ")),
        "{again}"
    );
    assert!(again.contains(" (UTC)<!> · last active "), "{again}");

    // A form that failed lands on its first problem, not the top of the page.
    let bad = [("name", ""), ("phone", ""), ("avatar", "")];
    let r = ada
        .post(app.url("/api/me/update"))
        .header("accept", "text/html")
        .header("referer", app.url("/me"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.ends_with("#field-name"), "{location}");
    // And says why instead, and nothing about saving.
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
        .find(r#"data-testid="invite-link""#)
        .unwrap_or_else(|| panic!("the link is shown: {page}"));
    let link: String = page[start..]
        .split_once('>')
        .unwrap()
        .1
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    // The whole link, ready to paste: the server's public address first.
    assert!(
        link.starts_with("http") && link.contains("/invite/"),
        "{link}"
    );
    let path = format!("/invite/{}", link.rsplit_once("/invite/").unwrap().1);
    let again = owner
        .get(app.url(&members))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(&link), "shown once");

    // A visitor who opens it sees the club and who invited them, and ways
    // in that both come back to the invitation.
    let visitor = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(visitor.status(), 200);
    let html = visitor.text().await.unwrap();
    assert!(html.contains("Olive invited you to this club."), "{html}");
    // (A token is URL-safe base64, so the path goes into `next` as it is.)
    let back = &path;
    assert!(
        html.contains(&format!(r#"href="/register?next={back}""#)),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"href="/login?next={back}""#)),
        "{html}"
    );

    // The link is the one the club made: someone else joins with it.
    let guest = sign_up(&app, "Gus", "gus@example.com").await;
    let invite_page = guest.get(app.url(&path)).send().await.unwrap();
    assert_eq!(invite_page.status(), 200);
    assert!(invite_page.text().await.unwrap().contains("Quiet Readers"));
    let token = path.trim_start_matches("/invite/");
    let (_, page) = plain_form_post(
        &app,
        &guest,
        "/api/invites/accept",
        &path,
        &[("token", token)],
    )
    .await;
    assert!(page.contains("Welcome to the club!"), "{page}");

    // Used up, it says so, and shows nothing of the club any more.
    let html = app.get(&path).await.text().await.unwrap();
    assert!(html.contains("This invitation has been used up"), "{html}");
    assert!(!html.contains("invited you"), "{html}");
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

#[sqlx::test]
async fn an_action_says_what_it_did_on_the_next_page_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let owner = sign_up(&app, "Olive", "olive@example.com").await;
    // The welcome is said once, on the first page after signing up.
    let home = page_text(&app, &owner, "/").await;
    assert_eq!(
        times(&home, "Welcome to Bookwork! Your account is ready."),
        1
    );
    assert_eq!(
        times(&page_text(&app, &owner, "/").await, "Welcome to Bookwork!"),
        0
    );

    // A new club's page says it is ready (the create redirects there).
    let club = private_club(&app, &owner).await;
    let club_page = format!("/clubs/{club}");
    let page = page_text(&app, &owner, &club_page).await;
    assert_eq!(times(&page, "Your club is ready."), 1, "{page}");
    assert_eq!(
        times(
            &page_text(&app, &owner, &club_page).await,
            "Your club is ready."
        ),
        0
    );

    // Accepting an invitation says so on the club's page it leads to.
    let (_, link) = crate::common::call(
        &app,
        &owner,
        "/api/clubs/invites/create",
        &[("club", &club), ("days", "7"), ("max_uses", "1")],
    )
    .await;
    let token = link
        .as_str()
        .unwrap()
        .rsplit_once("/invite/")
        .unwrap()
        .1
        .to_owned();
    let ann = sign_up(&app, "Ann", "ann@example.com").await;
    page_text(&app, &ann, "/").await; // the sign-up's welcome, said and gone
    let invite_page = format!("/invite/{token}");
    let (_, page) = plain_form_post(
        &app,
        &ann,
        "/api/invites/accept",
        &invite_page,
        &[("token", &token)],
    )
    .await;
    assert_eq!(times(&page, "Welcome to the club!"), 1, "{page}");

    // Removing her: said on the members page the post goes back to, and she
    // is gone from it.
    let (_, me) = crate::common::call(&app, &ann, "/api/auth/me", &[]).await;
    let ann_id = me["id"].as_str().unwrap().to_owned();
    let members = format!("/clubs/{club}/members");
    let form = [("club", club.as_str()), ("user", ann_id.as_str())];
    let (_, page) =
        plain_form_post(&app, &owner, "/api/clubs/members/remove", &members, &form).await;
    assert_eq!(
        times(&page, "They are no longer a member of the club."),
        1,
        "{page}"
    );
    assert!(!page.contains("data-member=\"Ann\""), "{page}");

    // An action that failed (she is not a member any more) says only why,
    // in the page's first message, where the post comes back to (#problem).
    let (_, page) =
        plain_form_post(&app, &owner, "/api/clubs/members/remove", &members, &form).await;
    assert_eq!(times(&page, "no longer a member"), 0, "{page}");
    assert_eq!(times(&page, r#"id="problem""#), 1, "{page}");
    app.stop().await;
}

#[sqlx::test]
async fn what_an_action_said_is_shown_as_text_never_as_markup(pool: PgPool) {
    let app = spawn_app(pool).await;
    // A cookie planted by hand (a sibling site cannot where cookies are
    // secure: the name is `__Host-`): shown, escaped, and forgotten.
    let page = app
        .client
        .get(app.url("/"))
        .header(
            "cookie",
            "bw_said=%3Cscript%3Ealert(1)%3C%2Fscript%3E%00%0A",
        )
        .send()
        .await
        .unwrap();
    let cleared = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("bw_said=;"));
    assert!(cleared, "the message is forgotten once shown");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert(1)"));
    app.stop().await;
}
