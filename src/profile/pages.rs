use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{
    profile_page, ChangePassword, CreateApiToken, DeleteAccount, EndOtherSessions, EndSession,
    RevokeApiToken, UpdateProfile,
};
use super::model::{ApiTokenRow, Profile, ProfilePageData, SessionInfo, EXPIRY_CHOICES};
use crate::events::calendar::pages::CalendarSettingsSection;
use crate::forms::{field_error, success_flash, ActionResult, Field, FormError, Typed};
use crate::layout::page_view;
use crate::notify::api::{my_notifications, MarkAllNotificationsRead, MarkNotificationRead};
use crate::notify::model::NotificationList;
use crate::notify::pages::NotificationSettings;
use crate::ui::{Confirm, CopyField};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let page = Resource::new(|| (), |_| profile_page());
    view! {
        <Title text="Your profile"/>
        {page_view(move || async move { page.await }, |page: ProfilePageData| view! {
            <h1>"Your profile"</h1>
            <ProfileDetails profile=page.profile typed=page.details_form/>
            <PasswordChange changed=page.password_form/>
            <NotificationSettings prefs=page.notifications saved=page.notifications_form/>
            <CalendarSettingsSection settings=page.calendar typed_zone=page.zone_form made=page.feed_form/>
            <Sessions list=page.sessions ended_others=page.end_others_form/>
            <ApiTokens list=page.api_tokens made=page.token_form/>
            <YourData/>
            <DeleteAccountSection/>
        }.into_any())}
    }
}

#[component]
fn ProfileDetails(profile: Profile, typed: Typed) -> impl IntoView {
    let update = ServerAction::<UpdateProfile>::new();
    let result: ActionResult = Signal::derive(move || update.value().get());
    let p = profile;
    view! {
        <section class="card" aria-labelledby="details-heading">
            <h2 id="details-heading">"Details"</h2>
            <ActionForm action=update attr:novalidate="" attr:aria-label="Profile details">
                {typed.done().then(|| success_flash("Saved."))}
                <FormError error=field_error(result, "form")/>
                <p class="muted">"Signed in as " {p.email.clone()}</p>
                <Field label="Name" name="name" autocomplete="name" value=typed.or("name", p.name.clone()) error=field_error(result, "name")/>
                <Field label="Phone (optional)" name="phone" input_type="tel" autocomplete="tel" value=typed.or("phone", p.phone.clone().unwrap_or_default()) error=field_error(result, "phone")/>
                <Field label="Avatar image URL (optional)" name="avatar" input_type="url" value=typed.or("avatar", p.avatar.clone().unwrap_or_default()) error=field_error(result, "avatar")/>
                <button type="submit" aria-busy=move || update.pending().get().then_some("true")>"Save details"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordChange(changed: Typed) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let result: ActionResult = Signal::derive(move || change.value().get());
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <p class="muted">"Changing your password signs you out on every other device."</p>
            <ActionForm action=change attr:novalidate="" attr:aria-label="Change password">
                {changed.done().then(|| success_flash("Password changed. Other devices are signed out."))}
                <FormError error=field_error(result, "form")/>
                <Field label="Current password" name="current_password" input_type="password" autocomplete="current-password" error=field_error(result, "current_password")/>
                <Field label="New password" name="new_password" input_type="password" autocomplete="new-password" hint="At least 8 characters." error=field_error(result, "new_password")/>
                <button type="submit" aria-busy=move || change.pending().get().then_some("true")>"Change password"</button>
            </ActionForm>
        </section>
    }
}

/// What Bookwork holds about the person, and what they wrote, to take with
/// them (`record::downloads`).
#[component]
fn YourData() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="data-heading">
            <h2 id="data-heading">"Your data"</h2>
            <p class="muted">"Everything Bookwork holds about you (your details, clubs, answers, tasks, the ballots you cast, notifications and where you signed in) as one JSON file; and what you wrote: your comments in reading discussions and the questions you suggested, in every club, including clubs you have left."</p>
            <ul>
                <li><a href="/me/data.json" rel="external" download="my-bookwork-data.json">"Download my data (JSON)"</a></li>
                <li><a href="/me/writing.json" rel="external" download="my-bookwork-writing.json">"Download what I wrote (JSON)"</a></li>
            </ul>
        </section>
    }
}

/// Deleting the account: the password again, and a box that says what
/// happens (`profile::account`).
#[component]
fn DeleteAccountSection() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    let result: ActionResult = Signal::derive(move || delete.value().get());
    view! {
        <section class="card danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete your account"</h2>
            <p>"This signs you out everywhere at once and removes your details, notifications, sign-in history and API tokens. Your places and tasks at upcoming meetings are given up (people on a waitlist move up)."</p>
            <p class="muted">"Your clubs keep their history: past answers, the ballots you cast and your comments stay, shown as \u{201c}Former member\u{201d} (delete any comment you want gone first). If you own a club, hand it over first. This cannot be undone: download your data first if you want it."</p>
            <ActionForm action=delete attr:novalidate="" attr:aria-label="Delete your account">
                <FormError error=field_error(result, "form")/>
                <Field label="Your password" name="password" input_type="password" autocomplete="current-password" error=field_error(result, "password")/>
                <label class="choice">
                    <input type="checkbox" name="understood" value="yes" aria-describedby="field-understood-error"/>
                    " I understand that my account is deleted for good"
                </label>
                {move || field_error(result, "understood").get().map(|m| view! { <span class="field-error" id="field-understood-error">{m}</span> })}
                <button type="submit" class="danger" aria-busy=move || delete.pending().get().then_some("true")>"Delete my account"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Sessions(list: Vec<SessionInfo>, ended_others: Typed) -> impl IntoView {
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you're signed in"</h2>
            {ended_others.done_with::<u64>().map(|n| {
                success_flash(format!("Signed out {n} other session{}.", if n == 1 { "" } else { "s" }))
            })}
            <ul class="session-list" data-testid="sessions">
                {list.into_iter().map(|s| view! {
                    <li>
                        <div>
                            <strong>{s.browser.clone()}</strong>
                            {s.current.then(|| view! { <span class="badge">"This browser"</span> })}
                            <div class="muted">"Signed in " {s.started.clone()} " · last active " {s.last_used.clone()}</div>
                        </div>
                        {(!s.current).then(|| view! {
                            <ActionForm action=end_one attr:class="inline-form">
                                <input type="hidden" name="id" value=s.id.to_string()/>
                                <button type="submit" class="secondary">"Sign out"</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=end_others>
                <button type="submit" class="secondary">"Sign out everywhere else"</button>
            </ActionForm>
        </section>
    }
}

/// Personal access tokens for the API: make one (shown once), see each
/// with its scopes and last use, revoke.
#[component]
fn ApiTokens(list: Vec<ApiTokenRow>, made: Typed) -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let created: ActionResult = Signal::derive(move || create.value().get().map(|r| r.map(|_| ())));
    let revoked: ActionResult = Signal::derive(move || revoke.value().get());
    let token = made.done_with::<String>();
    let ticked = |scope: &str| made.get("scopes[]").map_or(scope == "read", |s| s == scope);
    let (read_ticked, write_ticked) = (ticked("read"), ticked("write"));
    let chosen_days = made.or("days", "90");
    view! {
        <section class="card" id="tokens" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p class="muted">"For your own scripts and apps: send a token as " <code>"Authorization: Bearer …"</code> " to " <a href="/api/v1/openapi.json">"the Bookwork API"</a> ". A token acts as you, within the scopes you give it."</p>
            {token.map(|token| view! {
                <div class="flash success" role="status" data-testid="new-token-notice">
                    <p>"Here is your new token. Copy it now: it is not shown again."</p>
                    <CopyField label="Token" id="new-token" value=token/>
                </div>
            })}
            <FormError error=field_error(revoked, "form")/>
            {(!list.is_empty()).then(|| view! {
                <ul class="session-list" data-testid="api-tokens">
                    {list.into_iter().map(|t| {
                        let question = format!("Revoke \u{201c}{}\u{201d}?", t.name);
                        let facts = format!(
                            "{} · made {} · {} · {}",
                            t.scopes.join(" and "),
                            t.created,
                            t.expires.clone().map_or("never expires".to_owned(), |e| if t.expired { format!("expired {e}") } else { format!("expires {e}") }),
                            t.last_used.clone().map_or("never used".to_owned(), |u| format!("last used {u}")),
                        );
                        view! {
                            <li data-token=t.name.clone()>
                                <div>
                                    <strong>{t.name.clone()}</strong>
                                    <div class="muted">{facts}</div>
                                </div>
                                <Confirm label="Revoke" question=question detail="Whatever uses it stops working at once.">
                                    <ActionForm action=revoke attr:class="inline-form">
                                        <input type="hidden" name="id" value=t.id.to_string()/>
                                        <button type="submit" class="danger">"Revoke the token"</button>
                                    </ActionForm>
                                </Confirm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <h3>"Make a token"</h3>
            <ActionForm action=create attr:novalidate="" attr:aria-label="Make a token">
                <FormError error=field_error(created, "form")/>
                <Field label="Used for" name="token_name" value=made.or("token_name", "") hint="What will use it, such as \u{201c}calendar bot\u{201d}." error=field_error(created, "token_name")/>
                <fieldset class="choices" aria-describedby="field-scopes-error">
                    <legend>"It may"</legend>
                    <label class="choice"><input type="checkbox" name="scopes[]" value="read" checked=read_ticked/>" read (see what you can see)"</label>
                    <label class="choice"><input type="checkbox" name="scopes[]" value="write" checked=write_ticked/>" write (do what you can do)"</label>
                </fieldset>
                {move || field_error(created, "scopes").get().map(|m| view! { <span class="field-error" id="field-scopes-error">{m}</span> })}
                <div class="field">
                    <label for="field-days">"Stops working"</label>
                    <select id="field-days" name="days">
                        {EXPIRY_CHOICES.iter().map(|(value, label)| view! {
                            <option value=*value selected=chosen_days == *value>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit">"Make the token"</button>
            </ActionForm>
        </section>
    }
}

/// `/notifications`: what happened in the person's clubs, newest first, to
/// read and mark as read.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let read_one = ServerAction::<MarkNotificationRead>::new();
    let read_all = ServerAction::<MarkAllNotificationsRead>::new();
    let list = Resource::new(|| (), |_| my_notifications());
    view! {
        <Title text="Notifications"/>
        {page_view(move || async move { list.await }, move |list: NotificationList| {
            let empty = list.items.is_empty();
            view! {
                <h1>"Notifications"</h1>
                <p class="muted">"What happened in your clubs. Choose what you hear about, and how, on "<a href="/me#notifications-heading">"your profile"</a>"."</p>
                {(list.unread > 0).then(|| view! {
                    <ActionForm action=read_all attr:class="inline-form">
                        <button type="submit" class="secondary">"Mark all as read"</button>
                    </ActionForm>
                })}
                {empty.then(|| view! { <p class="card muted">"Nothing yet. Reminders, changes to meetings and tasks for you will appear here."</p> })}
                <ul class="notification-list" data-testid="notifications">
                    {list.items.into_iter().map(|n| view! {
                        <li class:unread=n.unread>
                            <div>
                                <a href=n.link.clone()><strong>{n.title.clone()}</strong></a>
                                {n.unread.then(|| view! { <span class="badge">"New"</span> })}
                                <p>{n.body.clone()}</p>
                                <p class="muted">{n.when.clone()}</p>
                            </div>
                            {n.unread.then(|| view! {
                                <ActionForm action=read_one attr:class="inline-form">
                                    <input type="hidden" name="id" value=n.id.to_string()/>
                                    <button type="submit" class="link-button">"Mark as read"</button>
                                </ActionForm>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })}
    }
}
