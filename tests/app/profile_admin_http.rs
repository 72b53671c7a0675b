//! Profile, sessions and site administration over real HTTP, with the
//! site table of AUTHZ.md one request per cell, each checked by its effect.
use std::collections::BTreeMap;

use crate::common::cast::{cast, Who, Who::*};
use crate::common::{call, cookie_client, sign_in, sign_up, spawn_app, TestApp, PASSWORD};
use sqlx::PgPool;

/// A signed-in client for a new account.
async fn member(app: &TestApp, email: &str) -> reqwest::Client {
    sign_up(app, email.split('@').next().unwrap(), email).await
}

async fn admin(app: &TestApp, pool: &PgPool, email: &str) -> reqwest::Client {
    let c = member(app, email).await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = $1")
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
    c
}

async fn user_id(pool: &PgPool, email: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

#[sqlx::test]
async fn the_profile_page_sends_visitors_to_sign_in_and_back(pool: PgPool) {
    let app = spawn_app(pool).await;
    // As a browser asks for a page.
    let r = app
        .client
        .get(app.url("/me"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], "/login?next=/me");
    let signed_in = member(&app, "ada@example.com").await;
    let page = signed_in.get(app.url("/me")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("ada@example.com"));
    app.stop().await;
}

#[sqlx::test]
async fn profile_edits_are_validated_and_saved(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ada = member(&app, "ada@example.com").await;
    let (status, body) = call(
        &app,
        &ada,
        "/api/me/update",
        &[("name", "Ada L."), ("phone", "not a phone"), ("avatar", "")],
    )
    .await;
    assert_eq!(
        (status, crate::common::invalid_fields(&body).as_str()),
        (422, "phone")
    );
    let (status, _) = call(
        &app,
        &ada,
        "/api/me/update",
        &[
            ("name", "Ada L."),
            ("phone", "+44 20 7946 0958"),
            ("avatar", "https://example.com/a.png"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, profile) = call(&app, &ada, "/api/me/profile", &[]).await;
    assert_eq!(profile["name"], "Ada L.");
    assert_eq!(profile["phone"], "+44 20 7946 0958");
    // The page's one loader: her details, her one sign-in, her settings.
    let (status, page) = call(&app, &ada, "/api/me/page", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(page["profile"]["email"], "ada@example.com");
    assert_eq!(page["profile"]["name"], "Ada L.");
    assert_eq!(page["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["sessions"][0]["current"], true);
    assert_eq!(page["calendar"]["has_feed"], false);
    // Anonymous callers are refused by every profile function.
    for path in [
        "/api/me/page",
        "/api/me/profile",
        "/api/me/update",
        "/api/me/sessions",
        "/api/me/sessions/end-others",
    ] {
        let (status, _) = call(
            &app,
            &cookie_client(),
            path,
            &[("name", "x"), ("phone", ""), ("avatar", "")],
        )
        .await;
        assert_eq!(status, 401, "{path}");
    }
    app.stop().await;
}

#[sqlx::test]
async fn changing_the_password_ends_every_other_session(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let laptop = member(&app, "ada@example.com").await;
    let phone = sign_in(&app, "ada@example.com").await;
    assert!(call(&app, &phone, "/api/auth/me", &[]).await.1.is_object());
    let laptop_sign_in: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM session_families ORDER BY created_at LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();

    let (status, body) = call(
        &app,
        &laptop,
        "/api/me/password",
        &[
            ("current_password", "wrong"),
            ("new_password", "another long phrase"),
        ],
    )
    .await;
    assert_eq!(
        (status, crate::common::invalid_fields(&body).as_str()),
        (422, "current_password")
    );
    let (status, _) = call(
        &app,
        &laptop,
        "/api/me/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "another long phrase"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    // This browser's old sign-in ended as well (its old tokens are useless at
    // once); it carries on with a new one.
    let old_sign_in_ended: bool =
        sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM session_families WHERE id = $1")
            .bind(laptop_sign_in)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(old_sign_in_ended);

    assert_eq!(
        call(&app, &phone, "/api/me/profile", &[]).await,
        (401, serde_json::json!("Unauthorized")),
        "the other device is signed out"
    );
    assert!(
        call(&app, &laptop, "/api/auth/me", &[]).await.1.is_object(),
        "this browser carries on"
    );
    let (status, _) = call(
        &app,
        &cookie_client(),
        "/api/auth/login",
        &[
            ("email", "ada@example.com"),
            ("password", "another long phrase"),
        ],
    )
    .await;
    assert!(status == 302 || status == 200);
    app.stop().await;
}

#[sqlx::test]
async fn sessions_can_be_listed_and_ended(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let laptop = member(&app, "ada@example.com").await;
    let phone = sign_in(&app, "ada@example.com").await;
    let (_, sessions) = call(&app, &laptop, "/api/me/sessions", &[]).await;
    let sessions = sessions.as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);

    // Someone else cannot end Ada's sessions: it is as if they did not exist.
    let mallory = member(&app, "mallory@example.com").await;
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        call(&app, &mallory, "/api/me/sessions/end", &[("id", &other)])
            .await
            .0,
        404
    );
    assert!(call(&app, &phone, "/api/auth/me", &[]).await.1.is_object());

    let (status, ended) = call(&app, &laptop, "/api/me/sessions/end-others", &[]).await;
    assert_eq!((status, ended.as_u64()), (200, Some(1)));
    assert_eq!(
        call(&app, &phone, "/api/me/profile", &[]).await,
        (401, serde_json::json!("Unauthorized"))
    );
    assert!(call(&app, &laptop, "/api/auth/me", &[]).await.1.is_object());
    app.stop().await;
}

#[sqlx::test]
async fn only_site_admins_manage_users(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let root = admin(&app, &pool, "root@example.com").await;
    let ada = member(&app, "ada@example.com").await;
    let ada_id = user_id(&pool, "ada@example.com").await;
    for role in ["moderator", "guest"] {
        let c = member(&app, &format!("{role}@example.com")).await;
        sqlx::query("UPDATE users SET role = $1 WHERE email = $2")
            .bind(role)
            .bind(format!("{role}@example.com"))
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            call(
                &app,
                &c,
                "/api/admin/users",
                &[("search", ""), ("page", "1")]
            )
            .await
            .0,
            403,
            "site {role}"
        );
    }
    assert_eq!(
        call(
            &app,
            &ada,
            "/api/admin/users",
            &[("search", ""), ("page", "1")]
        )
        .await
        .0,
        403,
        "member"
    );
    assert_eq!(
        call(
            &app,
            &cookie_client(),
            "/api/admin/users",
            &[("search", ""), ("page", "1")]
        )
        .await
        .0,
        401,
        "anonymous"
    );
    assert_eq!(
        call(
            &app,
            &ada,
            "/api/admin/users/role",
            &[("user_id", &ada_id), ("role", "admin")]
        )
        .await
        .0,
        403,
        "no self-promotion"
    );
    assert_eq!(
        call(
            &app,
            &ada,
            "/api/admin/users/active",
            &[("user_id", &ada_id), ("active", "false")]
        )
        .await
        .0,
        403
    );

    let (status, page) = call(
        &app,
        &root,
        "/api/admin/users",
        &[("search", "ADA@"), ("page", "1")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 1);
    assert_eq!(page["users"][0]["email"], "ada@example.com");
    assert!(page["users"][0].get("password_hash").is_none());

    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/role",
            &[("user_id", &ada_id), ("role", "moderator")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        call(&app, &ada, "/api/auth/me", &[]).await.1["role"],
        "moderator"
    );
    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/role",
            &[("user_id", &ada_id), ("role", "overlord")]
        )
        .await
        .0,
        422
    );
    app.stop().await;
}

#[sqlx::test]
async fn users_are_paged_twenty_at_a_time(pool: PgPool) {
    for i in 0..45 {
        sqlx::query("INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'x')")
            .bind(format!("Reader {i:02}"))
            .bind(format!("reader{i:02}@example.com"))
            .execute(&pool)
            .await
            .unwrap();
    }
    let app = spawn_app(pool.clone()).await;
    let root = admin(&app, &pool, "root@example.com").await;
    let (_, first) = call(
        &app,
        &root,
        "/api/admin/users",
        &[("search", "reader"), ("page", "1")],
    )
    .await;
    let (_, third) = call(
        &app,
        &root,
        "/api/admin/users",
        &[("search", "reader"), ("page", "3")],
    )
    .await;
    assert_eq!(
        (first["total"].as_i64(), first["pages"].as_i64()),
        (Some(45), Some(3))
    );
    assert_eq!(first["users"].as_array().unwrap().len(), 20);
    assert_eq!(third["users"].as_array().unwrap().len(), 5);
    assert_eq!(first["users"][0]["name"], "Reader 00");
    app.stop().await;
}

#[sqlx::test]
async fn deactivation_signs_the_user_out_at_once_and_reactivation_lets_them_back(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let root = admin(&app, &pool, "root@example.com").await;
    let ada = member(&app, "ada@example.com").await;
    let ada_id = user_id(&pool, "ada@example.com").await;
    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/active",
            &[("user_id", &ada_id), ("active", "false")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        call(&app, &ada, "/api/me/profile", &[]).await,
        (401, serde_json::json!("Unauthorized"))
    );
    let (status, _) = call(
        &app,
        &cookie_client(),
        "/api/auth/login",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/active",
            &[("user_id", &ada_id), ("active", "true")]
        )
        .await
        .0,
        200
    );
    let (status, _) = call(
        &app,
        &cookie_client(),
        "/api/auth/login",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert!(status == 302 || status == 200);
    app.stop().await;
}

#[sqlx::test]
async fn the_last_active_admin_cannot_demote_or_deactivate_themselves(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let root = admin(&app, &pool, "root@example.com").await;
    let root_id = user_id(&pool, "root@example.com").await;
    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/role",
            &[("user_id", &root_id), ("role", "member")]
        )
        .await
        .0,
        409
    );
    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/active",
            &[("user_id", &root_id), ("active", "false")]
        )
        .await
        .0,
        409
    );
    // With a second admin, stepping down is fine.
    let _second = admin(&app, &pool, "second@example.com").await;
    assert_eq!(
        call(
            &app,
            &root,
            "/api/admin/users/role",
            &[("user_id", &root_id), ("role", "member")]
        )
        .await
        .0,
        200
    );
    app.stop().await;
}

#[sqlx::test]
async fn only_site_admins_see_the_system_page(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let root = admin(&app, &pool, "root@example.com").await;
    let ada = member(&app, "ada@example.com").await;

    // Visitors are sent to sign in; members are refused; admins see it.
    let (status, _) = call(&app, &app.client, "/api/admin/system", &[]).await;
    assert_eq!(status, 401);
    let r = app
        .client
        .get(app.url("/admin/system"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        "/login?next=/admin/system"
    );
    let (status, body) = call(&app, &ada, "/api/admin/system", &[]).await;
    assert_eq!(status, 403, "{body}");
    let page = ada.get(app.url("/admin/system")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(html.contains("Only site administrators can see how the system is doing."));
    assert!(!html.contains("Slowest statements"));
    // The list of people refuses the same way: a 403 page saying why, with
    // nobody's address on it (it once answered 200 "Something went wrong").
    let page = ada.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(html.contains("Only site administrators"), "{html}");
    assert!(!html.contains("root@example.com") && !html.contains("Something went wrong"));
    let page = root.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("root@example.com"));

    // The clean-up has run once; the page says when, and by which process.
    let turn =
        bookwork::server::maintenance::clean_up_once(&pool, std::time::Duration::from_secs(60))
            .await
            .unwrap();
    assert!(matches!(turn, bookwork::server::maintenance::Turn::Ran(_)));

    let (status, s) = call(&app, &root, "/api/admin/system", &[]).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["version"], env!("CARGO_PKG_VERSION"));
    assert!(!s["commit"].as_str().unwrap().is_empty());
    let (open, max) = (
        s["pool"]["open"].as_u64().unwrap(),
        s["pool"]["max"].as_u64().unwrap(),
    );
    assert!(open >= 1 && open <= max, "{s}");
    let db = &s["database"]["Ok"];
    assert!(db["latency_ms"].as_f64().unwrap() >= 0.0, "{s}");
    assert!(
        db["server_version"].as_str().unwrap().starts_with("15"),
        "{s}"
    );
    // Counts are the database's own, not the viewer's (RLS hides nothing here).
    let (users, clubs): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM clubs)")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(users, 2);
    assert_eq!(db["users"], users);
    assert_eq!(db["clubs"], clubs);
    assert!(
        db["clean_up"]["finished"]
            .as_str()
            .unwrap()
            .ends_with("UTC"),
        "{s}"
    );
    assert!(db["clean_up"]["ran_by"]
        .as_str()
        .unwrap()
        .contains(&format!("pid {}", std::process::id())));
    let tables: Vec<&str> = db["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(tables.contains(&"public.users"), "{tables:?}");
    // Whether statements are timed depends on pg_stat_statements being
    // installed in this database; the page says which.
    let tracked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(db["statements_tracked"], tracked, "{s}");

    // The page itself, server-rendered: no JavaScript needed to read it.
    let page = root
        .get(app.url("/admin/system"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for part in [
        "<h1>System",
        "This server",
        "Connection pool",
        "ms for SELECT 1",
        "Slowest statements",
        "Largest tables",
        "public.users",
        "Last finished",
    ] {
        assert!(html.contains(part), "the page lacks {part:?}");
    }
    assert!(html.contains(&format!("pid {}", std::process::id())));
    assert_eq!(
        html.contains("pg_stat_statements is not installed in this database"),
        !tracked
    );
}

/// The site table of AUTHZ.md, transcribed by hand: "list / search users,
/// change site roles, deactivate" is for SAdm only; "edit own profile,
/// password, sessions" for everyone signed in. Out is the table's "member":
/// a plain account. A visitor is sent to sign in (401).
fn site_expected(action: &str) -> [u16; 5] {
    //                                   Anon SGuest member SMod SAdm
    match action {
        "list" | "role" | "own-role" | "deactivate" | "reactivate" => [401, 403, 403, 403, 200],
        "profile" => [401, 200, 200, 200, 200],
        _ => unreachable!("{action}"),
    }
}

const SITE_ACTORS: [Who; 5] = [Anon, SGuest, Out, SMod, SAdm];

/// Every account as (email → name, site role, active), read with the
/// test's owner pool.
async fn accounts(pool: &PgPool) -> BTreeMap<String, (String, String, bool)> {
    let rows: Vec<(String, String, String, bool)> =
        sqlx::query_as("SELECT email, name, role, is_active FROM users")
            .fetch_all(pool)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(email, name, role, active)| (email, (name, role, active)))
        .collect()
}

/// What an allowed action is meant to change, worked out by hand: the
/// target's role or activity, or the actor's own account.
fn site_intended(
    action: &str,
    me: &str,
    target: &str,
    before: &BTreeMap<String, (String, String, bool)>,
) -> BTreeMap<String, (String, String, bool)> {
    let mut after = before.clone();
    match action {
        "list" => {}
        "role" => after.get_mut(target).unwrap().1 = "moderator".into(),
        "own-role" => after.get_mut(me).unwrap().1 = "admin".into(),
        "deactivate" => after.get_mut(target).unwrap().2 = false,
        "reactivate" => after.get_mut(target).unwrap().2 = true,
        "profile" => after.get_mut(me).unwrap().0 = "Renamed".into(),
        _ => unreachable!("{action}"),
    }
    after
}

#[sqlx::test]
async fn every_cell_of_the_site_table(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cast = cast(&app, &pool).await;
    let mut failures = Vec::new();
    for action in [
        "list",
        "role",
        "own-role",
        "deactivate",
        "reactivate",
        "profile",
    ] {
        for (n, (who, want)) in SITE_ACTORS
            .into_iter()
            .zip(site_expected(action))
            .enumerate()
        {
            // A fresh plain account per cell to act on (inactive for
            // "reactivate").
            let target = format!("target-{action}-{n}@example.com");
            sqlx::query(
                "INSERT INTO users (name, email, password_hash, is_active) VALUES ('Target', $1, 'x', $2)",
            )
            .bind(&target)
            .bind(action != "reactivate")
            .execute(&pool)
            .await
            .unwrap();
            let target_id = user_id(&pool, &target).await;
            let me = format!("{who:?}@example.com").to_lowercase();
            let my_id = match who {
                Anon => uuid::Uuid::new_v4().to_string(),
                _ => cast.ids[&who].to_string(),
            };
            let (path, form): (&str, Vec<(&str, &str)>) = match action {
                "list" => ("/api/admin/users", vec![("search", &target), ("page", "1")]),
                "role" => (
                    "/api/admin/users/role",
                    vec![("user_id", &target_id), ("role", "moderator")],
                ),
                "own-role" => (
                    "/api/admin/users/role",
                    vec![("user_id", &my_id), ("role", "admin")],
                ),
                "deactivate" => (
                    "/api/admin/users/active",
                    vec![("user_id", &target_id), ("active", "false")],
                ),
                "reactivate" => (
                    "/api/admin/users/active",
                    vec![("user_id", &target_id), ("active", "true")],
                ),
                "profile" => (
                    "/api/me/update",
                    vec![("name", "Renamed"), ("phone", ""), ("avatar", "")],
                ),
                _ => unreachable!(),
            };
            let before = accounts(&pool).await;
            let (got, body) = call(&app, &cast.clients[&who], path, &form).await;
            let after = accounts(&pool).await;
            let cell = format!("{action} as {who:?}");
            if got != want {
                failures.push(format!("{cell}: expected {want}, got {got} {body}"));
            }
            let allowed = want == 200;
            let meant = if allowed {
                site_intended(action, &me, &target, &before)
            } else {
                before.clone()
            };
            if after != meant {
                let changed: Vec<_> = after
                    .iter()
                    .filter(|(k, v)| before.get(*k) != Some(*v))
                    .collect();
                failures.push(format!(
                    "{cell}: {} (changed: {changed:?})",
                    if allowed {
                        "not done as asked"
                    } else {
                        "changed an account"
                    }
                ));
            }
            // The list: the one account searched for, to SAdm only.
            if action == "list" {
                let emails: Vec<&str> = body["users"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|u| u["email"].as_str())
                    .collect();
                let shown = body.to_string().contains(&target);
                if allowed && emails != [target.as_str()] || !allowed && shown {
                    failures.push(format!("{cell}: listed {body}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}
