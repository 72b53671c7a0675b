//! Form building blocks: a labelled field with its error beside it.
use leptos::prelude::*;

use crate::error::AppError;

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

/// The last result of a form's server action.
pub type ActionResult = Signal<Option<Result<(), AppError>>>;

/// The message for `field` from the action's last result. Errors that are not
/// about one field (forbidden, rate limited, ...) show as the "form" message.
pub fn field_error(value: ActionResult, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(err)) => match err {
                AppError::Validation { .. } => err.field_message(field),
                other if field == "form" => Some(other.to_string()),
                _ => None,
            },
            _ => None,
        })
    })
}

/// A message about the whole form, announced to screen readers.
#[component]
pub fn FormError(error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|message| view! { <p class="flash error" role="alert">{message}</p> })
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
