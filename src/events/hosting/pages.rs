//! `/clubs/{id}/hosting`: who hosts the club's coming meetings, the
//! rotation in the order people will be asked, joining and leaving it, and
//! swapping a meeting one hosts. Everything works without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{host_rotation, SwapHosts, TakeOutOfRotation, VolunteerToHost};
use super::model::{HostedMeeting, Rotation};
use crate::error::AppError;
use crate::forms::{field_error, ActionResult, FormError};
use crate::layout::{page_view, uuid_param};
use crate::ui::Confirm;

#[derive(Clone, Copy)]
struct HostingActions {
    volunteer: ServerAction<VolunteerToHost>,
    take_out: ServerAction<TakeOutOfRotation>,
    swap: ServerAction<SwapHosts>,
}

#[component]
pub fn HostingPage() -> impl IntoView {
    let id = uuid_param("id");
    let actions = HostingActions {
        volunteer: ServerAction::<VolunteerToHost>::new(),
        take_out: ServerAction::<TakeOutOfRotation>::new(),
        swap: ServerAction::<SwapHosts>::new(),
    };
    let rotation = Resource::new(id, |id| async move {
        match id {
            Some(id) => host_rotation(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_view(
            move || async move { rotation.await },
            move |r| view! { <Hosting r actions/> }.into_any(),
        )}
    }
}

#[component]
fn Hosting(r: Rotation, actions: HostingActions) -> impl IntoView {
    let title = format!("Hosting · {}", r.club_name);
    let changed: ActionResult = Signal::derive(move || {
        [
            actions.volunteer.value().get(),
            actions.take_out.value().get(),
            actions.swap.value().get(),
        ]
        .into_iter()
        .flatten()
        .find(Result::is_err)
    });
    let club = r.club_id.to_string();
    // Meetings that have a host: what a swap can trade with.
    let hosted: Vec<HostedMeeting> = r
        .meetings
        .iter()
        .filter(|m| m.host.is_some())
        .cloned()
        .collect();
    let swappable =
        |m: &HostedMeeting| (m.mine && r.can_swap_own) || (r.can_manage && m.host.is_some());
    let meetings = if r.meetings.is_empty() {
        view! { <p class="muted">"No meetings planned yet."</p> }.into_any()
    } else {
        view! {
            <ul class="event-list" data-testid="hosted-meetings">
                {r.meetings.iter().map(|m| {
                    let others: Vec<HostedMeeting> = hosted.iter().filter(|o| o.event_id != m.event_id).cloned().collect();
                    let swap = (swappable(m) && !others.is_empty()).then(|| view! { <SwapForm m=m.clone() others actions/> });
                    view! {
                        <li class="event-row">
                            <a href=format!("/events/{}", m.event_id)><strong>{m.title.clone()}</strong></a>
                            <div class="muted">{m.starts.clone()}</div>
                            <div data-testid="meeting-host">{match (&m.host, m.mine) {
                                (_, true) => "You are hosting".to_owned(),
                                (Some(h), false) => format!("Hosted by {h}"),
                                (None, false) => "No host yet".to_owned(),
                            }}</div>
                            {swap}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let volunteers = if r.volunteers.is_empty() {
        view! { <p class="muted">"Nobody has volunteered yet. New meetings are offered the volunteer who has gone longest without hosting."</p> }.into_any()
    } else {
        let manage = r.can_manage;
        view! {
            <p class="muted">"New meetings are offered the volunteer who has gone longest without hosting, in this order."</p>
            <ol class="rotation" data-testid="rotation">
                {r.volunteers.into_iter().enumerate().map(|(i, v)| {
                    let when = match (v.last_hosted, v.hosting_soon) {
                        (None, _) => "hasn't hosted yet".to_owned(),
                        (Some(d), true) => format!("hosting on {d}"),
                        (Some(d), false) => format!("last hosted on {d}"),
                    };
                    let name = v.name.clone();
                    let person = v.user_id.to_string();
                    let club = club.clone();
                    view! {
                        <li class="event-row">
                            <span>
                                <strong>{v.name}</strong>
                                {(i == 0).then(|| view! { " " <span class="badge">"Next up"</span> })}
                            </span>
                            <span class="muted">{when}</span>
                            {manage.then(|| view! {
                                <Confirm label="Take out…" question=format!("Take {name} out of the hosting rotation?") detail="Meetings they already host keep them.">
                                    <ActionForm action=actions.take_out attr:class="inline-form">
                                        <input type="hidden" name="club" value=club/>
                                        <input type="hidden" name="person" value=person/>
                                        <button type="submit" class="danger">"Take them out"</button>
                                    </ActionForm>
                                </Confirm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let join = r.can_volunteer.then(|| {
        let (answer, label) = if r.me_in {
            ("no", "Take me out of the rotation")
        } else {
            ("yes", "I'll take turns hosting")
        };
        view! {
            <ActionForm action=actions.volunteer attr:class="inline-form">
                <input type="hidden" name="club" value=club.clone()/>
                <input type="hidden" name="volunteer" value=answer/>
                <button type="submit" class=if r.me_in { "secondary" } else { "" }>{label}</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=title/>
        <p><a href=format!("/clubs/{}", r.club_id)>"← " {r.club_name.clone()}</a></p>
        <h1>"Hosting"</h1>
        <FormError error=field_error(changed, "form")/>
        <section class="card" aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">"Coming meetings"</h2>
            {meetings}
        </section>
        <section class="card" aria-labelledby="rotation-heading">
            <h2 id="rotation-heading">"The rotation"</h2>
            {volunteers}
            {join}
        </section>
    }
}

/// "Swap with …": the other meetings that have a host.
#[component]
fn SwapForm(
    m: HostedMeeting,
    others: Vec<HostedMeeting>,
    actions: HostingActions,
) -> impl IntoView {
    let select_id = format!("swap-{}", m.event_id);
    view! {
        <ActionForm action=actions.swap attr:class="inline-form swap-form">
            <input type="hidden" name="event" value=m.event_id.to_string()/>
            <label for=select_id.clone()>{format!("Swap the host of {} with", m.title)}</label>
            <select id=select_id name="with">
                {others.into_iter().map(|o| view! {
                    <option value=o.event_id.to_string()>
                        {format!("{} ({}, {})", o.title, o.starts, o.host.unwrap_or_default())}
                    </option>
                }).collect_view()}
            </select>
            <button type="submit" class="secondary">"Swap hosts"</button>
        </ActionForm>
    }
}
