//! Events of a club: create, edit, cancel; RSVPs with a waitlist; agenda items
//! and tasks; calendar downloads and personal feeds. Who may do what is in
//! `authz.rs`.
//!
//! Files import one way: `pages` → `api` → `db` → `rsvp`/`items/` →
//! `standing` (who the viewer is to an event) → `model`.
pub mod api;
pub mod authz;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod calendar_page;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod ics;
pub mod items;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rsvp;
#[cfg(feature = "ssr")]
pub mod standing;
