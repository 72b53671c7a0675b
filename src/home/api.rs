use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Public numbers shown to everyone on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub public_clubs: i64,
    pub upcoming_public_events: i64,
}

/// Counts only public things, so it needs no sign-in and reveals nothing private.
#[server(endpoint = "community_stats")]
pub async fn community_stats() -> Result<Community, AppError> {
    let state = crate::server::state::app_state()?;
    super::db::community_stats(&state.pool).await
}
