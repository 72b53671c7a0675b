//! Events of a club: create, edit, cancel; RSVPs with a waitlist; agenda items
//! and tasks; calendar downloads and personal feeds. Who may do what is in
//! `authz.rs`.
//!
//! Files import one way: `pages` → `views` (what other pages show too) →
//! `api` → `db`/`lists`/`page_data` → `rsvp`/`items/db` → `standing` (who
//! the viewer is to an event) → `model` → `items/model`; `items/` (agenda
//! items and tasks) has a feature's shape, its `pages` and `api` beside the
//! event's (its `api` reads `lists` for my open tasks); `calendar/` (time
//! zone, .ics downloads and feeds) sits beside them and reads through
//! `standing`; `hosting/` (the hosting rotation) is a feature beside
//! them: `db` asks its `db` for the form's host choices and the host chosen.
pub mod api;
pub mod authz;
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod db;
pub mod hosting;
pub mod items;
#[cfg(feature = "ssr")]
pub mod lists;
pub mod model;
#[cfg(feature = "ssr")]
pub mod page_data;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rsvp;
#[cfg(feature = "ssr")]
pub mod standing;
pub mod views;
