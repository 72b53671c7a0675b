//! Polls: ranked-choice book polls over the club's shelf (`/polls/{id}`,
//! `/clubs/{id}/polls/new`). Who may do what is in `authz.rs`; counting is a
//! pure function in `count.rs`.
//!
//! Files import one way: `pages` → `api` → `db` → `authz`, `model` → `count`.
pub mod api;
pub mod authz;
pub mod count;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
