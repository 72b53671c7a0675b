//! "Me": profile details, password, and the list of signed-in sessions.
pub mod api;
#[cfg(feature = "ssr")]
mod db;
pub mod model;
pub mod pages;
