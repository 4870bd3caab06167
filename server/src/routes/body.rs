//! Raw request bodies (an avatar, a class list) read with a limit of
//! their own, larger than the JSON one.

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;
use messenger_shared::error::ErrorCode;

use crate::connections;
use crate::error::ApiError;

/// Reads a raw body of at most `limit` bytes; a larger one is refused as
/// soon as its declared length (or its bytes so far) say so.
pub async fn read_body(
    request: &HttpRequest,
    mut body: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the body is larger than {limit} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|err| {
            // A body trickling in past the deadline is a timeout, as for
            // JSON bodies, not a malformed body.
            if connections::is_timeout(&err) {
                ApiError::new(
                    ErrorCode::RequestTimeout,
                    "the request body did not arrive in time",
                )
            } else {
                ApiError::new(
                    ErrorCode::InvalidBody,
                    format!("the body could not be read: {err}"),
                )
            }
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
