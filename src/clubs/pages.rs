use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::api::{
    club_reminders, discover_clubs, editable_club, get_club, AskToJoin, CreateClub, DeleteClub,
    JoinClub, LeaveClub, SaveClubReminders, UpdateClub, WithdrawJoinRequest,
};
use super::model::{
    ClubFields, ClubSummary, ClubView, MyJoinRequest, JOIN_NOTE_MAX, REMINDER_CHOICES,
};
use crate::auth::pages::{urlencode, SignInRequired};
use crate::error::AppError;
use crate::forms::{
    done_notice, field_error, remembered, textarea_text, ActionResult, Field, FormError, Typed,
    ZoneField,
};
use crate::layout::{page_view, signed_in_page_view, uuid_param};
use crate::ui::Confirm;

/// A club in a list: the facts that help someone choose.
#[component]
pub fn ClubCard(club: ClubSummary) -> impl IntoView {
    let full = club.is_full();
    let members = club.members_text();
    view! {
        <li class="club-card" data-testid="club-card">
            <h3><a href=format!("/clubs/{}", club.id)>{club.name.clone()}</a></h3>
            {full.then(|| view! { <span class="badge full">"Full"</span> })}
            {(!club.is_public).then(|| view! { <span class="badge">"Private"</span> })}
            {club.description.clone().map(|d| view! { <p>{d}</p> })}
            <p class="muted">
                {members}
                {club.meeting_frequency.clone().map(|f| format!(" · meets {f}"))}
                {club.location.clone().map(|l| format!(" · {l}"))}
            </p>
            {club.current_book.clone().map(|b| view! { <p class="card-fact">"Reading now: " <strong>{b}</strong></p> })}
            {club.next_meeting.clone().map(|m| view! { <p class="card-fact">"Next meeting: " {m}</p> })}
            {(!club.tags.is_empty()).then(|| view! {
                <p class="tags">
                    {club.tags.iter().map(|t| view! { <a class="chip" href=format!("/clubs?tag={}", urlencode(t))>{t.clone()}</a> }).collect_view()}
                </p>
            })}
        </li>
    }
}

/// Discover's orders: (the `sort` value, its label). The first is the
/// default: best match for a search, the biggest clubs otherwise.
const DISCOVER_ORDERS: [(&str, &str); 4] = [
    ("", "Best match, or biggest first"),
    ("size", "Most members"),
    ("soon", "Meeting soonest"),
    ("name", "Name, A to Z"),
];

#[component]
pub fn DiscoverPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let tag = move || query.read().get("tag").unwrap_or_default();
    let sort = move || query.read().get("sort").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let clubs = Resource::new(
        move || (search(), tag(), page(), sort()),
        |(q, t, p, s)| discover_clubs(q, t, p, Some(s)),
    );
    let page_href = move |p: i64| {
        format!(
            "/clubs?q={}&tag={}&sort={}&page={p}",
            urlencode(&search()),
            urlencode(&tag()),
            urlencode(&sort())
        )
    };
    view! {
        <Title text="Discover clubs"/>
        <div class="page-heading">
            <h1>"Discover clubs"</h1>
            <a class="button" href="/clubs/new">"Start a club"</a>
        </div>
        <form method="get" action="/clubs" class="search-form" role="search">
            // Each label above its box, so on a phone they stack in pairs.
            <div class="search-field">
                <label for="club-search">"Search"</label>
                <input id="club-search" type="search" name="q" value=search placeholder="mystery, poetry, Tolkien…"/>
            </div>
            <div class="search-field">
                <label for="club-tag">"Tag"</label>
                <input id="club-tag" type="text" name="tag" value=tag/>
            </div>
            <div class="search-field">
                <label for="club-sort">"Order"</label>
                <select id="club-sort" name="sort">
                    {move || {
                        let chosen = sort();
                        DISCOVER_ORDERS.iter().map(|(value, label)| view! {
                            <option value=*value selected=chosen == *value>{*label}</option>
                        }).collect_view()
                    }}
                </select>
            </div>
            <button type="submit">"Find clubs"</button>
        </form>
        <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Looking…"</p> }>
            {move || Suspend::new(async move {
                clubs.await.map(|list| {
                    let (current, pages) = (list.page, list.pages);
                    view! {
                        <p class="muted" data-testid="club-count">{crate::ui::counted(list.total, "club", "clubs")}</p>
                        {list.clubs.is_empty().then(|| view! {
                            <div class="card empty-state" data-testid="no-clubs">
                                <p>"No clubs match. Try other words or another tag, or start the club you were looking for."</p>
                                <p class="actions">
                                    <a class="button" href="/clubs/new">"Start a club"</a>
                                    <a href="/clubs">"See every club"</a>
                                </p>
                            </div>
                        })}
                        <ul class="club-list">
                            {list.clubs.into_iter().map(|club| view! { <ClubCard club/> }).collect_view()}
                        </ul>
                        <nav class="pager" aria-label="Pages">
                            {(current > 1).then(|| view! { <a href=page_href(current - 1)>"Previous"</a> })}
                            <span>{format!("Page {current} of {pages}")}</span>
                            {(current < pages).then(|| view! { <a href=page_href(current + 1)>"Next"</a> })}
                        </nav>
                    }
                })
            })}
        </Suspense>
    }
}

/// A club's fields as last typed (after a failed no-JavaScript save), else
/// as stored.
fn as_typed(f: ClubFields, typed: &Typed) -> ClubFields {
    ClubFields {
        name: typed.or("name", f.name),
        description: typed.or("description", f.description),
        is_public: typed.checked_or("is_public", f.is_public),
        join_by_request: typed.checked_or("join_by_request", f.join_by_request),
        max_members: typed.or("max_members", f.max_members),
        meeting_frequency: typed.or("meeting_frequency", f.meeting_frequency),
        location: typed.or("location", f.location),
        tags: typed.or("tags", f.tags),
        time_zone: typed.or("time_zone", f.time_zone),
        ..f
    }
}

/// The fields of the new-club and edit-club forms.
#[component]
fn ClubFormFields(
    f: ClubFields,
    result: ActionResult,
    zone_hint: &'static str,
    /// A new club: its zone starts as the browser's.
    #[prop(optional)]
    new: bool,
) -> impl IntoView {
    view! {
        <FormError error=field_error(result, "form")/>
        <Field label="Name" name="name" value=f.name error=field_error(result, "name")/>
        <div class="field">
            <label for="field-description">"Description"</label>
            <textarea id="field-description" name="description" rows="4"
                aria-invalid=move || field_error(result, "description").get().map(|_| "true")>{textarea_text(f.description)}</textarea>
            {move || field_error(result, "description").get().map(|m| view! { <span class="field-error">{m}</span> })}
        </div>
        <div class="field checkbox">
            <label><input type="checkbox" name="is_public" value="on" checked=f.is_public/>" Public: anyone can find it and join it"</label>
        </div>
        <div class="field checkbox">
            <label><input type="checkbox" name="join_by_request" value="on" checked=f.join_by_request aria-describedby="join-by-request-hint"/>" New members ask to join, and the club's admins approve each request"</label>
            <span class="hint" id="join-by-request-hint">"For a public club. A private club is by invitation only; invitation links always let people straight in."</span>
        </div>
        <Field label="Member limit (optional)" name="max_members" input_type="number" value=f.max_members error=field_error(result, "max_members")/>
        <Field label="Meets (e.g. monthly)" name="meeting_frequency" value=f.meeting_frequency error=field_error(result, "meeting_frequency")/>
        <Field label="Location" name="location" value=f.location error=field_error(result, "location")/>
        <ZoneField label="Time zone" name="time_zone" chosen=f.time_zone hint=zone_hint suggest_browser_zone=new error=field_error(result, "time_zone")/>
        <Field label="Tags" name="tags" value=f.tags hint="Comma-separated, up to 10: mystery, classics" error=field_error(result, "tags")/>
    }
}

#[component]
pub fn NewClubPage() -> impl IntoView {
    let action = ServerAction::<CreateClub>::new();
    let typed = remembered::<CreateClub>();
    let result: ActionResult = Signal::derive(move || action.value().get());
    view! {
        <Title text="Start a club"/>
        <SignInRequired>
            <section class="card narrow">
                <h1>"Start a club"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let blank = ClubFields { is_public: true, ..ClubFields::default() };
                        let f = as_typed(blank, &typed.await);
                        view! {
                            <ActionForm action=action attr:novalidate="" attr:aria-label="Start a club">
                                <ClubFormFields f result new=true zone_hint="Where the club meets: its meetings are planned in this zone."/>
                                <button type="submit" aria-busy=move || action.pending().get().then_some("true")>"Create club"</button>
                            </ActionForm>
                        }
                    })}
                </Suspense>
            </section>
        </SignInRequired>
    }
}

/// A section the club page shows below the club, made by a feature above
/// clubs (the club's events), for the club being shown. The application
/// wires it in (`app.rs`), so clubs never import events. The signal changes
/// when the viewer joins or leaves, which changes what the section shows.
pub type ClubSection = Callback<Signal<Option<Uuid>>, AnyView>;

#[component]
pub fn ClubPage(#[prop(into)] section: ClubSection) -> impl IntoView {
    let id = uuid_param("id");
    let join = ServerAction::<JoinClub>::new();
    let leave = ServerAction::<LeaveClub>::new();
    let ask = ServerAction::<AskToJoin>::new();
    let withdraw = ServerAction::<WithdrawJoinRequest>::new();
    let typed_ask = remembered::<AskToJoin>();
    let club = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_club(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let join_result: ActionResult = Signal::derive(move || join.value().get());
    let leave_result: ActionResult = Signal::derive(move || leave.value().get());
    let ask_result: ActionResult = Signal::derive(move || ask.value().get());
    let withdraw_result: ActionResult = Signal::derive(move || withdraw.value().get());
    let events_of = Signal::derive(id);
    // Back from signing in to join (`?join=1`): the page asks once more.
    let query = use_query_map();
    let asked_to_join = move || query.read().get("join").is_some();
    view! {
        {page_view(
            move || async move {
                let typed = typed_ask.await;
                Ok((typed, club.await?))
            },
            move |(typed_ask, view)| {
                let typed_note = typed_ask.for_form("id", view.club.id).or("message", "");
                let asking = asking_to_join(&view, ask, withdraw, typed_note, ask_result, asked_to_join());
                let c = view.club.clone();
                let id = c.id.to_string();
                view! {
                    <Title text=c.name.clone()/>
                    <article class="card">
                        <h1>{c.name.clone()}</h1>
                        {c.is_full().then(|| view! { <span class="badge full">"Full"</span> })}
                        {c.description.clone().map(|d| view! { <p class="lead">{d}</p> })}
                        <dl class="facts">
                            <dt>"Members"</dt><dd data-testid="member-count">{c.member_count}</dd>
                            {c.current_book.clone().map(|b| view! { <dt>"Reading now"</dt><dd data-testid="reading-now">{b}</dd> })}
                            {view.up_next.clone().map(|b| view! { <dt>"Up next"</dt><dd data-testid="up-next">{b}</dd> })}
                            {c.next_meeting.clone().map(|m| view! { <dt>"Next meeting"</dt><dd>{m}</dd> })}
                            {c.meeting_frequency.clone().map(|f| view! { <dt>"Meets"</dt><dd>{f}</dd> })}
                            {c.location.clone().map(|l| view! { <dt>"Where"</dt><dd>{l}</dd> })}
                            {view.join_by_request.then(|| view! { <dt>"Joining"</dt><dd>"By request: the club's admins approve new members"</dd> })}
                        </dl>
                        <p><a href=format!("/clubs/{}/books", c.id)>"Bookshelf"</a></p>
                        {view.can_list_members.then(|| view! { <p><a href=format!("/clubs/{}/members", c.id)>"Members"</a></p> })}
                        {view.can_edit.then(|| view! {
                            <p class="actions">
                                <a href=format!("/clubs/{}/edit", c.id)>"Edit club"</a>
                                <a href=format!("/clubs/{}/record.zip", c.id) rel="external" download="club-record.zip">"Download the club's record (.zip)"</a>
                            </p>
                        })}
                        <FormError error=field_error(join_result, "form")/>
                        <FormError error=field_error(leave_result, "form")/>
                        <FormError error=field_error(withdraw_result, "form")/>
                        {asking}
                        {(view.can_join && view.join_needs_sign_in).then(|| {
                            // A visitor signs in (or signs up) first and is
                            // brought back here, asked once more to join.
                            let back = format!("/clubs/{id}?join=1");
                            view! {
                                <p class="actions">
                                    <a class="button" href=format!("/login?next={}", urlencode(&back))>"Join this club"</a>
                                    <span class="muted">"You'll sign in (or create an account) first, then come back here."</span>
                                </p>
                            }
                        })}
                        {(view.can_join && !view.join_needs_sign_in).then(|| {
                            let id = id.clone();
                            let asked = asked_to_join();
                            view! {
                                {asked.then(|| view! {
                                    <p class="flash info" role="status" data-testid="join-prompt">
                                        {format!("You're signed in. Join {} to take part in its meetings?", c.name)}
                                    </p>
                                })}
                                <ActionForm action=join>
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit">"Join this club"</button>
                                </ActionForm>
                            }
                        })}
                        {view.can_leave.then(|| view! {
                            <Confirm
                                label="Leave this club"
                                question=format!("Leave {}?", c.name)
                                detail="Your answers to its coming meetings are withdrawn and your tasks go back to the club. To come back to a private club you need a new invitation."
                            >
                                <ActionForm action=leave>
                                    <input type="hidden" name="id" value=id.clone()/>
                                    <button type="submit" class="danger">{format!("Leave {}", c.name)}</button>
                                </ActionForm>
                            </Confirm>
                        })}
                    </article>
                }
                .into_any()
            }
        )}
        {section.run(events_of)}
    }
}

/// The club page's part about asking to join a club that takes new members
/// by request: a visitor is sent to sign in first; someone who may ask
/// writes a note; someone who asked sees where their request stands.
fn asking_to_join(
    view: &ClubView,
    ask: ServerAction<AskToJoin>,
    withdraw: ServerAction<WithdrawJoinRequest>,
    typed_note: String,
    ask_result: ActionResult,
    back_from_sign_in: bool,
) -> Option<AnyView> {
    let id = view.club.id.to_string();
    let name = view.club.name.clone();
    if let Some(request) = view.my_request.clone() {
        return Some(match request {
            MyJoinRequest::Waiting { asked } => view! {
                <div class="card inset" data-testid="my-join-request">
                    <p>{format!("You asked to join on {asked}. The club's admins will answer; we'll let you know.")}</p>
                    <ActionForm action=withdraw attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="secondary">"Withdraw my request"</button>
                    </ActionForm>
                </div>
            }
            .into_any(),
            MyJoinRequest::Declined { again_from } => view! {
                <p class="muted" data-testid="my-join-request">
                    {format!("The club's admins declined your request to join. You can ask again from {again_from}.")}
                </p>
            }
            .into_any(),
        });
    }
    if !view.can_ask {
        return None;
    }
    if view.join_needs_sign_in {
        let back = format!("/clubs/{id}?join=1");
        return Some(
            view! {
                <p class="actions">
                    <a class="button" href=format!("/login?next={}", urlencode(&back))>"Ask to join"</a>
                    <span class="muted">"You'll sign in (or create an account) first, then come back here to write to the admins."</span>
                </p>
            }
            .into_any(),
        );
    }
    Some(
        view! {
            {back_from_sign_in.then(|| view! {
                <p class="flash info" role="status" data-testid="join-prompt">
                    {format!("You're signed in. Ask to join {name}?")}
                </p>
            })}
            <ActionForm action=ask attr:novalidate="" attr:aria-label="Ask to join" attr:class="ask-form">
                <input type="hidden" name="id" value=id/>
                <FormError error=field_error(ask_result, "form")/>
                <div class="field">
                    <label for="field-message">"A note to the club's admins (optional)"</label>
                    <textarea id="field-message" name="message" rows="3" maxlength=JOIN_NOTE_MAX.to_string()
                        aria-describedby="field-message-hint"
                        aria-invalid=move || field_error(ask_result, "message").get().map(|_| "true")>{textarea_text(typed_note)}</textarea>
                    <span class="hint" id="field-message-hint">"Say hello, or what you like to read. At most 500 characters."</span>
                    {move || field_error(ask_result, "message").get().map(|m| view! { <span class="field-error">{m}</span> })}
                </div>
                <button type="submit">"Ask to join"</button>
            </ActionForm>
        }
        .into_any(),
    )
}

#[component]
pub fn EditClubPage() -> impl IntoView {
    let id = uuid_param("id");
    let update = ServerAction::<UpdateClub>::new();
    let delete = ServerAction::<DeleteClub>::new();
    let typed = remembered::<UpdateClub>();
    let typed_confirmation = remembered::<DeleteClub>();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => editable_club(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || update.value().get());
    let deleted: ActionResult = Signal::derive(move || delete.value().get());
    view! {
        <Title text="Edit club"/>
        {signed_in_page_view(
            move || async move {
                let (typed, typed_confirmation) = (typed.await, typed_confirmation.await);
                Ok(((typed, typed_confirmation), form.await?))
            },
            move |((typed, typed_confirmation), f)| {
                let title = format!("Edit {}", f.name);
                let confirm_label = format!("Type \"{}\" to confirm", f.name);
                let (club, club_id, delete_id) = (f.id, f.id.to_string(), f.id.to_string());
                let confirmation = typed_confirmation.for_form("id", f.id).or("confirm_name", "");
                let f = as_typed(f.clone(), &typed.for_form("id", f.id));
                view! {
                <section class="card narrow">
                    <h1>{title}</h1>
                    <ActionForm action=update attr:novalidate="" attr:aria-label="Edit club">
                        <input type="hidden" name="id" value=club_id/>
                        <ClubFormFields f result zone_hint="New meetings are planned in this zone."/>
                        <button type="submit" aria-busy=move || update.pending().get().then_some("true")>"Save changes"</button>
                    </ActionForm>
                </section>
                <ReminderSection club/>
                <section class="card narrow danger-zone" aria-labelledby="delete-heading">
                    <h2 id="delete-heading">"Delete this club"</h2>
                    <p>"This removes the club with all its events, agenda items and RSVPs. It cannot be undone."</p>
                    <ActionForm action=delete attr:novalidate="" attr:aria-label="Delete club">
                        <input type="hidden" name="id" value=delete_id/>
                        <FormError error=field_error(deleted, "form")/>
                        <Field label=confirm_label name="confirm_name" value=confirmation error=field_error(deleted, "confirm_name")/>
                        <button type="submit" class="danger">"Delete club"</button>
                    </ActionForm>
                </section>
                }
                .into_any()
            }
        )}
    }
}

/// The edit page's reminder settings: which lead times, and whether people
/// who have not answered are reminded too.
#[component]
fn ReminderSection(club: Uuid) -> impl IntoView {
    let save = ServerAction::<SaveClubReminders>::new();
    let settings = Resource::new(|| (), move |_| club_reminders(club));
    let result: ActionResult = Signal::derive(move || save.value().get());
    let saved = remembered::<SaveClubReminders>();
    view! {
        <section class="card narrow" aria-labelledby="reminders-heading">
            <h2 id="reminders-heading">"Meeting reminders"</h2>
            <p class="muted">"Members who said they're going or maybe get a reminder (by e-mail and in Bookwork, as each of them chooses). Tick none to send no reminders."</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    settings.await.map(|s| view! {
                        <ActionForm action=save attr:aria-label="Meeting reminders">
                            {done_notice(saved, |()| "Reminder settings saved.".to_owned())}
                            <FormError error=field_error(result, "form")/>
                            <input type="hidden" name="club" value=club.to_string()/>
                            <fieldset>
                                <legend>"Remind"</legend>
                                {REMINDER_CHOICES.into_iter().map(|(minutes, label)| view! {
                                    <div class="field checkbox">
                                        <label><input type="checkbox" name="minutes[]" value=minutes.to_string() checked=s.minutes.contains(&minutes)/>" " {label}</label>
                                    </div>
                                }).collect_view()}
                            </fieldset>
                            <div class="field checkbox">
                                <label><input type="checkbox" name="remind_unanswered" value="on" checked=s.remind_unanswered/>" Also remind members who have not answered"</label>
                            </div>
                            <button type="submit" class="secondary">"Save reminder settings"</button>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </section>
    }
}
