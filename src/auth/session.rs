//! Who is making this request: verifies the access-token cookie and, when it
//! is missing or stale, rotates the refresh token, all before the page renders
//! (cookies cannot be set once an SSR stream has started).
use axum::extract::{Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use cookie::Cookie;
use std::sync::Arc;
use uuid::Uuid;

use super::check;
use super::db::{self, Rotation};
use super::model::SessionUser;
use crate::error::AppError;
use crate::platform::flash::accepts_html;
use crate::platform::page_transaction::PageTransaction;
use crate::platform::responses::error_response;
use crate::platform::security::server_cookie;
use crate::platform::state::AppState;
use crate::platform::tokens::{hash_refresh_token, new_refresh_token, TokenKeys, ACCESS_TTL};

/// The signed-in user and the sign-in they used, if any. Inserted into every
/// request's extensions by [`middleware`].
#[derive(Debug, Clone, Default)]
pub struct Auth(pub Option<CurrentUser>);

/// How many unread notices the signed-in person had when the page's session
/// check ran (in the same statement): the bell reads it from the page
/// transaction (`PageTransaction::recall`, keyed by the person) instead of
/// asking again.
#[derive(Debug, Clone, Copy)]
pub struct UnreadAtPageStart(pub i64);

/// A sign-in that a verified access token claims, not checked yet: on a
/// request without a page transaction (a form's post, a script's call) the
/// check waits for the request's first need of it, so that a write can
/// send it in the same message as its own `BEGIN` (`check::begin_checked`)
/// instead of spending round trips on it first. Inserted into the request's
/// extensions instead of [`Auth`]; `auth::server::auth` checks it on demand,
/// once (the answer is kept in `checked`).
#[derive(Debug, Clone)]
pub struct ClaimedSignIn {
    pub user: Uuid,
    pub session: Uuid,
    pub checked: Arc<tokio::sync::OnceCell<Auth>>,
}

impl ClaimedSignIn {
    /// What the check found, as the request's [`Auth`].
    pub fn auth(&self, user: Option<SessionUser>) -> Auth {
        Auth(user.map(|user| CurrentUser {
            user,
            session: self.session,
        }))
    }
}

/// Who is asking, as the middleware leaves it for the handlers.
enum Asker {
    Checked(Auth),
    Claimed(ClaimedSignIn),
}

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: SessionUser,
    pub session: Uuid,
}

/// The names of the sign-in cookies. Over https they carry the `__Host-`
/// prefix: browsers then accept them only from this exact host, secure and
/// for the whole site, so a sibling subdomain cannot plant its own copy.
/// Plain-http development (`COOKIE_SECURE=false`) cannot use the prefix.
#[derive(Debug, Clone, Copy)]
pub struct CookieNames {
    pub access: &'static str,
    pub refresh: &'static str,
}

impl CookieNames {
    pub fn new(secure: bool) -> Self {
        if secure {
            CookieNames {
                access: "__Host-bw_access",
                refresh: "__Host-bw_refresh",
            }
        } else {
            CookieNames {
                access: "bw_access",
                refresh: "bw_refresh",
            }
        }
    }
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
    // A page load reads in one transaction, which the session check begins
    // (`PageTransaction`); a server function called by a form or the
    // browser (POST, under /api) keeps its own.
    let server_function = path.starts_with("/api/");
    let page = (request.method() == Method::GET && !server_function).then(PageTransaction::default);
    let names = CookieNames::new(state.config.secure_cookies);
    let cookies = read_cookies(request.headers(), names);
    let check_at = match &page {
        Some(page) => CheckAt::PageStart(page),
        None if server_function => CheckAt::FirstNeed,
        None => CheckAt::Now,
    };
    let (auth, set_cookies) = match authenticate(&state, &cookies, check_at).await {
        Ok(found) => found,
        Err(err) => {
            // Without the database nobody can be told apart: say so, rather
            // than show a signed-in person's page as a stranger's.
            tracing::warn!(error = %err, "could not work out who is asking");
            return error_response(&AppError::Unavailable, accepts_html(request.headers()));
        }
    };
    match auth {
        Asker::Checked(auth) => {
            request.extensions_mut().insert(auth);
        }
        Asker::Claimed(claimed) => {
            request.extensions_mut().insert(claimed);
        }
    }
    if let Some(page) = &page {
        request.extensions_mut().insert(page.clone());
    }
    let mut response = next.run(request).await;
    for cookie in set_cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    match page {
        Some(page) => finish_with_body(response, page),
        None => response,
    }
}

/// For the few GET routes that are not pages (the `.ics` files): they
/// manage their own connections, so the page transaction the session check
/// began is committed and let go before they run, rather than held while
/// they ask the pool for another.
pub async fn without_page_transaction(mut request: Request, next: Next) -> Response {
    if let Some(page) = request.extensions_mut().remove::<PageTransaction>() {
        page.finish().await;
    }
    next.run(request).await
}

/// `response` with its page transaction committed once the body's last
/// byte has been produced (a streamed page reads until then). A body that
/// is dropped before its end rolls the transaction back with it.
fn finish_with_body(response: Response, page: PageTransaction) -> Response {
    use futures_util::StreamExt;
    let (parts, body) = response.into_parts();
    let finished = futures_util::stream::once(async move {
        page.finish().await;
    })
    .filter_map(|()| async { None::<Result<axum::body::Bytes, axum::Error>> });
    let body = axum::body::Body::from_stream(body.into_data_stream().chain(finished));
    Response::from_parts(parts, body)
}

#[derive(Debug, Default, PartialEq, Eq)]
struct RequestCookies {
    access: Option<String>,
    refresh: Option<String>,
}

/// The sign-in cookies of a request, read the way browsers send them (any
/// number of `Cookie` headers, `; `-separated pairs, optional quotes). A name
/// that arrives twice with different values (a copy planted for a parent
/// domain next to ours, say) is not guessed between: it counts as absent.
fn read_cookies(headers: &HeaderMap, names: CookieNames) -> RequestCookies {
    let mut access: Vec<String> = Vec::new();
    let mut refresh: Vec<String> = Vec::new();
    let pairs = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok);
    for cookie in pairs {
        let found = if cookie.name() == names.access {
            &mut access
        } else if cookie.name() == names.refresh {
            &mut refresh
        } else {
            continue;
        };
        if !found.iter().any(|v| v == cookie.value_trimmed()) {
            found.push(cookie.value_trimmed().to_owned());
        }
    }
    let single = |values: Vec<String>, name: &str| match values.len() {
        0 => None,
        1 => values.into_iter().next(),
        _ => {
            tracing::warn!(
                cookie = name,
                copies = values.len(),
                "conflicting copies of a sign-in cookie; ignoring them"
            );
            None
        }
    };
    RequestCookies {
        access: single(access, names.access),
        refresh: single(refresh, names.refresh),
    }
}

/// Where the request checks the sign-in its access token claims.
enum CheckAt<'a> {
    /// A page load: as the first statement of the page's transaction.
    PageStart(&'a PageTransaction),
    /// A server function (under `/api`): where it first needs it, which for
    /// a write is the message that begins its transaction.
    FirstNeed,
    /// Anything else (a HEAD request, say): here, on its own.
    Now,
}

async fn authenticate(
    state: &AppState,
    cookies: &RequestCookies,
    check_at: CheckAt<'_>,
) -> Result<(Asker, Vec<String>), AppError> {
    let keys = state.token_keys();
    if let Some(claims) = cookies
        .access
        .as_deref()
        .and_then(|t| keys.verify_access(t))
    {
        // On a page load the check is the first statement of the page's
        // transaction and makes the person the token names its viewer; if
        // the sign-in is no longer valid, that transaction goes with it.
        let user = match check_at {
            CheckAt::PageStart(page) => {
                let found = check::open_page(page, &state.pool, claims.sub, claims.sid).await?;
                found.map(|(user, unread)| {
                    page.remember(user.id, Some(user.id), UnreadAtPageStart(unread));
                    user
                })
            }
            CheckAt::FirstNeed => {
                let claimed = ClaimedSignIn {
                    user: claims.sub,
                    session: claims.sid,
                    checked: Default::default(),
                };
                return Ok((Asker::Claimed(claimed), Vec::new()));
            }
            CheckAt::Now => check::session_user(&state.pool, claims.sub, claims.sid).await?,
        };
        if let Some(user) = user {
            return Ok((Asker::Checked(signed_in(user, claims.sid)), Vec::new()));
        }
    }
    let (auth, cookies) = renew(state, cookies).await?;
    Ok((Asker::Checked(auth), cookies))
}

/// Who is asking when the access token is missing, stale or no longer
/// valid: the refresh token, if there is one, is exchanged for new ones.
async fn renew(
    state: &AppState,
    cookies: &RequestCookies,
) -> Result<(Auth, Vec<String>), AppError> {
    let keys = state.token_keys();
    let secure = state.config.secure_cookies;
    let Some(refresh) = cookies.refresh.as_deref() else {
        // A stale access cookie with nothing to renew it: drop it.
        let clear = if cookies.access.is_some() {
            vec![expired_cookie(CookieNames::new(secure).access, secure)]
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
        } => {
            crate::platform::metrics::refresh("rotated");
            match check::session_user(&state.pool, user, session).await? {
                Some(found) => {
                    let cookies =
                        session_cookies(&keys, user, session, &new_refresh, expires_at, secure);
                    Ok((signed_in(found, session), cookies))
                }
                None => Ok((Auth::default(), clear_session_cookies(secure))),
            }
        }
        // A sibling request (another tab) rotated this token a moment ago and
        // its response carries the successor. This one is the same browser:
        // signed in, with a fresh access token but no refresh cookie, so the
        // sibling's successor stays the one live refresh token.
        Rotation::JustRotated { user, session } => {
            crate::platform::metrics::refresh("just_rotated");
            match check::session_user(&state.pool, user, session).await? {
                Some(found) => {
                    let access = access_cookie(&keys, user, session, secure);
                    Ok((signed_in(found, session), vec![access]))
                }
                None => Ok((Auth::default(), clear_session_cookies(secure))),
            }
        }
        // Unknown, expired (the sign-in's 30 days are up) or revoked: it will
        // never sign anyone in again, so the browser is told to drop it
        // rather than send it with every request.
        Rotation::Refused => {
            crate::platform::metrics::refresh("refused");
            Ok((Auth::default(), clear_session_cookies(secure)))
        }
        Rotation::ReuseDetected => {
            crate::platform::metrics::refresh("reuse_detected");
            Ok((Auth::default(), clear_session_cookies(secure)))
        }
    }
}

fn signed_in(user: SessionUser, session: Uuid) -> Auth {
    Auth(Some(CurrentUser { user, session }))
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
    let names = CookieNames::new(secure);
    let lifetime = (refresh_expires - Utc::now()).num_seconds().max(0);
    vec![
        access_cookie(keys, user, session, secure),
        server_cookie(names.refresh, refresh, lifetime, secure),
    ]
}

fn access_cookie(keys: &TokenKeys, user: Uuid, session: Uuid, secure: bool) -> String {
    let access = keys.issue_access(user, session, Utc::now());
    let name = CookieNames::new(secure).access;
    server_cookie(name, &access, ACCESS_TTL.num_seconds(), secure)
}

pub fn clear_session_cookies(secure: bool) -> Vec<String> {
    let names = CookieNames::new(secure);
    vec![
        expired_cookie(names.access, secure),
        expired_cookie(names.refresh, secure),
    ]
}

fn expired_cookie(name: &str, secure: bool) -> String {
    server_cookie(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(COOKIE, HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn cookies_are_read_as_browsers_send_them() {
        let names = CookieNames::new(false);
        let got = read_cookies(
            &headers(&["theme=dark;bw_access=abc", "  bw_refresh=\"r1\" ; other=x"]),
            names,
        );
        assert_eq!(got.access.as_deref(), Some("abc"));
        assert_eq!(
            got.refresh.as_deref(),
            Some("r1"),
            "quotes are not part of the value"
        );
        let same_twice = read_cookies(&headers(&["bw_access=abc; bw_access=abc"]), names);
        assert_eq!(same_twice.access.as_deref(), Some("abc"));
    }

    #[test]
    fn conflicting_copies_of_a_cookie_are_not_guessed_between() {
        let names = CookieNames::new(false);
        let got = read_cookies(&headers(&["bw_access=mine; bw_access=planted"]), names);
        assert_eq!(got.access, None);
        let split = read_cookies(&headers(&["bw_refresh=a", "bw_refresh=b"]), names);
        assert_eq!(split.refresh, None);
    }

    #[test]
    fn secure_sign_ins_use_host_only_cookie_names() {
        let names = CookieNames::new(true);
        let got = read_cookies(
            &headers(&["bw_access=unprefixed; __Host-bw_access=real"]),
            names,
        );
        assert_eq!(
            got.access.as_deref(),
            Some("real"),
            "an unprefixed copy is someone else's"
        );
        let set = server_cookie(names.access, "v", 900, true);
        for part in [
            "__Host-bw_access=v",
            "Secure",
            "HttpOnly",
            "Path=/",
            "SameSite=Lax",
            "Max-Age=900",
        ] {
            assert!(set.contains(part), "{set} lacks {part}");
        }
        assert!(!set.contains("Domain"), "__Host- cookies have no Domain");
    }
}
