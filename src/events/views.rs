//! Pieces of event pages that other pages show too: one line of an event
//! list (the home page's, the club page's) with the word for an answer, and
//! the fields of the event form (the create and edit pages', and the date
//! poll's "plan the meeting" page). Kept out of `pages.rs` so that it holds
//! the event's own pages.
use leptos::prelude::*;

use super::items::pages::options;
use super::model::{label, BookChoice, EventInput, EventSummary, EVENT_TYPES};
use crate::forms::{
    field_error, textarea_text, ActionResult, Field, FormError, SelectField, Typed, ZoneField,
};

pub fn rsvp_word(status: &str, waitlisted: bool) -> &'static str {
    match (status, waitlisted) {
        ("available", false) => "Going",
        ("available", true) => "On the waitlist",
        ("maybe", _) => "Maybe",
        ("unavailable", _) => "Not going",
        _ => "No answer",
    }
}

/// One line of an event list.
#[component]
pub fn EventRow(event: EventSummary, #[prop(optional)] show_club: bool) -> impl IntoView {
    let answer = event
        .my_rsvp
        .as_deref()
        .map(|s| rsvp_word(s, event.waitlisted));
    view! {
        <li class="event-row" data-testid="event-row">
            <a href=format!("/events/{}", event.id)><strong>{event.title.clone()}</strong></a>
            {event.cancelled.then(|| view! { <span class="badge full">"Cancelled"</span> })}
            <div class="muted">
                <time>{event.starts.clone()}</time>" ("{event.zone.clone()}")"
                {show_club.then(|| view! { " · " <a href=format!("/clubs/{}", event.club_id)>{event.club_name.clone()}</a> })}
                " · "{label(&event.kind).to_owned()}
            </div>
            {answer.map(|a| view! { <span class="badge" data-testid="my-answer">{a}</span> })}
        </li>
    }
}

/// An event's fields as last typed (after a failed no-JavaScript save),
/// else as stored.
pub fn as_typed(f: EventInput, typed: &Typed) -> EventInput {
    EventInput {
        title: typed.or("title", f.title),
        description: typed.or("description", f.description),
        date: typed.or("date", f.date),
        time: typed.or("time", f.time),
        time_zone: typed.or("time_zone", f.time_zone),
        location: typed.or("location", f.location),
        book: typed.or("book", f.book),
        book_id: typed.or("book_id", f.book_id),
        kind: typed.or("kind", f.kind),
        max_attendees: typed.or("max_attendees", f.max_attendees),
        is_public: typed.checked_or("is_public", f.is_public),
        host: typed.or("host", f.host),
    }
}

/// The create and edit form's fields (also the "plan the meeting" form of a
/// date poll).
#[component]
pub fn EventFormFields(
    f: EventInput,
    shelf: Vec<BookChoice>,
    hosts: Vec<(String, String)>,
    result: ActionResult,
) -> impl IntoView {
    let chosen = f.book_id.clone();
    let host = f.host.clone();
    view! {
        <FormError error=field_error(result, "form")/>
        <Field label="Title" name="title" value=f.title error=field_error(result, "title")/>
        <div class="field">
            <label for="field-description">"Description"</label>
            <textarea id="field-description" name="description" rows="4">{textarea_text(f.description)}</textarea>
            {move || field_error(result, "description").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
        <div class="field-row">
            <Field label="Date" name="date" input_type="date" value=f.date error=field_error(result, "date")/>
            <Field label="Time" name="time" input_type="time" value=f.time error=field_error(result, "time")/>
        </div>
        <ZoneField label="Time zone" name="time_zone" chosen=f.time_zone hint="The zone the date and time are in: where the meeting happens." error=field_error(result, "time_zone")/>
        <Field label="Where" name="location" value=f.location hint="An address, or a meeting link." error=field_error(result, "location")/>
        <SelectField label="Book from the club's shelf" name="book_id" none="None (or type one below)"
            choices=shelf.into_iter().map(|b| (b.id.to_string(), b.title)).collect() chosen=chosen error=field_error(result, "book_id")/>
        <Field label="Or another book (optional)" name="book" value=f.book error=field_error(result, "book")/>
        <SelectField label="Host" name="host" none="No host"
            choices=hosts chosen=host error=field_error(result, "host")/>
        <div class="field">
            <label for="field-kind">"Type"</label>
            <select id="field-kind" name="kind">{options(&EVENT_TYPES, f.kind)}</select>
            {move || field_error(result, "kind").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
        <Field label="Attendee limit (optional)" name="max_attendees" input_type="number" value=f.max_attendees hint="Leave empty for no limit. When it is reached, people go on a waitlist." error=field_error(result, "max_attendees")/>
        <div class="field checkbox">
            <label><input type="checkbox" name="is_public" value="on" checked=f.is_public/>" Public: anyone can see it (only in a public club)"</label>
        </div>
    }
}
