//! Reusable pieces of the window, one file each. They know nothing of
//! chats or tabs: they take what to show and the message to send.

pub mod avatar;
pub mod badge;
pub mod bubble;
pub mod context_menu;
pub mod dialog;
pub mod file_card;
pub mod fitted;
pub mod one_line;
pub mod status_dot;

pub use avatar::avatar;
pub use badge::badge;
pub use bubble::bubble;
pub use context_menu::{menu_box, menu_item};
pub use dialog::dialog;
pub use fitted::fitted;
pub use one_line::one_line;
pub use status_dot::status_dot;
