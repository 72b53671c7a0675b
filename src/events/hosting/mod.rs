//! Hosting meetings in turn (`/clubs/{id}/hosting`): members volunteer for
//! their club's rotation, a new meeting is offered the volunteer who has
//! gone longest without hosting (picked under a lock, so two meetings
//! planned at once get two people), hosts swap meetings, and the host is
//! named on the meeting and in its reminder. Who may do what is in
//! `authz.rs`.
//!
//! Files import one way: `pages` → `api` → `db` → `authz`; `model` is
//! shared. The event form's host choice is read and saved by `events/db.rs`
//! through `db::host_choices` and `db::chosen_host`.
pub mod api;
pub mod authz;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
