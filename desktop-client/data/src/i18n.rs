//! The interface language: every word the user reads comes from the Fluent
//! files in `desktop-client/i18n/` (`ru.ftl`, `en.ftl`), through [`tr!`].
//!
//! The language in use belongs to the thread that draws: iced runs
//! `update`, `view` and `title` on one thread, so switching applies to the
//! very next frame, and tests (each on its own thread) cannot disturb one
//! another. Texts are made when drawn, never stored, so a switch changes
//! every visible word at once, errors included.

use std::cell::Cell;
use std::sync::LazyLock;

pub use fluent_bundle::FluentArgs;
use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use unic_langid::LanguageIdentifier;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    Russian,
    /// Also what any language other than Russian gets.
    #[default]
    English,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Russian, Language::English];

    /// The code kept in the config file.
    pub fn code(self) -> &'static str {
        match self {
            Language::Russian => "ru",
            Language::English => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language for an OS locale such as `ru_RU.UTF-8` or `ru-RU`:
    /// Russian for Russian, English for anything else.
    pub fn from_locale(locale: &str) -> Language {
        let primary = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default();
        if primary.eq_ignore_ascii_case("ru") {
            Language::Russian
        } else {
            Language::English
        }
    }

    /// The OS's language, for the first start.
    pub fn of_system() -> Language {
        sys_locale::get_locale().map_or(Language::English, |l| Language::from_locale(&l))
    }

    /// The language's own name, as a language menu lists it.
    pub fn name(self) -> &'static str {
        match self {
            Language::Russian => "Русский",
            Language::English => "English",
        }
    }

    fn bundle(self) -> &'static Bundle {
        match self {
            Language::Russian => &RUSSIAN,
            Language::English => &ENGLISH,
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

type Bundle = FluentBundle<FluentResource>;

pub const RUSSIAN_FTL: &str = include_str!("../../i18n/ru.ftl");
pub const ENGLISH_FTL: &str = include_str!("../../i18n/en.ftl");

static RUSSIAN: LazyLock<Bundle> = LazyLock::new(|| bundle("ru", RUSSIAN_FTL));
static ENGLISH: LazyLock<Bundle> = LazyLock::new(|| bundle("en", ENGLISH_FTL));

thread_local! {
    static CURRENT: Cell<Language> = const { Cell::new(Language::English) };
}

fn bundle(code: &str, source: &str) -> Bundle {
    let language: LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // No Unicode isolation marks around arguments: the lab PCs' fonts
    // would draw them as boxes, and names are never right-to-left here.
    bundle.set_use_isolating(false);
    // A syntax error is caught by the tests; what did parse is still used.
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let _ = bundle.add_resource(resource);
    bundle
}

/// Switches the interface language of this (the drawing) thread.
pub fn set_language(language: Language) {
    CURRENT.with(|current| current.set(language));
}

pub fn language() -> Language {
    CURRENT.with(Cell::get)
}

/// The text for `key` in the current language, English where the current
/// language lacks it (a test keeps that from happening), the key itself
/// where both do.
pub fn text(key: &str, args: Option<&FluentArgs<'_>>) -> String {
    format_in(language(), key, args)
        .or_else(|| format_in(Language::English, key, args))
        .unwrap_or_else(|| key.to_owned())
}

/// Whether `key` exists in `language` (for the tests of the files).
pub fn has(language: Language, key: &str) -> bool {
    language.bundle().has_message(key)
}

/// `key` formatted in `language`, with any formatting problems.
pub fn format_checked(
    language: Language,
    key: &str,
    args: Option<&FluentArgs<'_>>,
) -> Option<(String, usize)> {
    let bundle = language.bundle();
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    Some((text.into_owned(), errors.len()))
}

fn format_in(language: Language, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    format_checked(language, key, args).map(|(text, _)| text)
}

/// A number as people write it: `12 345` in Russian (with a no-break
/// space), `12,345` in English.
pub fn number(value: u64) -> String {
    let separator = match language() {
        Language::Russian => '\u{a0}',
        Language::English => ',',
    };
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// The text for a key of the Fluent files, in the current language:
/// `tr!("send")`, `tr!("unread-messages", count = 3)`.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::text($key, None)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $(args.set(stringify!($name), $value);)+
        $crate::i18n::text($key, Some(&args))
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_the_right_plural_form() {
        set_language(Language::Russian);
        let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 25, 111]
            .into_iter()
            .map(|count| tr!("unread-messages", count = count))
            .collect();
        set_language(Language::English);
        assert_eq!(
            forms,
            [
                "1 непрочитанное сообщение",
                "2 непрочитанных сообщения",
                "5 непрочитанных сообщений",
                "11 непрочитанных сообщений",
                "21 непрочитанное сообщение",
                "22 непрочитанных сообщения",
                "25 непрочитанных сообщений",
                "111 непрочитанных сообщений",
            ]
        );
        assert_eq!(tr!("unread-messages", count = 1), "1 unread message");
        assert_eq!(tr!("unread-messages", count = 4), "4 unread messages");
    }

    #[test]
    fn the_os_locale_picks_russian_only_for_russian() {
        assert_eq!(Language::from_locale("ru_RU.UTF-8"), Language::Russian);
        assert_eq!(Language::from_locale("ru-RU"), Language::Russian);
        assert_eq!(Language::from_locale("RU"), Language::Russian);
        assert_eq!(Language::from_locale("en_US.UTF-8"), Language::English);
        assert_eq!(Language::from_locale("uk_UA"), Language::English);
        assert_eq!(Language::from_locale("C"), Language::English);
        assert_eq!(Language::from_locale(""), Language::English);
    }

    #[test]
    fn numbers_are_grouped_the_local_way() {
        set_language(Language::Russian);
        assert_eq!(number(12_345), "12\u{a0}345");
        assert_eq!(number(999), "999");
        set_language(Language::English);
        assert_eq!(number(4_000), "4,000");
        assert_eq!(number(1_234_567), "1,234,567");
    }

    #[test]
    fn a_switch_applies_to_the_next_text() {
        set_language(Language::Russian);
        let russian = tr!("send");
        set_language(Language::English);
        assert_eq!(
            (russian.as_str(), tr!("send").as_str()),
            ("Отправить", "Send")
        );
    }
}
