//! The viewer's standing in a club: who they are to it (site role, club
//! role, owner), read once per page, and how a decision about it becomes the
//! error they see. Kept apart from `db.rs` because every feature that belongs
//! to a club (members, books, events, polls) authorizes with it, while
//! `db.rs` holds the club's own reads and writes.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, ClubAction, Decision, Viewer};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};
use crate::platform::page_transaction::PageTransaction;

/// Who the viewer is to a club, and the club's visibility and name.
#[derive(Clone)]
pub(crate) struct Standing {
    pub who: Viewer,
    pub is_public: bool,
    pub name: String,
}

/// The viewer's standing in a club; `None` when there is no such club.
/// While a page renders it is read once for the page: the club page's
/// sections (the club, its polls, its meetings) each authorize with it.
pub(crate) async fn standing(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Option<Standing>> {
    let page = PageTransaction::current();
    let viewer_id = viewer.map(|v| v.id);
    if let Some(known) = page.as_ref().and_then(|p| p.recall(club, viewer_id)) {
        return Ok(known);
    }
    let found = read_standing(db, club, viewer).await?;
    if let Some(page) = page {
        page.remember(club, viewer_id, found.clone());
    }
    Ok(found)
}

async fn read_standing(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Option<Standing>> {
    let row = sqlx::query!(
        r#"SELECT c.is_public, c.name, c.owner_id = $2 AS "is_owner?",
                  (SELECT m.role FROM club_members m WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active) AS club_role
             FROM clubs c WHERE c.id = $1"#,
        club,
        viewer.map(|v| v.id)
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row.map(|r| {
        Standing::new(
            viewer,
            r.club_role.as_deref(),
            r.is_owner.unwrap_or(false),
            r.is_public,
            r.name,
        )
    }))
}

impl Standing {
    /// From what a standing query reads: the viewer's club role, whether
    /// they own it, and the club's visibility and name.
    pub(crate) fn new(
        viewer: Option<&SessionUser>,
        club_role: Option<&str>,
        is_owner: bool,
        is_public: bool,
        name: String,
    ) -> Standing {
        Standing {
            who: Viewer::new(viewer.map(|v| v.role.as_str()), club_role, is_owner),
            is_public,
            name,
        }
    }
}

/// Turns a decision into the error the viewer should see.
pub(crate) fn require(decision: Decision, refusal: &str) -> AppResult<()> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::NotFound => Err(AppError::NotFound),
        Decision::SignIn => Err(AppError::Unauthorized),
        Decision::Forbidden => Err(AppError::Forbidden(refusal.to_owned())),
    }
}

/// The viewer's standing in a club they may see; `NotFound` for a club that
/// does not exist or is hidden from them.
pub(crate) async fn visible_standing(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Standing> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = if s.is_public {
        ClubAction::ViewPublic
    } else {
        ClubAction::ViewPrivate
    };
    require(
        decide(s.who, view, s.is_public),
        "You cannot see this club.",
    )?;
    Ok(s)
}
