//! The profile page's calendar section: the zone times are shown in, and the
//! private feed link for calendar apps.
use leptos::prelude::*;

use super::api::{CalendarPrefs, ResetCalendarFeed, RevokeCalendarFeed, SetTimeZone};
use crate::forms::{field_error, success_flash, ActionResult, FormError, Typed, ZoneField};
use crate::ui::{Confirm, CopyField};

#[component]
pub fn CalendarSettingsSection(
    settings: CalendarPrefs,
    /// The time-zone form's last post.
    typed_zone: Typed,
    /// The reset's last post: the link it made, shown once, on the page the
    /// post comes back to.
    made: Typed,
) -> impl IntoView {
    let zone = ServerAction::<SetTimeZone>::new();
    let reset = ServerAction::<ResetCalendarFeed>::new();
    let revoke = ServerAction::<RevokeCalendarFeed>::new();
    let zone_result: ActionResult = Signal::derive(move || zone.value().get());
    let link = made.done_with::<String>();
    let s = settings;
    view! {
        <section class="card" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">"Calendar"</h2>
            <ActionForm action=zone attr:novalidate="" attr:aria-label="Time zone">
                {typed_zone.done().then(|| success_flash("Time zone saved."))}
                <FormError error=field_error(zone_result, "form")/>
                <ZoneField label="Show times in" name="time_zone" chosen=typed_zone.or("time_zone", s.time_zone.clone())
                    none="Each meeting's own zone"
                    hint="Meetings elsewhere are shown in this zone too, beside their own time."
                    error=field_error(zone_result, "time_zone")/>
                <button type="submit" class="secondary">"Save time zone"</button>
            </ActionForm>
            <h3>"Subscribe in your calendar app"</h3>
            <p class="muted">
                "A private link with the events of all your clubs, for Google, Apple or Outlook calendars. "
                "Anyone with the link sees your clubs' events: keep it to yourself, and reset it if it leaks."
            </p>
            {link.map(|url| view! {
                <div class="flash success" role="status">
                    <p>"Your feed link is ready. It is shown only now: copy it into your calendar app before you leave the page."</p>
                    <CopyField label="Calendar feed link" id="feed-link" value=url/>
                </div>
            })}
            <div class="actions">
                {if s.has_feed {
                    view! {
                        <Confirm
                            label="Reset feed link"
                            question="Make a new feed link?"
                            detail="The current link stops working at once: calendars that use it stop updating until you give them the new one."
                        >
                            <ActionForm action=reset attr:class="inline-form">
                                <button type="submit" class="danger">"Make a new link"</button>
                            </ActionForm>
                        </Confirm>
                        <Confirm
                            label="Turn the feed off"
                            question="Turn your calendar feed off?"
                            detail="The link stops working and no new one is made. Calendars that use it stop updating."
                        >
                            <ActionForm action=revoke attr:class="inline-form">
                                <button type="submit" class="danger">"Turn the feed off"</button>
                            </ActionForm>
                        </Confirm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=reset attr:class="inline-form">
                            <button type="submit" class="secondary">"Create feed link"</button>
                        </ActionForm>
                    }.into_any()
                }}
            </div>
        </section>
    }
}
