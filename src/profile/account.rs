//! A person's own data: everything Bookwork holds about them as one JSON
//! download (`GET /me/data.json`), and deleting their account.
//!
//! Deleting is immediate for signing in (every session, refresh token,
//! calendar feed and API token goes), removes what is personal, and keeps
//! the clubs' history whole: past answers, ballots and date answers stay,
//! counted, under [`FORMER_MEMBER`]; places and open tasks at upcoming
//! events are given up (the waitlists move up). It is refused while the
//! person owns a club, or is the last admin of one or of the site.
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::places;

/// What a deleted account is called wherever its history stays.
pub const FORMER_MEMBER: &str = "Former member";

/// Everything about the signed-in person their own row security lets them
/// read, as one JSON document, read in the caller's transaction (as them).
pub async fn export(db: &mut PgConnection, me: Uuid) -> AppResult<serde_json::Value> {
    let document = sqlx::query_scalar!(
        r#"SELECT jsonb_build_object(
            'exported_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'profile', (SELECT jsonb_build_object(
                    'name', u.name, 'email', u.email, 'phone', u.phone, 'avatar', u.avatar,
                    'time_zone', u.time_zone, 'site_role', u.role, 'joined_at', u.created_at,
                    'last_sign_in_at', u.last_login_at)
                  FROM users u WHERE u.id = $1),
            'memberships', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'club', c.name, 'role', m.role, 'joined_at', m.joined_date,
                    'books_read', m.books_read, 'active', m.is_active) ORDER BY m.joined_date)
                  FROM club_members m LEFT JOIN clubs c ON c.id = m.club_id WHERE m.user_id = $1), '[]'),
            'join_requests', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'club', c.name, 'message', j.message, 'status', j.status,
                    'asked_at', j.created_at, 'decided_at', j.decided_at) ORDER BY j.created_at)
                  FROM join_requests j LEFT JOIN clubs c ON c.id = j.club_id WHERE j.user_id = $1), '[]'),
            'answers', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'event', e.title, 'date', e.event_date, 'time', e.event_time,
                    'answer', a.status, 'waitlisted', a.waitlisted, 'note', a.notes,
                    'answered_at', a.updated_at) ORDER BY e.event_date, e.event_time)
                  FROM availability a LEFT JOIN events e ON e.id = a.event_id WHERE a.user_id = $1), '[]'),
            'tasks', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'task', i.name, 'category', i.category, 'status', i.status, 'notes', i.notes,
                    'event', e.title, 'date', e.event_date) ORDER BY e.event_date, i.name)
                  FROM event_items i LEFT JOIN events e ON e.id = i.event_id WHERE i.assigned_to = $1), '[]'),
            'ballots', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'poll', p.title, 'cast_at', b.cast_at,
                    'ranking', (SELECT COALESCE(jsonb_agg(COALESCE(bk.title, o.starts_on::text, r.id::text) ORDER BY r.n), '[]')
                                  FROM unnest(b.ranking) WITH ORDINALITY AS r(id, n)
                                  LEFT JOIN poll_options o ON o.id = r.id
                                  LEFT JOIN books bk ON bk.id = o.book_id)) ORDER BY b.cast_at)
                  FROM ballots b LEFT JOIN polls p ON p.id = b.poll_id WHERE b.user_id = $1), '[]'),
            'date_answers', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'poll', p.title, 'date', o.starts_on, 'time', o.starts_time,
                    'answer', d.answer, 'answered_at', d.answered_at) ORDER BY d.answered_at)
                  FROM date_answers d LEFT JOIN polls p ON p.id = d.poll_id
                  LEFT JOIN poll_options o ON o.id = d.option_id WHERE d.user_id = $1), '[]'),
            'reading_progress', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'section', s.title, 'marked_at', m.marked_at) ORDER BY m.marked_at)
                  FROM reading_marks m LEFT JOIN reading_sections s ON s.id = m.section_id
                 WHERE m.user_id = $1), '[]'),
            'hosting_volunteer_in', COALESCE((SELECT jsonb_agg(c.name ORDER BY c.name)
                  FROM host_volunteers h LEFT JOIN clubs c ON c.id = h.club_id WHERE h.user_id = $1), '[]'),
            'writing', bookwork_private.my_writing(),
            'notifications', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'kind', n.kind, 'at', n.created_at, 'read_at', n.read_at,
                    'email', n.email_status, 'details', n.payload) ORDER BY n.created_at)
                  FROM notifications n WHERE n.user_id = $1), '[]'),
            'notification_settings', COALESCE((SELECT jsonb_agg(to_jsonb(p) - 'user_id')
                  FROM notification_preferences p WHERE p.user_id = $1), '[]'),
            'sign_ins', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'signed_in_at', s.created_at, 'last_active_at', s.last_used_at,
                    'expires_at', s.expires_at, 'ended_at', s.revoked_at,
                    'ended_because', s.revoked_reason, 'browser', s.user_agent) ORDER BY s.created_at)
                  FROM session_families s WHERE s.user_id = $1), '[]'),
            'api_tokens', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                    'name', t.name, 'scopes', t.scopes, 'created_at', t.created_at,
                    'expires_at', t.expires_at, 'last_used_at', t.last_used_at) ORDER BY t.created_at)
                  FROM api_tokens t WHERE t.user_id = $1), '[]'),
            'calendar_feed', EXISTS (SELECT 1 FROM calendar_feeds f WHERE f.user_id = $1)
        ) AS "document!""#,
        me
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(document)
}

/// Deletes the signed-in person's account in the caller's transaction (as
/// them). Locks, in the order that cannot deadlock with an answer or a
/// hand-over: the person (`NO KEY UPDATE`, as deactivation takes it, so
/// the key-share lock a hand-over's owner check takes need not wait), their
/// clubs (a hand-over locks the club first; ending a membership updates the
/// club's count), their memberships, then events (`places`). What they own
/// is asked only then, so a hand-over to them either finished first (and
/// is seen, and refuses this) or waits and then finds no active member.
pub async fn delete(db: &mut PgConnection, me: Uuid) -> AppResult<()> {
    let site_role = sqlx::query_scalar!(
        "SELECT role FROM users WHERE id = $1 AND is_active FOR NO KEY UPDATE",
        me
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::Unauthorized)?;
    sqlx::query!("SELECT bookwork_private.lock_my_clubs()")
        .execute(&mut *db)
        .await?;
    sqlx::query!(
        "SELECT id FROM club_members WHERE user_id = $1 ORDER BY id FOR UPDATE",
        me
    )
    .fetch_all(&mut *db)
    .await?;
    let held = sqlx::query_scalar!(
        r#"SELECT c.name AS "name!" FROM clubs c WHERE c.owner_id = $1
           UNION
           SELECT c.name FROM clubs c
             JOIN club_members m ON m.club_id = c.id AND m.user_id = $1 AND m.role = 'admin' AND m.is_active
            WHERE NOT EXISTS (SELECT 1 FROM club_members o
                               WHERE o.club_id = c.id AND o.user_id <> $1 AND o.role = 'admin' AND o.is_active)
           ORDER BY 1"#,
        me
    )
    .fetch_all(&mut *db)
    .await?;
    if !held.is_empty() {
        let (them, it) = if held.len() == 1 {
            ("it", "it")
        } else {
            ("them", "each")
        };
        return Err(AppError::validation(
            "form",
            format!(
                "You run {}: hand {them} over to another member (on {it}'s members page) or delete {them} first. Then you can delete your account.",
                list(&held)
            ),
        ));
    }
    if site_role == "admin" {
        crate::auth::db::ensure_an_admin_remains(db, me).await?;
    }
    places::release(db, me, places::Leaving::Everywhere).await?;
    crate::auth::db::revoke_user_sessions_in(db, me, None, "account_deleted").await?;
    sqlx::query!("SELECT bookwork_private.forget_me($1)", FORMER_MEMBER)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// "A", "A and B", "A, B and C".
fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn clubs_are_listed_as_a_sentence() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&names(&["Tuesday Readers"])), "Tuesday Readers");
        assert_eq!(list(&names(&["A", "B"])), "A and B");
        assert_eq!(list(&names(&["A", "B", "C"])), "A, B and C");
    }
}
