//! A book poll's result as people read it: the winner, the count round by
//! round as a table, why each book went out, and the same numbers as bars.
use leptos::prelude::*;

use super::count::{Outcome, TieBreak};
use super::model::PollOption;

/// The count, round by round: a table and the same numbers as bars.
#[component]
pub fn Results(outcome: Outcome, options: Vec<PollOption>) -> impl IntoView {
    let rounds = outcome.rounds.len();
    let winner = outcome.winner.map(|w| options[w].title.clone());
    let notes: Vec<String> = outcome
        .rounds
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let out = r.eliminated?;
            let why = match r.tie_break {
                None => "fewest votes".to_owned(),
                Some(TieBreak::EarlierRound(n)) => {
                    format!("tied for fewest; fewer votes in round {n}")
                }
                Some(TieBreak::AddedLater) => {
                    "tied for fewest in every round; added to the poll later".to_owned()
                }
            };
            Some(format!(
                "Round {}: {} is out ({why}).",
                i + 1,
                options[out].title
            ))
        })
        .collect();
    let total = outcome.ballots.max(1);
    view! {
        {match winner {
            Some(w) => view! { <p class="lead" data-testid="winner">"Winner: " <strong>{w}</strong></p> }.into_any(),
            None => view! { <p class="muted">"No ballots yet."</p> }.into_any(),
        }}
        <div class="table-scroll">
            <table class="data-table results" data-testid="rounds">
                <caption class="visually-hidden">"Votes in each round"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Book"</th>
                        {(1..=rounds).map(|r| view! { <th scope="col">{format!("Round {r}")}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {options.iter().enumerate().map(|(i, o)| view! {
                        <tr class:winner=outcome.winner == Some(i)>
                            <th scope="row">{o.title.clone()}</th>
                            {outcome.rounds.iter().map(|r| view! { <td>{r.votes[i].map(|v| v.to_string()).unwrap_or_else(|| "–".to_owned())}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                    <tr>
                        <th scope="row">"Exhausted ballots"</th>
                        {outcome.rounds.iter().map(|r| view! { <td>{r.exhausted}</td> }).collect_view()}
                    </tr>
                </tbody>
            </table>
        </div>
        {(!notes.is_empty()).then(|| view! { <ul class="muted">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
        <p class="muted">"How it is counted: each round counts every ballot for its highest-ranked book still in the running. A book with more than half of those votes wins; otherwise the book with the fewest is out and its ballots go to their next choice. A tie for fewest is broken by fewer votes in the round before (and so on back), then by the order the books were added: the one added later goes out."</p>
        <div class="round-charts">
            {outcome.rounds.iter().enumerate().map(|(i, r)| {
                let rows: Vec<(String, u32, bool)> = options.iter().enumerate()
                    .filter_map(|(o, opt)| r.votes[o].map(|v| (opt.title.clone(), v, outcome.winner == Some(o))))
                    .chain([("Exhausted".to_owned(), r.exhausted, false)])
                    .collect();
                let height = rows.len() * 26 + 6;
                let caption_id = format!("round-chart-{}", i + 1);
                view! {
                    <figure class="round-chart">
                        <figcaption id=caption_id.clone()>{format!("Round {}", i + 1)}</figcaption>
                        <svg role="img" aria-labelledby=caption_id viewBox=format!("0 0 420 {height}") width="100%" height=height.to_string()>
                            {rows.into_iter().enumerate().map(|(row, (label, votes, won))| {
                                let y = row * 26 + 4;
                                let width = (f64::from(votes) / f64::from(total) * 200.0).round();
                                let short: String = if label.chars().count() > 22 { label.chars().take(21).chain(['…']).collect() } else { label };
                                view! {
                                    <text x="0" y=(y + 14).to_string() class="chart-label">{short}</text>
                                    <rect x="170" y=y.to_string() width=width.to_string() height="18" class:bar-winner=won class="bar"></rect>
                                    <text x=(175.0 + width).to_string() y=(y + 14).to_string() class="chart-value">{votes}</text>
                                }
                            }).collect_view()}
                        </svg>
                    </figure>
                }
            }).collect_view()}
        </div>
    }
}
