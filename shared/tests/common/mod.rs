//! What the wire tests share.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `value` serialises to exactly `fixture`, and `fixture` reads back as `value`.
pub fn assert_wire<T>(value: &T, fixture: Value)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(serde_json::to_value(value).expect("serialise"), fixture);
    let back: T = serde_json::from_value(fixture).expect("deserialise");
    assert_eq!(&back, value);
}
