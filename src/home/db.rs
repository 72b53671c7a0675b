use sqlx::PgPool;

use super::model::Community;
use crate::error::AppResult;

pub async fn community_stats(pool: &PgPool) -> AppResult<Community> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM clubs WHERE is_public) AS "public_clubs!",
             (SELECT count(*) FROM events e
                JOIN clubs c ON c.id = e.club_id
               WHERE e.is_public AND c.is_public AND e.cancelled_at IS NULL
                 AND e.starts_at >= now())
               AS "upcoming_public_events!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(Community {
        public_clubs: row.public_clubs,
        upcoming_public_events: row.upcoming_public_events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test]
    async fn counts_only_public_clubs_and_future_public_events(pool: PgPool) {
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

        let overview = community_stats(&pool).await.unwrap();
        assert_eq!(overview.public_clubs, 1);
        assert_eq!(overview.upcoming_public_events, 1);
    }
}
