//! A club's people: the members list and roles, removal and hand-over, the
//! books each has read, and invitation links (`/clubs/{id}/members`,
//! `/invite/{token}`). Same shape as a feature: `pages` → `api` →
//! `invites` (invitation links) → `db` → `model`, with the club's `authz`,
//! `standing` and `db` from the feature above, and its own `authz` for who
//! may act on which member.
pub mod api;
pub mod authz;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub(crate) mod invites;
pub mod model;
pub mod pages;
