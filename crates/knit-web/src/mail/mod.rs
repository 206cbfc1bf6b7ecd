//! Sending email: invitations, password-reset links, booking confirmations and every
//! notice, always through the jobs queue ([`queue`]) to whoever should hear ([`recipients`]).
//!
//! One [`Mailer`] trait with three ways to deliver: [`SmtpMailer`] (lettre, for real
//! installations), [`FileMailer`] (each message written as an `.eml` file into the data
//! folder's `outbox/`, the default when no SMTP server is configured) and [`MemoryMailer`]
//! (tests read what was sent). Addresses and bodies never reach a log line: a message's
//! `Debug` hides them.

pub mod queue;
pub mod recipients;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use knit_domain::account::Email;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// One plain-text message to one person.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    pub to: Email,
    pub subject: String,
    pub body: String,
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The address and the body (which may hold a secret link) stay out of any log.
        f.debug_struct("Message")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("body", &"<hidden>")
            .finish()
    }
}

/// Why a message could not be sent. The text names the kind of failure, never the address.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the mail settings are not usable: {0}")]
    Config(String),
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the mail server did not take the message: {0}")]
    Transport(String),
    #[error("the message could not be written to the outbox: {0}")]
    Io(#[from] std::io::Error),
}

impl MailError {
    /// Whether trying again later may work (a server down, a full disk), as opposed to a
    /// message that will never go (a bad sender address).
    pub fn is_temporary(&self) -> bool {
        matches!(self, MailError::Transport(_) | MailError::Io(_))
    }
}

#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, message: Message) -> Result<(), MailError>;
}

/// The sender named on every message unless `KNIT_MAIL_FROM` says otherwise.
pub const DEFAULT_FROM: &str = "Knit <no-reply@knit.invalid>";

/// Builds the RFC 5322 message lettre sends and the file mailer writes.
fn build(from: &lettre::message::Mailbox, message: &Message) -> Result<lettre::Message, MailError> {
    let to: lettre::message::Mailbox = message
        .to
        .as_str()
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))?;
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(message.body.clone())
        .map_err(|e| MailError::Build(e.to_string()))
}

fn parse_from(from: &str) -> Result<lettre::message::Mailbox, MailError> {
    from.parse()
        .map_err(|e: lettre::address::AddressError| MailError::Config(format!("sender: {e}")))
}

/// Sends through an SMTP server named by a URL such as
/// `smtps://user:password@smtp.example.org` or `smtp://localhost:25` (lettre's syntax; add
/// `?tls=required` for STARTTLS).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpMailer {
    pub fn from_url(url: &str, from: &str) -> Result<SmtpMailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            // lettre's error would repeat the URL, password and all.
            .map_err(|_| MailError::Config("KNIT_SMTP_URL is not a valid SMTP address".into()))?
            .build();
        Ok(SmtpMailer {
            transport,
            from: parse_from(from)?,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        let email = build(&self.from, &message)?;
        self.transport.send(email).await.map(|_| ()).map_err(|e| {
            MailError::Transport(if e.is_permanent() {
                "refused".into()
            } else {
                "unavailable".into()
            })
        })
    }
}

/// Writes each message as `<outbox>/<time>-<id>.eml`, for development: open the file, or
/// copy the link out of it.
pub struct FileMailer {
    outbox: PathBuf,
    from: lettre::message::Mailbox,
}

impl FileMailer {
    /// A mailer writing into `<data_dir>/outbox/`, which it creates when first needed.
    pub fn in_data_dir(data_dir: &Path, from: &str) -> Result<FileMailer, MailError> {
        Ok(FileMailer {
            outbox: data_dir.join("outbox"),
            from: parse_from(from)?,
        })
    }

    pub fn outbox(&self) -> &Path {
        &self.outbox
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        let email = build(&self.from, &message)?;
        tokio::fs::create_dir_all(&self.outbox).await?;
        let name = format!(
            "{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
            uuid::Uuid::new_v4().simple()
        );
        // Written under a temporary name and renamed, so a reader never sees half a message.
        let partial = self.outbox.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, email.formatted()).await?;
        tokio::fs::rename(&partial, self.outbox.join(name)).await?;
        Ok(())
    }
}

/// Keeps every message in memory, for tests to read.
#[derive(Default, Clone)]
pub struct MemoryMailer {
    sent: Arc<Mutex<Vec<Message>>>,
}

impl MemoryMailer {
    pub fn new() -> MemoryMailer {
        MemoryMailer::default()
    }

    /// Every message sent so far, oldest first.
    pub fn sent(&self) -> Vec<Message> {
        self.sent.lock().expect("mailer lock").clone()
    }

    /// The messages sent to one address, oldest first.
    pub fn sent_to(&self, to: &Email) -> Vec<Message> {
        self.sent().into_iter().filter(|m| &m.to == to).collect()
    }
}

#[async_trait]
impl Mailer for MemoryMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        self.sent.lock().expect("mailer lock").push(message);
        Ok(())
    }
}

/// Chooses the mailer from the environment: SMTP when `KNIT_SMTP_URL` is set, otherwise the
/// file outbox in the data folder. `KNIT_MAIL_FROM` names the sender.
pub fn from_env(data_dir: &Path) -> Result<Arc<dyn Mailer>, MailError> {
    let from = std::env::var("KNIT_MAIL_FROM").unwrap_or_else(|_| DEFAULT_FROM.to_owned());
    match std::env::var("KNIT_SMTP_URL") {
        Ok(url) if !url.trim().is_empty() => Ok(Arc::new(SmtpMailer::from_url(&url, &from)?)),
        _ => Ok(Arc::new(FileMailer::in_data_dir(data_dir, &from)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            to: Email::parse("asha@example.org").unwrap(),
            subject: "Reset your password".into(),
            body: "Open this link: https://knit.example/staff/reset/abc".into(),
        }
    }

    #[test]
    fn debug_output_hides_the_address_and_the_link() {
        let shown = format!("{:?}", message());
        assert!(!shown.contains("asha"), "{shown}");
        assert!(!shown.contains("/staff/reset/abc"), "{shown}");
        assert!(shown.contains("Reset your password"));
    }

    #[tokio::test]
    async fn the_file_mailer_writes_one_readable_eml_per_message() {
        let dir = std::env::temp_dir().join(format!("knit-outbox-{}", uuid::Uuid::new_v4()));
        let mailer = FileMailer::in_data_dir(&dir, DEFAULT_FROM).unwrap();
        mailer.send(message()).await.unwrap();
        mailer.send(message()).await.unwrap();
        let mut files: Vec<PathBuf> = std::fs::read_dir(mailer.outbox())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files.iter().all(|f| f.extension().unwrap() == "eml"));
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("To: asha@example.org"), "{text}");
        assert!(text.contains("Subject: Reset your password"), "{text}");
        assert!(
            text.contains("https://knit.example/staff/reset/abc"),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn the_memory_mailer_keeps_messages_for_tests() {
        let mailer = MemoryMailer::new();
        mailer.send(message()).await.unwrap();
        let to = Email::parse("asha@example.org").unwrap();
        assert_eq!(mailer.sent_to(&to), vec![message()]);
        assert!(
            mailer
                .sent_to(&Email::parse("tom@example.org").unwrap())
                .is_empty()
        );
    }

    #[test]
    fn a_bad_smtp_url_is_refused_without_repeating_it() {
        let Err(e) = SmtpMailer::from_url("nonsense://secret@host", DEFAULT_FROM) else {
            panic!("a bad URL is refused");
        };
        assert!(!e.to_string().contains("secret"));
    }
}
