//! The Profile tab: the user's name, e-mail and phone; their password (with
//! the current one and a strength hint); their avatar (a file dialog or a
//! file dropped on the window, a preview before it is saved, removal).
//! Every change goes to the server and comes back as the account, which
//! the dashboard keeps.

use std::path::PathBuf;

use iced::widget::{Column, button, column, container, image, row, scrollable, text, text_input};
use iced::{Center, Element, Fill, Task};
use messenger_shared::user::{Account, AvatarSize, ChangePassword, PasswordChanged, UpdateProfile};

use super::Context;
use crate::api::ApiError;
use crate::pictures::{self, PickError, Picked};
use crate::texts::error_text;
use crate::theme;
use crate::tr;
use crate::widget::avatar::picture_of;

pub const NAME_INPUT: &str = "profile-name";
pub const EMAIL_INPUT: &str = "profile-email";
pub const PHONE_INPUT: &str = "profile-phone";
pub const CURRENT_PASSWORD_INPUT: &str = "profile-current-password";
pub const NEW_PASSWORD_INPUT: &str = "profile-new-password";

/// Side of the avatar on the tab, in pixels.
const AVATAR_SIDE: f32 = 128.0;

pub struct Profile {
    display_name: String,
    email: String,
    phone: String,
    current: String,
    new: String,
    repeat: String,
    /// A picture chosen and shown, not yet saved.
    picked: Option<Picked>,
    busy: Option<Busy>,
    /// The answer to the last change, shown under its section.
    outcome: Option<(Section, Outcome)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Details,
    Password,
    Avatar,
}

/// What is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Busy {
    Saving(Section),
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(String),
    Failed(String),
}

/// How hard a new password is to guess, as the hint under it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    TooShort,
    Weak,
    Fair,
    Strong,
}

/// A hint, not the rule: the server has the last word (`weak_password`).
pub fn strength(password: &str, username: &str) -> Strength {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < 8 {
        return Strength::TooShort;
    }
    let lower = password.to_lowercase();
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    let run = chars.windows(2).all(|w| {
        let step = i64::from(u32::from(w[1])) - i64::from(u32::from(w[0]));
        step.abs() == 1
    });
    if lower == username.to_lowercase() || distinct.len() < 4 || run {
        return Strength::Weak;
    }
    let kinds = [
        chars.iter().any(|c| c.is_lowercase()),
        chars.iter().any(|c| c.is_uppercase()),
        chars.iter().any(|c| c.is_numeric()),
        chars.iter().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|kind| *kind)
    .count();
    if chars.len() >= 12 && kinds >= 2 || chars.len() >= 16 {
        Strength::Strong
    } else {
        Strength::Fair
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    NameChanged(String),
    EmailChanged(String),
    PhoneChanged(String),
    Save,
    Saved(Result<Account, ApiError>),
    CurrentChanged(String),
    NewChanged(String),
    RepeatChanged(String),
    ChangePassword,
    PasswordChanged(Result<PasswordChanged, ApiError>),
    ChooseAvatar,
    AvatarPicked(Result<Option<Picked>, PickError>),
    FileDropped(PathBuf),
    SaveAvatar,
    CancelAvatar,
    RemoveAvatar,
    AvatarSaved(Result<Account, ApiError>),
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::NameChanged(_)
            | Message::EmailChanged(_)
            | Message::PhoneChanged(_)
            | Message::Save
            | Message::CurrentChanged(_)
            | Message::NewChanged(_)
            | Message::RepeatChanged(_)
            | Message::ChangePassword
            | Message::ChooseAvatar
            | Message::FileDropped(_)
            | Message::SaveAvatar
            | Message::CancelAvatar
            | Message::RemoveAvatar => true,
            Message::Saved(_)
            | Message::PasswordChanged(_)
            | Message::AvatarPicked(_)
            | Message::AvatarSaved(_) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Event {
    /// The account as the server has it now.
    AccountChanged(Account),
    /// The session ended meanwhile (or another failure the dashboard
    /// handles).
    Failed(ApiError),
}

impl Profile {
    pub fn new(me: &Account) -> Profile {
        Profile {
            display_name: me.display_name.clone(),
            email: me.email.clone().unwrap_or_default(),
            phone: me.phone.clone().unwrap_or_default(),
            current: String::new(),
            new: String::new(),
            repeat: String::new(),
            picked: None,
            busy: None,
            outcome: None,
        }
    }

    /// The profile as it would be saved now.
    pub fn draft(&self) -> UpdateProfile {
        UpdateProfile {
            display_name: self.display_name.clone(),
            email: Some(self.email.trim().to_owned()),
            phone: Some(self.phone.trim().to_owned()),
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        let api = context.api.clone();
        match message {
            Message::NameChanged(value) => {
                self.display_name = value;
                self.edited(Section::Details);
            }
            Message::EmailChanged(value) => {
                self.email = value;
                self.edited(Section::Details);
            }
            Message::PhoneChanged(value) => {
                self.phone = value;
                self.edited(Section::Details);
            }
            Message::Save => {
                let profile = self.draft();
                self.busy = Some(Busy::Saving(Section::Details));
                return (
                    Task::perform(
                        async move { api.update_profile(profile).await },
                        Message::Saved,
                    ),
                    None,
                );
            }
            Message::Saved(answer) => {
                return self.answered(Section::Details, answer, tr!("profile-saved"));
            }
            Message::CurrentChanged(value) => {
                self.current = value;
                self.edited(Section::Password);
            }
            Message::NewChanged(value) => {
                self.new = value;
                self.edited(Section::Password);
            }
            Message::RepeatChanged(value) => {
                self.repeat = value;
                self.edited(Section::Password);
            }
            Message::ChangePassword => {
                if !self.password_ready(context.me) {
                    return (Task::none(), None);
                }
                let change = ChangePassword {
                    current: self.current.clone(),
                    new: self.new.clone(),
                };
                self.busy = Some(Busy::Saving(Section::Password));
                return (
                    Task::perform(
                        async move { api.change_password(change).await },
                        Message::PasswordChanged,
                    ),
                    None,
                );
            }
            Message::PasswordChanged(answer) => {
                self.busy = None;
                match answer {
                    Ok(changed) => {
                        self.current.clear();
                        self.new.clear();
                        self.repeat.clear();
                        let count = changed.sessions_ended;
                        self.outcome = Some((
                            Section::Password,
                            Outcome::Done(tr!("profile-password-changed", count = count)),
                        ));
                    }
                    Err(error) => return self.failed(Section::Password, error),
                }
            }
            Message::ChooseAvatar => {
                return (
                    Task::perform(
                        pictures::pick(tr!("profile-avatar-dialog"), tr!("attach-dialog-filter")),
                        Message::AvatarPicked,
                    ),
                    None,
                );
            }
            Message::AvatarPicked(Ok(Some(picked))) => {
                self.picked = Some(picked);
                self.outcome = None;
            }
            Message::AvatarPicked(Ok(None)) => {}
            Message::AvatarPicked(Err(error)) => {
                self.outcome = Some((Section::Avatar, Outcome::Failed(error.text())));
            }
            Message::FileDropped(path) => {
                return (
                    Task::perform(
                        async move { pictures::read_picked(&path).await.map(Some) },
                        Message::AvatarPicked,
                    ),
                    None,
                );
            }
            Message::SaveAvatar => {
                let Some(picked) = &self.picked else {
                    return (Task::none(), None);
                };
                let bytes = picked.bytes.clone();
                self.busy = Some(Busy::Saving(Section::Avatar));
                return (
                    Task::perform(
                        async move { api.set_avatar(bytes).await },
                        Message::AvatarSaved,
                    ),
                    None,
                );
            }
            Message::CancelAvatar => self.picked = None,
            Message::RemoveAvatar => {
                self.busy = Some(Busy::Saving(Section::Avatar));
                return (
                    Task::perform(
                        async move { api.remove_avatar().await },
                        Message::AvatarSaved,
                    ),
                    None,
                );
            }
            Message::AvatarSaved(answer) => {
                if answer.is_ok() {
                    self.picked = None;
                }
                return self.answered(Section::Avatar, answer, tr!("profile-avatar-saved"));
            }
        }
        (Task::none(), None)
    }

    fn answered(
        &mut self,
        section: Section,
        answer: Result<Account, ApiError>,
        done: String,
    ) -> (Task<Message>, Option<Event>) {
        self.busy = None;
        match answer {
            Ok(account) => {
                self.outcome = Some((section, Outcome::Done(done)));
                (Task::none(), Some(Event::AccountChanged(account)))
            }
            Err(error) => self.failed(section, error),
        }
    }

    /// The user changes what a section says: what was said of its last
    /// try (an error, "saved") no longer applies.
    fn edited(&mut self, section: Section) {
        if self.outcome.as_ref().is_some_and(|(s, _)| *s == section) {
            self.outcome = None;
        }
    }

    fn failed(&mut self, section: Section, error: ApiError) -> (Task<Message>, Option<Event>) {
        self.busy = None;
        if error.ends_session() {
            return (Task::none(), Some(Event::Failed(error)));
        }
        self.outcome = Some((section, Outcome::Failed(error_text(&error))));
        (Task::none(), None)
    }

    /// Both new passwords typed alike, the current one given.
    fn password_ready(&self, me: &Account) -> bool {
        !self.current.is_empty()
            && self.new == self.repeat
            && strength(&self.new, &me.username) > Strength::TooShort
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let page = Column::new()
            .push(text(tr!("profile-title")).size(22).font(theme::FONT_BOLD))
            .push(self.avatar_section(context))
            .push(self.details_section())
            .push(self.password_section(context.me))
            .spacing(24)
            .padding(24)
            .max_width(640);
        scrollable(container(page).width(Fill)).height(Fill).into()
    }

    fn outcome(&self, section: Section) -> Option<Element<'_, Message>> {
        match &self.outcome {
            Some((s, Outcome::Done(words))) if *s == section => {
                Some(text(words.clone()).color(theme::SUCCESS).into())
            }
            Some((s, Outcome::Failed(words))) if *s == section => {
                Some(text(words.clone()).color(theme::ERROR).into())
            }
            _ => None,
        }
    }

    fn saving(&self, section: Section) -> bool {
        self.busy == Some(Busy::Saving(section))
    }

    fn avatar_section<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let me = context.me;
        let shown: Element<'a, Message> = match &self.picked {
            Some(picked) => image(picked.preview.clone())
                .width(AVATAR_SIDE)
                .height(AVATAR_SIDE)
                .content_fit(iced::ContentFit::Cover)
                .border_radius(iced::border::radius(AVATAR_SIDE / 2.0))
                .into(),
            None => picture_of(
                me.id,
                &me.display_name,
                context.avatars.get(me.id, me.avatar, AvatarSize::Full),
                AVATAR_SIDE,
            ),
        };
        let saving = self.saving(Section::Avatar);
        let buttons = if self.picked.is_some() {
            row![
                button(text(tr!("profile-avatar-save")))
                    .style(button::primary)
                    .on_press_maybe((!saving).then_some(Message::SaveAvatar)),
                button(text(tr!("cancel")))
                    .style(button::secondary)
                    .on_press(Message::CancelAvatar),
            ]
        } else {
            let mut buttons = row![
                button(text(tr!("profile-avatar-choose")))
                    .style(button::secondary)
                    .on_press(Message::ChooseAvatar)
            ];
            if me.avatar.is_some() {
                buttons = buttons.push(
                    button(text(tr!("profile-avatar-remove")))
                        .style(button::danger)
                        .on_press_maybe((!saving).then_some(Message::RemoveAvatar)),
                );
            }
            buttons
        };
        let hint = if self.picked.is_some() {
            tr!("profile-avatar-preview")
        } else {
            tr!("profile-avatar-hint")
        };
        let mut side = column![
            text(me.display_name.clone())
                .size(18)
                .font(theme::FONT_BOLD),
            text(tr!("profile-username", username = me.username.clone())).color(theme::MUTED),
            buttons.spacing(10),
            text(hint).size(13).color(theme::MUTED),
        ]
        .spacing(10);
        if let Some(outcome) = self.outcome(Section::Avatar) {
            side = side.push(outcome);
        }
        row![shown, side].spacing(20).align_y(Center).into()
    }

    fn details_section(&self) -> Element<'_, Message> {
        let field =
            |label: String, id: &'static str, value: &str, on_input: fn(String) -> Message| {
                column![
                    text(label).size(13).color(theme::MUTED),
                    text_input("", value)
                        .id(id)
                        .on_input(on_input)
                        .on_submit(Message::Save)
                        .padding(8)
                        .style(theme::input),
                ]
                .spacing(4)
            };
        let mut body = column![
            field(
                tr!("profile-display-name"),
                NAME_INPUT,
                &self.display_name,
                Message::NameChanged
            ),
            field(
                tr!("profile-email"),
                EMAIL_INPUT,
                &self.email,
                Message::EmailChanged
            ),
            field(
                tr!("profile-phone"),
                PHONE_INPUT,
                &self.phone,
                Message::PhoneChanged
            ),
            button(text(tr!("profile-save")))
                .style(button::primary)
                .on_press_maybe((!self.saving(Section::Details)).then_some(Message::Save)),
        ]
        .spacing(10);
        if let Some(outcome) = self.outcome(Section::Details) {
            body = body.push(outcome);
        }
        section(tr!("profile-details"), body)
    }

    fn password_section(&self, me: &Account) -> Element<'_, Message> {
        let secret = |placeholder: String, value: &str, on_input: fn(String) -> Message| {
            text_input(&placeholder, value)
                .secure(true)
                .on_input(on_input)
                .on_submit(Message::ChangePassword)
                .padding(8)
                .style(theme::input)
        };
        let hint: Element<'_, Message> = if self.new.is_empty() {
            text(tr!("profile-password-rule"))
                .size(13)
                .color(theme::MUTED)
                .into()
        } else {
            let (words, colour) = match strength(&self.new, &me.username) {
                Strength::TooShort => (tr!("password-too-short"), theme::ERROR),
                Strength::Weak => (tr!("password-weak"), theme::ERROR),
                Strength::Fair => (tr!("password-fair"), theme::MUTED),
                Strength::Strong => (tr!("password-strong"), theme::SUCCESS),
            };
            text(words).size(13).color(colour).into()
        };
        let mismatch = !self.repeat.is_empty() && self.new != self.repeat;
        let mut body = column![
            secret(
                tr!("password-current"),
                &self.current,
                Message::CurrentChanged
            )
            .id(CURRENT_PASSWORD_INPUT),
            secret(tr!("password-new"), &self.new, Message::NewChanged).id(NEW_PASSWORD_INPUT),
            hint,
            secret(tr!("password-repeat"), &self.repeat, Message::RepeatChanged),
        ]
        .spacing(8);
        if mismatch {
            body = body.push(text(tr!("password-mismatch")).size(13).color(theme::ERROR));
        }
        body = body.push(
            button(text(tr!("password-change")))
                .style(button::primary)
                .on_press_maybe(
                    (self.password_ready(me) && !self.saving(Section::Password))
                        .then_some(Message::ChangePassword),
                ),
        );
        body = body.push(
            text(tr!("profile-password-note"))
                .size(13)
                .color(theme::MUTED),
        );
        if let Some(outcome) = self.outcome(Section::Password) {
            body = body.push(outcome);
        }
        section(tr!("profile-password"), body)
    }
}

fn section<'a>(title: String, body: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    column![text(title).size(16).font(theme::FONT_BOLD), body.into()]
        .spacing(10)
        .into()
}
