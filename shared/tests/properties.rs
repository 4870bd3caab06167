//! Property tests of the frame decoder the server runs on every WebSocket
//! text frame (`serde_json` into [`ClientFrame`]): whatever arrives, it
//! answers a frame or an error and never panics, and every frame a client
//! can send reads back as itself.

use messenger_shared::chat::{ImageUpload, SendMessage};
use messenger_shared::frame::ClientFrame;
use messenger_shared::ids::{EventId, GroupId, MessageId, UserId};
use messenger_shared::presence::ClientStatus;
use proptest::prelude::*;

fn frame() -> impl Strategy<Value = ClientFrame> {
    let id = any::<i64>();
    prop_oneof![
        (
            id,
            ".{0,80}",
            ".{0,200}",
            proptest::option::of("[A-Za-z0-9+/=]{0,64}")
        )
            .prop_map(|(to, client_id, text, image)| ClientFrame::Send {
                to: Some(UserId(to)),
                group: None,
                message: SendMessage {
                    client_id,
                    text,
                    image: image.map(|data| ImageUpload { data }),
                    file_id: None,
                    reply_to: None,
                    forward_of: None,
                },
            }),
        (id, id).prop_map(|(peer, up_to)| ClientFrame::Read {
            peer: Some(UserId(peer)),
            group: None,
            up_to: MessageId(up_to),
        }),
        (id, id).prop_map(|(group, up_to)| ClientFrame::Read {
            peer: None,
            group: Some(GroupId(group)),
            up_to: MessageId(up_to),
        }),
        id.prop_map(|to| ClientFrame::Typing {
            to: Some(UserId(to)),
            group: None,
        }),
        prop_oneof![Just(ClientStatus::Online), Just(ClientStatus::Away)]
            .prop_map(|status| ClientFrame::Status { status }),
        id.prop_map(|after| ClientFrame::Sync {
            after: EventId(after)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_a_frame_or_an_error_never_a_panic(text in ".{0,400}") {
        let _ = serde_json::from_str::<ClientFrame>(&text);
    }

    #[test]
    fn any_json_object_is_a_frame_or_an_error(
        kind in "(send|read|typing|status|sync|[a-z_]{0,12})",
        fields in proptest::collection::btree_map("[a-z_]{1,10}", any::<i64>(), 0..6),
    ) {
        let mut object = serde_json::Map::new();
        object.insert("type".into(), kind.into());
        for (name, value) in fields {
            object.insert(name, value.into());
        }
        let _ = serde_json::from_value::<ClientFrame>(serde_json::Value::Object(object));
    }

    #[test]
    fn every_frame_reads_back_as_itself(frame in frame()) {
        let text = serde_json::to_string(&frame).expect("serialise");
        let read: ClientFrame = serde_json::from_str(&text).expect("reads back");
        prop_assert_eq!(read, frame);
    }
}
