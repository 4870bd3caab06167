//! `messenger-desktop`: the app students run on the lab PCs.

fn main() -> iced::Result {
    messenger_desktop::run()
}
