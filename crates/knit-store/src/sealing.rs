//! Field encryption at rest: the notes and safe-contact details coordinators keep about
//! people (domestic abuse, debt, mental health) are sealed with AES-256-GCM before they reach
//! the database, with keys kept in a file outside it. A copy of the database, a backup or a
//! stolen disk image without the key file shows no one's story.
//!
//! # Sealed values
//!
//! [`KeyRing::seal`] returns a self-describing blob:
//!
//! ```text
//! [ version: 1 byte = 1 ][ key id: 4 bytes, big-endian ][ nonce: 12 random bytes ][ ciphertext + 16-byte tag ]
//! ```
//!
//! The caller's `context` (say `b"case_notes.body:3f2a…"`: table, column and row id) is
//! authenticated with the value but not stored in it, so a value copied into another row or
//! column fails to open rather than being shown out of place. The 5-byte header is
//! authenticated too. Nonces are random: safe for far more values than Knit will ever seal
//! under one key (the limit for random 96-bit nonces is about 2^32 per key).
//!
//! # The key file
//!
//! Plain text, one key a line, `#` comments and blank lines ignored:
//!
//! ```text
//! # Knit field encryption keys.
//! knit-key-v1 1 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//! knit-key-v1 2 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752
//! ```
//!
//! Each line is the format tag, a key id (a `u32`, unique in the file) and the 256-bit key as
//! 64 hex digits. The key with the highest id is the primary: it seals every new value. The
//! others are kept only to open values sealed before a rotation. The file must be readable
//! by its owner alone (mode 0600 on Unix), and is refused otherwise. Back it up apart from
//! the database: without it the sealed values are lost, and with the database it opens them.
//!
//! # Rotation
//!
//! `knit keys rotate` calls [`KeyRing::rotate_file`], which adds a new primary key and keeps
//! the old ones; after the instances have restarted, every value for which
//! [`KeyRing::needs_reseal`] is true is opened and sealed again, and then
//! [`KeyRing::retire_file`] drops the old keys. Run one rotation at a time: the file is
//! replaced atomically, but two rotations at once would each write their own new key and the
//! last rename wins.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use zeroize::Zeroizing;

/// The first byte of every sealed value: the layout described in the module documentation.
pub const SEAL_VERSION: u8 = 1;
/// AES-256: 32-byte keys.
pub const KEY_BYTES: usize = 32;
pub const NONCE_BYTES: usize = 12;
pub const TAG_BYTES: usize = 16;
const HEADER_BYTES: usize = 1 + 4;
/// The shortest sealed value: the header, a nonce and the tag of an empty plaintext.
const MIN_SEALED_BYTES: usize = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
/// The tag that starts each key line, so a future format can be told apart.
const KEY_LINE_TAG: &str = "knit-key-v1";

/// Why a sealed value could not be opened. None of these carries any of the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the value was sealed with key {key_id}, which is not in the key file")]
    UnknownKey { key_id: u32 },
    #[error(
        "the sealed value does not open: it was altered, belongs to another record, or the key is wrong"
    )]
    Tampered,
    #[error("the value is not a sealed value Knit can read")]
    Malformed,
    #[error("the opened value is not text")]
    NotText,
}

/// Why the key file could not be read or written. Messages name the file and the line, never
/// a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read the key file {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write the key file {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("the key file {} is malformed at line {line}: {problem}", path.display())]
    Malformed {
        path: PathBuf,
        line: usize,
        problem: &'static str,
    },
    #[error("the key file {} holds no keys", path.display())]
    Empty { path: PathBuf },
    #[error(
        "the key file {} can be read or changed by other users (mode {mode:03o}); it must be readable by its owner alone: chmod 600 {}",
        path.display(),
        path.display()
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("the key file {} has used every key id", path.display())]
    IdsExhausted { path: PathBuf },
}

type Secret = Zeroizing<[u8; KEY_BYTES]>;

/// The keys that seal and open values: the primary (highest id) seals, every key opens.
/// `Debug` shows the ids only, and the keys are wiped from memory when the ring is dropped.
pub struct KeyRing {
    /// Never empty.
    keys: BTreeMap<u32, Secret>,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("primary", &self.primary_id())
            .field("key_ids", &self.key_ids())
            .finish()
    }
}

fn random_secret() -> Secret {
    let mut secret = Zeroizing::new([0u8; KEY_BYTES]);
    fill_random(&mut secret[..]);
    secret
}

fn fill_random(buf: &mut [u8]) {
    // The system's random source failing leaves nothing safe to do: a predictable key or
    // nonce would be worse than stopping.
    getrandom::fill(buf).expect("the operating system's random number generator failed");
}

impl KeyRing {
    /// A ring with one new random key, id 1. For tests; instances use [`KeyRing::load_or_create`].
    pub fn generate() -> KeyRing {
        KeyRing {
            keys: BTreeMap::from([(1, random_secret())]),
        }
    }

    /// The id of the key that seals new values.
    pub fn primary_id(&self) -> u32 {
        *self
            .keys
            .keys()
            .next_back()
            .expect("a key ring is never empty")
    }

    /// Every key id, oldest first.
    pub fn key_ids(&self) -> Vec<u32> {
        self.keys.keys().copied().collect()
    }

    fn primary(&self) -> (u32, &Secret) {
        let (id, secret) = self
            .keys
            .iter()
            .next_back()
            .expect("a key ring is never empty");
        (*id, secret)
    }

    /// The same ring with a new random primary key added after the others.
    fn with_new_key(&self) -> Option<KeyRing> {
        let id = self.primary_id().checked_add(1)?;
        let mut keys = self.keys.clone();
        keys.insert(id, random_secret());
        Some(KeyRing { keys })
    }

    /// The primary key alone: for when every value has been sealed again with it.
    pub fn without_old_keys(&self) -> KeyRing {
        let (id, secret) = self.primary();
        KeyRing {
            keys: BTreeMap::from([(id, secret.clone())]),
        }
    }

    /// Seals `plaintext` with the primary key, bound to `context` (for example the table,
    /// column and row id the value is stored in). Opening needs the same context.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let (key_id, secret) = self.primary();
        let mut nonce = [0u8; NONCE_BYTES];
        fill_random(&mut nonce);

        let mut sealed = Vec::with_capacity(MIN_SEALED_BYTES + plaintext.len());
        sealed.push(SEAL_VERSION);
        sealed.extend_from_slice(&key_id.to_be_bytes());
        let aad = associated_data(&sealed, context);
        sealed.extend_from_slice(&nonce);
        let ciphertext = cipher(secret)
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .expect("AES-GCM seals any value shorter than 64 GiB");
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    /// Opens a value [`KeyRing::seal`] returned, given the context it was sealed with.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, SealError> {
        let header = Header::read(sealed)?;
        let secret = self.keys.get(&header.key_id).ok_or(SealError::UnknownKey {
            key_id: header.key_id,
        })?;
        let aad = associated_data(&sealed[..HEADER_BYTES], context);
        let nonce: [u8; NONCE_BYTES] = sealed[HEADER_BYTES..HEADER_BYTES + NONCE_BYTES]
            .try_into()
            .expect("the header check ensured the nonce is there");
        cipher(secret)
            .decrypt(
                &nonce.into(),
                Payload {
                    msg: &sealed[HEADER_BYTES + NONCE_BYTES..],
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Tampered)
    }

    pub fn seal_str(&self, plaintext: &str, context: &[u8]) -> Vec<u8> {
        self.seal(plaintext.as_bytes(), context)
    }

    pub fn open_string(&self, sealed: &[u8], context: &[u8]) -> Result<String, SealError> {
        String::from_utf8(self.open(sealed, context)?).map_err(|_| SealError::NotText)
    }

    /// Whether a stored value should be opened and sealed again: true unless it is already
    /// sealed with the primary key in the current layout. A value that is not a sealed value
    /// at all counts as needing it, so a resealing pass meets it and reports it.
    pub fn needs_reseal(&self, sealed: &[u8]) -> bool {
        !Header::read(sealed).is_ok_and(|header| header.key_id == self.primary_id())
    }

    /// Reads the key file at `path`, or, the first time, creates it with one new key (and its
    /// directory). Refuses a file others can read, and one that is malformed.
    pub fn load_or_create(path: &Path) -> Result<KeyRing, KeyFileError> {
        match Self::load(path) {
            Err(KeyFileError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {}
            other => return other,
        }
        let ring = KeyRing::generate();
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|source| KeyFileError::Write {
                path: path.to_owned(),
                source,
            })?;
        }
        // Written aside and linked into place, which fails if the file appeared meanwhile:
        // two instances starting together must not each make a key and one overwrite the
        // other's, losing every value sealed with it.
        let temp = write_temp_file(path, &ring)?;
        let linked = fs::hard_link(&temp, path);
        let _ = fs::remove_file(&temp);
        match linked {
            Ok(()) => {
                sync_dir(path);
                Ok(ring)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Self::load(path),
            Err(source) => Err(KeyFileError::Write {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Reads the key file at `path`, which must exist.
    pub fn load(path: &Path) -> Result<KeyRing, KeyFileError> {
        let read_error = |source| KeyFileError::Read {
            path: path.to_owned(),
            source,
        };
        let metadata = fs::metadata(path).map_err(read_error)?;
        check_private(path, &metadata)?;
        let bytes = Zeroizing::new(fs::read(path).map_err(read_error)?);
        let text = std::str::from_utf8(&bytes).map_err(|e| KeyFileError::Malformed {
            path: path.to_owned(),
            line: 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
            problem: "the line is not text",
        })?;
        parse_key_file(path, text)
    }

    /// Adds a new primary key to the key file at `path`, keeping the old ones, and returns the
    /// new ring. The file is replaced atomically.
    pub fn rotate_file(path: &Path) -> Result<KeyRing, KeyFileError> {
        let ring = Self::load(path)?
            .with_new_key()
            .ok_or_else(|| KeyFileError::IdsExhausted {
                path: path.to_owned(),
            })?;
        replace_file(path, &ring)?;
        Ok(ring)
    }

    /// Drops every key but the primary from the key file at `path`, once every value has been
    /// sealed again with it. The file is replaced atomically.
    pub fn retire_file(path: &Path) -> Result<KeyRing, KeyFileError> {
        let ring = Self::load(path)?.without_old_keys();
        replace_file(path, &ring)?;
        Ok(ring)
    }

    fn to_file_text(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::from(
            "# Knit field encryption keys: keep secret, and back up apart from the database.\n\
             # The highest id seals new values; the others open values sealed before a rotation.\n",
        ));
        for (id, secret) in &self.keys {
            let digits = Zeroizing::new(hex::encode(&secret[..]));
            text.push_str(KEY_LINE_TAG);
            text.push(' ');
            text.push_str(&id.to_string());
            text.push(' ');
            text.push_str(&digits);
            text.push('\n');
        }
        text
    }
}

fn cipher(secret: &Secret) -> Aes256Gcm {
    Aes256Gcm::new_from_slice(&secret[..]).expect("AES-256 keys are 32 bytes")
}

/// The header, then the caller's context: both are authenticated, and the header's fixed
/// length keeps the two apart.
fn associated_data(header: &[u8], context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(HEADER_BYTES + context.len());
    aad.extend_from_slice(&header[..HEADER_BYTES]);
    aad.extend_from_slice(context);
    aad
}

struct Header {
    key_id: u32,
}

impl Header {
    fn read(sealed: &[u8]) -> Result<Header, SealError> {
        if sealed.len() < MIN_SEALED_BYTES || sealed[0] != SEAL_VERSION {
            return Err(SealError::Malformed);
        }
        let id: [u8; 4] = sealed[1..HEADER_BYTES].try_into().expect("4 bytes");
        Ok(Header {
            key_id: u32::from_be_bytes(id),
        })
    }
}

fn parse_key_file(path: &Path, text: &str) -> Result<KeyRing, KeyFileError> {
    let malformed = |line: usize, problem: &'static str| KeyFileError::Malformed {
        path: path.to_owned(),
        line,
        problem,
    };
    let mut keys = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [tag, id, digits] = fields[..] else {
            return Err(malformed(
                number,
                "expected 'knit-key-v1 <id> <64 hex digits>'",
            ));
        };
        if tag != KEY_LINE_TAG {
            return Err(malformed(
                number,
                "a key line must start with 'knit-key-v1'",
            ));
        }
        let id: u32 = id
            .parse()
            .map_err(|_| malformed(number, "the key id is not a whole number"))?;
        let mut secret = Zeroizing::new([0u8; KEY_BYTES]);
        hex::decode_to_slice(digits, &mut secret[..])
            .map_err(|_| malformed(number, "the key is not 64 hex digits"))?;
        if keys.insert(id, secret).is_some() {
            return Err(malformed(number, "this key id is used twice"));
        }
    }
    if keys.is_empty() {
        return Err(KeyFileError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(KeyRing { keys })
}

#[cfg(unix)]
fn check_private(path: &Path, metadata: &fs::Metadata) -> Result<(), KeyFileError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyFileError::TooOpen {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _metadata: &fs::Metadata) -> Result<(), KeyFileError> {
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Writes the ring to a new owner-only file beside `path`, synced to disk, and returns its
/// path.
fn write_temp_file(path: &Path, ring: &KeyRing) -> Result<PathBuf, KeyFileError> {
    let write_error = |source| KeyFileError::Write {
        path: path.to_owned(),
        source,
    };
    let mut suffix = [0u8; 8];
    fill_random(&mut suffix);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "keys".to_owned());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", hex::encode(suffix)));

    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(ring.to_file_text().as_bytes())?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(temp),
        Err(source) => {
            let _ = fs::remove_file(&temp);
            Err(write_error(source))
        }
    }
}

/// Replaces the key file with the ring in one step: readers see the old file or the new one,
/// never half of one, and a crash leaves one of the two.
fn replace_file(path: &Path, ring: &KeyRing) -> Result<(), KeyFileError> {
    let temp = write_temp_file(path, ring)?;
    if let Err(source) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(KeyFileError::Write {
            path: path.to_owned(),
            source,
        });
    }
    sync_dir(path);
    Ok(())
}

/// Makes a rename or link in the key file's directory durable. Best effort: the file itself
/// is already synced, and not every platform can sync a directory.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}

#[cfg(test)]
mod tests;
