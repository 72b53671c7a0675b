//! `/api/v1/me`: the person the token stands for — their details and time
//! zone (read and changed), their notification settings, and where they
//! are signed in (listed, and ended) — through the profile page's own
//! functions (`profile::db`, `notify::db`, `events::calendar::db`).
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request::{self, Id};
use crate::error::{AppError, Checks};
use crate::notify::model::Kind;
use crate::platform::state::AppState;
use crate::profile::model::{validate_profile, SessionInfo};

/// The signed-in person.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0b3f6c8e-2d4a-4f7e-9a51-6c2d8e4b1a07", "name": "Ann Lee", "email": "ann@example.org", "role": "member", "phone": null, "avatar": null, "time_zone": "Europe/Lisbon"}))]
pub struct Me {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    /// Their site role: member, guest, moderator or admin.
    pub role: String,
    pub phone: Option<String>,
    /// A picture's https address.
    pub avatar: Option<String>,
    /// The zone times are shown in (null: each club's or meeting's own).
    pub time_zone: Option<String>,
}

/// Changes to the signed-in person: only the fields sent change; null
/// clears phone, avatar or time zone.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Ann Lee", "time_zone": "Europe/Lisbon"}))]
pub struct MeChanges {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "request::sent")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "request::sent")]
    #[schema(value_type = Option<String>)]
    pub avatar: Option<Option<String>>,
    /// An IANA zone such as Europe/Lisbon.
    #[serde(default, deserialize_with = "request::sent")]
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<Option<String>>,
}

/// Whether one kind of notification comes by e-mail and in the app.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "event_reminder", "description": "Reminders before a meeting", "email": true, "in_app": true}))]
pub struct NotificationSetting {
    pub kind: String,
    /// What the kind is, in words (ignored when sent).
    #[serde(default)]
    pub description: String,
    pub email: bool,
    pub in_app: bool,
}

/// Every kind's setting, to save at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"settings": [{"kind": "event_reminder", "email": false, "in_app": true}]}))]
pub struct NotificationSettings {
    /// The kinds left out keep their setting.
    pub settings: Vec<NotificationSetting>,
}

/// A place the person is signed in (a browser, or a program's sign-in).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "2e4c6a81-9b0d-4f3e-8a7c-5d1b3f9e0c42", "browser": "Firefox on Linux", "started": "3 Dec 2026, 18:02", "last_used": "6 Dec 2026, 09:14", "current": false}))]
pub struct Session {
    pub id: Uuid,
    pub browser: String,
    pub started: String,
    pub last_used: String,
    /// This request's own sign-in (a program's; never a token's).
    pub current: bool,
}

impl From<SessionInfo> for Session {
    fn from(s: SessionInfo) -> Session {
        Session {
            id: s.id,
            browser: s.browser,
            started: s.started,
            last_used: s.last_used,
            current: s.current,
        }
    }
}

async fn me_of(db: &mut sqlx::PgConnection, caller: &Caller) -> Result<Me, ApiError> {
    let profile = crate::profile::db::profile(db, caller.me.id).await?;
    let time_zone = crate::events::standing::viewer_zone(db, Some(&caller.me)).await?;
    Ok(Me {
        id: caller.me.id,
        name: profile.name,
        email: profile.email,
        role: caller.me.role.clone(),
        phone: profile.phone,
        avatar: profile.avatar,
        time_zone,
    })
}

/// Who the token stands for.
#[utoipa::path(
    get, operation_id = "get_me",
    path = "/me",
    tag = "me",
    responses(
        (status = 200, description = "The token's person", body = Me, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 401, description = "No token, or one that is revoked, expired or of a deactivated account", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the read scope", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_me(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let me = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        me_of(db, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &me))
}

/// Changes the person's name, phone, picture or time zone. Send `If-Match`
/// with the ETag you read to be refused (412) rather than overwrite a
/// change made elsewhere.
#[utoipa::path(
    patch, operation_id = "update_me", path = "/me", tag = "me", request_body = MeChanges,
    params(("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "The person as changed", body = Me, headers(("ETag" = String))),
        (status = 400, description = "A body it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update_me(
    State(state): State<AppState>,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let changes: MeChanges = request::body(&bytes)?;
    let me = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        // The person's row is held from the comparison to the write.
        crate::profile::db::lock(db, caller.me.id).await?;
        let current = me_of(db, caller).await?;
        reply::check_if_match(&parts, &current)?;
        let pick = |sent: &Option<Option<String>>, now: &Option<String>| -> String {
            sent.clone()
                .unwrap_or_else(|| now.clone())
                .unwrap_or_default()
        };
        let details = validate_profile(
            changes.name.as_deref().unwrap_or(&current.name),
            &pick(&changes.phone, &current.phone),
            &pick(&changes.avatar, &current.avatar),
        );
        let zone = pick(&changes.time_zone, &current.time_zone);
        let zone = crate::platform::zones::checked_zone(db, Some(&zone), "time_zone").await;
        // Every invalid field at once: the details' and the zone's.
        let mut checks = Checks::new();
        let details = checks.check(details);
        let zone = checks.check(zone);
        let ((name, phone, avatar), zone) = checks.done(|| details.zip(zone))?;
        crate::profile::db::update_profile(
            db,
            caller.me.id,
            &name,
            phone.as_deref(),
            avatar.as_deref(),
        )
        .await?;
        crate::events::calendar::db::set_time_zone(db, caller.me.id, zone).await?;
        me_of(db, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &me))
}

/// Every kind of notification the person chooses, and how it comes.
#[utoipa::path(
    get, operation_id = "get_notification_settings", path = "/me/notification-settings", tag = "me",
    responses(
        (status = 200, description = "Every kind's setting", body = Vec<NotificationSetting>, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the read scope", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn notification_settings(
    State(state): State<AppState>,
    parts: Parts,
) -> Result<Response, ApiError> {
    let settings = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        settings_of(db, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &settings))
}

async fn settings_of(
    db: &mut sqlx::PgConnection,
    caller: &Caller,
) -> Result<Vec<NotificationSetting>, ApiError> {
    Ok(crate::notify::db::preferences(db, caller.me.id)
        .await?
        .into_iter()
        .map(|p| NotificationSetting {
            kind: p.kind.as_str().to_owned(),
            description: p.kind.label().to_owned(),
            email: p.email,
            in_app: p.in_app,
        })
        .collect())
}

/// Saves notification settings: each kind sent is set as sent; the rest
/// stay as they were.
#[utoipa::path(
    put, operation_id = "put_notification_settings", path = "/me/notification-settings", tag = "me", request_body = NotificationSettings,
    responses(
        (status = 200, description = "Every kind's setting, as saved", body = Vec<NotificationSetting>, headers(("ETag" = String))),
        (status = 400, description = "A body it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A kind that is not one of them", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn save_notification_settings(
    State(state): State<AppState>,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let sent: NotificationSettings = request::body(&bytes)?;
    let settings =
        as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
            let mut email = Vec::new();
            let mut in_app = Vec::new();
            for setting in settings_of(db, caller).await? {
                let chosen = sent.settings.iter().rev().find(|s| s.kind == setting.kind);
                let (by_email, by_app) =
                    chosen.map_or((setting.email, setting.in_app), |c| (c.email, c.in_app));
                if by_email {
                    email.push(setting.kind.clone());
                }
                if by_app {
                    in_app.push(setting.kind.clone());
                }
            }
            if let Some(unknown) = sent.settings.iter().find(|s| {
                Kind::parse(&s.kind).is_none_or(|k| !Kind::CHOSEN_BY_MEMBERS.contains(&k))
            }) {
                return Err(AppError::validation(
                    "settings",
                    format!(
                        "“{}” is not a kind of notification you choose.",
                        unknown.kind
                    ),
                )
                .into());
            }
            crate::notify::db::save_preferences(db, caller.me.id, &email, &in_app).await?;
            settings_of(db, caller).await
        })
        .await?;
    Ok(reply::json(&parts, &settings))
}

/// Where the person is signed in: browsers and programs' sign-ins (not
/// their personal access tokens, which are on /me).
#[utoipa::path(
    get, operation_id = "list_my_sessions", path = "/me/sessions", tag = "me",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of sign-ins, the latest used first", body = Page<Session>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the read scope", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn sessions(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let sessions = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(crate::profile::db::sessions(db, caller.me.id, caller.holder).await?)
    })
    .await?;
    let sessions = sessions.into_iter().map(Session::from).collect();
    let page = paging::page_of(sessions, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Signs one of the person's sign-ins out, at once (a browser's next
/// request is signed out; a program's refresh token stops working).
#[utoipa::path(
    delete, operation_id = "end_my_session", path = "/me/sessions/{id}", tag = "me",
    params(("id" = Uuid, Path, description = "The sign-in")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "None of the person's live sign-ins", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn end_session(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let me = as_token_holder(&state, &parts, Scope::Write, async |_, caller| {
        Ok(caller.me.id)
    })
    .await?;
    if !crate::profile::db::end_session(&state.pool, me, id).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me))
        .routes(routes!(notification_settings, save_notification_settings))
        .routes(routes!(sessions))
        .routes(routes!(end_session))
}
