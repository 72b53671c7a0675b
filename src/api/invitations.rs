//! Invitation links over the API: a club's links for its admins
//! (`/api/v1/clubs/{id}/invitations`: list, make and e-mail, read, withdraw)
//! and, for the person who was sent one, what it leads to and joining by it
//! (`/api/v1/invitations/{token}`), through `clubs::members::invites` as
//! the members page and the invitation page do.
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::idempotency::{self, Created};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request::{self, Id, TwoIds};
use crate::clubs::members::invites;
use crate::clubs::members::model::{InviteRow, InviteStatus};
use crate::error::AppError;
use crate::platform::state::AppState;

/// An invitation link, as the club's admins see it (the link itself is
/// shown once, when it is made).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "6f1d2c3b-4a5e-4f60-8b7a-9c0d1e2f3a4b", "expires": "Sun 13 Dec 2026, 19:00 (Europe/Lisbon)", "sent_to": null, "uses": 0, "max_uses": 5, "state": "active"}))]
pub struct Invitation {
    pub id: Uuid,
    /// When it stops working, in words, in the caller's zone.
    pub expires: String,
    /// The address it was e-mailed to; null for a link shared by hand.
    pub sent_to: Option<String>,
    pub uses: i32,
    pub max_uses: i32,
    /// active, expired, used up or revoked.
    pub state: String,
}

impl From<InviteRow> for Invitation {
    fn from(i: InviteRow) -> Invitation {
        Invitation {
            id: i.id,
            expires: i.expires,
            sent_to: i.sent_to,
            uses: i.uses,
            max_uses: i.max_uses,
            state: i.state,
        }
    }
}

/// A new invitation link, with the link itself: shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "6f1d2c3b-4a5e-4f60-8b7a-9c0d1e2f3a4b", "expires": "Sun 13 Dec 2026, 19:00 (Europe/Lisbon)", "sent_to": null, "uses": 0, "max_uses": 5, "state": "active", "url": "https://books.example.org/invite/q3N1x8c0VbF2kL7sYd9eWp4t"}))]
pub struct NewInvitationLink {
    #[serde(flatten)]
    pub invitation: Invitation,
    /// The link to share (or the one e-mailed).
    pub url: String,
}

/// An invitation to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"days": 7, "max_uses": 5, "email": null}))]
pub struct NewInvitation {
    /// How many days it works, 1 to 90 (default 7).
    #[serde(default, deserialize_with = "request::whole_number")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 90)]
    pub days: Option<i32>,
    /// How many may join by it, 1 to 1000 (default 1).
    #[serde(default, deserialize_with = "request::whole_number")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub max_uses: Option<i32>,
    /// E-mail it to this address (a few a day per person).
    #[serde(default)]
    pub email: Option<String>,
}

/// What an invitation link leads to.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"state": "valid", "club_id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10", "club_name": "Harbour Readers", "description": "We read slowly.", "members": 12, "invited_by": "Ann Lee", "next_meeting": "Thu 10 Dec 2026, 19:00"}))]
pub struct InvitationPreview {
    /// valid, already_member, expired, used_up or revoked.
    pub state: String,
    pub club_id: Option<Uuid>,
    pub club_name: Option<String>,
    pub description: Option<String>,
    pub members: Option<i64>,
    pub invited_by: Option<String>,
    pub next_meeting: Option<String>,
}

impl InvitationPreview {
    fn of(status: InviteStatus) -> Result<InvitationPreview, ApiError> {
        let bare = |state: &str| InvitationPreview {
            state: state.to_owned(),
            club_id: None,
            club_name: None,
            description: None,
            members: None,
            invited_by: None,
            next_meeting: None,
        };
        Ok(match status {
            InviteStatus::Valid {
                club_id,
                club_name,
                preview,
            } => InvitationPreview {
                club_id: Some(club_id),
                club_name: Some(club_name),
                description: preview.description,
                members: Some(preview.members),
                invited_by: preview.invited_by,
                next_meeting: preview.next_meeting,
                ..bare("valid")
            },
            InviteStatus::AlreadyMember { club_id, club_name } => InvitationPreview {
                club_id: Some(club_id),
                club_name: Some(club_name),
                ..bare("already_member")
            },
            InviteStatus::Expired => bare("expired"),
            InviteStatus::UsedUp => bare("used_up"),
            InviteStatus::Revoked => bare("revoked"),
            InviteStatus::Unknown => return Err(ApiError::App(AppError::NotFound)),
        })
    }
}

/// The club joined by an invitation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"club_id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10"}))]
pub struct Joined {
    pub club_id: Uuid,
}

/// One of the club's invitations, for its admins.
async fn invitation_of(
    db: &mut sqlx::PgConnection,
    club: Uuid,
    id: Uuid,
    caller: &Caller,
) -> Result<Invitation, ApiError> {
    invites::invites(db, Some(&caller.me), club)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .map(Invitation::from)
        .ok_or(ApiError::App(AppError::NotFound))
}

/// The club's invitation links, newest first (its admins).
#[utoipa::path(
    get, operation_id = "list_club_invitations", path = "/clubs/{id}/invitations", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"), PageQuery),
    responses(
        (status = 200, description = "A page of invitation links", body = Page<Invitation>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's admins", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn of_club(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let rows = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(invites::invites(db, Some(&caller.me), club).await?)
    })
    .await?;
    let rows = rows.into_iter().map(Invitation::from).collect();
    let page = paging::page_of(rows, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Makes an invitation link (the club's admins), and e-mails it when an
/// address is given. The answer holds the link; it is not shown again.
#[utoipa::path(
    post, operation_id = "create_invitation", path = "/clubs/{id}/invitations", tag = "clubs", request_body = NewInvitation,
    params(("id" = Uuid, Path, description = "The club"),
           ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second link (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The new link", body = NewInvitationLink,
         headers(("Location" = String, description = "The invitation's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's admins, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, or an Idempotency-Key used for another request", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many invitations e-mailed today", body = Problem, content_type = "application/problem+json",
         headers(("Retry-After" = u32, description = "Seconds to wait"))),
    )
)]
async fn create(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let new: NewInvitation = request::body(&bytes)?;
    let public_url = state.config.public_url.clone();
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            let (id, path) = invites::create_invite(
                db,
                Some(&caller.me),
                club,
                new.days.unwrap_or(7).to_string(),
                new.max_uses.unwrap_or(1).to_string(),
                new.email.clone(),
            )
            .await?;
            let link = NewInvitationLink {
                invitation: invitation_of(db, club, id, caller).await?,
                url: format!("{public_url}{path}"),
            };
            Ok(Created {
                location: format!("/api/v1/clubs/{club}/invitations/{id}"),
                body: serde_json::to_value(link).unwrap_or_default(),
            })
        })
        .await
    })
    .await
}

/// One of the club's invitation links (its admins).
#[utoipa::path(
    get, operation_id = "get_invitation", path = "/clubs/{id}/invitations/{invitation}", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"), ("invitation" = Uuid, Path, description = "The invitation")),
    responses(
        (status = 200, description = "The invitation", body = Invitation, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "An id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's admins", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or invitation, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read(
    State(state): State<AppState>,
    TwoIds(club, id): TwoIds,
    parts: Parts,
) -> Result<Response, ApiError> {
    let invitation = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        invitation_of(db, club, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &invitation))
}

/// Withdraws an invitation link: it stops working at once (its admins).
#[utoipa::path(
    delete, operation_id = "revoke_invitation", path = "/clubs/{id}/invitations/{invitation}", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"), ("invitation" = Uuid, Path, description = "The invitation")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 400, description = "An id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's admins, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or invitation, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn revoke(
    State(state): State<AppState>,
    TwoIds(club, id): TwoIds,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(invites::revoke_invite(db, Some(&caller.me), club, id).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// An invitation's token, from the path: the part after `/invite/` in the
/// link.
struct InvitationToken(String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for InvitationToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(Path(token)) = Path::<String>::from_request_parts(parts, state).await else {
            return Err(ApiError::unreadable(
                "The invitation in the address is not text.",
            ));
        };
        if token.is_empty() || token.len() > 200 || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::App(AppError::NotFound));
        }
        Ok(InvitationToken(token))
    }
}

/// What an invitation link leads to: the club, and whether it still works
/// (for anyone holding the link).
#[utoipa::path(
    get, operation_id = "get_invitation_by_link", path = "/invitations/{token}", tag = "clubs",
    params(("token" = String, Path, description = "The part of the link after /invite/", max_length = 200, pattern = "^[!-~]+$")),
    responses(
        (status = 200, description = "The club it leads to, and whether it works", body = InvitationPreview, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn preview(
    State(state): State<AppState>,
    InvitationToken(token): InvitationToken,
    parts: Parts,
) -> Result<Response, ApiError> {
    let status = as_token_holder(&state, &parts, Scope::Read, async |db, _| {
        Ok(invites::invite_status(db, token).await?)
    })
    .await?;
    Ok(reply::json(&parts, &InvitationPreview::of(status)?))
}

/// Joins the club an invitation link leads to. Of many at once for its
/// last use or the club's last place, only as many as fit get in.
#[utoipa::path(
    post, operation_id = "accept_invitation", path = "/invitations/{token}/acceptance", tag = "clubs",
    params(("token" = String, Path, description = "The part of the link after /invite/", max_length = 200, pattern = "^[!-~]+$")),
    responses(
        (status = 200, description = "The caller is a member of the club", body = Joined),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invitation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Expired, used up, withdrawn, already a member, or the club is full", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn accept(
    State(state): State<AppState>,
    InvitationToken(token): InvitationToken,
    parts: Parts,
) -> Result<Response, ApiError> {
    let club_id = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        let known = invites::invite_status(db, token.clone()).await?;
        if known == InviteStatus::Unknown {
            return Err(ApiError::App(AppError::NotFound));
        }
        Ok(invites::accept_invite(db, &caller.me, token).await?)
    })
    .await?;
    Ok(reply::json(&parts, &Joined { club_id }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(of_club, create))
        .routes(routes!(read, revoke))
        .routes(routes!(preview))
        .routes(routes!(accept))
}
