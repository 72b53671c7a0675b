//! Who is making this request: verifies the access-token cookie and, when it
//! is missing or stale, rotates the refresh token, all before the page renders
//! (cookies cannot be set once an SSR stream has started).
use axum::extract::{Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use uuid::Uuid;

use super::db::{self, Rotation};
use super::model::SessionUser;
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::platform::tokens::{hash_refresh_token, new_refresh_token, TokenKeys, ACCESS_TTL};

pub const ACCESS_COOKIE: &str = "bw_access";
pub const REFRESH_COOKIE: &str = "bw_refresh";

/// The signed-in user and the sign-in they used, if any. Inserted into every
/// request's extensions by [`middleware`].
#[derive(Debug, Clone, Default)]
pub struct Auth(pub Option<CurrentUser>);

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: SessionUser,
    pub session: Uuid,
}

pub async fn middleware(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let skip = path.starts_with("/pkg/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.svg";
    if skip {
        return next.run(request).await;
    }
    let cookies = read_cookies(request.headers().get_all(COOKIE).iter());
    // A database hiccup here means "anonymous for this request", not an error page.
    let (auth, set_cookies) = authenticate(&state, &cookies).await.unwrap_or_default();
    request.extensions_mut().insert(auth);
    let mut response = next.run(request).await;
    for cookie in set_cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

struct RequestCookies {
    access: Option<String>,
    refresh: Option<String>,
}

fn read_cookies<'a>(headers: impl Iterator<Item = &'a HeaderValue>) -> RequestCookies {
    let mut found = RequestCookies {
        access: None,
        refresh: None,
    };
    for header in headers {
        let Ok(text) = header.to_str() else { continue };
        for pair in text.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else {
                continue;
            };
            match name {
                ACCESS_COOKIE => found.access = Some(value.to_owned()),
                REFRESH_COOKIE => found.refresh = Some(value.to_owned()),
                _ => {}
            }
        }
    }
    found
}

async fn authenticate(
    state: &AppState,
    cookies: &RequestCookies,
) -> Result<(Auth, Vec<String>), AppError> {
    let keys = state.token_keys();
    if let Some(claims) = cookies
        .access
        .as_deref()
        .and_then(|t| keys.verify_access(t))
    {
        if let Some(user) = db::session_user(&state.pool, claims.sub, claims.sid).await? {
            return Ok((
                Auth(Some(CurrentUser {
                    user,
                    session: claims.sid,
                })),
                Vec::new(),
            ));
        }
    }
    let secure = state.config.secure_cookies;
    let Some(refresh) = cookies.refresh.as_deref() else {
        // A stale access cookie with nothing to renew it: drop it.
        let clear = if cookies.access.is_some() {
            vec![expired_cookie(ACCESS_COOKIE, secure)]
        } else {
            Vec::new()
        };
        return Ok((Auth::default(), clear));
    };
    let new_refresh = new_refresh_token();
    match db::rotate(
        &state.pool,
        &hash_refresh_token(refresh),
        &hash_refresh_token(&new_refresh),
    )
    .await?
    {
        Rotation::Rotated {
            user,
            session,
            expires_at,
        } => match db::session_user(&state.pool, user, session).await? {
            Some(found) => {
                let cookies =
                    session_cookies(&keys, user, session, &new_refresh, expires_at, secure);
                Ok((
                    Auth(Some(CurrentUser {
                        user: found,
                        session,
                    })),
                    cookies,
                ))
            }
            None => Ok((Auth::default(), clear_session_cookies(secure))),
        },
        // Possibly a concurrent request that lost the race to a sibling which
        // is setting fresh cookies right now: leave the cookies alone.
        Rotation::Refused => Ok((Auth::default(), Vec::new())),
        Rotation::ReuseDetected => Ok((Auth::default(), clear_session_cookies(secure))),
    }
}

/// The Set-Cookie values for a (re)started sign-in.
pub fn session_cookies(
    keys: &TokenKeys,
    user: Uuid,
    session: Uuid,
    refresh: &str,
    refresh_expires: chrono::DateTime<Utc>,
    secure: bool,
) -> Vec<String> {
    let now = Utc::now();
    let access = keys.issue_access(user, session, now);
    vec![
        cookie(ACCESS_COOKIE, &access, ACCESS_TTL.num_seconds(), secure),
        cookie(
            REFRESH_COOKIE,
            refresh,
            (refresh_expires - now).num_seconds().max(0),
            secure,
        ),
    ]
}

pub fn clear_session_cookies(secure: bool) -> Vec<String> {
    vec![
        expired_cookie(ACCESS_COOKIE, secure),
        expired_cookie(REFRESH_COOKIE, secure),
    ]
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

fn expired_cookie(name: &str, secure: bool) -> String {
    cookie(name, "", 0, secure)
}
