//! "Me": profile details, password, the list of signed-in sessions,
//! personal access tokens for the API, and one's own data (download it,
//! delete the account).
#[cfg(feature = "ssr")]
pub(crate) mod account;
pub mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod tokens;
