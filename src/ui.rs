//! The design system's components, as `style/main.css` and
//! `docs/DESIGN-SYSTEM.md` describe them: a confirmation step, an actions
//! menu, a person's avatar, a link to copy. Each works without JavaScript;
//! only the copy button needs it, and it is not shown without it.
//! None is an island: they cost the browser's bundle nothing.
use leptos::prelude::*;

/// A step between a button and an action that cannot be taken back
/// (removing a member, leaving a club): the button opens a panel that says
/// what will happen, and only the panel's own button (in `children`, the
/// action's form) does it. Built on `<details>`, so it works without
/// JavaScript; closing the panel is the way to cancel.
#[component]
pub fn Confirm(
    /// What the opening button says ("Remove").
    #[prop(into)]
    label: String,
    /// The question the panel asks ("Remove Ann Lee from Readers?").
    #[prop(into)]
    question: String,
    /// What follows from it, in a sentence.
    #[prop(into, optional)]
    detail: Option<String>,
    /// The action's form, with the button that does it.
    children: Children,
) -> impl IntoView {
    let asked = question.clone();
    view! {
        <details class="confirm-step">
            <summary class="button secondary">{label}</summary>
            <div class="confirm" role="group" aria-label=asked>
                <p class="confirm-question">{question}</p>
                {detail.map(|detail| view! { <p class="muted">{detail}</p> })}
                {children()}
            </div>
        </details>
    }
}

/// A menu of actions for one row (a member, a book): a button that opens a
/// small list of buttons and links. `<details>` again, so without
/// JavaScript it opens and closes all the same.
#[component]
pub fn ActionsMenu(
    /// Who or what the actions are for, for screen readers ("Ann Lee").
    #[prop(into)]
    about: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="menu">
            <summary class="button secondary">
                "Actions"<span class="visually-hidden">{format!(" for {about}")}</span>
            </summary>
            <div class="menu-items">{children()}</div>
        </details>
    }
}

/// How many colours avatars take turns with (`.avatar-0` … in the CSS).
const AVATAR_COLOURS: u32 = 8;

/// A person's initials in a circle: made here, from their name, so no
/// picture service learns who is in which club. The colour follows from
/// `key` (their id), so it stays the same wherever they appear.
#[component]
pub fn Avatar(
    #[prop(into)] name: String,
    #[prop(into)] key: String,
    /// "sm" beside a line of text, "md" (the default) in a list of people.
    #[prop(into, optional)]
    size: Option<&'static str>,
) -> impl IntoView {
    let class = format!("avatar avatar-{} {}", colour_of(&key), size.unwrap_or("md"));
    view! { <span class=class aria-hidden="true">{initials(&name)}</span> }
}

/// The first letter of the first and last words of a name ("Ann Lee" is
/// "AL", "Prince" is "P"); "?" for a name with no letters.
pub fn initials(name: &str) -> String {
    let first_letter = |word: &str| word.chars().find(|c| c.is_alphanumeric());
    let mut words = name.split_whitespace().filter_map(first_letter);
    let first = words.next();
    let last = words.next_back();
    let initials: String = first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect();
    if initials.is_empty() {
        "?".to_owned()
    } else {
        initials
    }
}

/// A colour index that depends only on `key` (FNV-1a: the same on every
/// build and every machine, unlike the standard library's hasher).
fn colour_of(key: &str) -> u32 {
    let hash = key.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash % AVATAR_COLOURS
}

/// A link to share or paste somewhere else, in full: its text, which wraps
/// on a phone rather than running off the screen, and (once the page's
/// scripts run) a button that copies it.
#[component]
pub fn CopyField(
    /// The field's label ("Invitation link").
    #[prop(into)]
    label: String,
    /// The text's id, unique on the page.
    #[prop(into)]
    id: String,
    #[prop(into)] value: String,
) -> impl IntoView {
    let label_id = format!("{id}-label");
    view! {
        <div class="copy-field">
            <p class="copy-label" id=label_id.clone()>{label}</p>
            <div class="copy-row">
                <code id=id.clone() class="copy-text" data-testid=id.clone()>{value}</code>
                // Shown and wired by the page's script (`islands.js`): without
                // it there is nothing to copy with, and the text can still be
                // selected.
                <button type="button" class="secondary copy-button" data-copy=id aria-describedby=label_id hidden>
                    "Copy"
                </button>
            </div>
        </div>
    }
}

/// A count with its noun: "1 member", "5,693 members".
pub fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", grouped(n))
    }
}

/// A count as people read it: digits in groups of three ("5,693").
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_takes_its_noun() {
        assert_eq!(counted(1, "member", "members"), "1 member");
        assert_eq!(counted(0, "member", "members"), "0 members");
        assert_eq!(
            counted(5693, "place left", "places left"),
            "5,693 places left"
        );
    }

    #[test]
    fn counts_are_grouped_in_threes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(5693), "5,693");
        assert_eq!(grouped(100000), "100,000");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(grouped(-1234), "-1,234");
    }

    #[test]
    fn initials_take_the_first_and_last_words() {
        assert_eq!(initials("Ann Lee"), "AL");
        assert_eq!(initials("ann marie van der berg"), "AB");
        assert_eq!(initials("Prince"), "P");
        assert_eq!(initials("  émile  zola "), "ÉZ");
        assert_eq!(initials("(Ann) 'Lee'"), "AL");
        assert_eq!(initials(""), "?");
        assert_eq!(initials("— —"), "?");
    }

    #[test]
    fn a_colour_is_the_same_for_the_same_key_and_spreads_over_the_palette() {
        assert_eq!(colour_of("abc"), colour_of("abc"));
        let used: std::collections::HashSet<u32> = (0..200)
            .map(|i| colour_of(&format!("person-{i}")))
            .collect();
        assert_eq!(used.len(), AVATAR_COLOURS as usize);
    }
}
