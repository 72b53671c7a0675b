//! Who the viewer is to an event, worked out once per request from the event,
//! its club and the viewer's membership, and what that lets them do there.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, EventAction};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{Decision, Viewer};
use crate::clubs::standing::require;
use crate::error::{AppError, AppResult};

/// Who the viewer is to an event, and what about the event decides access.
pub(crate) struct EventStanding {
    pub who: Viewer,
    /// Public to the world: a public event of a public club.
    pub public: bool,
    pub club_id: Uuid,
    pub cancelled: bool,
    pub past: bool,
}

impl EventStanding {
    pub fn decide(&self, action: EventAction) -> Decision {
        decide(self.who, action, self.public)
    }

    /// Allowed, or the error this viewer should see.
    pub fn require(&self, action: EventAction, refusal: &str) -> AppResult<()> {
        require(self.decide(action), refusal)
    }

    pub fn may(&self, action: EventAction) -> bool {
        self.decide(action) == Decision::Allow
    }
}

/// The viewer's standing towards an event; `NotFound` when there is no such
/// event or the viewer may not know it exists.
pub(crate) async fn event_standing(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<EventStanding> {
    let row = sqlx::query!(
        r#"SELECT e.club_id, e.is_public AND c.is_public AS "public!", e.cancelled_at IS NOT NULL AS "cancelled!",
                  e.starts_at < now() AS "past!",
                  c.owner_id = $2 AS "is_owner?",
                  (SELECT m.role FROM club_members m WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active) AS club_role
             FROM events e JOIN clubs c ON c.id = e.club_id
            WHERE e.id = $1"#,
        event,
        viewer.map(|v| v.id)
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let standing = EventStanding {
        who: Viewer::new(
            viewer.map(|v| v.role.as_str()),
            row.club_role.as_deref(),
            row.is_owner.unwrap_or(false),
        ),
        public: row.public,
        club_id: row.club_id,
        cancelled: row.cancelled,
        past: row.past,
    };
    standing.require(EventAction::View, "You cannot see this event.")?;
    Ok(standing)
}

/// The zone the viewer reads times in, when they chose one.
pub(crate) async fn viewer_zone(
    db: &mut PgConnection,
    viewer: Option<&SessionUser>,
) -> AppResult<Option<String>> {
    let Some(viewer) = viewer else {
        return Ok(None);
    };
    Ok(
        sqlx::query_scalar!("SELECT time_zone FROM users WHERE id = $1", viewer.id)
            .fetch_optional(&mut *db)
            .await?
            .flatten(),
    )
}
