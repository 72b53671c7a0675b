use super::model::Community;
use crate::error::AppError;
use leptos::prelude::*;

/// Counts only public things, so it needs no sign-in and reveals nothing private.
#[server(endpoint = "community_stats")]
pub async fn community_stats() -> Result<Community, AppError> {
    crate::auth::server::as_viewer(async |db, _| super::db::community_stats(db).await).await
}
