//! The poll page's sections beside the ballot and the results: the
//! nominations (the books so far and the form) while a poll takes them, and
//! the poll's deletion. Kept out of `pages.rs`, which holds the pages and
//! the poll itself, as `results.rs` holds the count's view.
use leptos::prelude::*;

use super::api::{DeletePoll, Nominate};
use super::model::{shelf_choices, Nominations, PollPage};
use crate::books::model::CONFIRMED;
use crate::forms::{
    field_error, success_flash, ActionResult, Field, FormError, SelectField, Typed,
};

/// While a poll takes nominations: the books so far (with who put each
/// forward) and, for members with nominations left, the form.
#[component]
pub(super) fn NominationsSection(
    p: PollPage,
    n: Nominations,
    nominate: ServerAction<Nominate>,
    nominated: ActionResult,
    typed: Typed,
) -> impl IntoView {
    let typed = typed.for_form("poll", p.id);
    let chosen = typed.or("book", "");
    let poll_id = p.id.to_string();
    let left = format!(
        "You have nominated {} of {} book{}.",
        n.mine,
        n.cap,
        if n.cap == 1 { "" } else { "s" }
    );
    let form = n.can_nominate.then(|| view! {
        <ActionForm action=nominate attr:novalidate="" attr:aria-label="Nominate a book">
            {typed.done().then(|| success_flash("Your nomination is in."))}
            <FormError error=field_error(nominated, "form")/>
            <input type="hidden" name="poll" value=poll_id/>
            <SelectField label="From the club's shelf" name="book" none="Choose a book, or type another below"
                choices=shelf_choices(&n.shelf) chosen=chosen error=field_error(nominated, "book")/>
            <div class="field-row">
                <Field label="Or another book: title" name="title" value=typed.or("title", "") error=field_error(nominated, "title")/>
                <Field label="Author(s)" name="authors" value=typed.or("authors", "") error=field_error(nominated, "authors")/>
            </div>
            <button type="submit" aria-busy=move || nominate.pending().get().then_some("true")>"Nominate"</button>
        </ActionForm>
    });
    view! {
        <section class="card" aria-labelledby="nominations-heading" data-testid="nominations">
            <h2 id="nominations-heading">"Nominations"</h2>
            <p class="muted">"Members put books forward; when the organiser starts the voting, everyone ranks them."</p>
            {p.options.is_empty().then(|| view! { <p class="muted">"No books yet."</p> })}
            <ul class="event-list">
                {p.options.iter().zip(&p.nominated_by).map(|(o, by)| view! {
                    <li class="event-row">
                        <span>{o.title.clone()}{(!o.authors.is_empty()).then(|| view! { <span class="muted">" · " {o.authors.clone()}</span> })}</span>
                        <span class="muted">{if by.is_empty() { "chosen by the organiser".to_owned() } else { format!("nominated by {by}") }}</span>
                    </li>
                }).collect_view()}
            </ul>
            {(n.can_nominate || n.mine > 0).then(|| view! { <p data-testid="nominations-left">{left}</p> })}
            {form}
        </section>
    }
}

/// The poll's deletion, for organisers and site moderators: a box to tick,
/// then the button (no JavaScript needed, and no deletion by one click).
#[component]
pub(super) fn DeletePollSection(
    p: PollPage,
    delete: ServerAction<DeletePoll>,
    deleted: ActionResult,
) -> impl IntoView {
    let what = match (p.dates.as_ref().map(|d| d.event.is_some()), p.kind.as_str()) {
        (Some(true), _) => {
            "Its dates and everyone's answers go with it; the meeting planned from it stays."
        }
        (_, "date") => "Its dates and everyone's answers go with it.",
        _ => "Its books stay on the shelf; the ballots and results go with it.",
    };
    let confirm_error = field_error(deleted, "confirm");
    view! {
        <section class="card narrow danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete this poll"</h2>
            <p>{what}" It cannot be undone."</p>
            <ActionForm action=delete attr:novalidate="" attr:aria-label="Delete poll">
                <FormError error=field_error(deleted, "form")/>
                <input type="hidden" name="poll" value=p.id.to_string()/>
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" name="confirm" value=CONFIRMED aria-describedby="confirm-error"
                            aria-invalid=move || confirm_error.get().map(|_| "true")/>
                        {format!(" Yes, delete “{}”", p.title)}
                    </label>
                    {move || confirm_error.get().map(|m| view! { <span id="confirm-error" class="field-error">{m}</span> })}
                </div>
                <button type="submit" class="danger" aria-busy=move || delete.pending().get().then_some("true")>"Delete poll"</button>
            </ActionForm>
        </section>
    }
}
