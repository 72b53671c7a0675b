//! "Me": profile details, password, the list of signed-in sessions, and
//! personal access tokens for the API.
pub mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod tokens;
