//! Shown at start when the settings file cannot be used: what is wrong
//! and where, with "Reset settings" (rewrite the file with the defaults)
//! or "Continue" (run on the defaults and leave the file alone).

use std::path::PathBuf;

use iced::widget::{button, column, container, row, space, text};
use iced::{Element, Fill, Task};

use crate::config::Problem;
use crate::theme;
use crate::tr;

pub struct BrokenConfig {
    problem: Problem,
}

#[derive(Debug, Clone)]
pub enum Message {
    Reset,
    Continue,
}

pub enum Event {
    /// Write the defaults over the file, then go on.
    Reset(PathBuf),
    /// Go on with the defaults; the file stays as it is.
    Continue,
}

impl BrokenConfig {
    pub fn new(problem: Problem) -> BrokenConfig {
        match &problem {
            Problem::Damaged { path, reason } | Problem::Unusable { path, reason } => {
                eprintln!("settings file {}: {reason}", path.display());
            }
            Problem::NoConfigDirectory => {}
        }
        BrokenConfig { problem }
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        let event = match (message, &self.problem) {
            (Message::Reset, Problem::Damaged { path, .. } | Problem::Unusable { path, .. }) => {
                Event::Reset(path.clone())
            }
            _ => Event::Continue,
        };
        (Task::none(), Some(event))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let (detail, path) = match &self.problem {
            Problem::NoConfigDirectory => (tr!("config-no-directory"), None),
            // The parser's own words are for the log, not for the user.
            Problem::Damaged { path, .. } => (tr!("config-damaged"), Some(path)),
            Problem::Unusable { path, .. } => (tr!("config-unusable"), Some(path)),
        };
        let mut body = column![
            text(tr!("config-problem-title"))
                .size(20)
                .font(theme::FONT_BOLD),
            text(detail),
        ]
        .spacing(12);
        if let Some(path) = path {
            body = body.push(
                text(path.display().to_string())
                    .size(13)
                    .color(theme::MUTED),
            );
        }
        let mut answers = row![space::horizontal()].spacing(10);
        if path.is_some() {
            answers = answers.push(
                button(text(tr!("config-reset")))
                    .style(button::danger)
                    .on_press(Message::Reset),
            );
        }
        answers = answers.push(button(text(tr!("config-continue"))).on_press(Message::Continue));
        body = body.push(answers);
        container(container(body.width(520)).padding(28).style(theme::popup))
            .center(Fill)
            .style(theme::chat_area)
            .into()
    }
}
