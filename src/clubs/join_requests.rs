//! Requests to join a public club that takes new members by request: asking
//! (with a note to the admins) and withdrawing, for the asker; the waiting
//! list, approving and declining, for the club's admins. Approving adds the
//! member under the club's lock and limit, as a join does (`db::join`), so
//! of requests approved at once for the last place one gets it.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, decide_ask, ClubAction};
use super::model::{checked_join_note, JoinRequestRow, MyJoinRequest};
use super::standing::{require, standing, visible_standing, Standing};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};

/// Days after a decline before the same person may ask the same club again:
/// long enough that a decline is not answered by a flood of new requests.
pub const ASK_AGAIN_AFTER_DAYS: i32 = 30;

/// Does the club take new members by request? (Read only for a club the
/// viewer may see.)
pub(super) async fn takes_requests(db: &mut PgConnection, club: Uuid) -> AppResult<bool> {
    Ok(
        sqlx::query_scalar!("SELECT join_by_request FROM clubs WHERE id = $1", club)
            .fetch_optional(&mut *db)
            .await?
            .unwrap_or(false),
    )
}

/// The viewer's latest request to this club, while it matters: one waiting,
/// or a decline too recent to ask again. Days are in the viewer's zone.
pub(crate) async fn my_request(
    db: &mut PgConnection,
    club: Uuid,
    me: Uuid,
) -> AppResult<Option<MyJoinRequest>> {
    let latest = sqlx::query!(
        r#"SELECT q.status,
                  to_char(q.created_at AT TIME ZONE z.zone, 'FMDD Mon YYYY') AS "asked!",
                  to_char((q.decided_at + make_interval(days => $3)) AT TIME ZONE z.zone, 'FMDD Mon YYYY') AS again_from,
                  COALESCE(q.decided_at + make_interval(days => $3) > now(), false) AS "cooling!"
             FROM join_requests q
             JOIN clubs c ON c.id = q.club_id
             JOIN users u ON u.id = q.user_id
             CROSS JOIN LATERAL (SELECT COALESCE(u.time_zone, c.time_zone) AS zone) z
            WHERE q.club_id = $1 AND q.user_id = $2 AND q.status IN ('pending', 'declined')
            ORDER BY q.created_at DESC LIMIT 1"#,
        club,
        me,
        ASK_AGAIN_AFTER_DAYS
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(latest.and_then(|r| match r.status.as_str() {
        "pending" => Some(MyJoinRequest::Waiting { asked: r.asked }),
        _ if r.cooling => Some(MyJoinRequest::Declined {
            again_from: r.again_from.unwrap_or_default(),
        }),
        _ => None,
    }))
}

/// Asks to join: a waiting request with the note, and the club's admins told.
pub async fn ask(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    message: &str,
) -> AppResult<()> {
    let Standing { who, is_public, .. } = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    let by_request = is_public && takes_requests(db, club).await?;
    let refusal = if who.is_member() {
        "You are already in this club."
    } else if !by_request {
        "This club takes new members directly: join it from its page."
    } else {
        "Site staff join clubs without asking."
    };
    require(decide_ask(who, is_public, by_request), refusal)?;
    let me = viewer.ok_or(AppError::Unauthorized)?;
    let note = checked_join_note(message)?;
    match my_request(db, club, me.id).await? {
        Some(MyJoinRequest::Waiting { asked }) => {
            return Err(AppError::Conflict(format!(
                "You asked to join on {asked}; the club's admins have not answered yet."
            )))
        }
        Some(MyJoinRequest::Declined { again_from }) => {
            return Err(AppError::Conflict(format!(
                "The club's admins declined your request. You can ask again from {again_from}."
            )))
        }
        None => {}
    }
    let full = sqlx::query_scalar!(
        r#"SELECT max_members IS NOT NULL AND member_total >= max_members AS "full!"
             FROM clubs WHERE id = $1"#,
        club
    )
    .fetch_one(&mut *db)
    .await?;
    if full {
        return Err(AppError::Conflict(
            "This club is full, so it is not taking requests for now.".into(),
        ));
    }
    // Two tabs asking at once: the unique index keeps one waiting request.
    let id = sqlx::query_scalar!(
        "INSERT INTO join_requests (club_id, user_id, message) VALUES ($1, $2, $3)
         ON CONFLICT (club_id, user_id) WHERE status = 'pending' DO NOTHING
         RETURNING id",
        club,
        me.id,
        note
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or_else(|| {
        AppError::Conflict(
            "You have already asked to join; the club's admins have not answered yet.".into(),
        )
    })?;
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_join_request($1) AS "told!""#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(())
}

/// Withdraws the viewer's waiting request.
pub async fn withdraw(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    visible_standing(db, club, viewer).await?;
    let me = viewer.ok_or(AppError::Unauthorized)?;
    let withdrawn = sqlx::query!(
        "UPDATE join_requests SET status = 'withdrawn', decided_at = now()
          WHERE club_id = $1 AND user_id = $2 AND status = 'pending'",
        club,
        me.id
    )
    .execute(&mut *db)
    .await?;
    if withdrawn.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "You have no request to join this club waiting.".into(),
        ));
    }
    Ok(())
}

const ANSWER_REFUSAL: &str = "Only the club's admins answer requests to join.";

/// The club's waiting requests, oldest first, for its admins.
pub async fn waiting(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Vec<JoinRequestRow>> {
    let s = visible_standing(db, club, viewer).await?;
    require(
        decide(s.who, ClubAction::AnswerJoinRequests, s.is_public),
        ANSWER_REFUSAL,
    )?;
    let me = viewer.ok_or(AppError::Unauthorized)?;
    let rows = sqlx::query!(
        r#"SELECT q.id, q.user_id, u.name, q.message,
                  to_char(q.created_at AT TIME ZONE z.zone, 'FMDD Mon YYYY, HH24:MI') AS "asked!"
             FROM join_requests q
             JOIN users u ON u.id = q.user_id
             JOIN clubs c ON c.id = q.club_id
             JOIN users reader ON reader.id = $2
             CROSS JOIN LATERAL (SELECT COALESCE(reader.time_zone, c.time_zone) AS zone) z
            WHERE q.club_id = $1 AND q.status = 'pending'
            ORDER BY q.created_at"#,
        club,
        me.id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| JoinRequestRow {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            message: r.message,
            asked: r.asked,
        })
        .collect())
}

/// Approves (`answer` is "approve") or declines ("decline") a waiting
/// request; returns the asker's name and whether they were let in. The
/// request is locked first, so two admins answering at once give one
/// answer; approving then locks the club and counts, as a join does.
pub async fn answer(
    db: &mut PgConnection,
    club: Uuid,
    request: Uuid,
    viewer: Option<&SessionUser>,
    answer: &str,
) -> AppResult<(String, bool)> {
    let s = visible_standing(db, club, viewer).await?;
    require(
        decide(s.who, ClubAction::AnswerJoinRequests, s.is_public),
        ANSWER_REFUSAL,
    )?;
    let me = viewer.ok_or(AppError::Unauthorized)?;
    let approve = match answer.trim() {
        "approve" => true,
        "decline" => false,
        _ => {
            return Err(AppError::validation(
                "answer",
                "Choose to approve or to decline the request.",
            ))
        }
    };
    let asked = sqlx::query!(
        r#"SELECT q.user_id, q.status, u.name, u.role AS "site_role: String"
             FROM join_requests q JOIN users u ON u.id = q.user_id
            WHERE q.id = $1 AND q.club_id = $2
              FOR UPDATE OF q"#,
        request,
        club
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if asked.status != "pending" {
        let what = match asked.status.as_str() {
            "withdrawn" => "withdrawn",
            _ => "answered already",
        };
        return Err(AppError::Conflict(format!(
            "{}'s request was {what}.",
            asked.name
        )));
    }
    if approve {
        // Someone who came in by an invitation meanwhile stays as they are.
        super::admission::admit(
            db,
            club,
            asked.user_id,
            &asked.site_role,
            "The club is full: make room or raise its member limit before approving.",
        )
        .await?;
    }
    sqlx::query!(
        "UPDATE join_requests SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1",
        request,
        if approve { "approved" } else { "declined" },
        me.id
    )
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_join_request($1) AS "told!""#,
        request
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((asked.name, approve))
}
