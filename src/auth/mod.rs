//! Accounts and sessions: sign-up, sign-in, sign-out, and the session
//! middleware that tells every request who is asking.
pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod check;
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
