//! Pages as Open Referral defines them. A page past the last is an empty page (200,
//! `empty: true`), never an error, so a client walking pages stops cleanly.

use serde::Serialize;

use super::oruk::ApiError;

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<PageRequest, ApiError> {
        let number = |value: Option<&str>, name: &str, default: u64| -> Result<u64, ApiError> {
            match value {
                None | Some("") => Ok(default),
                Some(v) => v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    ApiError::bad(format!("{name} must be a whole number of 1 or more"))
                }),
            }
        };
        let page = number(page, "page", 1)?;
        let per_page = number(per_page, "per_page", DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE);
        Ok(PageRequest { page, per_page })
    }
}

#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub total_items: u64,
    pub total_pages: u64,
    pub page_number: u64,
    pub size: u64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<T>,
}

impl<T> Page<T> {
    pub fn new(request: PageRequest, total_items: u64, contents: Vec<T>) -> Page<T> {
        let total_pages = total_items.div_ceil(request.per_page);
        Page {
            total_items,
            total_pages,
            page_number: request.page,
            size: contents.len() as u64,
            first_page: request.page == 1,
            last_page: request.page >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_fields_agree() {
        let r = PageRequest {
            page: 2,
            per_page: 10,
        };
        let p = Page::new(r, 25, vec![(); 10]);
        assert_eq!(
            (p.total_pages, p.size, p.first_page, p.last_page, p.empty),
            (3, 10, false, false, false)
        );
        let past = Page::<()>::new(
            PageRequest {
                page: 1_000_000_000,
                per_page: 10,
            },
            25,
            vec![],
        );
        assert!(past.empty && past.last_page && !past.first_page);
        assert!(PageRequest::parse(Some("0"), None).is_err());
        assert!(PageRequest::parse(Some("x"), None).is_err());
        assert_eq!(
            PageRequest::parse(None, Some("100000")).unwrap().per_page,
            MAX_PER_PAGE
        );
    }
}
