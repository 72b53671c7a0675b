//! Time zones: the names PostgreSQL knows (IANA names like Europe/London) are
//! the ones Bookwork accepts, for clubs, events and readers alike.
use sqlx::PgConnection;

use crate::error::{AppError, AppResult};

/// The message beside a time-zone field that names no known zone.
pub const UNKNOWN_ZONE: &str =
    "Unknown time zone. Use a name like Europe/London or America/New_York.";

/// Is `zone` a time zone PostgreSQL knows?
pub async fn zone_exists(db: &mut PgConnection, zone: &str) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS "exists!""#,
        zone
    )
    .fetch_one(&mut *db)
    .await?)
}

/// An optional zone as typed into `field`: `None` when left empty, else a
/// zone PostgreSQL knows (or a message beside the field).
pub async fn checked_zone<'a>(
    db: &mut PgConnection,
    zone: Option<&'a str>,
    field: &str,
) -> AppResult<Option<&'a str>> {
    match zone.map(str::trim).filter(|z| !z.is_empty()) {
        None => Ok(None),
        Some(z) if zone_exists(db, z).await? => Ok(Some(z)),
        Some(_) => Err(AppError::validation(field, UNKNOWN_ZONE)),
    }
}
