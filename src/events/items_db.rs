//! Event items (agenda, tasks, materials, notes) in PostgreSQL.
use sqlx::PgPool;
use uuid::Uuid;

use super::authz::EventAction;
use super::model::{ItemView, NewItem, ITEM_STATUSES};
use super::standing::{event_standing, EventStanding};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};

const MANAGERS_ONLY: &str = "Only the club's moderators, admins and owner manage items.";

pub(crate) async fn items(
    pool: &PgPool,
    event: Uuid,
    viewer: Option<Uuid>,
    s: &EventStanding,
) -> AppResult<Vec<ItemView>> {
    let any = s.may(EventAction::UpdateAnyItemStatus);
    let own = s.may(EventAction::UpdateOwnItemStatus);
    let rows = sqlx::query!(
        r#"SELECT i.id, i.name, i.category, i.status, COALESCE(i.notes, '') AS "notes!", i.assigned_to,
                  u.name AS "assignee?"
             FROM event_items i LEFT JOIN users u ON u.id = i.assigned_to
            WHERE i.event_id = $1
            ORDER BY CASE i.category WHEN 'agenda' THEN 0 ELSE 1 END, i.created_at, i.id"#,
        event
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ItemView {
            can_update_status: any || (own && r.assigned_to.is_some() && r.assigned_to == viewer),
            id: r.id,
            name: r.name,
            category: r.category,
            status: r.status,
            notes: r.notes,
            assignee_id: r.assigned_to,
            assignee: r.assignee,
        })
        .collect())
}

/// The event an item belongs to, and who it is assigned to.
async fn item_event(pool: &PgPool, item: Uuid) -> AppResult<(Uuid, Option<Uuid>)> {
    let r = sqlx::query!(
        "SELECT event_id, assigned_to FROM event_items WHERE id = $1",
        item
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((r.event_id, r.assigned_to))
}

/// Refuses an assignee who is not a current member of the club (with an
/// active account). Those rows stay locked until the caller commits, so a
/// removal or deactivation running at the same moment waits, then unassigns.
async fn check_assignee(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    club: Uuid,
    assignee: Option<Uuid>,
) -> AppResult<()> {
    let Some(assignee) = assignee else {
        return Ok(());
    };
    let member = sqlx::query_scalar!(
        "SELECT m.user_id FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE m.club_id = $1 AND m.user_id = $2 AND m.is_active AND u.is_active
            FOR SHARE OF m, u",
        club,
        assignee
    )
    .fetch_optional(&mut **tx)
    .await?;
    if member.is_none() {
        return Err(AppError::validation(
            "assignee",
            "Choose a current member of the club (or nobody).",
        ));
    }
    Ok(())
}

pub async fn add_item(
    pool: &PgPool,
    event: Uuid,
    viewer: Option<&SessionUser>,
    item: AppResult<NewItem>,
) -> AppResult<Uuid> {
    let s = event_standing(pool, event, viewer).await?;
    s.require(EventAction::ManageItems, MANAGERS_ONLY)?;
    let item = item?;
    let mut tx = pool.begin().await?;
    check_assignee(&mut tx, s.club_id, item.assignee).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO event_items (event_id, name, category, assigned_to, notes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        event,
        item.name,
        item.category,
        item.assignee,
        item.notes,
        viewer.map(|v| v.id)
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_item(
    pool: &PgPool,
    item_id: Uuid,
    viewer: Option<&SessionUser>,
    item: AppResult<NewItem>,
) -> AppResult<Uuid> {
    let (event, _) = item_event(pool, item_id).await?;
    let s = event_standing(pool, event, viewer).await?;
    s.require(EventAction::ManageItems, MANAGERS_ONLY)?;
    let item = item?;
    let mut tx = pool.begin().await?;
    check_assignee(&mut tx, s.club_id, item.assignee).await?;
    sqlx::query!(
        "UPDATE event_items SET name = $2, category = $3, assigned_to = $4, notes = $5 WHERE id = $1",
        item_id,
        item.name,
        item.category,
        item.assignee,
        item.notes
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(event)
}

pub async fn delete_item(
    pool: &PgPool,
    item: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let (event, _) = item_event(pool, item).await?;
    let s = event_standing(pool, event, viewer).await?;
    s.require(EventAction::DeleteItem, MANAGERS_ONLY)?;
    sqlx::query!("DELETE FROM event_items WHERE id = $1", item)
        .execute(pool)
        .await?;
    Ok(event)
}

/// Moves an item along pending → in progress → completed (or cancelled).
/// Managers change any item; members change the ones assigned to them.
pub async fn set_status(
    pool: &PgPool,
    item: Uuid,
    viewer: Option<&SessionUser>,
    status: &str,
) -> AppResult<Uuid> {
    let (event, assignee) = item_event(pool, item).await?;
    let s = event_standing(pool, event, viewer).await?;
    let mine = assignee.is_some() && assignee == viewer.map(|v| v.id);
    if !(mine && s.may(EventAction::UpdateOwnItemStatus)) {
        s.require(
            EventAction::UpdateAnyItemStatus,
            "You can only update items assigned to you.",
        )?;
    }
    if !ITEM_STATUSES.contains(&status) {
        return Err(AppError::validation("status", "Choose a status."));
    }
    sqlx::query!(
        "UPDATE event_items SET status = $2 WHERE id = $1",
        item,
        status
    )
    .execute(pool)
    .await?;
    Ok(event)
}
