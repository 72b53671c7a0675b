use super::model::Community;
use crate::error::AppError;
use leptos::prelude::*;

/// Counts only public things, so it needs no sign-in and reveals nothing private.
#[server(endpoint = "community_stats")]
pub async fn community_stats() -> Result<Community, AppError> {
    let state = crate::platform::state::app_state()?;
    super::db::community_stats(&state.pool).await
}
