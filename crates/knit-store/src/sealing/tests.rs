use std::fs;
use std::path::PathBuf;

use super::*;

const NOTE: &str = "Mary's ex-partner must not learn her new address. Call the work mobile only.";
const CONTEXT: &[u8] = b"case_notes.body:0190a4c2-7d1e-7b3a-9c1f-2e4d5a6b7c8d";

fn key_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("secrets").join("knit.keys")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_sealed_note_opens_with_its_context() {
    let ring = KeyRing::generate();
    let sealed = ring.seal_str(NOTE, CONTEXT);
    assert_eq!(ring.open_string(&sealed, CONTEXT).unwrap(), NOTE);
    assert_eq!(ring.open(&sealed, CONTEXT).unwrap(), NOTE.as_bytes());
    // Empty values seal too.
    assert_eq!(ring.open(&ring.seal(b"", CONTEXT), CONTEXT).unwrap(), b"");
}

#[test]
fn a_sealed_value_is_self_describing_and_hides_the_text() {
    let ring = KeyRing::generate();
    let sealed = ring.seal_str(NOTE, CONTEXT);
    assert_eq!(sealed[0], SEAL_VERSION);
    assert_eq!(sealed[1..5], 1u32.to_be_bytes());
    assert_eq!(sealed.len(), 1 + 4 + NONCE_BYTES + NOTE.len() + TAG_BYTES);
    assert!(
        !sealed.windows(5).any(|w| w == b"Mary'"),
        "the plaintext must not show through"
    );
    // A fresh nonce each time: the same note sealed twice looks different.
    assert_ne!(sealed, ring.seal_str(NOTE, CONTEXT));
}

#[test]
fn a_value_moved_to_another_row_does_not_open() {
    let ring = KeyRing::generate();
    let sealed = ring.seal_str(NOTE, CONTEXT);
    let other_row = b"case_notes.body:0190a4c2-0000-7b3a-9c1f-2e4d5a6b7c8d";
    assert_eq!(ring.open(&sealed, other_row), Err(SealError::Tampered));
    assert_eq!(ring.open(&sealed, b""), Err(SealError::Tampered));
}

#[test]
fn any_altered_byte_is_detected() {
    let ring = KeyRing::generate();
    let sealed = ring.seal_str(NOTE, CONTEXT);
    for i in 0..sealed.len() {
        let mut altered = sealed.clone();
        altered[i] ^= 0x01;
        let err = ring.open(&altered, CONTEXT).unwrap_err();
        // The version byte and key id change how the value is read; anything else fails
        // authentication.
        match i {
            0 => assert_eq!(err, SealError::Malformed),
            1..=4 => assert!(matches!(err, SealError::UnknownKey { .. }), "byte {i}"),
            _ => assert_eq!(err, SealError::Tampered, "byte {i}"),
        }
    }
    let truncated = &sealed[..sealed.len() - 1];
    assert_eq!(ring.open(truncated, CONTEXT), Err(SealError::Tampered));
}

#[test]
fn malformed_blobs_and_unknown_keys_are_named_without_the_value() {
    let ring = KeyRing::generate();
    assert_eq!(ring.open(b"", CONTEXT), Err(SealError::Malformed));
    assert_eq!(
        ring.open(NOTE.as_bytes(), CONTEXT),
        Err(SealError::Malformed)
    );
    assert_eq!(ring.open(&[1u8; 20], CONTEXT), Err(SealError::Malformed));

    let other = KeyRing::generate().with_new_key().unwrap();
    let sealed = other.seal_str(NOTE, CONTEXT);
    let err = ring.open(&sealed, CONTEXT).unwrap_err();
    assert_eq!(err, SealError::UnknownKey { key_id: 2 });
    assert_eq!(
        err.to_string(),
        "the value was sealed with key 2, which is not in the key file"
    );

    // Same id, different key: it cannot open, and says so without guessing why.
    let stranger = KeyRing::generate().seal_str(NOTE, CONTEXT);
    assert_eq!(ring.open(&stranger, CONTEXT), Err(SealError::Tampered));

    let not_text = ring.seal(&[0xff, 0xfe], CONTEXT);
    assert_eq!(
        ring.open_string(&not_text, CONTEXT),
        Err(SealError::NotText)
    );
}

#[test]
fn the_key_file_is_created_once_private_and_then_reused() {
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(&dir);
    let ring = KeyRing::load_or_create(&path).unwrap();
    assert_eq!(ring.key_ids(), [1]);
    #[cfg(unix)]
    {
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
    let text = fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| !l.starts_with('#')).unwrap();
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields[..2], ["knit-key-v1", "1"]);
    assert_eq!(fields[2].len(), 64);

    let sealed = ring.seal_str(NOTE, CONTEXT);
    let again = KeyRing::load_or_create(&path).unwrap();
    assert_eq!(again.open_string(&sealed, CONTEXT).unwrap(), NOTE);
    // No stray temporary files are left beside it.
    assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn values_sealed_before_a_rotation_still_open_and_ask_to_be_resealed() {
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(&dir);
    let before = KeyRing::load_or_create(&path).unwrap();
    let old = before.seal_str(NOTE, CONTEXT);
    assert!(!before.needs_reseal(&old));

    let after = KeyRing::rotate_file(&path).unwrap();
    assert_eq!(after.key_ids(), [1, 2]);
    assert_eq!(after.primary_id(), 2);
    assert_eq!(after.open_string(&old, CONTEXT).unwrap(), NOTE);
    assert!(after.needs_reseal(&old));

    let new = after.seal_str(NOTE, CONTEXT);
    assert_eq!(new[1..5], 2u32.to_be_bytes());
    assert!(!after.needs_reseal(&new));
    // Something that is not a sealed value is met by a resealing pass, which reports it.
    assert!(after.needs_reseal(b"plain text"));

    // The file keeps the old key, and the same keys as the ring returned.
    let reloaded = KeyRing::load(&path).unwrap();
    assert_eq!(reloaded.key_ids(), [1, 2]);
    assert_eq!(reloaded.open_string(&old, CONTEXT).unwrap(), NOTE);
    assert_eq!(reloaded.open_string(&new, CONTEXT).unwrap(), NOTE);
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);

    // A second rotation keeps both earlier keys.
    assert_eq!(KeyRing::rotate_file(&path).unwrap().key_ids(), [1, 2, 3]);
}

#[test]
fn retiring_keeps_only_the_primary_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(&dir);
    let first = KeyRing::load_or_create(&path).unwrap();
    let old = first.seal_str(NOTE, CONTEXT);
    let rotated = KeyRing::rotate_file(&path).unwrap();

    // Every value is resealed with the new key first.
    let resealed = rotated.seal(&rotated.open(&old, CONTEXT).unwrap(), CONTEXT);
    assert!(!rotated.needs_reseal(&resealed));

    let in_memory = rotated.without_old_keys();
    assert_eq!(in_memory.key_ids(), [2]);

    let retired = KeyRing::retire_file(&path).unwrap();
    assert_eq!(retired.key_ids(), [2]);
    assert_eq!(KeyRing::load(&path).unwrap().key_ids(), [2]);
    assert_eq!(retired.open_string(&resealed, CONTEXT).unwrap(), NOTE);
    assert_eq!(
        retired.open(&old, CONTEXT),
        Err(SealError::UnknownKey { key_id: 1 })
    );
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(&dir);
    KeyRing::load_or_create(&path).unwrap();
    for loose in [0o644, 0o640, 0o604, 0o620] {
        fs::set_permissions(&path, fs::Permissions::from_mode(loose)).unwrap();
        let err = KeyRing::load_or_create(&path).unwrap_err();
        assert!(matches!(err, KeyFileError::TooOpen { mode, .. } if mode == loose));
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("chmod 600"), "{message}");
        assert!(KeyRing::rotate_file(&path).is_err());
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    assert!(KeyRing::load(&path).is_ok());
}

#[test]
fn a_malformed_key_file_is_refused_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("knit.keys");
    let good = format!("knit-key-v1 1 {}", "ab".repeat(32));
    let cases: [(String, usize, &str); 6] = [
        (format!("# keys\n\n{good}\nnonsense\n"), 4, "expected"),
        (
            format!("{good}\nknit-key-v2 2 {}\n", "cd".repeat(32)),
            2,
            "start with",
        ),
        (
            format!("{good}\nknit-key-v1 two {}\n", "cd".repeat(32)),
            2,
            "id",
        ),
        (
            format!("{good}\nknit-key-v1 2 {}\n", "cd".repeat(31)),
            2,
            "64 hex",
        ),
        (
            format!("{good}\nknit-key-v1 2 {}\n", "zz".repeat(32)),
            2,
            "64 hex",
        ),
        (format!("{good}\n{good}\n"), 2, "twice"),
    ];
    for (text, line, problem) in cases {
        write_private(&path, text.as_bytes());
        let err = KeyRing::load(&path).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(&err, KeyFileError::Malformed { line: l, .. } if *l == line),
            "{message}"
        );
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains(&format!("line {line}")), "{message}");
        assert!(message.contains(problem), "{message}");
        // The message never repeats the key material on the line.
        assert!(!message.contains(&"ab".repeat(8)), "{message}");
        assert!(!message.contains(&"cd".repeat(8)), "{message}");
        // A malformed file is not replaced with a new one.
        assert!(KeyRing::load_or_create(&path).is_err());
    }

    write_private(&path, b"# nothing here yet\n\n");
    let err = KeyRing::load(&path).unwrap_err();
    assert!(matches!(err, KeyFileError::Empty { .. }));
    assert!(err.to_string().contains(&path.display().to_string()));

    let mut not_text = format!("{good}\n").into_bytes();
    not_text.extend_from_slice(b"\xff\n");
    write_private(&path, &not_text);
    let err = KeyRing::load(&path).unwrap_err();
    assert!(
        matches!(err, KeyFileError::Malformed { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn a_missing_directory_is_an_error_only_for_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(&dir);
    let err = KeyRing::load(&path).unwrap_err();
    assert!(matches!(err, KeyFileError::Read { .. }));
    assert!(err.to_string().contains(&path.display().to_string()));
    assert!(KeyRing::rotate_file(&path).is_err());
    assert!(!path.exists(), "rotating must not create a key file");
}

#[test]
fn debug_shows_key_ids_and_never_key_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = key_file(&dir);
    KeyRing::load_or_create(&path).unwrap();
    let ring = KeyRing::rotate_file(&path).unwrap();
    let shown = format!("{ring:?}");
    assert_eq!(shown, "KeyRing { primary: 2, key_ids: [1, 2] }");
    let pretty = format!("{ring:#?}");
    let text = fs::read_to_string(&path).unwrap();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let hex = line.split(' ').nth(2).unwrap();
        assert!(!shown.contains(hex) && !pretty.contains(hex));
        assert!(!shown.contains(&hex[..8]) && !pretty.contains(&hex[..8]));
    }
}

fn write_private(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    }
}
