//! Form building blocks: a labelled field with its error beside it, and what
//! a person typed before a failed no-JavaScript submission.
use std::collections::HashMap;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::error::AppError;

/// Tab, line feed and carriage return (browsers send textarea line breaks
/// as CR LF) are the only control characters a field may carry.
pub fn is_refused_character(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The fields that are written in a `<textarea>` and may hold line breaks.
/// Every other field is one line (a browser's single-line input cannot hold
/// a line break), and names and titles go where a line break would forge a
/// new line: an e-mail's text, a calendar line, a log line.
const MULTI_LINE_FIELDS: &[&str] = &["description", "note", "notes", "body"];

/// Whether the field `name` (or `name[key]`) may hold line breaks.
pub fn multi_line(name: &str) -> bool {
    let base = name.split('[').next().unwrap_or(name);
    MULTI_LINE_FIELDS.contains(&base)
}

/// What is wrong with the characters of a field's text, if anything: the
/// same rule for a form (`server::form_boundary`) and the API's JSON.
pub fn text_problem(name: &str, value: &str) -> Option<&'static str> {
    if value.chars().any(is_refused_character) {
        Some(
            "This holds an invisible control character (shown as \u{fffd}), which cannot be saved. \
             It often comes from copying and pasting: delete it and try again.",
        )
    } else if value.contains(['\n', '\r']) && !multi_line(name) {
        Some("This is one line: remove the line break and try again.")
    } else {
        None
    }
}

/// A free-text field: trimmed, `None` when empty, refused beside `field` when
/// longer than `max` characters.
pub fn optional_text(text: &str, field: &str, max: usize) -> Result<Option<String>, AppError> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// What goes between `<textarea>` and `</textarea>`: every textarea's text
/// must go through here.
///
/// tachys 0.2.19 (the renderer of Leptos 0.8) writes a textarea's children
/// into the server's HTML unescaped, as if they were a script's
/// (leptos-rs/leptos#4730; fixed for tachys 0.3 by #4821, not in 0.2), so a
/// description holding `</textarea><svg onload=…>` put markup into the page
/// and `&amp;` came back as `&`. The server escapes the text itself; in the
/// browser the text becomes a text node, so it stays as it is there (and
/// tachys does not hydrate a textarea's children). `tests/app/hostile_text.rs`
/// fails if a textarea forgets, or if tachys starts escaping too.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

/// The last result of a form's server action.
pub type ActionResult = Signal<Option<Result<(), AppError>>>;

/// The message for `field` from the action's last result. Errors that are not
/// about one field (forbidden, rate limited, ...) show as the "form" message,
/// which also sums up problems with several fields.
pub fn field_error(value: ActionResult, field: impl Into<String>) -> Signal<Option<String>> {
    let field: String = field.into();
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(err)) => match err {
                AppError::Validation { errors } if field == "form" => err
                    .field_message("form")
                    .or_else(|| (errors.len() > 1).then(|| err.to_string())),
                AppError::Validation { .. } => err.field_message(&field),
                other if field == "form" => Some(other.to_string()),
                _ => None,
            },
            _ => None,
        })
    })
}

/// What was typed into a form before its last no-JavaScript submission
/// failed (never passwords): read once, then forgotten. `form` is the path of
/// the form's server function (`CreateClub::PATH`).
#[server(endpoint = "forms/remembered")]
pub async fn remembered_form(form: String) -> Result<HashMap<String, String>, AppError> {
    // Only server functions' forms are remembered; no other session key is
    // anyone's to read.
    if !form.starts_with("/api/") {
        return Err(AppError::NotFound);
    }
    Ok(crate::platform::flash::take(&form).await)
}

/// What the last post of server function `F`'s form left for its page, for
/// a page loader that reads it with the rest of the page (on the server).
#[cfg(feature = "ssr")]
pub async fn taken<F: ServerFn>() -> Typed {
    Typed(crate::platform::flash::take(F::PATH).await)
}

/// What was typed into the form of server function `F`, as a resource for
/// the form's page (create it at the top of the page, read it in Suspense).
pub fn remembered<F: ServerFn>() -> Resource<Typed> {
    Resource::new(
        || (),
        |_| async {
            Typed(
                remembered_form(F::PATH.to_owned())
                    .await
                    .unwrap_or_default(),
            )
        },
    )
}

/// What a form's page says once its last post worked and came back here,
/// for a form whose page has no typed values to read: `outcome` is the
/// form's [`remembered`] resource (made at the top of the page, like every
/// resource), `say` words the function's answer.
pub fn done_notice<T>(outcome: Resource<Typed>, say: fn(T) -> String) -> impl IntoView
where
    T: serde::de::DeserializeOwned + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                outcome.await.done_with::<T>().map(|answer| success_flash(say(answer)))
            })}
        </Suspense>
    }
}

/// The line above a form that says its last post worked ("Saved.").
pub fn success_flash(message: impl Into<String>) -> impl IntoView {
    let message: String = message.into();
    view! { <p class="flash success" role="status">{message}</p> }
}

/// A form's typed values, to put back into its fields; or, after a post
/// that worked, what its server function answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Typed(pub HashMap<String, String>);

impl Typed {
    /// The key the form boundary keeps a successful post's answer under
    /// (`platform::flash::DONE`, which the browser build cannot name).
    const DONE: &'static str = "__done";

    /// What was typed into `field`, if the form came back.
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.get(field).cloned()
    }

    /// Whether the form's last post worked and came back to this page: the
    /// page then says what was done.
    pub fn done(&self) -> bool {
        self.0.contains_key(Self::DONE)
    }

    /// What the function answered to the last post that worked, if it was
    /// a `T` (a count, say).
    pub fn done_with<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(self.0.get(Self::DONE)?).ok()
    }

    /// What was typed into `field`, else `default` (the stored value).
    pub fn or(&self, field: &str, default: impl Into<String>) -> String {
        self.get(field).unwrap_or_else(|| default.into())
    }

    /// A checkbox: ticked when it was sent, else `default`.
    pub fn checked_or(&self, field: &str, default: bool) -> bool {
        if self.0.keys().all(|key| key == Self::DONE) {
            default
        } else {
            self.0.contains_key(field)
        }
    }

    /// These values, if they were typed into the form for `id` (the form's
    /// hidden `key` field: one of several item forms on a page, say).
    /// After a post that worked, its outcome holds for every form of the
    /// function on the page.
    pub fn for_form(&self, key: &str, id: impl ToString) -> Typed {
        if self.get(key) == Some(id.to_string()) || self.0.keys().all(|k| k == Self::DONE) {
            self.clone()
        } else {
            Typed::default()
        }
    }
}

/// A ticked checkbox, for a field of a struct that a server function takes
/// straight from a form (`#[server(flatten)]`) and that also travels as
/// JSON: absent is unticked (with `#[serde(default)]`), a JSON boolean is
/// itself, and text is ticked unless it is empty or `false` (a browser sends
/// `on`; the browser build re-encodes a `false` it read as text).
pub fn checkbox<'de, D: serde::Deserializer<'de>>(input: D) -> Result<bool, D::Error> {
    struct Checkbox;
    impl<'de> serde::de::Visitor<'de> for Checkbox {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a checkbox (sent or not)")
        }
        fn visit_bool<E>(self, ticked: bool) -> Result<bool, E> {
            Ok(ticked)
        }
        fn visit_str<E>(self, text: &str) -> Result<bool, E> {
            Ok(!(text.is_empty() || text == "false"))
        }
        fn visit_none<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, inner: D) -> Result<bool, D::Error> {
            inner.deserialize_any(Checkbox)
        }
    }
    input.deserialize_any(Checkbox)
}

/// A message about the whole form, announced to screen readers.
#[component]
pub fn FormError(error: Signal<Option<String>>) -> impl IntoView {
    // The first message the server renders takes the anchor a failed plain
    // post comes back to (`server::form_boundary`), so the browser shows it
    // rather than the top of the page.
    let first = use_context::<FirstProblem>();
    move || {
        error.get().map(|message| {
            let id = first
                .as_ref()
                .is_some_and(|first| first.claim(&message))
                .then_some(PROBLEM_ANCHOR);
            view! { <p class="flash error" role="alert" id=id>{message}</p> }
        })
    }
}

/// The id of the first form message on a page: where a failed plain form
/// post that names no field lands (`#problem`).
pub const PROBLEM_ANCHOR: &str = "problem";

/// The first form message a page shows, which takes [`PROBLEM_ANCHOR`].
/// Provided per page render by the layout. Kept by its text, not by order
/// alone: the server may render a message more than once before it sends
/// the page (a Suspense's passes), and each pass must give it the id.
#[derive(Clone, Default)]
pub struct FirstProblem(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl FirstProblem {
    /// Whether `message` is the page's first message (the first asked
    /// about, or the same text again).
    pub fn claim(&self, message: &str) -> bool {
        let Ok(mut first) = self.0.lock() else {
            return false;
        };
        match first.as_deref() {
            None => {
                *first = Some(message.to_owned());
                true
            }
            Some(taken) => taken == message,
        }
    }
}

/// A labelled input. `error` shows beside the field and marks it invalid for
/// screen readers; the input keeps whatever the person typed.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into, default = "text".to_owned())] input_type: String,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into, optional)] value: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <span class="hint muted" id=hint_id.clone()>{h}</span> })}
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                value=value
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            {move || error.get().map(|message| view! { <span class="field-error" id=error_id.clone()>{message}</span> })}
        </div>
    }
}

/// A labelled `<select>`: first an empty choice saying `none`, then
/// `choices` as (value, label), with `chosen` selected (what was typed comes
/// back selected). Errors show beside it and mark it invalid, as [`Field`]'s.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    /// The empty first choice's label ("None", "Choose a book").
    #[prop(into)]
    none: String,
    choices: Vec<(String, String)>,
    #[prop(into)] chosen: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    let options = choices
        .into_iter()
        .map(|(value, label)| {
            let selected = value == chosen;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                <option value="" selected=chosen.is_empty()>{none}</option>
                {options}
            </select>
            {move || error.get().map(|message| view! { <span class="field-error" id=error_id.clone()>{message}</span> })}
        </div>
    }
}

/// The time zones offered by [`ZoneField`]: PostgreSQL's names for places
/// (Europe/London), without its old aliases (US/Eastern, Asia/Calcutta),
/// and UTC first. A test checks PostgreSQL knows every one
/// (`tests/app/schema.rs`), since PostgreSQL is what accepts them.
pub const ZONE_NAMES: &str = include_str!("zone_names.txt");

/// A time zone chosen from a list rather than typed: a plain `<select>`
/// (type a letter to jump, without JavaScript too), grouped by region and
/// named by place ("Buenos Aires" under America). `none`, if given, is the
/// empty first choice. With `suggest_browser_zone`, the page's script picks
/// the browser's own zone while the field is still at its default; with
/// the script, a search box above the list narrows it (`data-zone-list`).
#[component]
pub fn ZoneField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into)] chosen: String,
    #[prop(into, optional)] none: Option<String>,
    #[prop(optional)] suggest_browser_zone: bool,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let ids: Vec<&str> = [
                has_hint.then_some(hint_id.as_str()),
                error.get().is_some().then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // A zone that is not in the list (an old alias chosen before) stays
    // chosen rather than being lost.
    let unlisted =
        (!chosen.is_empty() && !ZONE_NAMES.lines().any(|z| z == chosen)).then(|| chosen.clone());
    let groups = zone_groups();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <span class="hint muted" id=hint_id.clone()>{hint}</span> })}
            <select
                id=id
                name=name
                data-browser-zone=(suggest_browser_zone && chosen.is_empty()).then_some("suggest")
                data-zone-list=""
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                {none.map(|none| view! { <option value="" selected=chosen.is_empty()>{none}</option> })}
                {unlisted.map(|zone| view! { <option value=zone.clone() selected=true>{zone.replace('_', " ")}</option> })}
                {groups.into_iter().map(|(region, zones)| {
                    let options = zones.into_iter().map(|zone| {
                        let place = zone.split_once('/').map_or(zone, |(_, place)| place).replace('_', " ");
                        view! { <option value=zone selected=zone == chosen>{place}</option> }
                    }).collect_view();
                    match region {
                        "" => options.into_any(),
                        region => view! { <optgroup label=region>{options}</optgroup> }.into_any(),
                    }
                }).collect_view()}
            </select>
            {move || error.get().map(|message| view! { <span class="field-error" id=error_id.clone()>{message}</span> })}
        </div>
    }
}

/// The zones by region, in the list's order; UTC (no region) first.
fn zone_groups() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut groups: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for zone in ZONE_NAMES.lines().filter(|z| !z.is_empty()) {
        let region = zone.split_once('/').map_or("", |(region, _)| region);
        match groups.last_mut() {
            Some((last, zones)) if *last == region => zones.push(zone),
            _ => groups.push((region, vec![zone])),
        }
    }
    groups
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::Typed;

    #[test]
    fn zones_come_grouped_by_region_with_utc_first_and_each_once() {
        let groups = super::zone_groups();
        assert_eq!(groups[0], ("", vec!["UTC"]));
        let regions: Vec<&str> = groups.iter().map(|(r, _)| *r).collect();
        let mut sorted = regions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(regions, sorted, "each region once, in order");
        let zones: Vec<&str> = groups.iter().flat_map(|(_, z)| z.clone()).collect();
        assert_eq!(zones.len(), super::ZONE_NAMES.lines().count());
        assert!(zones.contains(&"Asia/Tokyo") && zones.contains(&"America/Argentina/Buenos_Aires"));
        assert!(!zones.contains(&"US/Eastern") && !zones.contains(&"Asia/Calcutta"));
    }

    #[test]
    fn the_page_reads_outcomes_under_the_key_the_boundary_keeps_them() {
        assert_eq!(Typed::DONE, crate::platform::flash::DONE);
        let done = Typed([(Typed::DONE.to_owned(), "3".to_owned())].into());
        assert!(done.done());
        assert_eq!(done.done_with::<u64>(), Some(3));
        // An outcome is not a form that came back: boxes keep their values.
        assert!(done.checked_or("remind", true));
        assert!(!Typed::default().done());
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
    struct Boxed {
        name: String,
        #[serde(default, deserialize_with = "super::checkbox")]
        public: bool,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Flattened {
        id: u8,
        #[serde(flatten)]
        form: Boxed,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Rows {
        title: String,
        #[serde(default)]
        books: Vec<String>,
        #[serde(default)]
        slot_date: std::collections::HashMap<String, String>,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct WithRows {
        club: String,
        #[serde(flatten)]
        form: Rows,
    }

    #[test]
    fn lists_and_rows_come_through_a_flattened_form() {
        // As a browser sends them (brackets percent-encoded) and as server
        // functions read them (Leptos's non-strict serde_qs).
        let read: WithRows = serde_qs::Config::new(5, false)
            .deserialize_str(
                "club=c&title=t&books%5B%5D=a&books%5B%5D=b&slot_date%5Brow-1%5D=2026-01-02",
            )
            .unwrap();
        assert_eq!(read.club, "c");
        assert_eq!(read.form.books, ["a", "b"]);
        assert_eq!(read.form.slot_date["row-1"], "2026-01-02");
        let none: WithRows = serde_qs::Config::new(5, false)
            .deserialize_str("club=c&title=t")
            .unwrap();
        assert!(none.form.books.is_empty() && none.form.slot_date.is_empty());
    }

    #[test]
    fn a_checkbox_is_ticked_when_a_form_sends_it_and_never_from_false() {
        let form = |query: &str| serde_qs::from_str::<Boxed>(query).map(|b| b.public).ok();
        assert_eq!(form("name=a&public=on"), Some(true));
        assert_eq!(form("name=a"), Some(false));
        assert_eq!(form("name=a&public="), Some(false));
        assert_eq!(form("name=a&public=false"), Some(false));
        // Inside a flattened struct, as a server function reads a form.
        let read = serde_qs::from_str::<Flattened>("id=7&name=a&public=on").unwrap();
        assert_eq!(
            read,
            Flattened {
                id: 7,
                form: Boxed {
                    name: "a".into(),
                    public: true
                }
            }
        );
        // And as JSON, both ways.
        for public in [true, false] {
            let json = serde_json::to_string(&Boxed {
                name: "a".into(),
                public,
            })
            .unwrap();
            assert_eq!(serde_json::from_str::<Boxed>(&json).unwrap().public, public);
        }
    }
}
