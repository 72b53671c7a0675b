//! Database and HTTP tests against a real PostgreSQL and the real router,
//! built as one test binary: linking a separate binary per file cost CI
//! several minutes. Tests that need a process of their own (real signals,
//! stopping the database) stay in their own files next to this folder.
#![cfg(feature = "ssr")]

#[path = "../common/mod.rs"]
mod common;

mod account_http;
mod api_v1;
mod api_v1_budget;
mod api_v1_items;
mod api_v1_joining;
mod api_v1_me;
mod api_v1_polls;
mod api_v1_scopes;
mod auth_http;
mod backups;
mod bad_input;
mod behaviours_http;
mod behaviours_notices;
mod behaviours_places;
mod book_lookup;
mod books_http;
mod club_members_http;
mod clubs_http;
mod commands;
mod date_polls_http;
mod db_tls;
mod demo_data;
mod deploy_metrics;
mod doctor;
mod events_http;
mod filtered_writes;
mod form_outcomes;
mod hostile_text;
mod hosting_http;
mod http_foundation;
mod join_requests_http;
mod layering;
mod least_privilege;
mod meeting_discussion_http;
mod metrics_http;
mod notifications;
mod page_budgets;
mod polls_http;
mod pooled_instances;
mod profile_admin_http;
mod reading_http;
mod record_http;
mod row_security;
mod schema;
mod schema_docs;
mod stress;
mod transactions;
mod write_costs;
