//! `/admin/system`: how this instance and the database are doing, for site
//! admins. Plain server-rendered tables; "Refresh" is a link, so it works
//! without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::admin::api::system_status;
use crate::admin::model::{DatabaseStatus, SystemReport};
use crate::layout::signed_in_page_view;

#[component]
pub fn AdminSystemPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| system_status());
    view! {
        <Title text="System"/>
        {signed_in_page_view(
            move || async move {
                status.await
            },
            move |s| view! { <System s/> }.into_any()
        )}
    }
}

#[component]
fn System(s: SystemReport) -> impl IntoView {
    let pool = s.pool;
    view! {
        <h1>"System"</h1>
        <p><a href="/admin/system">"Refresh"</a></p>
        <section class="card" aria-labelledby="instance-heading">
            <h2 id="instance-heading">"This server"</h2>
            <dl class="facts" data-testid="instance">
                <dt>"Version"</dt><dd>{s.version}</dd>
                <dt>"Commit"</dt><dd><code>{s.commit}</code></dd>
                <dt>"Build"</dt><dd>{s.profile}</dd>
                <dt>"Instance"</dt><dd>{s.instance}</dd>
                <dt>"Started"</dt><dd>{s.started}</dd>
                <dt>"Up for"</dt><dd data-testid="uptime">{s.uptime}</dd>
            </dl>
            <h3>"Connection pool"</h3>
            <dl class="facts" data-testid="pool">
                <dt>"Open"</dt><dd>{format!("{} of at most {}", pool.open, pool.max)}</dd>
                <dt>"In use"</dt><dd>{pool.open.saturating_sub(pool.idle)}</dd>
                <dt>"Idle"</dt><dd>{pool.idle}</dd>
                <dt>"Requests waiting"</dt><dd>{pool.waiting}</dd>
            </dl>
        </section>
        {match s.database {
            Ok(db) => view! { <Database db/> }.into_any(),
            Err(problem) => view! {
                <section class="card error-panel" role="alert">
                    <h2>"The database cannot be reached"</h2>
                    <p data-testid="database-problem">{problem}</p>
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn Database(db: DatabaseStatus) -> impl IntoView {
    let run = db.clean_up;
    let cache = db
        .cache_hit_ratio
        .map(|r| format!("{:.1} %", r * 100.0))
        .unwrap_or_else(|| "no reads yet".into());
    view! {
        <section class="card" aria-labelledby="database-heading">
            <h2 id="database-heading">"Database"</h2>
            <dl class="facts" data-testid="database">
                <dt>"Reachable"</dt><dd>{format!("yes, {:.1} ms for SELECT 1", db.latency_ms)}</dd>
                <dt>"PostgreSQL"</dt><dd>{db.server_version}</dd>
                <dt>"Size"</dt><dd>{db.size}</dd>
                <dt>"Connections"</dt><dd>{format!("{} ({} active, {} idle in a transaction)", db.connections, db.active, db.idle_in_transaction)}</dd>
                <dt>"Longest open transaction"</dt><dd>{db.longest_transaction}</dd>
                <dt>"Cache hits"</dt><dd>{cache}</dd>
                <dt>"Deadlocks"</dt><dd>{db.deadlocks}</dd>
            </dl>
            <h3>"Counts"</h3>
            <dl class="facts" data-testid="counts">
                <dt>"People"</dt><dd data-testid="count-users">{format!("{} ({} active)", db.users, db.active_users)}</dd>
                <dt>"Clubs"</dt><dd data-testid="count-clubs">{db.clubs}</dd>
                <dt>"Meetings"</dt><dd data-testid="count-events">{format!("{} ({} to come)", db.events, db.upcoming_events)}</dd>
                <dt>"Answers to meetings"</dt><dd>{db.rsvps}</dd>
            </dl>
            <h3>"Clean-up"</h3>
            <dl class="facts" data-testid="clean-up">
                <dt>"Last started"</dt><dd>{run.started.unwrap_or_else(|| "never".into())}</dd>
                <dt>"Last finished"</dt><dd>{run.finished.unwrap_or_else(|| "not yet".into())}</dd>
                <dt>"Rows removed"</dt><dd>{run.rows_removed}</dd>
                <dt>"By"</dt><dd>{if run.ran_by.is_empty() { "—".to_owned() } else { run.ran_by }}</dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="slowest-heading">
            <h2 id="slowest-heading">"Slowest statements"</h2>
            {if !db.statements_tracked {
                view! { <p class="muted">"pg_stat_statements is not installed in this database, so statements are not timed (see the README's monitoring section)."</p> }.into_any()
            } else if db.slowest.is_empty() {
                view! { <p class="muted">"No statements recorded yet."</p> }.into_any()
            } else {
                view! {
                    // Focusable, so a keyboard can scroll it on a narrow screen.
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="slowest-heading">
                        <table class="data-table" data-testid="slowest">
                            <thead><tr><th scope="col">"Statement"</th><th scope="col">"Calls"</th><th scope="col">"Mean"</th><th scope="col">"Slowest"</th><th scope="col">"Total"</th></tr></thead>
                            <tbody>
                                {db.slowest.into_iter().map(|q| view! {
                                    <tr>
                                        <td><code>{q.query}</code></td>
                                        <td>{q.calls}</td>
                                        <td>{format!("{:.2} ms", q.mean_ms)}</td>
                                        <td>{format!("{:.2} ms", q.max_ms)}</td>
                                        <td>{format!("{:.0} ms", q.total_ms)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="tables-heading">
            <h2 id="tables-heading">"Largest tables"</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="tables-heading">
                <table class="data-table" data-testid="tables">
                    <thead><tr><th scope="col">"Table"</th><th scope="col">"Size with indexes"</th><th scope="col">"Indexes"</th><th scope="col">"Rows (estimate)"</th></tr></thead>
                    <tbody>
                        {db.tables.into_iter().map(|t| view! {
                            <tr><td>{t.name}</td><td>{t.total}</td><td>{t.indexes}</td><td>{t.estimated_rows}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
