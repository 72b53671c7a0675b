//! Event pages: the event itself (details, my RSVP, answers, items), the
//! create and edit forms, and the club page's event lists. The pieces other
//! pages share (a list's row, the form's fields) are in `views.rs`.
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{
    event_form, get_event, list_club_events, new_event_defaults, AnswerEvent, CancelEvent,
    CreateEvent, DeleteEvent, UpdateEvent,
};
use super::items::api::{AddItem, EditItem, RemoveItem, SetItemStatus, VolunteerForItem};
use super::items::pages::{ItemActions, ItemForms, ItemsSection};
use super::model::{label, Answer, EventPage, RSVP_STATUSES};
use super::views::{as_typed, rsvp_word, EventFormFields, EventRow};
use crate::auth::pages::urlencode;
use crate::clubs::authz::Actor;
use crate::error::AppError;
use crate::forms::{field_error, remembered, textarea_text, ActionResult, FormError, Typed};
use crate::layout::{page_view, signed_in_page_view, uuid_param};
use crate::ui::Avatar;

/// A location that is a meeting link becomes a link.
fn location_view(location: String) -> AnyView {
    if location.starts_with("https://") || location.starts_with("http://") {
        view! { <a href=location.clone() rel="noopener noreferrer" target="_blank">{location.clone()}</a> }
            .into_any()
    } else {
        location.into_any()
    }
}

/// The club page's event lists. Its resource is made when the club page is,
/// beside the club's own (never inside its Suspense).
#[component]
pub fn ClubEventsSection(club: Signal<Option<Uuid>>) -> impl IntoView {
    let events = Resource::new(
        move || club.get(),
        |club| async move {
            match club {
                Some(club) => list_club_events(club).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                events.await.ok().map(|e| {
                    let club = club.get_untracked().map(|c| c.to_string()).unwrap_or_default();
                    view! {
                        <section class="card" aria-labelledby="events-heading">
                            <h2 id="events-heading">"Upcoming events"</h2>
                            {(e.can_create || e.can_see_hosting).then(|| view! {
                                <p class="actions">
                                    {e.can_create.then(|| view! { <a class="button" href=format!("/clubs/{club}/events/new")>"New event"</a> })}
                                    {e.can_see_hosting.then(|| view! { <a href=format!("/clubs/{club}/hosting")>"Hosting rotation"</a> })}
                                </p>
                            })}
                            {if e.upcoming.is_empty() {
                                view! { <p class="muted">"Nothing planned yet."</p> }.into_any()
                            } else {
                                view! { <ul class="event-list" data-testid="upcoming-events">{e.upcoming.into_iter().map(|ev| view! { <EventRow event=ev/> }).collect_view()}</ul> }.into_any()
                            }}
                            {(!e.past.is_empty()).then(|| view! {
                                <h2>"Past"</h2>
                                <ul class="event-list" data-testid="past-events">{e.past.into_iter().map(|ev| view! { <EventRow event=ev/> }).collect_view()}</ul>
                            })}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn EventPageView() -> impl IntoView {
    let id = uuid_param("id");
    let answer = ServerAction::<AnswerEvent>::new();
    let cancel = ServerAction::<CancelEvent>::new();
    let delete = ServerAction::<DeleteEvent>::new();
    let items = ItemActions {
        add: ServerAction::<AddItem>::new(),
        edit: ServerAction::<EditItem>::new(),
        remove: ServerAction::<RemoveItem>::new(),
        status: ServerAction::<SetItemStatus>::new(),
        volunteer: ServerAction::<VolunteerForItem>::new(),
    };
    // What was typed into this page's forms before a failed no-JavaScript post.
    let typed_answer = remembered::<AnswerEvent>();
    let typed_add = remembered::<AddItem>();
    let typed_edit = remembered::<EditItem>();
    let event = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_event(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let actions = EventActions {
        answer,
        cancel,
        delete,
        items,
    };
    view! {
        {page_view(
            move || async move {
                let typed = TypedForms {
                    answer: typed_answer.await,
                    items: ItemForms {
                        add: typed_add.await,
                        edit: typed_edit.await,
                    },
                };
                Ok((typed, event.await?))
            },
            move |(typed, e)| view! { <EventDetails e=e actions=actions typed/> }.into_any()
        )}
    }
}

/// What was typed into the event page's forms before a failed
/// no-JavaScript post.
#[derive(Clone, Default)]
struct TypedForms {
    answer: Typed,
    items: ItemForms,
}

#[derive(Clone, Copy)]
struct EventActions {
    answer: ServerAction<AnswerEvent>,
    cancel: ServerAction<CancelEvent>,
    delete: ServerAction<DeleteEvent>,
    items: ItemActions,
}

#[component]
fn EventDetails(e: EventPage, actions: EventActions, typed: TypedForms) -> impl IntoView {
    let id = e.id.to_string();
    let places = match e.max_attendees {
        Some(max) => format!("{} of {max} places taken", e.counts.available),
        None => format!("{} going", e.counts.available),
    };
    let cancel_result: ActionResult = Signal::derive(move || actions.cancel.value().get());
    let delete_result: ActionResult = Signal::derive(move || actions.delete.value().get());
    view! {
        <Title text=e.title.clone()/>
        <article class="card" aria-labelledby="event-title">
            <p class="eyebrow"><a href=format!("/clubs/{}", e.club_id)>{e.club_name.clone()}</a>" · "{label(&e.kind).to_owned()}</p>
            <h1 id="event-title">{e.title.clone()}</h1>
            {e.cancelled.then(|| view! { <p class="flash error" role="status" data-testid="cancelled">"This event was cancelled."</p> })}
            {(!e.is_public).then(|| view! { <span class="badge">"Private"</span> })}
            <dl class="facts">
                <dt>"When"</dt>
                <dd data-testid="starts">{when_view(&e)}</dd>
                <dt>"Where"</dt><dd>{location_view(e.location.clone())}</dd>
                // The host, and for the club's people the way to the rotation.
                {(e.host.is_some() || e.can_see_items).then(|| view! {
                    <dt>"Host"</dt>
                    <dd data-testid="host">
                        {e.host.clone().unwrap_or_else(|| "No host yet".to_owned())}
                        {e.can_see_items.then(|| view! { " · " <a href=format!("/clubs/{}/hosting", e.club_id)>"Hosting rotation"</a> })}
                    </dd>
                })}
                {(!e.book.is_empty()).then(|| view! { <dt>"Book"</dt><dd>{e.book.clone()}
                    {e.book_on_shelf.then(|| view! { " · " <a href=format!("/clubs/{}/books", e.club_id)>"on the club's shelf"</a> })}
                </dd> })}
                {e.from_poll.clone().map(|(poll, title)| view! { <dt>"Date chosen in"</dt><dd><a href=format!("/polls/{poll}")>{title}</a></dd> })}
                <dt>"Places"</dt><dd data-testid="places">{places}</dd>
            </dl>
            {(!e.description.is_empty()).then(|| view! { <p class="lead pre-wrap">{e.description.clone()}</p> })}
            <p class="actions">
                <a href=format!("/events/{id}/calendar.ics") rel="external" download="event.ics">"Add to calendar (.ics)"</a>
                // The club's people (who see its items) read its questions
                // and its discussion.
                {e.can_see_items.then(|| view! {
                    <a href=format!("/events/{id}/discussion")>"Discussion"</a>
                    <a href=format!("/events/{id}/questions")>"Discussion questions"</a>
                })}
                {e.can_edit.then(|| view! { <a class="button secondary" href=format!("/events/{id}/edit")>"Edit event"</a> })}
            </p>
            {e.can_cancel.then(|| {
                let cancel_id = id.clone();
                let id = id.clone();
                let cancelled = e.cancelled;
                view! {
                    <FormError error=field_error(cancel_result, "form")/>
                    <ActionForm action=actions.cancel attr:class="inline-form">
                        <input type="hidden" name="id" value=cancel_id/>
                        <input type="hidden" name="cancel" value=if cancelled { "false" } else { "true" }/>
                        <button type="submit" class="secondary">{if cancelled { "Restore event" } else { "Cancel event" }}</button>
                    </ActionForm>
                    <details class="danger-zone">
                        <summary>"Delete event…"</summary>
                        <p>"Deleting removes the event with its agenda items and answers. It cannot be undone."</p>
                        <FormError error=field_error(delete_result, "form")/>
                        <ActionForm action=actions.delete>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="danger">"Delete this event"</button>
                        </ActionForm>
                    </details>
                }
            })}
        </article>
        <RsvpSection e=e.clone() action=actions.answer typed=typed.answer.for_form("event", e.id)/>
        {e.can_see_items.then(|| view! { <ItemsSection e=e.clone() actions=actions.items typed=typed.items.clone()/> })}
    }
}

/// When an event starts, said for what it is: the time where it happens
/// ("Fri 4 Dec 2026, 19:30 in Osaka"), then in the reader's own zone when
/// they chose one and it differs ("11:30 your time, Europe/London"). For a
/// reader without one, the page's script adds the browser's time when its
/// zone differs (`islands.js`, from `data-your-time`).
fn when_view(e: &EventPage) -> impl IntoView {
    let place = |zone: &str| zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    let (there, yours) = match &e.local_starts {
        // The reader has a zone of their own, and it is not the event's.
        Some(local) => {
            let local = local
                .rsplit_once(" (")
                .map_or(local.as_str(), |(t, _)| t)
                .to_owned();
            (
                local,
                Some(format!(
                    "{} your time ({})",
                    e.starts,
                    e.zone.replace('_', " ")
                )),
            )
        }
        None => (e.starts.clone(), None),
    };
    let has_yours = yours.is_some();
    view! {
        <time datetime=e.instant.clone()>{there}</time>
        {format!(" in {} ({})", place(&e.event_zone), e.event_zone.replace('_', " "))}
        {yours.map(|y| view! { <div class="muted" data-testid="your-time">{y}</div> })}
        {(!has_yours).then(|| view! {
            <div class="muted" data-your-time=e.instant.clone() data-zone=e.event_zone.clone() hidden></div>
        })}
    }
}

/// How the answers are grouped on an event's page, in this order: who is
/// coming, the waitlist (in its order), who may come, who cannot.
type AnswerGroup = (&'static str, fn(&Answer) -> bool);
const ANSWER_GROUPS: [AnswerGroup; 4] = [
    ("Going", |a| {
        a.status == "available" && a.waitlist_position.is_none()
    }),
    ("Waitlist", |a| a.waitlist_position.is_some()),
    ("Maybe", |a| a.status == "maybe"),
    ("Not going", |a| a.status == "unavailable"),
];

#[component]
fn RsvpSection(e: EventPage, action: ServerAction<AnswerEvent>, typed: Typed) -> impl IntoView {
    let result: ActionResult = Signal::derive(move || action.value().get());
    let c = e.counts.clone();
    let mine = e.my_rsvp.clone();
    let current = typed.or(
        "status",
        mine.as_ref().map(|m| m.status.clone()).unwrap_or_default(),
    );
    let note = typed.or(
        "note",
        mine.as_ref().map(|m| m.note.clone()).unwrap_or_default(),
    );
    let my_line = mine.as_ref().map(|m| match m.waitlist_position {
        Some(p) => format!("You are number {p} on the waitlist. You will get a place automatically if one frees up."),
        None => format!("Your answer: {}.", rsvp_word(&m.status, false)),
    });
    let here = format!("/events/{}", e.id);
    view! {
        <section class="card" aria-labelledby="rsvp-heading">
            <h2 id="rsvp-heading">"Who's coming"</h2>
            <ul class="counts" data-testid="counts" aria-live="polite">
                <li><strong data-testid="count-available">{c.available}</strong>" going"</li>
                <li><strong data-testid="count-maybe">{c.maybe}</strong>" maybe"</li>
                <li><strong data-testid="count-unavailable">{c.unavailable}</strong>" not going"</li>
                <li><strong data-testid="count-waitlisted">{c.waitlisted}</strong>" on the waitlist"</li>
            </ul>
            {my_line.map(|l| view! { <p class="flash success" role="status" data-testid="my-rsvp">{l}</p> })}
            {if e.can_rsvp {
                view! {
                    <ActionForm action=action attr:novalidate="" attr:aria-label="Your answer" attr:data-testid="rsvp-form">
                        <input type="hidden" name="event" value=e.id.to_string()/>
                        <FormError error=field_error(result, "form")/>
                        <fieldset class="choices">
                            <legend>"Are you coming?"</legend>
                            {RSVP_STATUSES.iter().map(|s| {
                                let checked = current == *s;
                                view! {
                                    <label class="choice"><input type="radio" name="status" value=*s checked=checked required=true/>" "{rsvp_word(s, false)}</label>
                                }
                            }).collect_view()}
                        </fieldset>
                        {move || field_error(result, "status").get().map(|m| view! { <span class="field-error">{m}</span> })}
                        <div class="field">
                            <label for="rsvp-note">"Note (optional)"</label>
                            <textarea id="rsvp-note" name="note" rows="2" maxlength="500">{textarea_text(note.clone())}</textarea>
                            {move || field_error(result, "note").get().map(|m| view! { <span class="field-error">{m}</span> })}
                        </div>
                        <button type="submit" aria-busy=move || action.pending().get().then_some("true")>"Save my answer"</button>
                    </ActionForm>
                }.into_any()
            } else {
                match (e.viewer.site, e.viewer.is_member()) {
                    (Actor::Anonymous, _) if !e.cancelled && !e.past => view! {
                        <p><a href=format!("/login?next={}", urlencode(&here))>"Sign in"</a>" to answer."</p>
                    }.into_any(),
                    (_, false) if !e.cancelled && !e.past => view! {
                        <p class="muted"><a href=format!("/clubs/{}", e.club_id)>"Join the club"</a>" to answer."</p>
                    }.into_any(),
                    _ if e.past => view! { <p class="muted">"This event has taken place."</p> }.into_any(),
                    _ => ().into_any(),
                }
            }}
            {e.can_see_answers.then(|| view! {
                <h3 class="answers-heading">"Answers"</h3>
                {if e.answers.is_empty() {
                    view! { <p class="muted">"No answers yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="answers" data-testid="answers">
                            {ANSWER_GROUPS.iter().map(|(heading, in_group)| {
                                let people: Vec<_> = e.answers.iter().filter(|a| in_group(a)).cloned().collect();
                                (!people.is_empty()).then(|| view! {
                                    <h4 class="group-heading">{format!("{heading} ({})", people.len())}</h4>
                                    <ul class="person-list">
                                        {people.into_iter().map(|a| {
                                            let word = match a.waitlist_position {
                                                Some(p) => format!("waitlist #{p}"),
                                                None => rsvp_word(&a.status, false).to_lowercase(),
                                            };
                                            view! {
                                                <li class="person">
                                                    <Avatar name=a.name.clone() key=a.user_id.to_string() size="sm"/>
                                                    <span>
                                                        <strong>{a.name.clone()}</strong>
                                                        <span class="visually-hidden">{format!(" — {word}")}</span>
                                                        {a.waitlist_position.map(|p| view! { <span class="muted">{format!(" #{p}")}</span> })}
                                                        {(!a.note.is_empty()).then(|| view! { <span class="muted">" · "{a.note.clone()}</span> })}
                                                    </span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                })
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
            })}
        </section>
    }
}

#[component]
pub fn NewEventPage() -> impl IntoView {
    let club = uuid_param("id");
    let create = ServerAction::<CreateEvent>::new();
    let typed = remembered::<CreateEvent>();
    let form = Resource::new(club, |club| async move {
        match club {
            Some(club) => new_event_defaults(club).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || create.value().get());
    view! {
        <Title text="New event"/>
        {signed_in_page_view(
            move || async move {
                let typed = typed.await;
                Ok((typed, form.await?))
            },
            move |(typed, f)| {
                let form = as_typed(f.form.clone(), &typed.for_form("club", f.club_id));
                view! {
                <section class="card narrow">
                    <p class="eyebrow"><a href=format!("/clubs/{}", f.club_id)>{f.club_name.clone()}</a></p>
                    <h1>"New event"</h1>
                    <ActionForm action=create attr:novalidate="" attr:aria-label="New event">
                        <input type="hidden" name="club" value=f.club_id.to_string()/>
                        <EventFormFields f=form.clone() shelf=f.shelf.clone() hosts=f.hosts.clone() result=result/>
                        <button type="submit" aria-busy=move || create.pending().get().then_some("true")>"Create event"</button>
                    </ActionForm>
                </section>
                }.into_any()
            }
        )}
    }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    let id = uuid_param("id");
    let update = ServerAction::<UpdateEvent>::new();
    let typed = remembered::<UpdateEvent>();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => event_form(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || update.value().get());
    view! {
        <Title text="Edit event"/>
        {signed_in_page_view(
            move || async move {
                let typed = typed.await;
                Ok((typed, form.await?))
            },
            move |(typed, f)| {
                let id = f.id.map(|i| i.to_string()).unwrap_or_default();
                let form = as_typed(f.form.clone(), &typed.for_form("id", &id));
                view! {
                    <section class="card narrow">
                        <p class="eyebrow"><a href=format!("/events/{id}")>"Back to the event"</a></p>
                        <h1>"Edit event"</h1>
                        <ActionForm action=update attr:novalidate="" attr:aria-label="Edit event">
                            <input type="hidden" name="id" value=id.clone()/>
                            <EventFormFields f=form.clone() shelf=f.shelf.clone() hosts=f.hosts.clone() result=result/>
                            <button type="submit" aria-busy=move || update.pending().get().then_some("true")>"Save changes"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        )}
    }
}
