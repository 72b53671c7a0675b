//! Accounts and sessions: sign-up, sign-in, sign-out, and the session
//! middleware that tells every request who is asking.
pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod session;

use leptos::prelude::*;

/// Bumped whenever this browser signs in or out, so views that show the
/// current user fetch it again without a full reload.
#[derive(Clone, Copy)]
pub struct AuthVersion(pub RwSignal<u32>);

impl AuthVersion {
    pub fn bump(&self) {
        self.0.update(|v| *v += 1);
    }
}
