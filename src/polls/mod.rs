//! Polls: ranked-choice book polls over the club's shelf and date polls that
//! become meetings (`/polls/{id}`, `/clubs/{id}/polls/new`,
//! `/clubs/{id}/polls/new-date`, `/polls/{id}/plan`). Who may do what is in
//! `authz.rs`; counting is a pure function in `count.rs`.
//!
//! Files import one way: `pages` → `results`, `views`, `dates/pages`, `ballot` → `api`,
//! `dates/api` → `db`, `nominations`, `page_data` → `dates/db`, `dates/planning` → `access`
//! → `authz`, `model` → `count`.
#[cfg(feature = "ssr")]
mod access;
pub mod api;
pub mod authz;
#[cfg(test)]
mod authz_spec;
pub mod ballot;
pub mod count;
pub mod dates;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
#[cfg(feature = "ssr")]
pub mod nominations;
#[cfg(feature = "ssr")]
pub mod page_data;
pub mod pages;
pub mod results;
pub mod views;
