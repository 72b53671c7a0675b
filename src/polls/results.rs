//! A book poll's result as people read it: the winner, the count round by
//! round as a table, why each book went out, and the same numbers as one
//! chart of the winner's path.
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
    view! {
        {match winner {
            Some(w) => view! { <p class="lead" data-testid="winner">"Winner: " <strong>{w}</strong></p> }.into_any(),
            None => view! { <p class="muted">"No ballots yet."</p> }.into_any(),
        }}
        // Focusable, so a keyboard can scroll it on a narrow screen.
        <div class="table-scroll" tabindex="0" role="region" aria-label="Votes in each round">
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
        {(!notes.is_empty()).then(|| view! { <ul class="muted" data-testid="round-notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
        <p class="muted">"How it is counted: each round counts every ballot for its highest-ranked book still in the running. A book with more than half of those votes wins; otherwise the book with the fewest is out and its ballots go to their next choice. A tie for fewest is broken by fewer votes in the round before (and so on back), then by the order the books were added: the one added later goes out."</p>
        <RoundsChart outcome=outcome.clone() options=options.clone()/>
    }
}

/// The count as one chart, a block per round: each book still in the
/// running with its whole title (it wraps, at the size of the text around
/// it), a bar for its share of the round's ballots, its votes in words, and
/// what happened to it: tied for fewest, out, or the winner. The bars are
/// drawn as SVG rectangles sized by attribute (the page's security policy
/// allows no inline styles); everything a bar says is also in its row's
/// text, so a screen reader hears the same chart.
#[component]
fn RoundsChart(outcome: Outcome, options: Vec<PollOption>) -> impl IntoView {
    let last = outcome.rounds.len();
    view! {
        <figure class="chart" data-testid="rounds-chart">
            <figcaption>"How the votes moved, round by round"</figcaption>
            <ol class="chart-rounds">
                {outcome.rounds.iter().enumerate().map(|(i, round)| {
                    let counted = round.continuing() + round.exhausted;
                    let fewest = round.votes.iter().flatten().min().copied();
                    let tied_for_fewest = round.votes.iter().flatten().filter(|v| Some(**v) == fewest).count() > 1;
                    let rows: Vec<(String, u32, &'static str)> = options
                        .iter()
                        .enumerate()
                        .filter_map(|(o, option)| {
                            let votes = round.votes[o]?;
                            let what = if i + 1 == last && outcome.winner == Some(o) {
                                "winner"
                            } else if round.eliminated == Some(o) {
                                "out"
                            } else if tied_for_fewest && Some(votes) == fewest && round.eliminated.is_some() {
                                "tied"
                            } else {
                                ""
                            };
                            Some((option.title.clone(), votes, what))
                        })
                        .collect();
                    view! {
                        <li class="chart-round">
                            <h4 class="chart-round-title">{format!("Round {}", i + 1)}</h4>
                            <ul class="chart-rows">
                                {rows.into_iter().map(|(title, votes, what)| {
                                    let share = share(votes, counted);
                                    view! {
                                        <li class=format!("chart-row {what}")>
                                            <span class="chart-label">{title}</span>
                                            <svg class="chart-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                                <rect width=share.to_string() height="1"></rect>
                                            </svg>
                                            <span class="chart-value">
                                                {votes_text(votes, share)}
                                                {match what {
                                                    "winner" => Some(view! { " " <span class="badge success">"winner"</span> }.into_any()),
                                                    "out" => Some(view! { " " <span class="badge danger">"out"</span> }.into_any()),
                                                    "tied" => Some(view! { " " <span class="badge warning">"tied for fewest"</span> }.into_any()),
                                                    _ => None,
                                                }}
                                            </span>
                                        </li>
                                    }
                                }).collect_view()}
                                {(round.exhausted > 0).then(|| {
                                    let share = share(round.exhausted, counted);
                                    view! {
                                        <li class="chart-row exhausted">
                                            <span class="chart-label">"No choice left (exhausted ballots)"</span>
                                            <svg class="chart-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                                <rect width=share.to_string() height="1"></rect>
                                            </svg>
                                            <span class="chart-value">{votes_text(round.exhausted, share)}</span>
                                        </li>
                                    }
                                })}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </figure>
    }
}

/// A part of a round's ballots in whole percent (0 when there were none).
fn share(votes: u32, counted: u32) -> u32 {
    if counted == 0 {
        0
    } else {
        (f64::from(votes) * 100.0 / f64::from(counted)).round() as u32
    }
}

fn votes_text(votes: u32, share: u32) -> String {
    format!(
        "{} ({share}%)",
        crate::ui::counted(i64::from(votes), "vote", "votes")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_whole_percent_of_the_round() {
        assert_eq!(share(0, 0), 0);
        assert_eq!(share(1, 3), 33);
        assert_eq!(share(2, 3), 67);
        assert_eq!(share(9, 9), 100);
        assert_eq!(votes_text(1, 50), "1 vote (50%)");
        assert_eq!(votes_text(4, 44), "4 votes (44%)");
    }
}
