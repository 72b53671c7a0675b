//! A ballot's rows: a number select per book, which is all it takes without
//! JavaScript; once the page is interactive, "Up" and "Down" buttons move a
//! book in the ranking too, and the rows follow the ranking (the pressed
//! button keeps the focus, and a polite live region says where the book is
//! now). Either way the form sends the same `rank[option-<id>]` fields.
use leptos::prelude::*;

use super::model::{ordinal, rank_field, PollOption, Ranks};

/// An island: the buttons and the reordering happen in the browser.
#[island]
pub fn RankRows(
    options: Vec<PollOption>,
    /// Each option's rank as last sent or saved ("1", "2", … or "").
    initial: Vec<String>,
) -> impl IntoView {
    let n = options.len();
    let most = u32::try_from(n).unwrap_or(u32::MAX);
    let ranks = RwSignal::new(Ranks(
        initial
            .iter()
            .map(|r| r.parse::<u32>().ok().filter(|r| (1..=most).contains(r)))
            .collect(),
    ));
    // Effects run only in the browser: the buttons appear once they work.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    // What the last button press did, for screen readers.
    let said = RwSignal::new(String::new());
    let rows = StoredValue::new((options, initial));
    let row = move |i: usize| {
        let (o, typed) =
            rows.with_value(|(options, initial)| (options[i].clone(), initial[i].clone()));
        let field_id = format!("rank-{}", o.id);
        let title = o.title.clone();
        view! {
            <div class="rank-row">
                <label for=field_id.clone()>{o.title.clone()}{(!o.authors.is_empty()).then(|| view! { <span class="muted">" · " {o.authors.clone()}</span> })}</label>
                <select
                    id=field_id
                    name=rank_field(o.id)
                    prop:value=move || ranks.with(|r| r.0[i].map(|r| r.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let rank = event_target_value(&ev).parse::<u32>().ok();
                        ranks.update(|r| *r = r.set(i, rank));
                    }
                >
                    <option value="" selected=typed.is_empty()>"Not ranked"</option>
                    {(1..=n).map(|r| {
                        let value = r.to_string();
                        let selected = typed == value;
                        view! { <option value=value selected=selected>{ordinal(r as u32)}</option> }
                    }).collect_view()}
                </select>
                {move || interactive.get().then(|| {
                    let (up, down) = (format!("Move {title} up"), format!("Move {title} down"));
                    let (t1, t2) = (title.clone(), title.clone());
                    view! {
                        <span class="rank-buttons">
                            <button type="button" class="secondary" aria-label=up on:click=move |ev| press(&ev, ranks, said, i, &t1, Ranks::up)>"Up"</button>
                            <button type="button" class="secondary" aria-label=down on:click=move |ev| press(&ev, ranks, said, i, &t2, Ranks::down)>"Down"</button>
                        </span>
                    }
                })}
            </div>
        }
    };
    view! {
        <For each=move || ranks.with(Ranks::order) key=|i| *i let:i>
            {row(i)}
        </For>
        <p class="visually-hidden" aria-live="polite">{move || said.get()}</p>
    }
}

/// An Up or Down press: moves the book, says where it is now, and gives the
/// focus back to the button (its row may have moved in the page).
fn press(
    ev: &leptos::ev::MouseEvent,
    ranks: RwSignal<Ranks>,
    said: RwSignal<String>,
    option: usize,
    title: &str,
    step: fn(&Ranks, usize) -> Ranks,
) {
    let button: leptos::web_sys::HtmlElement = event_target(ev);
    ranks.update(|r| *r = step(r, option));
    let now = ranks.with_untracked(|r| r.0[option]);
    said.set(match now {
        Some(rank) => format!("{title} is {}.", ordinal(rank)),
        None => format!("{title} is not ranked."),
    });
    request_animation_frame(move || {
        let _ = button.focus();
    });
}
