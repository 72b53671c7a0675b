//! The club bookshelf: books a club has suggested, will read next, is
//! reading and has read (`/clubs/{id}/books`). Who may do what is in
//! `authz.rs`.
//!
//! Files import one way: `pages` → `api` → `db` → `access` → `authz`, `model` → `isbn`;
//! `api` → `lookup` (Open Library) → `model`, `isbn`.
#[cfg(feature = "ssr")]
mod access;
pub mod api;
pub mod authz;
#[cfg(feature = "ssr")]
pub mod db;
pub mod isbn;
#[cfg(feature = "ssr")]
pub mod lookup;
pub mod model;
pub mod pages;
