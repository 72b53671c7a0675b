//! Calendars: the zone a person reads times in, one event's .ics download,
//! and each member's private feed for calendar apps.
//!
//! Files import one way: `pages` → `api` → `db` → `ics`; `downloads` (the
//! HTTP handlers of the .ics files) → `db`.
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod ics;
pub mod pages;
