//! The hosting rotation as server functions; each one asks who is asking
//! and what they may do in its own body (`db.rs`, `authz.rs`).
use leptos::prelude::*;
use uuid::Uuid;

use super::model::Rotation;
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

/// The club's rotation and who hosts its coming meetings.
#[server(endpoint = "hosting/rotation")]
pub async fn host_rotation(club: Uuid) -> Result<Rotation, AppError> {
    as_viewer(async |db, me| super::db::rotation(db, club, me).await).await
}

/// Puts me in the club's rotation ("yes") or takes me out.
#[server(endpoint = "hosting/volunteer")]
pub async fn volunteer_to_host(club: Uuid, volunteer: String) -> Result<(), AppError> {
    let yes =
        as_viewer(async |db, me| super::db::volunteer(db, club, me, &volunteer).await).await?;
    crate::platform::flash::say(if yes {
        "You're in the hosting rotation. We'll suggest you when your turn comes."
    } else {
        "You're out of the hosting rotation. Meetings you already host keep you."
    });
    Ok(())
}

/// Takes a member out of the club's rotation (the club's organisers).
#[server(endpoint = "hosting/take-out")]
pub async fn take_out_of_rotation(club: Uuid, person: Uuid) -> Result<(), AppError> {
    let name = as_viewer(async |db, me| super::db::take_out(db, club, person, me).await).await?;
    crate::platform::flash::say(format!("{name} is out of the hosting rotation."));
    Ok(())
}

/// Swaps the hosts of two coming meetings.
#[server(endpoint = "hosting/swap")]
pub async fn swap_hosts(event: Uuid, with: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::swap(db, event, with, me).await).await?;
    crate::platform::flash::say("The two meetings have swapped hosts.");
    Ok(())
}
