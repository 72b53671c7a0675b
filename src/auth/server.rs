//! Server-side bodies of the auth server functions, and the helpers every
//! other server function uses to ask "who is this?".
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::HeaderValue;
use chrono::Utc;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

use super::check;
use super::client::client_ip;
use super::db;
use super::model::{checked_name, safe_next, SessionUser};
use super::password::{check_new_password, hash_password, verify_password};
use super::session::{clear_session_cookies, session_cookies, Auth, ClaimedSignIn, CurrentUser};
use crate::error::{AppError, AppResult, Checks};
use crate::platform::metrics;
use crate::platform::page_transaction::PageTransaction;
use crate::platform::state::{app_state, request_extension, AppState};
use crate::platform::tokens::{hash_refresh_token, new_refresh_token, SESSION_TTL};
use crate::platform::transactions::{set_viewer_statement, OpenTransaction};

/// Failed attempts allowed per account and per client within the window.
const ACCOUNT_LIMIT: i64 = 5;
const CLIENT_LIMIT: i64 = 20;
const WINDOW_SECS: f64 = 15.0 * 60.0;
/// The window of `Config::sign_ups_per_hour`.
const SIGN_UP_WINDOW_SECS: f64 = 60.0 * 60.0;

/// The request's authentication, as established by the session middleware.
///
/// Every request that can reach a server function has passed that
/// middleware, so not finding it means this ran without its request's
/// context (a render whose reactive owner lost its parents). That is
/// answered as an error, loudly: taking it for a visitor would tell a
/// signed-in person to sign in, and hide the fault.
pub async fn auth() -> AppResult<Auth> {
    if let Some(auth) = request_extension::<Auth>() {
        return Ok(auth);
    }
    let Some(claimed) = request_extension::<ClaimedSignIn>() else {
        tracing::error!("a server function ran without its request's context");
        return Err(AppError::Internal);
    };
    if let Some(auth) = claimed.checked.get() {
        return Ok(auth.clone());
    }
    let state = app_state()?;
    let user = check::session_user(&state.pool, claimed.user, claimed.session).await?;
    Ok(checked(&claimed, user, &state))
}

/// The request's [`Auth`] once its claimed sign-in has been checked, kept
/// for the rest of the request. A sign-in that is no longer valid will never
/// be again: the browser is told to drop its cookies (what renewing it would
/// have said).
fn checked(claimed: &ClaimedSignIn, user: Option<SessionUser>, state: &AppState) -> Auth {
    if user.is_none() {
        set_cookies(clear_session_cookies(state.config.secure_cookies));
    }
    let auth = claimed.auth(user);
    // Kept unless a sibling read checked it meanwhile, with the same answer.
    let _ = claimed.checked.set(auth.clone());
    auth
}

/// The request's claimed sign-in, if nothing has checked it yet.
fn unchecked_claim() -> Option<ClaimedSignIn> {
    request_extension::<ClaimedSignIn>().filter(|claimed| claimed.checked.get().is_none())
}

/// The signed-in user, if anyone is signed in.
pub async fn viewer() -> AppResult<Option<SessionUser>> {
    Ok(auth().await?.0.map(|c| c.user))
}

/// Runs `work` for whoever is asking, in one transaction that PostgreSQL's
/// row-level security sees as them, committed when `work` succeeds and
/// rolled back when it fails. Server functions that touch club data do their
/// database work through this.
pub async fn as_viewer<T>(
    work: impl AsyncFnOnce(&mut sqlx::PgConnection, Option<&SessionUser>) -> AppResult<T>,
) -> AppResult<T> {
    let state = app_state()?;
    // While a page renders, its reads share the page's one transaction.
    if let Some(page) = PageTransaction::current() {
        let me = viewer().await?;
        let viewer = me.as_ref().map(|m| m.id);
        return page
            .run(&state.pool, viewer, async |db| work(db, me.as_ref()).await)
            .await;
    }
    // A sign-in nothing has checked yet is checked by the statement that
    // begins this transaction, in the same message.
    let (me, mut db) = match unchecked_claim() {
        Some(claimed) => {
            let (user, db) =
                check::begin_checked(&state.pool, claimed.user, claimed.session).await?;
            (checked(&claimed, user, &state).0.map(|c| c.user), db)
        }
        None => {
            let me = viewer().await?;
            let viewer = set_viewer_statement(me.as_ref().map(|m| m.id));
            let (db, _) = OpenTransaction::begin(&state.pool, &viewer).await?;
            (me, db)
        }
    };
    match work(&mut db, me.as_ref()).await {
        Ok(result) => {
            db.commit().await?;
            Ok(result)
        }
        Err(err) => {
            if let Err(failed) = db.rollback().await {
                tracing::warn!(error = %failed, "a server function's transaction did not roll back");
            }
            Err(err)
        }
    }
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user() -> AppResult<CurrentUser> {
    auth().await?.0.ok_or(AppError::Unauthorized)
}

fn set_cookies(cookies: Vec<String>) {
    if let Some(response) = use_context::<ResponseOptions>() {
        for cookie in cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.append_header(SET_COOKIE, value);
            }
        }
    }
}

/// An e-mail address as typed: trimmed, lower-cased, plausibly shaped, at
/// most 255 characters (a message beside the `email` field otherwise).
pub fn normalize_email(raw: &str) -> AppResult<String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::validation("email", "Enter your email address."));
    }
    let valid = email.len() <= 255
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if !valid {
        return Err(AppError::validation(
            "email",
            "Enter a valid email address, like name@example.com.",
        ));
    }
    Ok(email)
}

/// A new sign-in: its session (refresh-token family), its first refresh
/// token, and when it ends, however often it is refreshed.
pub struct NewSignIn {
    pub session: Uuid,
    pub refresh: String,
    pub ends: chrono::DateTime<Utc>,
}

/// Starts a sign-in for `user`, the site's and a program's alike (the API's
/// `POST /api/v1/sessions`): both are listed and ended the same way.
pub async fn start_sign_in(
    state: &AppState,
    user: Uuid,
    user_agent: Option<&str>,
) -> AppResult<NewSignIn> {
    let refresh = new_refresh_token();
    let ends = Utc::now() + SESSION_TTL;
    let session = db::start_session(
        &state.pool,
        user,
        &hash_refresh_token(&refresh),
        user_agent,
        ends,
    )
    .await?;
    Ok(NewSignIn {
        session,
        refresh,
        ends,
    })
}

async fn begin_session(state: &AppState, user: Uuid) -> AppResult<()> {
    let user_agent = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    let started = start_sign_in(state, user, user_agent.as_deref()).await?;
    set_cookies(session_cookies(
        &state.token_keys(),
        user,
        started.session,
        &started.refresh,
        started.ends,
        state.config.secure_cookies,
    ));
    Ok(())
}

pub async fn register(
    name: String,
    email: String,
    password: String,
    next: Option<String>,
) -> AppResult<()> {
    let state = app_state()?;
    let mut checks = Checks::new();
    let name = checks.check(checked_name(&name));
    let typed_email = email.trim().to_lowercase();
    let email = checks.check(normalize_email(&email));
    // Every problem at once: the password is checked even when the address
    // is not valid (against what was typed, for "avoid your address").
    checks.check(
        check_new_password(&password, email.as_deref().unwrap_or(&typed_email))
            .map_err(|m| AppError::validation("password", m)),
    );
    let (name, email) = checks.done(|| name.zip(email))?;
    let client = client_key().await;
    enforce_rate_limit(&state, std::slice::from_ref(&client)).await?;
    let sign_ups = format!("sign-up:{client}");
    let limit = i64::from(state.config.sign_ups_per_hour);
    if let Some(wait) = db::claim_use(&state.pool, &sign_ups, limit, SIGN_UP_WINDOW_SECS).await? {
        return Err(rate_limited(wait));
    }

    let hash = hash_password(password).await?;
    let user = match db::create_user(&state.pool, &name, &email, &hash).await {
        Ok(user) => user,
        Err(err) => {
            // Repeated sign-ups count against the client like failed sign-ins.
            db::record_failure(&state.pool, &[client]).await?;
            return Err(err);
        }
    };
    db::record_login(&state.pool, user).await?;
    begin_session(&state, user).await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

pub async fn login(email: String, password: String, next: Option<String>) -> AppResult<()> {
    let state = app_state()?;
    let user = check_credentials(&state, &email, &password, client_key().await).await?;
    begin_session(&state, user).await?;
    metrics::sign_in("ok");
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// A sign-in's check, for the sign-in form and the API's sign-in alike: the
/// address and password of an active account, under the limits on failures
/// per account and per client (`client`, "client:<ip>"). Notes the sign-in
/// on the account; the caller starts the session.
pub async fn check_credentials(
    state: &AppState,
    email: &str,
    password: &str,
    client: String,
) -> AppResult<Uuid> {
    let mut checks = Checks::new();
    let email = checks.check(normalize_email(email));
    if password.is_empty() {
        checks.add("password", "Enter your password.");
    }
    let email = checks.done(|| email)?;
    let keys = [format!("account:{email}"), client];
    enforce_rate_limit(state, &keys)
        .await
        .inspect_err(|_| metrics::sign_in("limited"))?;

    let credentials = db::credentials(&state.pool, &email).await?;
    // Always run argon2 (against a dummy hash for unknown emails) so "no such
    // user" and "wrong password" look and take the same.
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let password_ok = verify_password(password.to_owned(), stored).await;
    let Some(credentials) = credentials.filter(|_| password_ok) else {
        metrics::sign_in("failed");
        db::record_failure(&state.pool, &keys).await?;
        return Err(AppError::validation(
            "form",
            "That email and password don't match an account. Check them and try again.",
        ));
    };
    if !credentials.is_active {
        metrics::sign_in("failed");
        return Err(AppError::validation(
            "form",
            "This account has been deactivated. Contact a site administrator.",
        ));
    }
    db::record_login(&state.pool, credentials.id).await?;
    Ok(credentials.id)
}

pub async fn logout() -> AppResult<()> {
    let state = app_state()?;
    if let Some(current) = auth().await?.0 {
        db::revoke_session(&state.pool, current.session, "signed_out").await?;
    }
    set_cookies(clear_session_cookies(state.config.secure_cookies));
    leptos_axum::redirect("/");
    Ok(())
}

/// Clears this browser's sign-in cookies: after its account is deleted,
/// when there is no session left to end.
pub fn forget_this_browser() {
    if let Ok(state) = app_state() {
        set_cookies(clear_session_cookies(state.config.secure_cookies));
    }
}

async fn client_key() -> String {
    let state = app_state().ok();
    let trusted = state
        .map(|s| s.config.trusted_proxies.clone())
        .unwrap_or_default();
    client_key_of(client_ip(&trusted).await)
}

/// The rate limits' name for a client ("client:<ip>"), the site's sign-in
/// and the API's alike.
pub fn client_key_of(ip: Option<std::net::IpAddr>) -> String {
    match ip {
        Some(ip) => format!("client:{ip}"),
        None => "client:unknown".to_owned(),
    }
}

/// Refuses with `RateLimited` (answered 429 with `Retry-After`) once any key
/// has too many recent failures.
async fn enforce_rate_limit(state: &AppState, keys: &[String]) -> AppResult<()> {
    for key in keys {
        let limit = if key.starts_with("account:") {
            ACCOUNT_LIMIT
        } else {
            CLIENT_LIMIT
        };
        let (count, oldest_age) = db::recent_failures(&state.pool, key, WINDOW_SECS).await?;
        if count >= limit {
            return Err(rate_limited(WINDOW_SECS - oldest_age));
        }
    }
    Ok(())
}

/// `RateLimited`, to be tried again in `wait` seconds (said in
/// `Retry-After` too).
fn rate_limited(wait: f64) -> AppError {
    let retry_after = wait.ceil().max(1.0) as u64;
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(RETRY_AFTER, HeaderValue::from(retry_after));
    }
    AppError::RateLimited {
        retry_after_secs: retry_after,
    }
}

/// Creates a site admin (or promotes an existing account) from the command
/// line, so no account with a published password ever exists. Without a
/// password a random one is generated and returned, to be shown once.
pub async fn create_admin(
    pool: &sqlx::PgPool,
    name: &str,
    email: &str,
    password: Option<String>,
) -> AppResult<CreatedAdmin> {
    let email = normalize_email(email)?;
    if let Some(existing) = db::credentials(pool, &email).await? {
        crate::platform::db::in_transaction(pool, async |db| {
            sqlx::query!(
                "UPDATE users SET role = 'admin', is_active = true WHERE id = $1",
                existing.id
            )
            .execute(db)
            .await
        })
        .await?;
        return Ok(CreatedAdmin::Promoted);
    }
    let (password, generated) = match password {
        Some(p) => (p, false),
        None => (new_refresh_token(), true),
    };
    check_new_password(&password, &email).map_err(|m| AppError::validation("password", m))?;
    let hash = hash_password(password.clone()).await?;
    let id = db::create_user(pool, name, &email, &hash).await?;
    crate::platform::db::in_transaction(pool, async |db| {
        sqlx::query!("UPDATE users SET role = 'admin' WHERE id = $1", id)
            .execute(db)
            .await
    })
    .await?;
    Ok(CreatedAdmin::Created {
        generated_password: generated.then_some(password),
    })
}

#[derive(Debug)]
pub enum CreatedAdmin {
    Created { generated_password: Option<String> },
    Promoted,
}

/// Changes the signed-in user's password. Every existing sign-in ends (their
/// access tokens stop working at once); this browser gets a fresh one.
pub async fn change_password(current_password: String, new_password: String) -> AppResult<()> {
    let me = require_user().await?;
    let state = app_state()?;
    let mut checks = Checks::new();
    if current_password.is_empty() {
        checks.add("current_password", "Enter your current password.");
    } else {
        let stored = db::password_hash(&state.pool, me.user.id).await?;
        if !verify_password(current_password, Some(stored)).await {
            checks.add("current_password", "That is not your current password.");
        }
    }
    checks.check(
        check_new_password(&new_password, &me.user.email)
            .map_err(|m| AppError::validation("new_password", m)),
    );
    checks.finish()?;
    let hash = hash_password(new_password).await?;
    db::set_password_hash(&state.pool, me.user.id, &hash).await?;
    db::revoke_user_sessions(&state.pool, me.user.id, None, "password_changed").await?;
    begin_session(&state, me.user.id).await
}
