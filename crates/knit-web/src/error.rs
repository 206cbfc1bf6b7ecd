//! Errors a person can act on, turned into responses in one place: an HTML page for
//! the website, a JSON body for the API. Nothing personal goes into a message.

use axum::http::StatusCode;

use crate::directory_search::SearchError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Search(#[from] SearchError),
    #[error("something went wrong on our side; please try again in a minute")]
    Internal(String),
}

impl From<knit_store::StoreError> for WebError {
    fn from(e: knit_store::StoreError) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Search(e) => e.status(),
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What to tell the person; the internal detail stays in the log.
    pub fn public_message(&self) -> String {
        if let WebError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
        self.to_string()
    }
}
