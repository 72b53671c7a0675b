use sqlx::PgConnection;

use super::model::{Community, NextRead};
use crate::error::AppResult;

/// How many public clubs the home page suggests.
const FEATURED_CLUBS: i64 = 3;

/// Public numbers, counted as the owner (`bookwork_private.community_stats`):
/// an aggregate of public rows needs no row-by-row checks.
pub async fn community_stats(db: &mut PgConnection) -> AppResult<Community> {
    let row = sqlx::query!(
        r#"SELECT public_clubs AS "public_clubs!", upcoming_public_events AS "upcoming_public_events!"
             FROM bookwork_private.community_stats()"#
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(Community {
        public_clubs: row.public_clubs,
        upcoming_public_events: row.upcoming_public_events,
        featured: crate::clubs::lists::featured(db, FEATURED_CLUBS).await?,
    })
}

/// The book to read for `event`: the one set on the meeting, else the one
/// its club is reading now.
pub async fn next_read(db: &mut PgConnection, event: uuid::Uuid) -> AppResult<Option<NextRead>> {
    let book = sqlx::query_scalar!(
        r#"SELECT COALESCE(b.title || CASE WHEN b.authors <> '' THEN ' by ' || b.authors ELSE '' END,
                          NULLIF(e.book, ''),
                          (SELECT r.title || CASE WHEN r.authors <> '' THEN ' by ' || r.authors ELSE '' END
                             FROM books r WHERE r.club_id = e.club_id AND r.shelf = 'reading'
                            ORDER BY r.shelved_at DESC LIMIT 1)) AS book
             FROM events e LEFT JOIN books b ON b.id = e.book_id
            WHERE e.id = $1"#,
        event
    )
    .fetch_optional(&mut *db)
    .await?
    .flatten();
    Ok(book.map(|book| NextRead {
        event_id: event,
        book,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test]
    async fn counts_only_public_clubs_and_future_public_events(pool: sqlx::PgPool) {
        let owner: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO users (name, email, password_hash) VALUES ('O', 'o@example.com', 'x') RETURNING id",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let public_club: uuid::Uuid = sqlx::query_scalar(
            "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Open', $1, true) RETURNING id",
        )
        .bind(owner)
        .fetch_one(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO clubs (name, owner_id, is_public) VALUES ('Hidden', $1, false)")
            .bind(owner)
            .execute(&pool)
            .await
            .unwrap();
        for (days, public) in [(7, true), (-7, true), (7, false)] {
            sqlx::query(
                "INSERT INTO events (club_id, title, event_date, event_time, location, is_public)
                 VALUES ($1, 'Meet', current_date + $2::int, '19:00', 'Library', $3)",
            )
            .bind(public_club)
            .bind(days)
            .bind(public)
            .execute(&pool)
            .await
            .unwrap();
        }

        let overview = community_stats(&mut pool.acquire().await.unwrap())
            .await
            .unwrap();
        assert_eq!(overview.public_clubs, 1);
        assert_eq!(overview.upcoming_public_events, 1);
    }
}
