//! The server's one error type. Every refusal becomes
//! `{"error": code, "message": text}` with the status the code maps to.

use std::fmt;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use messenger_shared::error::{ErrorBody, ErrorCode, RowProblem};

/// A refusal or failure to report to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, in English.
    pub message: String,
    /// Seconds until a retry makes sense (sent as `Retry-After`).
    pub retry_after: Option<u64>,
    /// With `invalid_import`: the rows at fault.
    pub rows: Vec<RowProblem>,
}

impl ApiError {
    /// A refusal with its code and a message for people.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            retry_after: None,
            rows: Vec::new(),
        }
    }

    /// A failure of the server itself. The cause goes to the log; the client
    /// only learns that it was not its fault.
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        ApiError::new(ErrorCode::Internal, "the server failed; see its log")
    }

    /// The same error, telling the client when to try again.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The same error, naming the rows of a file at fault.
    pub fn with_rows(mut self, rows: Vec<RowProblem>) -> Self {
        self.rows = rows;
        self
    }

    /// The wire form.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.code,
            message: self.message.clone(),
            retry_after: self.retry_after,
            rows: self.rows.clone(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        // The connection itself is the problem: end it after the answer.
        if matches!(
            self.code,
            ErrorCode::RequestTimeout | ErrorCode::TooManyConnections
        ) {
            response.force_close();
        }
        response.json(self.body())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        ApiError::internal(format_args!("database: {err}"))
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(%err, "no database connection available");
        ApiError::new(
            ErrorCode::ServiceUnavailable,
            "the database is busy; try again shortly",
        )
    }
}
