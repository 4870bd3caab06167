//! Who a live frame is for. The writer names it with each frame it stores,
//! the cluster bus carries it between processes, and the hub turns it into
//! the sessions to send to; it lives apart from all three so that none of
//! them reaches into another for it.

use messenger_shared::ids::{GroupId, UserId};
use serde::{Deserialize, Serialize};

/// Who a frame is for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Target {
    User(UserId),
    Users(Vec<UserId>),
    /// Everyone connected, but the one named (an announcement's sender).
    Everyone {
        except: Option<UserId>,
    },
    /// Every member of a group, as the hub knows them, but the one named
    /// (a message's sender, who has the acknowledgement).
    Group {
        group: GroupId,
        except: Option<UserId>,
    },
    /// A group's members are now `members` (none: the group is gone): the
    /// hub keeps the list for [`Target::Group`], then delivers the frame
    /// to them. Sent in commit order like every frame, so each process's
    /// list changes where the group's events say it did.
    GroupMembers {
        group: GroupId,
        members: Vec<UserId>,
    },
}
