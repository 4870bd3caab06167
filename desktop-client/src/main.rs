//! `messenger-desktop`: the app students run on the lab PCs.

use std::process::ExitCode;

use messenger_desktop::i18n::{self, Language};

fn main() -> ExitCode {
    if !messenger_desktop::has_screen(|name: &str| std::env::var_os(name)) {
        // Before any settings are read: the system's language.
        i18n::set_language(Language::of_system());
        eprintln!("{}", messenger_desktop::tr!("no-screen"));
        return ExitCode::FAILURE;
    }
    match messenger_desktop::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("messenger-desktop: {error}");
            ExitCode::FAILURE
        }
    }
}
