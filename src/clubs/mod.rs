//! Clubs: discover, create, view, join (directly or by request) and leave;
//! members, roles and invitation links. Who may do what is in `authz.rs`.
//!
//! Files import one way: `pages` → `api` → `db`/`lists` → `join_requests`
//! → `admission` (into the club, within its limit) → `standing` (who the
//! viewer is to a club) → `model` (and the same within `members/`); `authz`
//! is the table everything asks.
#[cfg(feature = "ssr")]
mod admission;
pub mod api;
pub mod authz;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
pub(crate) mod join_requests;
#[cfg(feature = "ssr")]
pub(crate) mod lists;
pub mod members;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod standing;
