use super::model::{Community, MyLists};
use crate::error::AppError;
use leptos::prelude::*;

/// How long the community numbers are kept before they are counted again.
/// Counting every upcoming public meeting grows with the data; numbers up to
/// half a minute old are as good on a home page.
#[cfg(feature = "ssr")]
pub const COMMUNITY_NUMBERS_KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// The community numbers last counted, kept per instance (the server
/// provides one to every request; see `server::http`).
#[cfg(feature = "ssr")]
pub type CommunityNumbers = std::sync::Arc<crate::platform::recent::Recent<Community>>;

/// Counts only public things, so it needs no sign-in and reveals nothing private.
#[server(endpoint = "community_stats")]
pub async fn community_stats() -> Result<Community, AppError> {
    let count = async || {
        crate::auth::server::as_viewer(async |db, _| super::db::community_stats(db).await).await
    };
    match use_context::<CommunityNumbers>() {
        Some(kept) => kept.get_or_refresh(count).await,
        None => count().await,
    }
}

/// The viewer's clubs, polls waiting for their vote, upcoming meetings and
/// open tasks: the home page's own lists, in one transaction.
#[server(endpoint = "home/mine")]
pub async fn my_home() -> Result<MyLists, AppError> {
    crate::auth::server::as_viewer(async |db, me| {
        let Some(me) = me else {
            return Ok(MyLists::default());
        };
        let events = crate::events::lists::my_upcoming(db, me).await?;
        let next_read = match events.iter().find(|e| !e.cancelled) {
            Some(next) => super::db::next_read(db, next.id).await?,
            None => None,
        };
        Ok(MyLists {
            name: Some(me.name.clone()),
            next_read,
            clubs: crate::clubs::lists::my_clubs(db, me.id).await?,
            polls: crate::polls::db::waiting_for(db, me).await?,
            events,
            tasks: crate::events::lists::my_open_tasks(db, me).await?,
        })
    })
    .await
}
