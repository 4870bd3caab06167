//! The server's REST API, one async function per endpoint. The screens run
//! these as `Task`s, so the window never waits on the network.

use std::sync::Arc;
use std::time::Duration;

use messenger_shared::API_PREFIX;
use messenger_shared::auth::{LoginRequest, RegisterRequest, Session};
use messenger_shared::chat::{
    ConversationSummary, EditMessage, HistoryPage, HistoryQuery, MarkRead, Message, SearchPage,
    SearchQuery, SendMessage,
};
use messenger_shared::error::{ErrorBody, ErrorCode};
use messenger_shared::health::Health;
use messenger_shared::ids::{AttachmentId, MessageId};
use messenger_shared::user::{Account, UserSummary};

use crate::conversation::Place;
use serde::Serialize;
use serde::de::DeserializeOwned;

mod admin;
mod files;

pub use files::Progress;
mod groups;
mod notifications;
mod profile;
mod school;

/// How long to wait for a server that does not answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole request may take (an image upload on a slow Wi-Fi).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long logging in, registering or testing an address may take: a
/// server that takes the connection but never answers is given up on
/// quickly, not after a minute of "Connecting…".
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a file on this PC could not be read or written. The app says it in
/// its own words (the system's text is English and for logs): what went
/// wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} the file: {detail}", if *.reading { "read" } else { "write" })]
pub struct FileProblem {
    /// Reading a file (to send it) rather than writing one.
    pub reading: bool,
    pub why: FileWhy,
    /// The system's own text, for logs.
    pub detail: String,
}

/// The kinds of file problems a person can do something about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileWhy {
    /// The file or its folder is not there (moved, deleted, a removed disk).
    Missing,
    /// This user may not read the file or write into the folder.
    Denied,
    /// The disk is full.
    NoSpace,
    /// Anything else.
    Other,
}

impl FileProblem {
    /// A file that could not be read.
    pub fn reading(error: std::io::Error) -> ApiError {
        ApiError::File(FileProblem::new(true, &error))
    }

    /// A file that could not be written.
    pub fn writing(error: std::io::Error) -> ApiError {
        ApiError::File(FileProblem::new(false, &error))
    }

    fn new(reading: bool, error: &std::io::Error) -> FileProblem {
        use std::io::ErrorKind;
        let why = match error.kind() {
            ErrorKind::NotFound => FileWhy::Missing,
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => FileWhy::Denied,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => FileWhy::NoSpace,
            _ => FileWhy::Other,
        };
        FileProblem {
            reading,
            why,
            detail: error.to_string(),
        }
    }
}

/// Why a request failed, in a form the screens can explain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with one of the protocol's error codes.
    #[error("{message}")]
    Server {
        code: ErrorCode,
        message: String,
        /// Seconds to wait, with `too_many_attempts`.
        retry_after: Option<u64>,
    },
    /// Nothing answered: wrong address, server stopped, network down.
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The server took the connection but did not answer in time.
    #[error("the server did not answer in time")]
    NoAnswer,
    /// Something answered, but not like this server would.
    #[error("unexpected answer: {0}")]
    Unexpected(String),
    /// A file on this PC could not be read (an upload) or written (a
    /// download, an export).
    #[error("{0}")]
    File(FileProblem),
    /// The answer stopped before its end (the server could not finish an
    /// export); what had arrived was not kept.
    #[error("the answer stopped before its end")]
    CutOff,
}

impl ApiError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Server { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The session is over (logged out elsewhere, expired, disabled): the
    /// app goes back to the login screen.
    pub fn ends_session(&self) -> bool {
        matches!(
            self.code(),
            Some(
                ErrorCode::SessionExpired
                    | ErrorCode::InvalidToken
                    | ErrorCode::MissingToken
                    | ErrorCode::AccountDisabled
            )
        )
    }
}

impl From<reqwest::Error> for ApiError {
    fn from(error: reqwest::Error) -> ApiError {
        // A body that does not parse is the server's doing; everything
        // else (refused, timed out, reset) means it could not be reached.
        if error.is_decode() {
            ApiError::Unexpected(error.to_string())
        } else if error.is_timeout() && !error.is_connect() {
            ApiError::NoAnswer
        } else {
            ApiError::Unreachable(error.to_string())
        }
    }
}

/// A handle on one server, with or without a login. Cheap to clone: the
/// connection pool is shared.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    base: Arc<str>,
    token: Option<Arc<str>>,
    answer_timeout: Duration,
}

impl Api {
    /// `base` is the server address, e.g. `http://192.168.1.10:8000`.
    pub fn new(base: &str) -> Api {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("messenger-desktop/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Api {
            http,
            base: base.trim_end_matches('/').into(),
            token: None,
            answer_timeout: ANSWER_TIMEOUT,
        }
    }

    /// The same server, giving up on logins and tests after `timeout`
    /// (tests use a short one).
    pub fn with_answer_timeout(&self, timeout: Duration) -> Api {
        Api {
            answer_timeout: timeout,
            ..self.clone()
        }
    }

    /// The same server, acting as the holder of `token`.
    pub fn with_token(&self, token: &str) -> Api {
        Api {
            token: Some(token.into()),
            ..self.clone()
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The live connection's address: `ws://…/api/v1/ws`.
    pub fn ws_url(&self) -> String {
        let base = if let Some(rest) = self.base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = self.base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            self.base.to_string()
        };
        format!("{base}{API_PREFIX}/ws")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base)
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self
            .authorized(self.http.get(self.url(path)))
            .send()
            .await?;
        json(response).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = self.http.post(self.url(path)).json(body);
        let response = self.authorized(request).send().await?;
        json(response).await
    }

    /// A POST that must be answered within the answer timeout (logging in
    /// and registering: the user is waiting on the form).
    async fn post_answered_soon<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = self
            .http
            .post(self.url(path))
            .timeout(self.answer_timeout)
            .json(body);
        json(request.send().await?).await
    }

    async fn no_content(&self, request: reqwest::RequestBuilder) -> Result<(), ApiError> {
        let response = self.authorized(request).send().await?;
        checked(response).await.map(drop)
    }

    pub async fn register(&self, request: RegisterRequest) -> Result<Session, ApiError> {
        self.post_answered_soon("/auth/register", &request).await
    }

    pub async fn login(&self, request: LoginRequest) -> Result<Session, ApiError> {
        self.post_answered_soon("/auth/login", &request).await
    }

    /// `GET /health`: whether a Local Messenger server answers here, its
    /// version and limits. Any answer that is not one is `Unexpected`.
    pub async fn health(&self) -> Result<Health, ApiError> {
        let response = self
            .http
            .get(format!("{}/health", self.base))
            .timeout(self.answer_timeout)
            .send()
            .await?;
        // A degraded server answers 503 with the same body: still ours.
        response
            .json::<Health>()
            .await
            .map_err(|e| ApiError::Unexpected(e.to_string()))
    }

    pub async fn logout(&self) -> Result<(), ApiError> {
        self.no_content(self.http.post(self.url("/auth/logout")))
            .await
    }

    pub async fn me(&self) -> Result<Account, ApiError> {
        self.get("/auth/me").await
    }

    pub async fn users(&self) -> Result<Vec<UserSummary>, ApiError> {
        self.get("/users").await
    }

    pub async fn conversations(&self) -> Result<Vec<ConversationSummary>, ApiError> {
        self.get("/conversations").await
    }

    /// Up to `limit` messages of a chat older than `before` (or the
    /// newest ones).
    pub async fn history(
        &self,
        place: Place,
        before: Option<MessageId>,
        limit: u32,
    ) -> Result<HistoryPage, ApiError> {
        let query = HistoryQuery {
            before,
            limit: Some(limit),
            ..HistoryQuery::default()
        };
        self.history_page(place, &query).await
    }

    /// Any page of a chat: older, newer, or around a message.
    pub async fn history_page(
        &self,
        place: Place,
        query: &HistoryQuery,
    ) -> Result<HistoryPage, ApiError> {
        let request = self
            .http
            .get(self.url(&format!("{}/messages", place.path())))
            .query(&query);
        json(self.authorized(request).send().await?).await
    }

    pub async fn send(&self, place: Place, message: SendMessage) -> Result<Message, ApiError> {
        self.post(&format!("{}/messages", place.path()), &message)
            .await
    }

    /// Gives one of our messages new text; answers with it as it is now.
    pub async fn edit(&self, id: MessageId, text: String) -> Result<Message, ApiError> {
        let request = self
            .http
            .put(self.url(&format!("/messages/{id}")))
            .json(&EditMessage { text });
        json(self.authorized(request).send().await?).await
    }

    /// Messages of our own chats that contain the text.
    pub async fn search(&self, query: &SearchQuery) -> Result<SearchPage, ApiError> {
        let request = self.http.get(self.url("/search")).query(query);
        json(self.authorized(request).send().await?).await
    }

    pub async fn mark_read(&self, place: Place, up_to: MessageId) -> Result<(), ApiError> {
        let request = self
            .http
            .post(self.url(&format!("{}/read", place.path())))
            .json(&MarkRead { up_to });
        self.no_content(request).await
    }

    pub async fn delete(&self, id: MessageId) -> Result<(), ApiError> {
        self.no_content(self.http.delete(self.url(&format!("/messages/{id}"))))
            .await
    }

    /// An image's bytes: the thumbnail, or the full picture.
    pub async fn attachment(&self, id: AttachmentId, thumb: bool) -> Result<Vec<u8>, ApiError> {
        let mut request = self.http.get(self.url(&format!("/attachments/{id}")));
        if thumb {
            request = request.query(&[("size", "thumb")]);
        }
        let response = checked(self.authorized(request).send().await?).await?;
        Ok(response.bytes().await?.to_vec())
    }
}

/// Passes a success through; turns an error answer into its code.
async fn checked(response: reqwest::Response) -> Result<reqwest::Response, ApiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(ApiError::Server {
            code: body.error,
            message: body.message,
            retry_after: body.retry_after,
        }),
        Err(_) => Err(ApiError::Unexpected(format!("HTTP {status}"))),
    }
}

async fn json<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, ApiError> {
    let response = checked(response).await?;
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Unexpected(e.to_string()))
}
