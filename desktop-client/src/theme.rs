//! The look: every colour and widget style the screens use, by name.
//! Screens say `theme::bubble(Side::Outgoing)`, never a colour.

use iced::widget::{button, container, text_editor, text_input};
use iced::{Background, Border, Color, Shadow, Theme, Vector, color};
use messenger_shared::presence::Presence;

pub const ACCENT: Color = color!(0x2f6fdf);
pub const MUTED: Color = color!(0x6b7280);
pub const ERROR: Color = color!(0xc62828);
pub const SUCCESS: Color = color!(0x1b7f3b);
pub const ON_ACCENT: Color = Color::WHITE;
pub const TEXT: Color = color!(0x1f2328);
const SIDEBAR: Color = color!(0xf3f4f6);
const SELECTED: Color = color!(0xdde7fb);
const HOVERED: Color = color!(0xe8ebf0);
const INCOMING: Color = color!(0xeceff3);
const LINE: Color = color!(0xd5d9e0);
const BADGE: Color = color!(0xd93f3f);
const ONLINE: Color = color!(0x22a559);
const AWAY: Color = color!(0xe5a00d);
const OFFLINE: Color = color!(0xa3a9b3);
const AVATAR: Color = color!(0x8b9bb4);

pub fn app_theme() -> Theme {
    Theme::Light
}

/// The font everything is drawn in: Noto Sans, embedded (SIL Open Font
/// License, `desktop-client/fonts/OFL.txt`), so Cyrillic renders on a lab
/// PC with no fonts installed.
pub const FONT: iced::Font = iced::Font::with_name("Noto Sans");
pub const FONT_BOLD: iced::Font = iced::Font {
    weight: iced::font::Weight::Bold,
    ..FONT
};
pub const FONT_FILES: [&[u8]; 2] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
];

/// Which side of the chat a bubble is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Incoming,
    Outgoing,
}

pub fn bubble(side: Side) -> impl Fn(&Theme) -> container::Style {
    move |_| {
        let (background, text) = match side {
            Side::Outgoing => (ACCENT, ON_ACCENT),
            Side::Incoming => (INCOMING, TEXT),
        };
        container::Style {
            background: Some(background.into()),
            text_color: Some(text),
            border: Border::default().rounded(12),
            ..container::Style::default()
        }
    }
}

/// The bubble of the message a chat was opened at, lit up for a moment.
pub fn bubble_lit(side: Side) -> impl Fn(&Theme) -> container::Style {
    move |theme| container::Style {
        border: Border {
            color: MATCH_BORDER,
            width: 3.0,
            radius: 12.0.into(),
        },
        ..bubble(side)(theme)
    }
}

/// The border of a lit-up bubble.
const MATCH_BORDER: Color = color!(0xf2b600);

/// The quote of the message a reply answers: a bar on its left, a paler
/// ground; a click opens the original.
pub fn quote(side: Side) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        let hovered = matches!(status, button::Status::Hovered | button::Status::Pressed);
        let (ground, text) = match side {
            Side::Outgoing => (
                Color {
                    a: if hovered { 0.28 } else { 0.18 },
                    ..Color::WHITE
                },
                ON_ACCENT,
            ),
            Side::Incoming => (
                Color {
                    a: if hovered { 0.16 } else { 0.08 },
                    ..ACCENT
                },
                TEXT,
            ),
        };
        button::Style {
            background: Some(Background::Color(ground)),
            text_color: text,
            border: Border::default().rounded(6),
            ..button::Style::default()
        }
    }
}

/// The reply or edit bar above the composer.
pub fn compose_bar(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color { a: 0.08, ..ACCENT })),
        border: Border::default().rounded(6),
        ..container::Style::default()
    }
}

/// Time, sending and read marks under a bubble's text.
pub fn bubble_meta(side: Side) -> Color {
    match side {
        Side::Outgoing => Color {
            a: 0.8,
            ..ON_ACCENT
        },
        Side::Incoming => MUTED,
    }
}

/// The presence dot: a filled circle, drawn, not a glyph; hollow grey
/// while presence is unknown.
pub fn presence_dot(presence: Option<Presence>) -> impl Fn(&Theme) -> container::Style {
    move |_| match presence {
        Some(presence) => container::Style {
            background: Some(presence_color(presence).into()),
            border: Border {
                color: Color::WHITE,
                width: 2.0,
                radius: 7.0.into(),
            },
            ..container::Style::default()
        },
        None => container::Style {
            background: Some(Color::WHITE.into()),
            border: Border {
                color: OFFLINE,
                width: 2.0,
                radius: 7.0.into(),
            },
            ..container::Style::default()
        },
    }
}

pub fn presence_color(presence: Presence) -> Color {
    match presence {
        Presence::Online => ONLINE,
        Presence::Away => AWAY,
        Presence::Offline => OFFLINE,
    }
}

/// The round initials avatar.
/// Colours of initials circles: each person keeps one (by their id), so
/// two Annas in a list are told apart at a glance. All dark enough for
/// white letters.
const AVATAR_COLOURS: [Color; 8] = [
    AVATAR,
    Color::from_rgb(0.75, 0.36, 0.22),
    Color::from_rgb(0.20, 0.55, 0.38),
    Color::from_rgb(0.55, 0.33, 0.68),
    Color::from_rgb(0.78, 0.45, 0.10),
    Color::from_rgb(0.16, 0.50, 0.62),
    Color::from_rgb(0.70, 0.26, 0.42),
    Color::from_rgb(0.40, 0.45, 0.52),
];

/// A circle of `size` pixels in the colour of person `seed`.
pub fn avatar(_: &Theme, seed: i64, size: f32) -> container::Style {
    container::Style {
        background: Some(author_color(seed).into()),
        text_color: Some(Color::WHITE),
        border: Border::default().rounded(size / 2.0),
        ..container::Style::default()
    }
}

/// An author's name over their message in a group: the colour of their
/// initials circle, so a glance tells who wrote.
pub fn author_color(seed: i64) -> Color {
    AVATAR_COLOURS[seed.unsigned_abs() as usize % AVATAR_COLOURS.len()]
}

/// The unread count badge.
pub fn badge(_: &Theme) -> container::Style {
    container::Style {
        background: Some(BADGE.into()),
        text_color: Some(Color::WHITE),
        border: Border::default().rounded(9),
        ..container::Style::default()
    }
}

pub fn sidebar(_: &Theme) -> container::Style {
    container::Style {
        background: Some(SIDEBAR.into()),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// A row of the contact list; the open chat's row is highlighted.
pub fn contact(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        let background = match (selected, status) {
            (true, _) => Some(SELECTED),
            (false, button::Status::Hovered | button::Status::Pressed) => Some(HOVERED),
            (false, _) => None,
        };
        button::Style {
            background: background.map(Background::Color),
            text_color: TEXT,
            border: Border::default().rounded(6),
            ..button::Style::default()
        }
    }
}

/// A chat tab; the one in front looks like part of the chat below it.
pub fn tab(active: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        let background = match (active, status) {
            (true, _) => Color::WHITE,
            (false, button::Status::Hovered) => HOVERED,
            (false, _) => SIDEBAR,
        };
        button::Style {
            background: Some(background.into()),
            text_color: if active { TEXT } else { MUTED },
            border: Border {
                color: if active { ACCENT } else { LINE },
                width: 1.0,
                radius: 6.0.into(),
            },
            ..button::Style::default()
        }
    }
}

/// A small borderless button: the × on a tab, links in the status line.
pub fn flat(_: &Theme, status: button::Status) -> button::Style {
    button::Style {
        background: matches!(status, button::Status::Hovered | button::Status::Pressed)
            .then_some(Background::Color(HOVERED)),
        text_color: MUTED,
        border: Border::default().rounded(4),
        ..button::Style::default()
    }
}

/// An entry in a context menu.
pub fn menu_item(_: &Theme, status: button::Status) -> button::Style {
    button::Style {
        background: matches!(status, button::Status::Hovered | button::Status::Pressed)
            .then_some(Background::Color(SELECTED)),
        text_color: TEXT,
        border: Border::default().rounded(4),
        ..button::Style::default()
    }
}

/// The box around a context menu or a dialog.
pub fn popup(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Color::WHITE.into()),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 8.0.into(),
        },
        shadow: Shadow {
            color: Color::from_rgba(0.0, 0.0, 0.0, 0.25),
            offset: Vector::new(0.0, 3.0),
            blur_radius: 10.0,
        },
        ..container::Style::default()
    }
}

/// The dimmed backdrop behind the image viewer and dialogs.
pub fn backdrop(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Color::from_rgba(0.0, 0.0, 0.0, 0.8).into()),
        ..container::Style::default()
    }
}

/// The strip at the bottom that says whether the live link is up.
pub fn status_line(connected: bool) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(if connected { SIDEBAR } else { color!(0xfff4d6) }.into()),
        text_color: Some(if connected { MUTED } else { color!(0x8a5a00) }),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// The pill that separates days in a chat.
pub fn day_separator(_: &Theme) -> container::Style {
    container::Style {
        background: Some(SIDEBAR.into()),
        text_color: Some(MUTED),
        border: Border::default().rounded(10),
        ..container::Style::default()
    }
}

pub fn chat_area(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Color::WHITE.into()),
        ..container::Style::default()
    }
}

pub fn input(theme: &Theme, status: text_input::Status) -> text_input::Style {
    text_input::Style {
        border: Border {
            color: match status {
                text_input::Status::Focused { .. } => ACCENT,
                _ => LINE,
            },
            width: 1.0,
            radius: 6.0.into(),
        },
        ..text_input::default(theme, status)
    }
}

/// The message box: like `input`, for the multi-line editor.
pub fn editor(theme: &Theme, status: text_editor::Status) -> text_editor::Style {
    text_editor::Style {
        border: Border {
            color: match status {
                text_editor::Status::Focused { .. } => ACCENT,
                _ => LINE,
            },
            width: 1.0,
            radius: 6.0.into(),
        },
        ..text_editor::default(theme, status)
    }
}

/// The highlight behind text a search matched.
pub const MATCH: Color = color!(0xffe58a);

/// A card: a framed block of the admin panel (a figure, a user's page).
pub fn card(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Color::WHITE.into()),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 8.0.into(),
        },
        ..container::Style::default()
    }
}

/// The header row of a table.
pub fn table_header(_: &Theme) -> container::Style {
    container::Style {
        background: Some(SIDEBAR.into()),
        text_color: Some(MUTED),
        border: Border::default().rounded(4),
        ..container::Style::default()
    }
}

/// A row of a table, clickable; `alert` marks a failed login.
pub fn table_row(alert: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        let background = match (alert, status) {
            (_, button::Status::Hovered | button::Status::Pressed) => Some(HOVERED),
            (true, _) => Some(color!(0xfdecec)),
            (false, _) => None,
        };
        button::Style {
            background: background.map(Background::Color),
            text_color: TEXT,
            border: Border::default().rounded(4),
            ..button::Style::default()
        }
    }
}

/// A plain (not clickable) row of a table; `alert` marks a failure.
pub fn table_line(alert: bool) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: alert.then_some(Background::Color(color!(0xfdecec))),
        text_color: Some(TEXT),
        border: Border {
            color: LINE,
            width: 0.0,
            radius: 4.0.into(),
        },
        ..container::Style::default()
    }
}

/// The bars of the admin overview's charts.
pub const CHART_BAR: Color = ACCENT;
/// The chart's axis and labels.
pub const CHART_LINE: Color = LINE;

/// Amber of important announcements: the card's edge and the banner.
pub const IMPORTANT: Color = color!(0xb45309);

/// A notification in the list: important ones edged in amber, new ones
/// (unread when the tab opened) tinted.
pub fn notification_card(important: bool, new: bool) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(if new { color!(0xf2f6fe) } else { Color::WHITE }.into()),
        border: Border {
            color: if important { IMPORTANT } else { LINE },
            width: if important { 2.0 } else { 1.0 },
            radius: 8.0.into(),
        },
        ..container::Style::default()
    }
}

/// The banner of an important announcement, over the tabs.
pub fn banner(_: &Theme) -> container::Style {
    container::Style {
        background: Some(color!(0xfff4e0).into()),
        text_color: Some(TEXT),
        border: Border {
            color: IMPORTANT,
            width: 1.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// The coloured square that says what kind of file a bubble holds.
pub fn file_badge(kind: crate::files::Kind) -> container::Style {
    use crate::files::Kind;
    let color = match kind {
        Kind::Pdf => color!(0xc62828),
        Kind::Document => color!(0x2b579a),
        Kind::Spreadsheet => color!(0x217346),
        Kind::Presentation => color!(0xc43e1c),
        Kind::Picture => color!(0x8e24aa),
        Kind::Archive => color!(0x795548),
        Kind::Audio | Kind::Video => color!(0x00838f),
        Kind::Text | Kind::Other => color!(0x607d8b),
    };
    container::Style {
        background: Some(color.into()),
        text_color: Some(Color::WHITE),
        border: Border::default().rounded(8),
        ..container::Style::default()
    }
}

/// A file's progress bar in a bubble: white on our own (blue) bubbles.
pub fn transfer_bar(side: Side) -> impl Fn(&Theme) -> iced::widget::progress_bar::Style {
    move |_| {
        let (background, bar) = match side {
            Side::Outgoing => (
                Color {
                    a: 0.35,
                    ..ON_ACCENT
                },
                ON_ACCENT,
            ),
            Side::Incoming => (LINE, ACCENT),
        };
        iced::widget::progress_bar::Style {
            background: background.into(),
            bar: bar.into(),
            border: Border::default().rounded(3),
        }
    }
}

/// Open, Save as…, Cancel under a file in a bubble.
pub fn file_action(side: Side) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        let hovered = matches!(status, button::Status::Hovered | button::Status::Pressed);
        let (text_color, hover) = match side {
            Side::Outgoing => (
                ON_ACCENT,
                Color {
                    a: 0.2,
                    ..ON_ACCENT
                },
            ),
            Side::Incoming => (ACCENT, HOVERED),
        };
        button::Style {
            background: hovered.then_some(Background::Color(hover)),
            text_color,
            border: Border {
                color: Color {
                    a: 0.5,
                    ..text_color
                },
                width: 1.0,
                radius: 4.0.into(),
            },
            ..button::Style::default()
        }
    }
}
