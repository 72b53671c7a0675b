//! Event items (agenda, tasks, materials, notes) in PostgreSQL.
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{ItemView, NewItem, ITEM_STATUSES};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};
use crate::events::authz::EventAction;
use crate::events::standing::{event_standing, EventStanding};
use crate::notify::model::Kind;
use crate::notify::outbox;
use crate::platform::db::changed_one_row;

const MANAGERS_ONLY: &str = "Only the club's moderators, admins and owner manage items.";

pub(crate) async fn items(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<Uuid>,
    s: &EventStanding,
) -> AppResult<Vec<ItemView>> {
    let any = s.may(EventAction::UpdateAnyItemStatus);
    let own = s.may(EventAction::UpdateOwnItemStatus);
    let volunteer = s.may(EventAction::Volunteer) && !s.cancelled && !s.past;
    let rows = sqlx::query!(
        r#"SELECT i.id, i.name, i.category, i.status, COALESCE(i.notes, '') AS "notes!", i.assigned_to,
                  u.name AS "assignee?"
             FROM event_items i LEFT JOIN users u ON u.id = i.assigned_to
            WHERE i.event_id = $1
            ORDER BY CASE i.category WHEN 'agenda' THEN 0 ELSE 1 END, i.created_at, i.id"#,
        event
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ItemView {
            can_update_status: any || (own && r.assigned_to.is_some() && r.assigned_to == viewer),
            can_volunteer: volunteer
                && r.assigned_to.is_none()
                && matches!(r.category.as_str(), "task" | "material"),
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
pub(crate) async fn item_event(
    db: &mut PgConnection,
    item: Uuid,
) -> AppResult<(Uuid, Option<Uuid>)> {
    // Anyone who may see the event learns that the item is there (and then
    // hears "sign in" or "not yours"): `bookwork_private.item_event`.
    let r = sqlx::query!(
        r#"SELECT event_id AS "event_id!", assigned_to FROM bookwork_private.item_event($1)"#,
        item
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((r.event_id, r.assigned_to))
}

/// Refuses an assignee who is not a current member of the club (with an
/// active account). Those rows stay locked until the caller commits, so a
/// removal or deactivation running at the same moment waits, then unassigns.
async fn check_assignee(
    db: &mut PgConnection,
    club: Uuid,
    assignee: Option<Uuid>,
) -> AppResult<()> {
    let Some(assignee) = assignee else {
        return Ok(());
    };
    let member = sqlx::query_scalar!(
        r#"SELECT bookwork_private.lock_member($1, $2) AS "member!""#,
        club,
        assignee
    )
    .fetch_one(&mut *db)
    .await?;
    if !member {
        return Err(AppError::validation(
            "assignee",
            "Choose a current member of the club (or nobody).",
        ));
    }
    Ok(())
}

pub async fn add_item(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
    item: AppResult<NewItem>,
) -> AppResult<Uuid> {
    let s = event_standing(db, event, viewer).await?;
    s.require(EventAction::ManageItems, MANAGERS_ONLY)?;
    let item = item?;
    check_assignee(db, s.club_id, item.assignee).await?;
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
    .fetch_one(&mut *db)
    .await?;
    tell_assignee(db, event, viewer, None, &item).await?;
    Ok(id)
}

/// Tells the person a task was just given to (not someone who gave it to
/// themselves, not again when an edit leaves it with the same person).
async fn tell_assignee(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
    before: Option<Uuid>,
    item: &NewItem,
) -> AppResult<()> {
    match item.assignee {
        Some(to) if Some(to) != before && Some(to) != viewer.map(|v| v.id) => {
            let extra = json!({"item_name": item.name, "actor": viewer.map(|v| v.name.as_str()).unwrap_or_default()});
            outbox::about_event(db, Kind::TaskAssigned, event, &[to], extra).await
        }
        _ => Ok(()),
    }
}

pub async fn update_item(
    db: &mut PgConnection,
    item_id: Uuid,
    viewer: Option<&SessionUser>,
    item: AppResult<NewItem>,
) -> AppResult<Uuid> {
    let (event, _) = item_event(db, item_id).await?;
    let s = event_standing(db, event, viewer).await?;
    s.require(EventAction::ManageItems, MANAGERS_ONLY)?;
    let item = item?;
    check_assignee(db, s.club_id, item.assignee).await?;
    // The assignee before, read under the row's lock with the change, so two
    // edits at once giving it to the same person tell them once.
    let before = sqlx::query_scalar!(
        "UPDATE event_items i SET name = $2, category = $3, assigned_to = $4, notes = $5
           FROM (SELECT assigned_to FROM event_items WHERE id = $1 FOR UPDATE) old
          WHERE i.id = $1
         RETURNING old.assigned_to",
        item_id,
        item.name,
        item.category,
        item.assignee,
        item.notes
    )
    .fetch_one(&mut *db)
    .await?;
    tell_assignee(db, event, viewer, before, &item).await?;
    Ok(event)
}

pub async fn delete_item(
    db: &mut PgConnection,
    item: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let (event, _) = item_event(db, item).await?;
    let s = event_standing(db, event, viewer).await?;
    s.require(EventAction::DeleteItem, MANAGERS_ONLY)?;
    let deleted = sqlx::query!("DELETE FROM event_items WHERE id = $1", item)
        .execute(&mut *db)
        .await?;
    changed_one_row(deleted)?;
    Ok(event)
}

/// Moves an item along pending → in progress → completed (or cancelled).
/// Managers change any item; members change the ones assigned to them.
pub async fn set_status(
    db: &mut PgConnection,
    item: Uuid,
    viewer: Option<&SessionUser>,
    status: &str,
) -> AppResult<Uuid> {
    let (event, assignee) = item_event(db, item).await?;
    let s = event_standing(db, event, viewer).await?;
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
    let changed = sqlx::query!(
        "UPDATE event_items SET status = $2 WHERE id = $1",
        item,
        status
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(changed)?;
    Ok(event)
}

/// "I'll bring it": the viewer takes on an unassigned task or material of a
/// coming meeting of their club (`bookwork_private.volunteer_for_item`
/// locks the item, so two at once cannot both get it). Answers with the
/// item's name.
pub async fn volunteer(
    db: &mut PgConnection,
    item: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<String> {
    let (event, _) = item_event(db, item).await?;
    let s = event_standing(db, event, viewer).await?;
    s.require(
        EventAction::Volunteer,
        "Join the club to take on its tasks.",
    )?;
    let outcome = sqlx::query_scalar!(
        r#"SELECT bookwork_private.volunteer_for_item($1) AS "outcome!""#,
        item
    )
    .fetch_one(&mut *db)
    .await?;
    let refusal = match outcome.as_str() {
        "taken_on" | "already_yours" => None,
        "taken" => Some("Someone else has just taken this on. Thank you anyway!"),
        "closed" => Some("This meeting is cancelled or over, so its tasks are settled."),
        "not_a_task" => Some("Only tasks and things to bring can be taken on."),
        "not_member" => Some("Join the club to take on its tasks."),
        _ => return Err(AppError::NotFound),
    };
    if let Some(refusal) = refusal {
        return Err(AppError::Conflict(refusal.to_owned()));
    }
    let name = sqlx::query_scalar!("SELECT name FROM event_items WHERE id = $1", item)
        .fetch_one(&mut *db)
        .await?;
    Ok(name)
}
