//! Reading together: a club's schedule for the book it reads (sections
//! with target dates), each reader's progress, and a discussion per
//! section that a reader sees once they have finished it
//! (`/books/{id}/reading`, `/reading/{section}`), a discussion per meeting
//! (`/events/{id}/discussion`), and a meeting's discussion questions
//! (`/events/{id}/questions`). Who may do what is in `authz.rs`.
//!
//! Files import one way: `pages` and `meeting_page` → `comment_list` (a
//! discussion's comments and forms) → `live` (the island that shows new
//! comments) → `api` → `discussion` → `db` → `access` → `authz`;
//! `discussion` → `markdown`; `questions_page` → `api` → `questions` (a
//! meeting's discussion questions) → `access`; `moderation_page` → `api`
//! → `moderation` (reports, hiding) → `discussion`; `model` is shared.
#[cfg(feature = "ssr")]
mod access;
pub mod api;
pub mod authz;
mod comment_list;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod discussion;
pub mod live;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod meeting_page;
pub mod model;
#[cfg(feature = "ssr")]
pub mod moderation;
pub mod moderation_page;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod questions;
pub mod questions_page;
