//! The servers found on the school network, listed under the address
//! field: one click fills the address in.

use iced::widget::{button, column, row, space, text};
use iced::{Center, Element, Fill, Task};

use super::{Login, Message, Status};
use crate::config::{DEFAULT_SERVER_URL, normalize_server_url};
use crate::discovery::Found;
use crate::theme;
use crate::tr;

/// How long the screen says "looking…" before it says nothing was found.
pub(super) const SEARCH_PATIENCE: std::time::Duration = std::time::Duration::from_secs(6);

/// The most servers listed; a school has one or two.
const MOST_LISTED: usize = 5;

impl Login {
    /// Lists a server found, once per address, in name order. While the
    /// address is still the default (nobody typed one), the one server
    /// found takes its place; with a second, the user picks.
    pub(super) fn add_found(&mut self, found: Found) -> Task<Message> {
        if let Some(known) = self.found.iter_mut().find(|known| known.url == found.url) {
            *known = found;
        } else if self.found.len() < MOST_LISTED {
            self.found.push(found);
        } else {
            return Task::none();
        }
        self.found
            .sort_by(|a, b| (&a.name, &a.url).cmp(&(&b.name, &b.url)));
        let untouched = normalize_server_url(&self.server) == DEFAULT_SERVER_URL;
        match self.found.as_slice() {
            [only] if untouched && self.status != Status::Connecting => {
                self.server = only.url.clone();
                self.filled_in = true;
                self.registration = None;
                self.ask_server()
            }
            _ => {
                self.filled_in = false;
                Task::none()
            }
        }
    }

    /// The servers found, under the address field: one click fills it in.
    pub(super) fn found_view(&self) -> Element<'_, Message> {
        if self.found.is_empty() {
            let hint = if self.searching {
                tr!("discovery-searching")
            } else {
                tr!("discovery-none")
            };
            return text(hint).size(13).color(theme::MUTED).into();
        }
        let typed = normalize_server_url(&self.server);
        let busy = self.status == Status::Connecting;
        let heading = if self.filled_in {
            tr!("discovery-filled-in")
        } else {
            tr!("discovery-found")
        };
        let mut list = column![text(heading).size(13).color(theme::MUTED)].spacing(2);
        for found in &self.found {
            let chosen = found.url == typed;
            let address = found.url.trim_start_matches("http://");
            let mut name = text(found.name.clone()).size(14);
            if chosen {
                name = name.font(theme::FONT_BOLD).color(theme::ACCENT);
            }
            let line = row![
                name,
                space::horizontal(),
                text(address.to_owned()).size(13).color(theme::MUTED),
                text(tr!("discovery-version", version = found.version.clone()))
                    .size(12)
                    .color(theme::MUTED),
            ]
            .spacing(10)
            .align_y(Center);
            list = list.push(
                button(line)
                    .width(Fill)
                    .padding([4, 6])
                    .style(theme::flat)
                    .on_press_maybe((!busy).then(|| Message::ServerPicked(found.url.clone()))),
            );
        }
        list.into()
    }
}
