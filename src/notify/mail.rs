//! E-mail: composing a notice (plain text and simple HTML, with
//! `List-Unsubscribe` and one-click `List-Unsubscribe-Post`, RFC 8058) and
//! sending it over SMTP with `lettre`, or, with no `SMTP_URL` (the embedded
//! default), writing it as an `.eml` file so a new user sees what would have
//! been sent.
use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::render::Rendered;
use crate::platform::config::MailConfig;

/// How long one message may take to hand over before it counts as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

impl Mailer {
    pub fn from_config(mail: &MailConfig) -> Result<Mailer, String> {
        match &mail.smtp_url {
            Some(url) => Mailer::smtp(url.expose()),
            None => {
                std::fs::create_dir_all(&mail.dir).map_err(|e| {
                    format!(
                        "configuration error: cannot create the mail folder {} (MAIL_DIR): {e}",
                        mail.dir.display()
                    )
                })?;
                Ok(Mailer::Files(
                    AsyncFileTransport::new(&mail.dir),
                    mail.dir.clone(),
                ))
            }
        }
    }

    /// `smtp://host:port` (plain, for a relay on the same network or a test),
    /// `smtp://…?tls=required` (STARTTLS) or `smtps://…` (TLS).
    pub fn smtp(url: &str) -> Result<Mailer, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map(|b| Mailer::Smtp(b.timeout(Some(SEND_TIMEOUT)).build()))
            .map_err(|e| format!("configuration error: SMTP_URL: {e}"))
    }

    pub async fn send(&self, message: Message) -> Result<(), String> {
        let sent = tokio::time::timeout(SEND_TIMEOUT, async {
            match self {
                Mailer::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| e.to_string()),
                Mailer::Files(files, dir) => files
                    .send(message)
                    .await
                    .map(|id| tracing::info!(file = %dir.join(format!("{id}.eml")).display(), "mail written (no SMTP_URL set)"))
                    .map_err(|e| e.to_string()),
            }
        })
        .await;
        sent.unwrap_or_else(|_| Err("the mail server did not answer in time".to_owned()))
    }
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// `text` on one line: each line break (or other control character) is a
/// space.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A notice as an e-mail. `unsubscribe` is the reader's signed link for this
/// kind (none for an invitation to an address).
pub fn compose(
    from: &Mailbox,
    to: Mailbox,
    rendered: &Rendered,
    public_url: &str,
    unsubscribe: Option<&str>,
) -> Result<Message, String> {
    let link = format!("{public_url}{}", rendered.path);
    let mut text = rendered.lines.join("\n\n");
    text.push_str(&format!("\n\n{link}\n"));
    let mut html = String::from(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">",
    );
    for line in &rendered.lines {
        html.push_str(&format!("<p>{}</p>", escape(line)));
    }
    html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(&link)));
    if let Some(unsubscribe) = unsubscribe {
        text.push_str(&format!(
            "\n-- \nYou get this because of your Bookwork notification settings. Stop these e-mails: {unsubscribe}\n"
        ));
        html.push_str(&format!(
            "<hr><p style=\"font-size:small;color:#555\">You get this because of your Bookwork notification settings. <a href=\"{}\">Stop these e-mails</a>.</p>",
            escape(unsubscribe)
        ));
    }
    html.push_str("</body></html>");
    // A subject and a name are one line: lettre encodes a line break rather
    // than let it start a header, but a mail program would still show it.
    let to = Mailbox::new(to.name.as_deref().map(one_line), to.email);
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(one_line(&rendered.subject));
    if let Some(unsubscribe) = unsubscribe {
        builder = builder
            .header(ListUnsubscribe(format!("<{unsubscribe}>")))
            .header(ListUnsubscribePost);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| format!("could not build the message: {e}"))
}
