//! The Fluent files: both languages have the same keys, every key the
//! code asks for exists, every protocol error code has a text, and every
//! text formats cleanly.

use std::collections::BTreeSet;
use std::path::Path;

use fluent_bundle::{FluentArgs, FluentResource};
use messenger_desktop::i18n::{self, ENGLISH_FTL, Language, RUSSIAN_FTL};
use messenger_desktop::texts::code_key;
use messenger_shared::error::ErrorCode;

/// The message keys of a Fluent file (the lines `key = …`).
fn keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim().to_owned()))
        .collect()
}

/// The variables a message uses (`{ $count }`), from its source text.
fn variables(source: &str, key: &str) -> BTreeSet<String> {
    let mut lines = source
        .lines()
        .skip_while(|line| !line.starts_with(&format!("{key} =")));
    let mut text = lines.next().unwrap_or_default().to_owned();
    for line in lines.take_while(|line| line.starts_with(' ') || line.starts_with('}')) {
        text.push_str(line);
    }
    text.split('$')
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        })
        .collect()
}

#[test]
fn both_files_parse_without_errors() {
    for (name, source) in [("ru.ftl", RUSSIAN_FTL), ("en.ftl", ENGLISH_FTL)] {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("{name} has syntax errors: {errors:?}");
        }
    }
}

#[test]
fn every_key_exists_in_both_languages() {
    let russian = keys(RUSSIAN_FTL);
    let english = keys(ENGLISH_FTL);
    let only_russian: Vec<_> = russian.difference(&english).collect();
    let only_english: Vec<_> = english.difference(&russian).collect();
    assert!(only_russian.is_empty(), "only in ru.ftl: {only_russian:?}");
    assert!(only_english.is_empty(), "only in en.ftl: {only_english:?}");
    assert!(
        russian.len() > 100,
        "the key reader found too few: {}",
        russian.len()
    );
}

/// Every `tr!("key"…)` in the app's source, both crates.
fn keys_used_in_code() -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("src"), root.join("data").join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("source dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("source");
                let mut pieces = source.split("tr!(");
                let mut before = pieces.next().unwrap_or_default();
                for call in pieces {
                    // `include_str!(` is not `tr!(`.
                    let follows_a_word = before
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    before = call;
                    if follows_a_word {
                        continue;
                    }
                    let call = call.trim_start();
                    if let Some(rest) = call.strip_prefix('"') {
                        let key: String = rest.chars().take_while(|c| *c != '"').collect();
                        used.insert(key);
                    }
                }
            }
        }
    }
    used
}

#[test]
fn every_key_the_code_uses_exists_in_both_languages() {
    let used = keys_used_in_code();
    assert!(
        used.len() > 100,
        "the source scan found too few: {}",
        used.len()
    );
    for language in Language::ALL {
        let missing: Vec<_> = used
            .iter()
            .filter(|key| !i18n::has(language, key))
            .collect();
        assert!(missing.is_empty(), "{language}: missing {missing:?}");
    }
}

#[test]
fn every_error_code_has_a_text_in_both_languages() {
    let codes = ErrorCode::ALL.into_iter().chain([ErrorCode::Unknown]);
    for code in codes {
        for language in Language::ALL {
            assert!(
                i18n::has(language, &code_key(code)),
                "{language} has no text for {}",
                code.as_str()
            );
        }
    }
    for key in ["error-too_many_attempts-wait", "error-rate_limited-wait"] {
        for language in Language::ALL {
            assert!(i18n::has(language, key), "{language} lacks {key}");
        }
    }
}

#[test]
fn every_text_formats_cleanly_with_its_arguments() {
    for (language, source) in [
        (Language::Russian, RUSSIAN_FTL),
        (Language::English, ENGLISH_FTL),
    ] {
        for key in keys(source) {
            let mut args = FluentArgs::new();
            for variable in variables(source, &key) {
                match variable.as_str() {
                    "count" | "attempt" | "id" | "day" | "year" => args.set(variable, 3),
                    _ => args.set(variable, "x"),
                }
            }
            let (text, errors) =
                i18n::format_checked(language, &key, Some(&args)).expect("key has a value");
            assert_eq!(errors, 0, "{language} {key}: {text}");
            assert!(!text.trim().is_empty(), "{language} {key} is empty");
        }
    }
}

#[test]
fn russian_texts_use_the_handbook_typography() {
    // «ёлочки», not "straight quotes", in what a Russian user reads.
    for line in RUSSIAN_FTL.lines().filter(|l| !l.starts_with('#')) {
        if let Some((_, value)) = line.split_once(" = ") {
            assert!(!value.contains('"'), "straight quotes in: {line}");
        }
    }
}

#[test]
fn every_audit_action_detail_and_permission_has_a_text_in_both_languages() {
    use messenger_desktop::tab::admin::{action_key, detail_key, permission_key};
    use messenger_shared::admin::AuditAction;
    use messenger_shared::permission::Permission;

    let mut keys: Vec<String> = AuditAction::ALL
        .into_iter()
        .chain([AuditAction::Unknown])
        .map(action_key)
        .collect();
    keys.extend(
        Permission::ALL
            .into_iter()
            .map(|p| permission_key(p.code())),
    );
    // Every particular the server writes into the audit log.
    keys.extend(
        [
            "reason",
            "from",
            "to",
            "role",
            "name",
            "description",
            "permission",
            "permissions",
            "code",
            "user",
            "with",
            "q",
            "from_time",
            "to_time",
            "title",
            "audience",
            "recipients",
            "display_name",
            "email",
            "phone",
            "has_image",
            "before",
            "after",
            "format",
            "message",
            "recipient",
        ]
        .map(detail_key),
    );
    for language in Language::ALL {
        let missing: Vec<&String> = keys.iter().filter(|k| !i18n::has(language, k)).collect();
        assert!(missing.is_empty(), "{language}: missing {missing:?}");
    }
}
